import * as assert from 'node:assert/strict';
import { formatDockerfile } from '../../server/src/format/format';
import { applyEdits } from '../../server/src/engine/edits';

/** Formats `text` (or a range of it), checks that formatting the result again makes no edit. */
function format(text: string, range?: { start: number; end: number }): string {
  const out = applyEdits(text, formatDockerfile(text, { range }));
  if (!range) assert.deepEqual(formatDockerfile(out), [], `formatting again makes edits:\n${out}`);
  return out;
}

/** Asserts that `text` is formatted already. */
function unchanged(text: string): void {
  assert.deepEqual(formatDockerfile(text), []);
}

describe('formatDockerfile', () => {
  describe('keywords', () => {
    it('writes every keyword in the case most keywords use, FROM … AS included', () => {
      assert.equal(format('FROM a as b\nrun x\nCOPY a b\n'), 'FROM a AS b\nRUN x\nCOPY a b\n');
      assert.equal(format('from a AS b\nrun x\nCOPY a b\n'), 'from a as b\nrun x\ncopy a b\n');
    });

    it('writes upper case on a tie, and a keyword in mixed case counts for neither', () => {
      assert.equal(format('from a\nRUN x\n'), 'FROM a\nRUN x\n');
      assert.equal(format('from a\nRun x\nRun y\n'), 'from a\nrun x\nrun y\n');
    });

    it('finds the AS of a stage name on a continuation line', () => {
      assert.equal(format('FROM alpine \\\n    as base\n'), 'FROM alpine \\\n    AS base\n');
    });

    it("leaves an ONBUILD trigger's keyword as written", () => {
      assert.equal(format('FROM a\nONBUILD   run make\n'), 'FROM a\nONBUILD run make\n');
    });

    it('leaves an instruction it does not know as written', () => {
      unchanged('FROM a\nfrobnicate   x  \nRUN x\n');
    });
  });

  describe('the space after the keyword', () => {
    it('is one space before the first argument, a flag or a continuation', () => {
      assert.equal(format('FROM a\nRUN   x\nCMD\t["a"]\n'), 'FROM a\nRUN x\nCMD ["a"]\n');
      assert.equal(format('FROM a\nCOPY    --chown=1 a    b\n'), 'FROM a\nCOPY --chown=1 a    b\n');
      assert.equal(format('FROM a\nRUN      \\\n    x\n'), 'FROM a\nRUN \\\n    x\n');
    });

    it('is removed with the trailing blanks after a keyword alone', () => {
      assert.equal(format('FROM a\nHEALTHCHECK   \n'), 'FROM a\nHEALTHCHECK\n');
    });
  });

  describe('trailing blanks and the final line break', () => {
    it('removes trailing blanks from instruction lines, after a continuation too', () => {
      assert.equal(format('FROM a  \nRUN x \\  \n    y\t\n'), 'FROM a\nRUN x \\\n    y\n');
    });

    it('ends the file with a line break, the one the file uses', () => {
      assert.equal(format('FROM a\nRUN x'), 'FROM a\nRUN x\n');
      assert.equal(format('FROM a\r\nRUN x   '), 'FROM a\r\nRUN x\r\n');
      assert.equal(format('FROM a\n# done'), 'FROM a\n# done\n');
      unchanged('');
    });

    it('leaves lines outside instructions as they are', () => {
      unchanged('# syntax=docker/dockerfile:1  \n# escape=\\ \n\nFROM a\n   \n# a comment   \n');
    });
  });

  describe('continuation lines', () => {
    it('indents them by 4 spaces beyond the instruction, nested lines keeping their extra indentation', () => {
      const text = 'FROM a\nRUN set -eux; \\\n  if [ -x y ]; then \\\n      z; \\\n  fi\nCOPY a \\\nb\n';
      assert.equal(format(text), 'FROM a\nRUN set -eux; \\\n    if [ -x y ]; then \\\n        z; \\\n    fi\nCOPY a \\\n    b\n');
    });

    it("keeps the file's unit when every continued instruction uses the same", () => {
      unchanged('FROM a\nRUN apk add \\\n\tcurl \\\n\twget\nRUN x \\\n\t&& y\n');
      unchanged('FROM a\nRUN apk add \\\n  curl \\\n    wget\n');
      assert.equal(format('FROM a\nRUN apk add \\\n\tcurl\nRUN x \\\n  && y\n'), 'FROM a\nRUN apk add \\\n    curl\nRUN x \\\n    && y\n');
    });

    it("indents from an indented instruction's own column", () => {
      assert.equal(format('FROM a\n  RUN x \\\n  && y\nRUN z \\\n\t&& w\n'), 'FROM a\n  RUN x \\\n      && y\nRUN z \\\n    && w\n');
    });

    it('leaves a line whose leading blanks are part of an argument', () => {
      unchanged('FROM a\nENV PATH=/a:\\\n/b\nRUN x \\\n    && y\n');
      unchanged('FROM a\nRUN echo "one \\\n  two" \\\n    && y\n');
      unchanged("FROM a\nRUN echo 'one \\\n  two'\n");
      unchanged('FROM a\nRUN echo one\\ \\\ntwo\n');
      unchanged('FROM a\nRUN echo ${X:-a \\\n  b}\n');
      unchanged('FROM a\nENV GREETING hello \\\n  world\nWORKDIR /a \\\n  b\n');
    });

    it('moves ENV and LABEL lines in key=value form', () => {
      assert.equal(format('FROM a\nENV A=1 \\\n  B=2\nLABEL a=b \\\n\tc=d\n'), 'FROM a\nENV A=1 \\\n    B=2\nLABEL a=b \\\n    c=d\n');
    });

    it('leaves an instruction that indents with tabs on some lines and spaces on others', () => {
      unchanged('FROM a\nRUN x \\\n\t&& y \\\n    && z\n');
    });

    it('keeps comment lines inside a continuation exactly, and never removes blank lines', () => {
      const text = 'FROM a\nRUN x \\\n# old  \n&& y \\\n\n  \n      #   note \n&& z\n';
      assert.equal(format(text), 'FROM a\nRUN x \\\n# old  \n    && y \\\n\n  \n      #   note \n    && z\n');
    });
  });

  describe('what stays as written', () => {
    it('keeps heredoc bodies and their delimiters exactly', () => {
      const body = '  if x; then  \n\ty \\\n  fi  \n';
      assert.equal(
        format(`FROM a\nRUN   <<EOF  \n${body}EOF\nCOPY  <<-END /a\n\t  b  \n\tEND\n`),
        `FROM a\nRUN <<EOF\n${body}EOF\nCOPY <<-END /a\n\t  b  \n\tEND\n`,
      );
    });

    it('keeps the content of JSON arrays', () => {
      unchanged('FROM a\nCMD ["a",   "b" ,"c"]\nSHELL ["/bin/sh","-c"]\n');
      assert.equal(format('FROM a\nENTRYPOINT ["a", \\\n"b"]\n'), 'FROM a\nENTRYPOINT ["a", \\\n    "b"]\n');
      unchanged('FROM a\nCMD ["sh", "-c", "echo one \\\n  two"]\n');
    });

    it('keeps CRLF line breaks', () => {
      const text = 'from a\r\nRUN x \\  \r\n&& y  \r\n\r\nRUN <<EOF\r\n  b  \r\nEOF\r\n';
      assert.equal(format(text), 'FROM a\r\nRUN x \\\r\n    && y\r\n\r\nRUN <<EOF\r\n  b  \r\nEOF\r\n');
    });

    it('follows the escape directive: continuations end with a backtick', () => {
      const text = '# escape=`\nFROM a\nRUN dir c:\\windows `   \n&& echo `\n  done  \n';
      assert.equal(format(text), '# escape=`\nFROM a\nRUN dir c:\\windows `\n    && echo `\n      done\n');
      // A backslash before the blank: a shell may read it as an escape, so the line stays.
      unchanged('# escape=`\nFROM a\nRUN dir c:\\ `\n&& echo\n');
    });

    it('keeps a byte-order mark', () => {
      assert.equal(format('\uFEFFfrom a\nRUN x'), '\uFEFFFROM a\nRUN x\n');
    });
  });

  describe('range formatting', () => {
    const text = 'FROM a\nrun   x  \nRUN   y  \nCOPY a \\\nb';

    it('formats only the instructions the range intersects', () => {
      const second = text.indexOf('run');
      assert.equal(format(text, { start: second + 1, end: second + 2 }), 'FROM a\nRUN x\nRUN   y  \nCOPY a \\\nb');
      const third = text.indexOf('RUN   y');
      assert.equal(format(text, { start: second, end: third + 3 }), 'FROM a\nRUN x\nRUN y\nCOPY a \\\nb');
    });

    it('does not take an instruction the range only ends at', () => {
      const third = text.indexOf('RUN   y');
      assert.equal(format(text, { start: 0, end: third }), 'FROM a\nRUN x\nRUN   y  \nCOPY a \\\nb');
    });

    it('adds the final line break when the range reaches the last line', () => {
      assert.equal(format(text, { start: text.length - 1, end: text.length }), 'FROM a\nrun   x  \nRUN   y  \nCOPY a \\\n    b\n');
    });
  });

  it('makes minimal edits: none on a formatted file, one per change', () => {
    unchanged('FROM a AS b\nRUN x \\\n    && y\n');
    const edits = formatDockerfile('FROM a\nrun  x \\\n&& y');
    assert.deepEqual(
      edits.map((e) => e.text),
      ['RUN', ' ', '    ', '\n'],
    );
  });
});
