import { defineRule } from '../engine/rule';
import { expandWord } from '../model/variables';
import type { DockerfileModel, Instr } from '../model/model';

/** Absolute on Linux, or on Windows (`C:\\`, `C:/`, `\\dir`). */
const ABSOLUTE = /^(\/|[A-Za-z]:[\\/]|\\)/;

export default defineRule({
  id: 'relative-workdir',
  severity: 'warning',
  summary: 'A relative WORKDIR before any absolute one: it depends on the base image’s working directory.',
  rationale: `A relative WORKDIR is resolved against the working directory the stage has at that point. Before
any absolute WORKDIR in the stage (or the stages it is built on), that is the base image's, which
the Dockerfile does not show and which can change with the base: \`WORKDIR app\` is \`/app\` on one
base and \`/go/app\` on another. Write the absolute path.`,
  equivalents: { hadolint: ['DL3000'], buildkit: ['WorkdirRelativePath'] },
  differences: `hadolint (DL3000) reports every relative WORKDIR; this rule, like BuildKit, only one that no
absolute WORKDIR of the stage or the stages it builds on comes before, since after one the path is
known.`,
  examples: {
    invalid: [
      `FROM golang:1.22
WORKDIR src/app
#       ^^^^^^^ relative-workdir
`,
    ],
    valid: [
      `FROM golang:1.22 AS base
WORKDIR /src
FROM base
WORKDIR app
WORKDIR \${APP_DIR}
`,
    ],
  },
  check({ model, report }) {
    for (const s of model.stages) {
      // An absolute WORKDIR earlier in the chain (the stages this one is built on come first).
      let known = s.chain.slice(1).some((t) => t.instructions.some((i) => i.keyword === 'WORKDIR' && isAbsolute(model, i)));
      for (const instr of s.instructions) {
        if (instr.keyword !== 'WORKDIR' || instr.onbuild) continue;
        const abs = isAbsolute(model, instr);
        if (abs === false && !known) {
          const args = model.argumentsOf(instr);
          const text = args.text.trim();
          const lead = args.text.length - args.text.trimStart().length;
          report({
            span: { start: args.at(lead), end: args.at(lead) + text.length },
            message: `WORKDIR ${text} is relative, and no absolute WORKDIR comes before it: where it lands depends on the base image. Write the absolute path.`,
          });
        }
        if (abs === true) known = true;
      }
    }
  },
});

/** Whether a WORKDIR's path is absolute; undefined when it comes from a variable the tool cannot read. */
function isAbsolute(model: DockerfileModel, instr: Instr): boolean | undefined {
  const raw = model.argumentsOf(instr).text.trim();
  if (/\$/.test(raw)) return undefined;
  // As written (a Windows `C:\` ends with the escape character), and as the builder reads it.
  if (ABSOLUTE.test(raw.replace(/^["']/, ''))) return true;
  const value = expandWord(raw, instr.scope ?? new Map(), model.escapeChar);
  if (value === undefined || value === '') return undefined;
  return ABSOLUTE.test(value);
}
