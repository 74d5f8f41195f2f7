import { defineRule } from '../engine/rule';
import { PREDEFINED_ARGS, variableReferences } from '../model/variables';

export default defineRule({
  id: 'undefined-arg-in-from',
  severity: 'warning',
  summary: 'FROM uses a build argument that no ARG before the first FROM declares.',
  rationale: `FROM lines see only the build arguments declared before the first FROM (and the platform ones
the builder predefines). Any other variable is empty there, whatever a \`--build-arg\` says: a typo
such as \`$BULIDPLATFORM\`, or an ARG declared after the first FROM, turns \`busybox:\${tag}\` into
\`busybox:\`. Declare it at the top: \`ARG tag=latest\`.`,
  equivalents: { buildkit: ['UndefinedArgInFrom'] },
  examples: {
    invalid: [
      `ARG MY_ARCH=amd64
FROM --platform=linux/\${MYARCH} busybox
#                     ^^^^^^^^^ undefined-arg-in-from
`,
    ],
    valid: [
      `ARG BASE=alpine:3.20
FROM --platform=$BUILDPLATFORM $BASE
`,
    ],
  },
  check({ model, report }) {
    const global = new Set(model.declarations.filter((d) => d.keyword === 'ARG' && !d.stage).map((d) => d.name));
    for (const s of model.stages) {
      if (s.implicit) continue;
      const from = s.from;
      // The FROM line's flags and image: every `$NAME` or `${NAME…}` written there.
      const text = model.text.slice(from.keywordSpan.end, from.span.end);
      const base = from.keywordSpan.end;
      for (const ref of variableReferences(text, model.escapeChar)) {
        // `${NAME:-default}` has a value without the argument: nothing is lost.
        if (global.has(ref.name) || PREDEFINED_ARGS.has(ref.name) || /^:?-/.test(ref.modifier ?? '')) continue;
        report({
          span: { start: base + ref.start, end: base + ref.end },
          message: `${ref.name} is not a build argument FROM can see: declare ARG ${ref.name} before the first FROM (FROM lines see only those, and the platform ones the builder predefines).`,
        });
      }
    }
  },
});
