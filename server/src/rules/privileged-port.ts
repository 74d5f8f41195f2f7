import { defineRule } from '../engine/rule';
import { EditBuilder } from '../engine/edits';
import { exposedPorts } from '../model/ports';
import { runtimeOf } from '../model/runtime';

export default defineRule({
  id: 'privileged-port',
  severity: 'warning',
  enabled: false,
  summary: 'EXPOSE of a port below 1024.',
  rationale: `Binding a port below 1024 needs root or the NET_BIND_SERVICE capability where the
runtime keeps the kernel's default floor: Kubernetes and Podman do (Docker 20.10 and later lower it
to 0 inside containers, so there any user binds it). An image that listens on 80 or 443 therefore
pushes its users to run it as root or to add capabilities, exactly what a hardened image avoids.
Listen on an unprivileged port (8080, 8443) and map it at run time (\`-p 80:8080\`, a Service's
\`targetPort\`).

Only the shipped image is judged, and only a service (a builder, CI, development or toolchain
image is not deployed). Not reported for a program that runs as root by design and drops its
privileges itself (nginx's and Apache's master process, postfix, named…): root-user says what to do
about those, and moving the port alone changes nothing.

Not reported for an image that runs as a non-root user and gives its program the capability
(\`setcap cap_net_bind_service=+ep /path/to/program\`): that program can bind the port without root.

**Off by default.** Docker lets any user bind a port below 1024 inside a container (since 20.10), so
the finding matters only under Kubernetes and Podman; and judged on real files (docs/precision.md),
most findings were on programs that get the capability at run time (an entrypoint that runs setcap),
on protocols whose port cannot move (DNS on 53, DHCP on 67), or on test images nothing in the file
marks as such. Turn it on with \`rules: { privileged-port: warning }\` where images run under
Kubernetes' defaults.`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM node:22-slim
COPY server.js /app/
EXPOSE 80 443/tcp 8080
#      ^^ privileged-port
#         ^^^^^^^ privileged-port
CMD ["node", "/app/server.js"]
`,
    ],
    valid: [
      `FROM nginx:1.27
EXPOSE 80 443
`,
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
    const shipped = model.shipped;
    if (!shipped) return;
    const rt = runtimeOf(shipped);
    // Builder, CI, development and toolchain images are not deployed behind a port.
    if (rt.role.kind !== 'service') return;
    // A master process that binds as root and starts its workers unprivileged: the port is not why it is root.
    if (rt.rootByDesign && rt.user.root !== false) return;
    for (const p of exposedPorts(model)) {
      if (!p.valid || p.start === undefined || p.start >= 1024) continue;
      const stage = model.stageAt(p.span.start);
      if (!stage || !shipped.chain.includes(stage)) continue;
      // A non-root image whose program was given the capability (setcap cap_net_bind_service=+ep) binds it.
      if (shipped.user.root === false && rt.capabilities.some((c) => c.caps.includes('cap_net_bind_service'))) continue;
      const to = p.start === 80 ? 8080 : p.start === 443 ? 8443 : 8000 + p.start;
      const single = p.end === p.start && !p.dynamic && /^\d+(\/\w+)?$/.test(p.text);
      report({
        span: p.span,
        message: `Port ${p.start} is privileged: under Kubernetes and Podman, binding it needs root or NET_BIND_SERVICE (Docker lets any user bind it). Listen on a port above 1024 (e.g. ${to}) and map it at run time.`,
        // Only a suggestion, never applied by fix-all: the program must be changed to listen there.
        fixes: single
          ? [
              {
                title: `Expose ${to} instead (the program must listen on it)`,
                kind: 'suggestion',
                edits: () => new EditBuilder(model).replace(p.span, p.text.replace(/^\d+/, String(to))).build(),
              },
            ]
          : [],
      });
    }
  },
});
