import { defineRule, type Fix } from '../engine/rule';
import { EditBuilder } from '../engine/edits';
import type { DockerfileModel, Instr } from '../model/model';
import type { Span } from '../model/text';

/** A keyword as written, when it is one word of letters (an escaped line break inside it is left alone). */
function written(model: DockerfileModel, instr: Instr): string | undefined {
  const w = model.text.slice(instr.keywordSpan.start, instr.keywordSpan.end);
  return /^[A-Za-z]+$/.test(w) ? w : undefined;
}

const isLower = (w: string) => w === w.toLowerCase();
const isUpper = (w: string) => w === w.toUpperCase();

/**
 * The `AS` of `FROM image AS name`, as written, with its span: the word between the image and the
 * stage name (read from the model's spans, not from a full parse of the document).
 */
function asWord(model: DockerfileModel, instr: Instr): { text: string; span: Span } | undefined {
  if (instr.keyword !== 'FROM') return undefined;
  const stage = instr.stage?.from === instr ? instr.stage : model.stages.find((x) => x.from === instr);
  if (!stage?.nameSpan || !stage.imageSpan) return undefined;
  const between = model.text.slice(stage.imageSpan.end, stage.nameSpan.start);
  const m = /(^|[\s\\])(as)(?=[\s\\])/i.exec(between);
  if (!m) return undefined;
  const start = stage.imageSpan.end + m.index + m[1].length;
  return { text: m[2], span: { start, end: start + 2 } };
}

export default defineRule({
  id: 'instruction-casing',
  severity: 'info',
  summary: 'Instruction keywords written in more than one case, or FROM … AS with FROM and AS in different cases.',
  rationale: `The builder reads \`RUN\`, \`run\` and \`Run\` alike, but a file that mixes them is harder to read and
to search: a reader scanning for \`COPY\` misses the \`copy\` line. Write every keyword in one case, the
one most of the file already uses (upper case when there is no majority), and \`AS\` in the case of
its \`FROM\`. A keyword in mixed case such as \`Run\` is always reported. The fix rewrites the keyword
(and a FROM's \`AS\`) in the file's case, which changes nothing the builder does.`,
  equivalents: { buildkit: ['ConsistentInstructionCasing', 'FromAsCasing'] },
  differences: `BuildKit counts and reports only the instructions of stages; this rule also counts and reports
the ARGs before the first FROM, which are keywords of the same file. An ONBUILD trigger's keyword is
not checked (BuildKit does not either).`,
  examples: {
    invalid: [
      `FROM alpine:3.20
run apk add --no-cache curl
^^^ instruction-casing
Copy app.sh /app.sh
^^^^ instruction-casing
`,
      `FROM golang:1.22 as build
#                ^^ instruction-casing
RUN go build -o /out/app .
`,
    ],
    fixes: [
      { before: `FROM alpine:3.20\nrun apk add --no-cache curl\n`, after: `FROM alpine:3.20\nRUN apk add --no-cache curl\n` },
      { before: `FROM golang:1.22 as build\nRUN go build .\n`, after: `FROM golang:1.22 AS build\nRUN go build .\n` },
    ],
    valid: [
      `from alpine:3.20 as base
run apk add --no-cache curl
copy app.sh /app.sh
`,
    ],
  },
  check({ model, report }) {
    let lower = 0;
    let upper = 0;
    for (const instr of model.instructions) {
      const w = written(model, instr);
      if (w === undefined) continue;
      if (isLower(w)) lower++;
      else if (isUpper(w)) upper++;
    }
    // Upper case unless most keywords are lower case (a tie is upper case).
    const lowerWins = lower > upper;
    const cased = (w: string) => (lowerWins ? w.toLowerCase() : w.toUpperCase());
    const caseName = lowerWins ? 'lower case' : 'upper case';
    for (const instr of model.instructions) {
      const w = written(model, instr);
      if (w === undefined) continue;
      const as = asWord(model, instr);
      // One fix for a FROM's keyword and its AS: fixing one alone could leave them mismatched.
      const fix: Fix = {
        title: as ? `Write ${cased(w)} … ${cased(as.text)}` : `Write ${cased(w)}`,
        kind: 'safe',
        preferred: true,
        edits: () => {
          const b = new EditBuilder(model);
          if (w !== cased(w)) b.replace(instr.keywordSpan, cased(w));
          if (as && as.text !== cased(as.text)) b.replace(as.span, cased(as.text));
          return b.build();
        },
      };
      if (w !== cased(w)) {
        report({
          span: instr.keywordSpan,
          message: `${w} is not in the case most of this file's keywords use (${caseName}): write ${cased(w)}.`,
          buildkit: ['ConsistentInstructionCasing'],
          fixes: [fix],
        });
      }
      // A FROM in mixed case is reported above; its AS is compared with a FROM in one case only.
      const mismatch = as !== undefined && (isLower(w) ? !isLower(as.text) : isUpper(w) && !isUpper(as.text));
      if (as && mismatch) {
        report({
          span: as.span,
          message: `'${as.text}' is not in the case of its '${w}': write FROM and AS in one case (here ${caseName}).`,
          buildkit: ['FromAsCasing'],
          fixes: [fix],
        });
      }
    }
  },
});
