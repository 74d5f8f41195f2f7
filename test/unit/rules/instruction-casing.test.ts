import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { applyFix, fixTitles, messages, ruleCases } from '../helpers';

const codes = (text: string) =>
  lint(text, { only: ['instruction-casing'] }).findings.map((f) => `${f.range.start.line + 1} ${f.peerCodes!.buildkit.join(',')}`);

describe('instruction-casing', () => {
  ruleCases('instruction-casing', {
    valid: [
      { name: 'all upper case', code: `ARG BASE=debian:12\nFROM $BASE AS app\nRUN true\nCMD ["true"]\n` },
      { name: 'all lower case, as included', code: `arg base=debian:12\nfrom $base as app\nrun true\n` },
      {
        name: 'heredoc bodies and continued lines are not keywords',
        code: `FROM alpine:3.20
RUN <<END
env
run-parts /etc/periodic
END
RUN echo one \\
    copy two
`,
      },
      { name: 'a FROM without a stage name', code: `FROM alpine:3.20\n` },
    ],
    invalid: [
      {
        name: 'the minority case, upper case winning',
        code: `FROM alpine:3.20
workdir /app
^^^^^^^ instruction-casing
COPY . .
`,
      },
      {
        name: 'the minority case, lower case winning, mixed case always',
        code: `from alpine:3.20
RUN true
^^^ instruction-casing
copy . .
Expose 80
^^^^^^ instruction-casing
`,
      },
      {
        name: 'a tie goes to upper case',
        code: `FROM alpine:3.20
run true
^^^ instruction-casing
`,
      },
      {
        name: 'AS in another case than its FROM',
        code: `FROM golang:1.22 as build
#                ^^ instruction-casing
from build AS test
^^^^ instruction-casing
#          ^^ instruction-casing
FROM build As final
#          ^^ instruction-casing
`,
      },
    ],
  });

  it('reports each finding under its own BuildKit check', () => {
    assert.deepEqual(codes('FROM a as b\nrun x\nRUN y\n'), ['1 FromAsCasing', '2 ConsistentInstructionCasing']);
  });

  it('says which case and what to write', () => {
    assert.deepEqual(messages('instruction-casing', 'FROM a\nRun x\n'), [
      "Run is not in the case most of this file's keywords use (upper case): write RUN.",
    ]);
  });

  it('does not report AS after a FROM in mixed case (the FROM is reported)', () => {
    assert.deepEqual(codes('From a as b\nRUN x\n'), ['1 ConsistentInstructionCasing']);
  });

  it('fixes a FROM and its AS together, in the file case', async () => {
    const text = 'from a AS b\nrun x\nrun y\n';
    assert.deepEqual(fixTitles('instruction-casing', text), ['* Write from … as']);
    const after = await applyFix('instruction-casing', text);
    assert.equal(after, 'from a as b\nrun x\nrun y\n');
    assert.deepEqual(codes(after), []);
    // The FROM alone in the file case would have left AS in the other one.
    assert.equal(await applyFix('instruction-casing', 'from a as b\nRUN x\nRUN y\n'), 'FROM a AS b\nRUN x\nRUN y\n');
  });

  it('honours # check=skip for one check and not the other', () => {
    assert.deepEqual(codes('# check=skip=FromAsCasing\nFROM a as b\nrun x\nRUN y\n'), ['3 ConsistentInstructionCasing']);
    assert.deepEqual(codes('# check=skip=ConsistentInstructionCasing\nFROM a as b\nrun x\nRUN y\n'), ['2 FromAsCasing']);
  });
});
