import { defineRule } from '../engine/rule';
import { exposedPorts } from '../model/ports';

export default defineRule({
  id: 'invalid-port',
  severity: 'error',
  summary: 'EXPOSE of a port outside 1–65535, or a malformed port.',
  rationale: `EXPOSE takes \`port[/protocol]\` or a range \`from-to[/protocol]\`, with ports 1–65535 and
protocol tcp, udp or sctp. Anything else (\`0\`, \`70000\`, \`80:8080\` host mappings, \`8080/http\`,
a reversed range) makes the build fail or documents a port that cannot exist.`,
  equivalents: { hadolint: ['DL3011'], buildkit: ['ExposeInvalidFormat'] },
  examples: {
    invalid: [
      `FROM alpine:3.20
EXPOSE 0 70000 8080:80 9000-8000 53/dns
#      ^ invalid-port
#        ^^^^^ invalid-port
#              ^^^^^^^ invalid-port
#                      ^^^^^^^^^ invalid-port
#                                ^^^^^^ invalid-port
`,
    ],
    valid: [
      `FROM alpine:3.20
EXPOSE 8080 53/udp 9000-9010/tcp 9999/SCTP
`,
    ],
  },
  check({ model, report }) {
    for (const p of exposedPorts(model)) {
      if (p.valid || p.dynamic) continue;
      report({ span: p.span, message: `EXPOSE ${p.text}: ${p.problem}.` });
    }
  },
});
