import { defineRule } from '../engine/rule';
import { stageUsers } from '../model/stageUsers';

export default defineRule({
  id: 'unreachable-stage',
  severity: 'warning',
  summary: 'A stage with no name that no other stage uses, before the last: no build ever reaches it.',
  rationale: `BuildKit builds the stages the target needs: the last stage, or the one \`--target\` names, and
the stages it is built on, copies from or mounts. A stage without a name (\`AS …\`) cannot be a target,
and if no stage builds on it, copies from it (\`--from=1\`) or mounts it, it is never built: its
instructions are dead text that readers still take for part of the image. (The legacy builder
built every stage, so it was once a way to run something without keeping it.) Remove it, or name it
if it is meant to be built with \`--target\`.

A stage with a name is not reported: \`--target\` may build it (a test or a release stage).`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM golang:1.22
#    ^^^^^^^^^^^ unreachable-stage
RUN go test ./...
FROM golang:1.22 AS build
RUN go build -o /app .
FROM scratch
COPY --from=build /app /app
`,
    ],
    valid: [
      `FROM golang:1.22
RUN go build -o /app .
FROM golang:1.22 AS test
RUN go test ./...
FROM scratch
COPY --from=0 /app /app
`,
    ],
  },
  check({ model, report }) {
    const users = stageUsers(model);
    const last = model.stages[model.stages.length - 1];
    for (const s of model.stages) {
      if (s.implicit || s.name || s === last || s === model.shipped || users.has(s) || !s.imageSpan) continue;
      report({
        span: s.imageSpan,
        message: `Stage ${s.index} has no name and no other stage uses it: no build reaches it (it is not the last stage, and --target needs a name). Remove it, or name it if it is built with --target.`,
      });
    }
  },
});
