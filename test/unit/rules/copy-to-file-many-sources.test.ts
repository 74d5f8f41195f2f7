import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { applyEdits } from '../../../server/src/engine/edits';
import { ruleCases } from '../helpers';

describe('copy-to-file-many-sources', () => {
  ruleCases('copy-to-file-many-sources', {
    valid: [
      {
        name: 'one source, a trailing slash, ., a variable',
        code: `FROM alpine:3.20
COPY foo bar
COPY foo bar baz/
COPY foo bar "baz/"
COPY a b .
COPY a b $DEST
`,
      },
      {
        name: 'a Windows directory, written with a trailing backslash',
        code: `# escape=\`
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
COPY a.dll b.dll C:\\Windows\\System32\\
`,
      },
    ],
    invalid: [
      {
        name: 'several sources to a path without a slash, in shell and JSON form, ADD too',
        code: `FROM alpine:3.20
COPY foo bar baz
#            ^^^ copy-to-file-many-sources
COPY foo bar "baz"
#            ^^^^^ copy-to-file-many-sources
ADD ["a", "b", "/dest"]
#              ^^^^^^^ copy-to-file-many-sources
`,
      },
    ],
  });

  it('adds the slash inside the quotes, and the result re-lints clean', async () => {
    for (const [before, after] of [
      ['FROM alpine:3.20\nCOPY foo bar "baz"\n', 'FROM alpine:3.20\nCOPY foo bar "baz/"\n'],
      ['FROM alpine:3.20\nADD ["a", "b", "/dest"]\n', 'FROM alpine:3.20\nADD ["a", "b", "/dest/"]\n'],
    ]) {
      const [f] = lint(before, { only: ['copy-to-file-many-sources'] }).findings;
      const out = applyEdits(before, await f.fixes![0].edits({}));
      assert.equal(out, after);
      assert.deepEqual(lint(out, { only: ['copy-to-file-many-sources'] }).findings, []);
    }
  });
});
