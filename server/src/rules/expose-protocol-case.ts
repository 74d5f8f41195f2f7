import { defineRule } from '../engine/rule';
import { EditBuilder } from '../engine/edits';
import { exposedPorts } from '../model/ports';

export default defineRule({
  id: 'expose-protocol-case',
  severity: 'info',
  summary: 'An EXPOSE protocol written in upper or mixed case (80/TCP).',
  rationale: `EXPOSE reads the protocol without regard to case, and the image stores it in lower case:
\`80/TCP\` in the file is \`80/tcp\` in the image. Writing it as it is stored keeps the file
consistent with what \`docker inspect\` and other tools show. Cosmetic, hence info.`,
  equivalents: { buildkit: ['ExposeProtoCasing'] },
  examples: {
    invalid: [
      `FROM alpine:3.20
EXPOSE 80/TcP 8080/udp
#      ^^^^^^ expose-protocol-case
`,
    ],
    fixes: [{ before: `FROM alpine:3.20\nEXPOSE 80/TCP\n`, after: `FROM alpine:3.20\nEXPOSE 80/tcp\n` }],
    valid: [
      `FROM alpine:3.20
EXPOSE 80/tcp 53/udp 9000
`,
    ],
  },
  check({ model, report }) {
    for (const p of exposedPorts(model)) {
      const m = /\/([A-Za-z]+)$/.exec(p.text);
      if (!p.valid || p.dynamic || !m || m[1] === m[1].toLowerCase()) continue;
      // Only where the text is written as it is (no variable): the protocol is then at the span's end.
      const written = model.text.slice(p.span.start, p.span.end) === p.text;
      report({
        span: p.span,
        message: `EXPOSE ${p.text}: write the protocol in lower case (${m[1].toLowerCase()}).`,
        fixes: written
          ? [
              {
                title: `Write ${m[1].toLowerCase()}`,
                kind: 'safe',
                preferred: true,
                edits: () =>
                  new EditBuilder(model).replace({ start: p.span.end - m[1].length, end: p.span.end }, m[1].toLowerCase()).build(),
              },
            ]
          : [],
      });
    }
  },
});
