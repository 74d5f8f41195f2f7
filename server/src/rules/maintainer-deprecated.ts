import { defineRule } from '../engine/rule';
import { EditBuilder, keyword } from '../engine/edits';

export default defineRule({
  id: 'maintainer-deprecated',
  severity: 'info',
  summary: 'MAINTAINER is deprecated: use the org.opencontainers.image.authors label.',
  rationale: `MAINTAINER has been deprecated since Docker 1.13. It sets the image's \`Author\` field, which
registries and scanners no longer read; the OCI annotation \`org.opencontainers.image.authors\`, set
with LABEL, says the same where they look.`,
  equivalents: { hadolint: ['DL4000'], buildkit: ['MaintainerDeprecated'] },
  examples: {
    invalid: [
      `FROM alpine:3.20
MAINTAINER Jane Doe <jane@example.com>
^^^^^^^^^^ maintainer-deprecated
`,
    ],
    fixes: [
      {
        before: `FROM alpine:3.20\nMAINTAINER Jane Doe <jane@example.com>\n`,
        after: `FROM alpine:3.20\nLABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"\n`,
      },
    ],
    valid: [
      `FROM alpine:3.20
LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
`,
    ],
  },
  check({ model, report }) {
    for (const instr of model.instructions) {
      if (instr.keyword !== 'MAINTAINER' || instr.onbuild) continue;
      const who = model.argumentsOf(instr).text.trim();
      // MAINTAINER takes its text as written, LABEL expands variables and reads escapes: only text
      // that means the same inside LABEL's double quotes is moved there.
      const fixable = who !== '' && !/[\\`"$\n]/.test(who);
      report({
        span: instr.keywordSpan,
        message: 'MAINTAINER is deprecated: set LABEL org.opencontainers.image.authors instead.',
        fixes: fixable
          ? [
              {
                title: 'Use LABEL org.opencontainers.image.authors',
                kind: 'safe',
                preferred: true,
                edits: () =>
                  new EditBuilder(model)
                    .replace(
                      { start: instr.keywordSpan.start, end: instr.span.end },
                      `${keyword(model, 'LABEL')} org.opencontainers.image.authors="${who}"`,
                    )
                    .build(),
              },
            ]
          : [],
      });
    }
  },
});
