import { defineRule } from '../engine/rule';
import { EditBuilder } from '../engine/edits';

export default defineRule({
  id: 'redundant-target-platform',
  severity: 'info',
  summary: 'FROM --platform=$TARGETPLATFORM: the platform a stage is built for without it.',
  rationale: `A stage is built for the target platform unless \`--platform\` says otherwise, so
\`--platform=$TARGETPLATFORM\` changes nothing and suggests the stage is special. (\`$BUILDPLATFORM\` is
the one that matters, for stages that cross-compile on the build machine.)`,
  equivalents: { hadolint: ['DL3065'], buildkit: ['RedundantTargetPlatform'] },
  examples: {
    invalid: [
      `FROM --platform=$TARGETPLATFORM alpine:3.20
#    ^^^^^^^^^^^^^^^^^^^^^^^^^^ redundant-target-platform
`,
    ],
    fixes: [{ before: `FROM --platform=\${TARGETPLATFORM} alpine:3.20\n`, after: `FROM alpine:3.20\n` }],
    valid: [
      `FROM --platform=$BUILDPLATFORM golang:1.22 AS build
FROM alpine:3.20
`,
    ],
  },
  check({ model, report }) {
    for (const s of model.stages) {
      const flag = s.from.flags.find((f) => f.name.toLowerCase() === 'platform');
      if (!flag || !/^\$(TARGETPLATFORM|\{TARGETPLATFORM\})$/.test(flag.value ?? '')) continue;
      // The flag and the blanks after it.
      let end = flag.span.end;
      while (model.text[end] === ' ' || model.text[end] === '\t') end++;
      report({
        span: flag.span,
        message: `--platform=${flag.value} is the platform the stage is built for anyway: remove it.`,
        fixes: [
          {
            title: 'Remove --platform',
            kind: 'safe',
            preferred: true,
            edits: () => new EditBuilder(model).delete({ start: flag.span.start, end }).build(),
          },
        ],
      });
    }
  },
});
