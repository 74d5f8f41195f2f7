import { defineRule } from '../engine/rule';

/** Instructions ONBUILD cannot take as its trigger (the builder refuses them). */
const FORBIDDEN = new Set(['ONBUILD', 'FROM', 'MAINTAINER']);

export default defineRule({
  id: 'onbuild-invalid-trigger',
  severity: 'error',
  summary: 'ONBUILD with ONBUILD, FROM or MAINTAINER as its trigger, which the builder refuses.',
  rationale: `ONBUILD registers an instruction to run in the builds that use this image as their base. The
builder refuses three instructions there: \`ONBUILD ONBUILD\` (triggers do not chain), \`ONBUILD FROM\`
and \`ONBUILD MAINTAINER\`. The build stops at that line.`,
  equivalents: { hadolint: ['DL3043'] },
  examples: {
    invalid: [
      `FROM node:22
ONBUILD FROM debian:12
#       ^^^^ onbuild-invalid-trigger
`,
    ],
    valid: [
      `FROM node:22
ONBUILD COPY . /app
ONBUILD RUN npm ci
`,
    ],
  },
  check({ model, report }) {
    for (const instr of model.instructions) {
      if (instr.keyword !== 'ONBUILD') continue;
      const args = model.argumentsOf(instr);
      const m = /^\s*(\S+)/.exec(args.text);
      const trigger = m?.[1].toUpperCase();
      if (!m || !trigger || !FORBIDDEN.has(trigger)) continue;
      const start = args.at(m.index + m[0].length - m[1].length);
      report({
        span: { start, end: start + m[1].length },
        message:
          trigger === 'ONBUILD'
            ? 'ONBUILD ONBUILD is refused by the builder: triggers do not chain.'
            : `ONBUILD ${trigger} is refused by the builder: ${trigger} cannot be a trigger.`,
      });
    }
  },
});
