import { defineRule } from '../engine/rule';

export default defineRule({
  id: 'root-user',
  severity: 'warning',
  summary: 'The shipped image runs as root.',
  rationale: `A process running as root in a container is root on the host's kernel: one escape or
one writable host mount away from owning the node. Kubernetes \`runAsNonRoot\` refuses such images.
The shipped stage (the last one, or the target stage) should end with a \`USER\` that is not root.

The rule follows inheritance: a stage \`FROM base\` runs as \`base\`'s user. Base images known to run
as a non-root user (distroless \`:nonroot\` tags, Chainguard static, nginx-unprivileged) count as
non-root. Builder stages are not checked: they never run in production. A scratch stage without
\`CMD\`, \`ENTRYPOINT\`, \`USER\` or other runtime settings is an export stage (build artifacts), not an
image that runs, and is skipped.`,
  differences: `hadolint DL3002 flags \`USER root\` as the last USER of *any* stage and says nothing when
no USER is set; this rule checks only the shipped stage, but also flags a missing USER on a base that
runs as root.`,
  equivalents: { hadolint: ['DL3002'] },
  examples: {
    invalid: [
      `FROM alpine:3.20
RUN apk add --no-cache curl
USER root
#    ^^^^ root-user
`,
      `FROM node:22-alpine
#    ^^^^^^^^^^^^^^ root-user
COPY . /app
CMD ["node", "/app/server.js"]
`,
      `FROM debian:12 AS base
USER 0:0
#    ^ root-user

FROM base
CMD ["/app"]
`,
    ],
    valid: [
      `FROM alpine:3.20
RUN adduser -D -H -u 10001 appuser
USER appuser
`,
      `FROM golang:1.22 AS build
USER root

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
`,
      `FROM scratch
COPY --from=build /out/ /
`,
      `ARG BASE
FROM \${BASE}
`,
    ],
  },
  check({ model, report }) {
    const s = model.shipped;
    if (!s || !s.isRunnable) return;
    const u = s.user;
    if (u.root !== true) return;
    if (u.instr) {
      report({
        span: u.userSpan ?? u.instr.span,
        message: `The shipped image runs as root (USER ${u.text}). Switch to an unprivileged user, e.g. USER 10001:10001.`,
      });
      return;
    }
    const where = s.parent ? ' or in the stages it builds on' : '';
    report({
      span: s.imageSpan ?? s.from.span,
      message: `The shipped image runs as root: no USER is set in this stage${where}, and the base image's default user is root. Add a non-root USER.`,
    });
  },
});
