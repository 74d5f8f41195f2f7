import { defineRule } from '../engine/rule';

/** Names `FROM` and `--from` read as something else than a stage. */
const RESERVED = new Set(['scratch', 'context']);

export default defineRule({
  id: 'stage-name-conflict',
  severity: 'warning',
  summary: 'A stage name used by an earlier stage, or one the builder reserves (scratch, context).',
  rationale: `A stage name is how \`FROM <stage>\`, \`COPY --from=<stage>\` and \`docker build --target\` find a
stage. Two stages with one name (names are compared without case) leave those references to
whichever the builder picks, and \`scratch\` or \`context\` as a name is read as the empty image or the
build context, not as the stage. Give each stage a name of its own.`,
  equivalents: { hadolint: ['DL3024', 'DL3063'], buildkit: ['DuplicateStageName', 'ReservedStageName'] },
  examples: {
    invalid: [
      `FROM golang:1.22 AS build
RUN go build -o /app .
FROM alpine:3.20 AS Build
#                   ^^^^^ stage-name-conflict
COPY --from=build /app /app
`,
      `FROM alpine:3.20 AS scratch
#                   ^^^^^^^ stage-name-conflict
`,
    ],
    valid: [
      `FROM golang:1.22 AS build
FROM alpine:3.20 AS runtime
COPY --from=build /app /app
`,
    ],
  },
  check({ model, report }) {
    const seen = new Map<string, { line: number; written: string }>();
    for (const s of model.stages) {
      if (!s.name || !s.nameSpan) continue;
      const name = s.name.toLowerCase();
      const first = seen.get(name);
      if (RESERVED.has(name)) {
        report({
          span: s.nameSpan,
          hadolint: ['DL3063'],
          buildkit: ['ReservedStageName'],
          message: `"${s.name}" is reserved: FROM ${name} and --from=${name} mean ${name === 'scratch' ? 'the empty image' : 'the build context'}, not this stage. Rename it.`,
        });
      } else if (first !== undefined) {
        report({
          span: s.nameSpan,
          hadolint: ['DL3024'],
          buildkit: ['DuplicateStageName'],
          message: `The stage on line ${first.line} is already named "${first.written}" (names are compared without case): references to it are ambiguous. Rename one of them.`,
        });
      }
      if (first === undefined) seen.set(name, { line: model.lines.positionAt(s.from.span.start).line + 1, written: s.name });
    }
  },
});
