import { defineRule } from '../engine/rule';
import { EditBuilder } from '../engine/edits';
import { exposedPorts } from '../model/ports';
import { runtimeOf } from '../model/runtime';

export default defineRule({
  id: 'privileged-port',
  severity: 'warning',
  summary: 'EXPOSE of a port below 1024.',
  rationale: `Binding a port below 1024 needs root or the NET_BIND_SERVICE capability. An image that
listens on 80 or 443 therefore pushes its users to run it as root or to add capabilities, exactly
what a hardened image avoids. Listen on an unprivileged port (8080, 8443) and map it at run time
(\`-p 80:8080\`, a Service's \`targetPort\`).

Not reported for an image that runs as a non-root user and gives its program the capability
(\`setcap cap_net_bind_service=+ep /path/to/program\`): that program can bind the port without root.`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM nginx:1.27
EXPOSE 80 443/tcp 8080
#      ^^ privileged-port
#         ^^^^^^^ privileged-port
`,
    ],
    valid: [
      `FROM nginxinc/nginx-unprivileged:1.27
EXPOSE 8080 8443/tcp
`,
      `FROM alpine:3.20
ARG PORT
EXPOSE \${PORT}
`,
      `FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends libcap2-bin && rm -rf /var/lib/apt/lists/*
COPY server /usr/local/bin/server
RUN setcap cap_net_bind_service=+ep /usr/local/bin/server
USER 10001:10001
EXPOSE 443
`,
    ],
  },
  check({ model, report }) {
    for (const p of exposedPorts(model)) {
      if (!p.valid || p.start === undefined || p.start >= 1024) continue;
      // A non-root image whose program was given the capability (setcap cap_net_bind_service=+ep) binds it.
      const stage = model.stageAt(p.span.start);
      if (stage && stage.user.root === false && runtimeOf(stage).capabilities.some((c) => c.caps.includes('cap_net_bind_service'))) continue;
      const to = p.start === 80 ? 8080 : p.start === 443 ? 8443 : 8000 + p.start;
      const single = p.end === p.start && !p.dynamic && /^\d+(\/\w+)?$/.test(p.text);
      report({
        span: p.span,
        message: `Port ${p.start} is privileged: binding it needs root or NET_BIND_SERVICE. Listen on a port above 1024 (e.g. ${to}) and map it at run time.`,
        // Only a suggestion, never applied by fix-all: the program must be changed to listen there.
        fixes: single
          ? [{ title: `Expose ${to} instead (the program must listen on it)`, kind: 'suggestion', edits: () => new EditBuilder(model).replace(p.span, p.text.replace(/^\d+/, String(to))).build() }]
          : [],
      });
    }
  },
});
