import { defineRule } from '../engine/rule';
import { EditBuilder } from '../engine/edits';
import { unfoldLine } from '../model/logical';
import type { DockerfileModel, Instr } from '../model/model';
import type { Span } from '../model/text';

/**
 * The blank lines inside an instruction's continued lines (up to where its line ends, so not in a
 * heredoc body), as whole lines with their line breaks.
 */
function emptyLines(model: DockerfileModel, instr: Instr): { lines: { line: number; span: Span }[]; last: number } {
  const { stop } = unfoldLine(model.text, instr.span.start, instr.span.end, model.escapeChar);
  const lines = model.lines;
  const first = lines.positionAt(instr.span.start).line;
  // The line the unfolded text ends on: the builder skips blank lines only on the way to it.
  const last = lines.positionAt(stop).line;
  const out: { line: number; span: Span }[] = [];
  for (let line = first + 1; line < last; line++) {
    if (!/^[ \t]*$/.test(lines.lineText(line))) continue;
    out.push({ line, span: { start: lines.lineStarts[line], end: lines.lineStarts[line + 1] } });
  }
  return { lines: out, last };
}

/** The first line after `from` that holds part of the instruction (not blank, not a comment), as a span. */
function resumeSpan(model: DockerfileModel, from: number, last: number): Span | undefined {
  const lines = model.lines;
  for (let line = from + 1; line <= last; line++) {
    const text = lines.lineText(line);
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const start = lines.lineStarts[line] + (text.length - text.trimStart().length);
    return { start, end: start + trimmed.length };
  }
  return undefined;
}

export default defineRule({
  id: 'empty-continuation',
  severity: 'info',
  summary: 'An empty line inside a continued instruction: the builder warns, and a future version will refuse it.',
  rationale: `A line that ends with \`\\\` continues on the next line, and the builder skips empty lines on the
way: \`RUN apt-get update \\\` followed by an empty line still runs the line after the empty one as part
of the RUN. That reads like the end of the instruction and often is a mistake (a dropped line, a
stray \`\\\`). BuildKit warns about it and says empty continuation lines will become errors. Remove
the empty lines (a comment line inside a continuation is allowed and stays).

The fix deletes the empty lines, which the builder skips anyway: the instruction stays the same.`,
  equivalents: { buildkit: ['NoEmptyContinuation'] },
  differences: `BuildKit reports the instruction's last line; this rule reports the line the continuation
resumes on after the (first) empty line, which is the same line when the empty line comes last. One
finding per instruction, as there.`,
  examples: {
    invalid: [
      `FROM debian:12
RUN apt-get update \\

    && apt-get install -y --no-install-recommends curl
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ empty-continuation
`,
    ],
    fixes: [
      {
        before: `FROM debian:12\nRUN apt-get update \\\n\n    && apt-get install -y curl\n`,
        after: `FROM debian:12\nRUN apt-get update \\\n    && apt-get install -y curl\n`,
      },
    ],
    valid: [
      `FROM debian:12
RUN apt-get update \\
# a comment line inside the continuation is fine
    && apt-get install -y --no-install-recommends curl

RUN <<EOF
echo one

echo two
EOF
`,
    ],
  },
  check({ model, report }) {
    for (const instr of model.instructions) {
      if (instr.onbuild) continue;
      const { lines: empty, last } = emptyLines(model, instr);
      if (!empty.length) continue;
      // An empty line has nothing to underline: the line the instruction resumes on after it is reported.
      const span = resumeSpan(model, empty[0].line, last) ?? instr.keywordSpan;
      const n = empty.length;
      report({
        span,
        message: `${n === 1 ? 'An empty line' : `${n} empty lines`} inside this ${instr.keyword}'s continued lines (line${n === 1 ? '' : 's'} ${empty
          .map((e) => e.line + 1)
          .join(
            ', ',
          )}): the builder skips ${n === 1 ? 'it' : 'them'} and continues the instruction here. Remove ${n === 1 ? 'it' : 'them'}.`,
        fixes: [
          {
            title: n === 1 ? 'Remove the empty line' : 'Remove the empty lines',
            kind: 'safe',
            preferred: true,
            edits: () => {
              const b = new EditBuilder(model);
              for (const e of empty) b.delete(e.span);
              return b.build();
            },
          },
        ],
      });
    }
  },
});
