/**
 * "Ignore here" / "ignore in file": the edit silences exactly that rule, keeps other ids of an
 * existing comment, keeps parser directives first and CRLF line endings, and re-lints clean.
 */
import * as assert from 'node:assert/strict';
import { lint } from '../../server/src/linter/lint';
import { ignoreFileEdits, ignoreHereEdits } from '../../server/src/engine/ignoreEdits';
import { applyEdits, type Edit } from '../../server/src/engine/edits';
import { DockerfileModel } from '../../server/src/model/model';

function apply(text: string, edits: Edit[]): string {
  return applyEdits(text, edits);
}

function rulesOf(text: string): string[] {
  return lint(text).findings.map((f) => `${f.range.start.line}:${f.rule}`);
}

describe('ignore edits', () => {
  it('inserts an ignore comment above the instruction, with its indentation', () => {
    const text = 'FROM alpine:3.20\n  USER root\n';
    const model = new DockerfileModel(text);
    const out = apply(text, ignoreHereEdits(model, { line: 1, character: 7 }, 'root-user')!);
    assert.equal(out, 'FROM alpine:3.20\n  # dockerfile-hardener ignore=root-user\n  USER root\n');
    assert.ok(!rulesOf(out).some((r) => r.endsWith('root-user')));
    assert.deepEqual(
      ignoreHereEdits(new DockerfileModel(out), { line: 2, character: 7 }, 'root-user'),
      [],
      'applying it twice changes nothing',
    );
  });

  it('extends an existing comment above, keeping its ids', () => {
    const text = 'FROM alpine:3.20\n# keep this note\n# dockerfile-hardener ignore=sudo\nUSER root\n';
    const out = apply(text, ignoreHereEdits(new DockerfileModel(text), { line: 3, character: 5 }, 'root-user')!);
    assert.equal(out, 'FROM alpine:3.20\n# keep this note\n# dockerfile-hardener ignore=sudo,root-user\nUSER root\n');
  });

  it('puts the file-wide comment after the parser directives, and keeps CRLF', () => {
    const text = '# syntax=docker/dockerfile:1\r\n# escape=`\r\nFROM alpine\r\n';
    const model = new DockerfileModel(text);
    const out = apply(text, ignoreFileEdits(model, 'latest-tag'));
    assert.equal(out, '# syntax=docker/dockerfile:1\r\n# escape=`\r\n# dockerfile-hardener global ignore=latest-tag\r\nFROM alpine\r\n');
    const after = new DockerfileModel(out);
    assert.equal(after.escapeChar, '`', 'the escape directive still applies');
    assert.ok(!rulesOf(out).some((r) => r.endsWith('latest-tag')));
    const twice = apply(out, ignoreFileEdits(after, 'unpinned-digest'));
    assert.match(twice, /# dockerfile-hardener global ignore=latest-tag,unpinned-digest\r\n/);
    assert.deepEqual(ignoreFileEdits(new DockerfileModel(twice), 'latest-tag'), []);
  });

  it('handles a file that is only directives, without a final line break', () => {
    const text = '# syntax=docker/dockerfile:1';
    const out = apply(text, ignoreFileEdits(new DockerfileModel(text), 'root-user'));
    assert.equal(out, '# syntax=docker/dockerfile:1\n# dockerfile-hardener global ignore=root-user\n');
  });

  it('ignores a finding inside a multi-line instruction at the instruction', () => {
    const text = 'FROM golang:1.22 AS b\nRUN apk add x && \\\n    go build -o /a .\n';
    const out = apply(text, ignoreHereEdits(new DockerfileModel(text), { line: 2, character: 4 }, 'go-build-unstripped')!);
    assert.equal(
      out,
      'FROM golang:1.22 AS b\n# dockerfile-hardener ignore=go-build-unstripped\nRUN apk add x && \\\n    go build -o /a .\n',
    );
    assert.ok(!rulesOf(out).some((r) => r.endsWith('go-build-unstripped')));
  });
});
