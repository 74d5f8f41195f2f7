import { defineRule } from '../engine/rule';
import { EditBuilder } from '../engine/edits';
import { exposedPorts } from '../model/ports';

export default defineRule({
  id: 'privileged-port',
  severity: 'warning',
  summary: 'EXPOSE of a port below 1024.',
  rationale: `Binding a port below 1024 needs root or the NET_BIND_SERVICE capability. An image that
listens on 80 or 443 therefore pushes its users to run it as root or to add capabilities, exactly
what a hardened image avoids. Listen on an unprivileged port (8080, 8443) and map it at run time
(\`-p 80:8080\`, a Service's \`targetPort\`).`,
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
    ],
  },
  check({ model, report }) {
    for (const p of exposedPorts(model)) {
      if (!p.valid || p.start === undefined || p.start >= 1024) continue;
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
