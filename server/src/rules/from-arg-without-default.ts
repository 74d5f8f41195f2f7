import { defineRule } from '../engine/rule';
import { defaultScope, validReference, withDefaults } from '../model/fromDefaults';
import { PREDEFINED_ARGS, variableReferences } from '../model/variables';

export default defineRule({
  id: 'from-arg-without-default',
  severity: 'info',
  enabled: false,
  summary: 'A FROM image that is not a valid reference unless the build passes a --build-arg.',
  rationale: `\`ARG TAG\` then \`FROM busybox:\${TAG}\`: without \`--build-arg TAG=…\` the image is \`busybox:\`,
and the build stops. A default that works (\`ARG TAG=1.36\`, or \`\${TAG:-1.36}\` in the reference)
lets anyone build the file as it is, and shows which image it was written for.

**Off by default**: judged on real files, every such FROM was a template its build script always
fills (a base image, a toolchain version): requiring the argument was the point. BuildKit reports it
on every build (InvalidDefaultArgInFrom).`,
  differences: `BuildKit reports it on every build; here it is off by default. A FROM argument no ARG declares
at all is [undefined-arg-in-from](undefined-arg-in-from.md)'s, which stands for both checks there.`,
  equivalents: { buildkit: ['InvalidDefaultArgInFrom'] },
  examples: {
    invalid: [
      `ARG TAG
FROM busybox:\${TAG}
#    ^^^^^^^^^^^^^^ from-arg-without-default
`,
    ],
    valid: [
      `ARG TAG=1.36
FROM busybox:\${TAG}
`,
      `ARG TAG
FROM busybox:\${TAG:-1.36}
`,
    ],
  },
  check({ model, report }) {
    const global = new Set(model.declarations.filter((d) => d.keyword === 'ARG' && !d.stage).map((d) => d.name));
    const defaults = defaultScope(model);
    for (const s of model.stages) {
      if (s.implicit || !s.imageSpan) continue;
      const refs = variableReferences(s.imageRaw, model.escapeChar);
      if (!refs.length) continue;
      // A name no ARG declares is undefined-arg-in-from's finding, which stands for this check too.
      if (refs.some((r) => !global.has(r.name) && !PREDEFINED_ARGS.has(r.name) && !/^:?-/.test(r.modifier ?? ''))) continue;
      const value = withDefaults(s.imageRaw, defaults, model.escapeChar);
      if (value === undefined || validReference(value)) continue;
      const names = [...new Set(refs.filter((r) => defaults.get(r.name) === '').map((r) => r.name))];
      const needs = names.length ? names.map((n) => `--build-arg ${n}=…`).join(' ') : 'a --build-arg';
      report({
        span: s.imageSpan,
        message: `With the ARG defaults the image is ${value ? `"${value}", not a valid image reference` : 'empty'}: the build works only with ${needs}. Give ${names.length ? `ARG ${names.join(', ')}` : 'the ARG'} a default that makes a valid reference.`,
      });
    }
  },
});
