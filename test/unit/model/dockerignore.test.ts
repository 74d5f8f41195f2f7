/**
 * The model: `.dockerignore` read and applied as the builder does (model/dockerignore.ts), and the
 * on-disk build context's ignore file (engine/buildContext.ts).
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { cleanPath, exceptionBelow, excludedBy, parseDockerignore, type IgnoreFile } from '../../../server/src/model/dockerignore';
import { fileBuildContext } from '../../../server/src/engine/buildContext';

function file(text: string): IgnoreFile {
  const f = parseDockerignore(text);
  assert.ok(f, `refused: ${text}`);
  return f;
}

/** The paths of `paths` that `text` excludes. */
function excluded(text: string, paths: string[]): string[] {
  const f = file(text);
  return paths.filter((p) => excludedBy(f, p) !== undefined);
}

describe('model: .dockerignore', () => {
  it('cleans paths as Go does', () => {
    assert.equal(cleanPath('a//b/./c/'), 'a/b/c');
    assert.equal(cleanPath('a/../../b'), '../b');
    assert.equal(cleanPath('/../x'), '/x');
    assert.equal(cleanPath(''), '.');
    assert.equal(cleanPath('./'), '.');
  });

  it('reads patterns: comments, blanks, a byte-order mark, exceptions, a leading slash, cleaning', () => {
    const f = file('\uFEFF# notes\n\n  /build/  \n! dist/keep.txt\nlogs/../tmp\n  # not a comment\n');
    assert.deepEqual(
      f.patterns.map((p) => `${p.exception ? '!' : ''}${p.text}@${p.line}`),
      ['build@3', '!dist/keep.txt@4', 'tmp@5', '# not a comment@6'],
    );
    assert.equal(f.hasExceptions, true);
  });

  it('refuses what the builder refuses: a lone "!", an unclosed class', () => {
    assert.equal(parseDockerignore('a\n!\n'), undefined);
    assert.equal(parseDockerignore('file[12\n'), undefined);
  });

  it('matches per path element: * and ? stop at a slash, classes, escapes', () => {
    const paths = ['a.md', 'docs/a.md', 'x1.txt', 'xy.txt', 'x12.txt', 'b*c', 'bxc'];
    assert.deepEqual(excluded('*.md', paths), ['a.md']);
    assert.deepEqual(excluded('*/*.md', paths), ['docs/a.md']);
    assert.deepEqual(excluded('x?.txt', paths), ['x1.txt', 'xy.txt']);
    assert.deepEqual(excluded('x[0-9].txt', paths), ['x1.txt']);
    assert.deepEqual(excluded('x[^0-9].txt', paths), ['xy.txt']);
    assert.deepEqual(excluded('b\\*c', paths), ['b*c']);
  });

  it('matches ** across any number of elements', () => {
    const paths = ['foo', 'a/foo', 'a/b/foo', 'foo/x', 'a.go', 'src/a.go', 'src/x/y.go', 'srcx/a.go'];
    assert.deepEqual(excluded('**/foo', paths), ['foo', 'a/foo', 'a/b/foo', 'foo/x']);
    assert.deepEqual(excluded('**/*.go', paths), ['a.go', 'src/a.go', 'src/x/y.go', 'srcx/a.go']);
    assert.deepEqual(excluded('src/**', paths), ['src/a.go', 'src/x/y.go']);
    assert.deepEqual(excluded('src/**/*.go', paths), ['src/a.go', 'src/x/y.go']);
    assert.deepEqual(excluded('**', paths), paths);
  });

  it('excludes what is under an excluded directory', () => {
    assert.deepEqual(excluded('node_modules', ['node_modules', 'node_modules/x/y.js', 'web/node_modules', 'node_modules2']), [
      'node_modules',
      'node_modules/x/y.js',
    ]);
  });

  it('lets the last matching pattern decide; exceptions bring paths back', () => {
    const f = file('*.md\n!README.md\ndocs\n!docs/index.md\n');
    assert.equal(excludedBy(f, 'CHANGES.md')?.text, '*.md');
    assert.equal(excludedBy(f, 'README.md'), undefined);
    assert.equal(excludedBy(f, 'docs/guide.md')?.text, 'docs');
    assert.equal(excludedBy(f, 'docs/index.md'), undefined);
    assert.equal(excludedBy(file('!a.txt\n*.txt\n'), 'a.txt')?.text, '*.txt');
  });

  it('tells whether an exception may bring back something under a path', () => {
    const f = file('docs\n!docs/index.md\nlogs\n!**/keep\n');
    assert.equal(exceptionBelow(f, 'docs'), true);
    assert.equal(exceptionBelow(f, 'other'), true, '** may reach anywhere');
    assert.equal(exceptionBelow(file('docs\n!docs/index.md\n'), 'docs/guide.md'), false);
    assert.equal(exceptionBelow(file('docs\n!docs/index.md\n'), 'build'), false);
    assert.equal(exceptionBelow(file('*\n!src/*.go\n'), 'src'), true);
  });

  describe('on disk', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'dh-ignore-'));
      mkdirSync(path.join(dir, 'a'));
      mkdirSync(path.join(dir, 'b'));
      writeFileSync(path.join(dir, 'a', 'Dockerfile'), 'FROM scratch\n');
      writeFileSync(path.join(dir, 'a', '.dockerignore'), '*.md\n');
      writeFileSync(path.join(dir, 'a', 'web.Dockerfile'), 'FROM scratch\n');
      writeFileSync(path.join(dir, 'a', 'web.Dockerfile.dockerignore'), 'tmp\n');
      writeFileSync(path.join(dir, 'b', 'Dockerfile'), 'FROM scratch\n');
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it("reads the Dockerfile's own ignore file first, else .dockerignore beside it, else none", () => {
      assert.deepEqual(fileBuildContext(path.join(dir, 'a', 'Dockerfile')).ignoreFile?.(), { name: '.dockerignore', text: '*.md\n' });
      assert.deepEqual(fileBuildContext(path.join(dir, 'a', 'web.Dockerfile')).ignoreFile?.(), {
        name: 'web.Dockerfile.dockerignore',
        text: 'tmp\n',
      });
      assert.equal(fileBuildContext(path.join(dir, 'b', 'Dockerfile')).ignoreFile?.(), null);
    });
  });
});
