import { defineRule } from '../engine/rule';
import { defaultScope, validReference, withDefaults } from '../model/fromDefaults';
import { PREDEFINED_ARGS, variableReferences } from '../model/variables';

export default defineRule({
  id: 'undefined-arg-in-from',
  severity: 'warning',
  summary: 'FROM uses a build argument that no ARG before the first FROM declares, or whose default makes no image reference.',
  rationale: `FROM lines see only the build arguments declared before the first FROM (and the platform ones
the builder predefines). Any other variable is empty there, whatever a \`--build-arg\` says: a typo
such as \`$BULIDPLATFORM\`, or an ARG declared after the first FROM, turns \`busybox:\${tag}\` into
\`busybox:\`. Declare it at the top: \`ARG tag=latest\`.

A declared ARG without a default is another matter (the build is meant to pass it): that is
[from-arg-without-default](from-arg-without-default.md), off by default.`,
  differences: `BuildKit reports a missing FROM argument (UndefinedArgInFrom) and, on the same line, the invalid
reference it leaves (InvalidDefaultArgInFrom); here that is one finding, which stands for both. A FROM
whose image depends on a predefined platform argument is not checked (its value is the build's). An
invalid reference from a declared ARG's default is from-arg-without-default's.`,
  equivalents: { buildkit: ['UndefinedArgInFrom', 'InvalidDefaultArgInFrom'] },
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
    const defaults = defaultScope(model);
    for (const s of model.stages) {
      if (s.implicit) continue;
      const from = s.from;
      // The image as a build without --build-arg has it: not a valid reference, the build needs one.
      const image = s.imageSpan && variableReferences(s.imageRaw, model.escapeChar).length ? s.imageRaw : undefined;
      const value = image === undefined ? undefined : withDefaults(image, defaults, model.escapeChar);
      const invalid = value !== undefined && !validReference(value);
      // The FROM line's flags and image: every `$NAME` or `${NAME…}` written there.
      const text = model.text.slice(from.keywordSpan.end, from.span.end);
      const base = from.keywordSpan.end;
      for (const ref of variableReferences(text, model.escapeChar)) {
        // `${NAME:-default}` has a value without the argument: nothing is lost.
        if (global.has(ref.name) || PREDEFINED_ARGS.has(ref.name) || /^:?-/.test(ref.modifier ?? '')) continue;
        const span = { start: base + ref.start, end: base + ref.end };
        // One finding for the argument and the invalid reference it leaves (both BuildKit checks).
        const inImage = invalid && s.imageSpan !== undefined && span.start >= s.imageSpan.start && span.end <= s.imageSpan.end;
        report({
          span,
          message: `${ref.name} is not a build argument FROM can see: declare ARG ${ref.name} before the first FROM (FROM lines see only those, and the platform ones the builder predefines).${inImage ? ` Without it the image is "${value}", not a valid reference.` : ''}`,
          buildkit: inImage ? ['UndefinedArgInFrom', 'InvalidDefaultArgInFrom'] : ['UndefinedArgInFrom'],
        });
      }
    }
  },
});
