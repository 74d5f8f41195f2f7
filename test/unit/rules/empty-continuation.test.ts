import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { applyFix, messages, ruleCases } from '../helpers';

describe('empty-continuation', () => {
  ruleCases('empty-continuation', {
    valid: [
      { name: 'continued without gaps', code: `FROM debian:12\nRUN apt-get update \\\n    && apt-get install -y curl\n\nCMD ["bash"]\n` },
      { name: 'a comment line inside a continuation', code: `FROM debian:12\nRUN a \\\n  # note\n  && b\n` },
      { name: 'blank lines in a heredoc body', code: `FROM debian:12\nRUN <<END\nset -e\n\necho hi\nEND\n` },
      { name: 'the escape directive', code: '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo a; `\n    echo b\n' },
    ],
    invalid: [
      {
        name: 'blank and whitespace-only lines, one finding per instruction',
        code: `FROM debian:12
COPY a \\

   b \\
#  ^^^ empty-continuation
  \t
   /dst/
RUN true
`,
      },
      {
        name: 'after a comment line, with a backtick escape',
        code: '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo a; `\n# note\n\n    echo b\n#   ^^^^^^ empty-continuation\n',
      },
    ],
  });

  it('names the empty lines', () => {
    assert.deepEqual(messages('empty-continuation', 'FROM a\nRUN a \\\n\n\n  b\n'), [
      "2 empty lines inside this RUN's continued lines (lines 3, 4): the builder skips them and continues the instruction here. Remove them.",
    ]);
  });

  it('removes the empty lines only, keeping comment lines', async () => {
    const text = 'FROM a\r\nRUN a \\\r\n\r\n  # note\r\n  \r\n  && b\r\nRUN c\r\n';
    const after = await applyFix('empty-continuation', text);
    assert.equal(after, 'FROM a\r\nRUN a \\\r\n  # note\r\n  && b\r\nRUN c\r\n');
    assert.deepEqual(lint(after, { only: ['empty-continuation'] }).findings, []);
  });
});
