import { defineRule } from '../engine/rule';

export default defineRule({
  id: 'copy-from-stage-order',
  severity: 'error',
  summary: 'COPY --from names its own stage, or a stage that comes later.',
  rationale: `\`COPY --from\` reads from a stage defined before the one it is in. Its
own stage is refused, and the name of a stage defined further down is not a stage there: the
builder takes it for an image of that name and tries to pull it. Move the stage it copies from above,
or copy from the right one.`,
  differences: `hadolint (DL3022) also reports a \`--from\` name that no stage has, such as \`--from=nginx\`;
that is an image reference to the builder, so this rule says nothing of it.`,
  equivalents: { hadolint: ['DL3022', 'DL3023'] },
  examples: {
    invalid: [
      `FROM golang:1.22 AS build
COPY --from=build /go/bin/tool /usr/local/bin/
#           ^^^^^ copy-from-stage-order
FROM alpine:3.20
COPY --from=assets /web /web
#           ^^^^^^ copy-from-stage-order
FROM node:22 AS assets
`,
    ],
    valid: [
      `FROM golang:1.22 AS build
RUN go build -o /app .
FROM alpine:3.20
COPY --from=build /app /app
COPY --from=0 /go/bin /go/bin
COPY --from=nginx:1.27 /etc/nginx/nginx.conf /etc/nginx/
`,
    ],
  },
  check({ model, report }) {
    for (const s of model.stages) {
      for (const c of s.copies) {
        const from = c.from;
        if (!from || from.value === undefined || c.instr.onbuild) continue;
        const value = from.value;
        if (from.source.kind === 'stage' && from.source.stage === s) {
          report({ span: from.span, message: `--from=${value} is this COPY's own stage: a stage cannot copy from itself.` });
          continue;
        }
        if (/^\d+$/.test(value)) {
          if (Number(value) > s.index)
            report({ span: from.span, message: `--from=${value}: stage ${value} comes after this one; --from reads only earlier stages.` });
          continue;
        }
        // A named context of the build (--build-context, Bake, Compose) is what the name reads, not an image.
        if (from.source.kind === 'stage' || model.isNamedContext(value)) continue;
        const later = model.stages.find((t) => t.index > s.index && t.name?.toLowerCase() === value.toLowerCase());
        if (later) {
          const line = model.lines.positionAt(later.from.span.start).line + 1;
          report({
            span: from.span,
            message: `--from=${value}: the stage of that name starts on line ${line}, after this one, so the builder pulls an image named "${value}" instead. Define the stage first.`,
          });
        }
      }
    }
  },
});
