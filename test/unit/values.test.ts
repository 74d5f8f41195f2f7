/**
 * Values as the builder reads them: words with quotes and variables (`expandWord`), and image
 * references (`parseImageRef`). Table-driven: input, then what the model must make of it.
 */
import * as assert from 'node:assert/strict';
import { parseImageRef } from '../../server/src/model/imageRef';
import { expand, expandWord, variableReferences } from '../../server/src/model/variables';

const scope = new Map<string, string | undefined>([
  ['V', '1.22'],
  ['EMPTY', ''],
  ['UNKNOWN', undefined],
]);

describe('expandWord', () => {
  const table: [string, string | undefined][] = [
    ['plain', 'plain'],
    ['$V', '1.22'],
    ['${V}-alpine', '1.22-alpine'],
    ['"a b"', 'a b'],
    ["'$V'", '$V'],
    ['"$V"', '1.22'],
    ['"it\'s"', "it's"],
    ['\'say "hi"\'', 'say "hi"'],
    ['a\\ b', 'a b'],
    ['\\$V', '$V'],
    ['"\\$V \\" \\\\ \\n"', '$V " \\ \\n'],
    ['${EMPTY:-d}', 'd'],
    ['${EMPTY-d}', ''],
    ['${NOPE:-"x y"}', 'x y'],
    ['${V:+set}', 'set'],
    ['${EMPTY:+set}', ''],
    ['$UNKNOWN', undefined],
    ['${UNKNOWN:-d}', undefined],
    ['$NOPE', undefined],
    ['${V', undefined],
    ['${V/x/y}', undefined],
    ['cost $5', 'cost $5'],
  ];
  for (const [text, expected] of table) {
    it(`${text} -> ${expected}`, () => assert.equal(expandWord(text, scope), expected));
  }

  it('uses the escape directive’s character', () => {
    assert.equal(expandWord('C:\\app\\`$V', scope, '`'), 'C:\\app\\$V');
    assert.equal(expandWord('"`"q`""', scope, '`'), '"q"');
  });

  it('leaves quotes alone in values already unquoted (expand)', () => {
    assert.equal(expand('"$V"', scope), '"1.22"');
    assert.equal(expand('a\\b\\$V', scope), 'a\\b$V');
  });
});

describe('variableReferences', () => {
  it('finds $NAME and ${NAME…} as the builder substitutes them, with their offsets and modifiers', () => {
    const text = `"$A/\${B}" \${C:-\${D}} \\$E '$F' "it's $G"`;
    assert.deepEqual(
      variableReferences(text).map((r) => [r.name, text.slice(r.start, r.end), r.modifier]),
      [
        ['A', '$A', undefined],
        ['B', '${B}', undefined],
        ['C', '${C:-${D}}', ':-${D}'],
        ['G', '$G', undefined],
      ],
    );
    // A template placeholder is not a reference.
    assert.deepEqual(variableReferences('node:4-node${templateOption:imageVariant}-core'), []);
    // Another escape character: a backslash is then plain text.
    assert.deepEqual(
      variableReferences('C:\\$X `$Y', '`').map((r) => r.name),
      ['X'],
    );
  });
});

describe('parseImageRef', () => {
  const at = { start: 0, end: 0 };
  const table: [string, string | undefined][] = [
    ['alpine', 'docker.io library/alpine - -'],
    ['alpine:3.20', 'docker.io library/alpine 3.20 -'],
    ['library/alpine:3.20', 'docker.io library/alpine 3.20 -'],
    ['bitnami/redis:7', 'docker.io bitnami/redis 7 -'],
    ['index.docker.io/library/node', 'docker.io library/node - -'],
    ['ghcr.io/org/team/app:v1.2.3', 'ghcr.io org/team/app v1.2.3 -'],
    ['localhost:5000/app', 'localhost:5000 app - -'],
    ['localhost/app:dev', 'localhost app dev -'],
    ['Registry.Example.com:443/app', 'registry.example.com:443 app - -'],
    ['alpine@sha256:abc', 'docker.io library/alpine - sha256:abc'],
    ['alpine:3.20@sha256:abc', 'docker.io library/alpine 3.20 sha256:abc'],
    ['my_app__x-y.z:1', 'docker.io library/my_app__x-y.z 1 -'],
    ['BASEIMAGE', undefined],
    ['org/App:1', undefined],
    ['alpine:3.20:x', undefined],
    ['alpine:-x', undefined],
    ['-alpine', undefined],
    ['alpine:', undefined],
    ['has space', undefined],
    ['', undefined],
  ];
  for (const [text, expected] of table) {
    it(`${text || '(empty)'} -> ${expected ?? 'not an image'}`, () => {
      const ref = parseImageRef(text, at, false);
      assert.equal(ref && `${ref.registry} ${ref.repository} ${ref.tag ?? '-'} ${ref.digest ?? '-'}`, expected);
    });
  }

  it('locates name, tag and digest in the document when written as is', () => {
    const text = 'ghcr.io/org/app:1.2@sha256:ff';
    const ref = parseImageRef(text, { start: 10, end: 10 + text.length }, false);
    assert.deepEqual(
      [ref?.nameSpan, ref?.tagSpan, ref?.digestSpan].map((s) => s && text.slice(s.start - 10, s.end - 10)),
      ['ghcr.io/org/app', '1.2', 'sha256:ff'],
    );
  });
});
