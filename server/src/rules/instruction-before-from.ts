import { defineRule } from '../engine/rule';

export default defineRule({
  id: 'instruction-before-from',
  severity: 'error',
  summary: 'An instruction other than ARG before the first FROM: the build fails.',
  rationale: `Before the first FROM there is no stage for an instruction to act on: only ARG (build arguments the
FROM lines may use), comments and parser directives may come first. The builder stops with an error
at anything else. Move the instruction after the FROM of the stage it belongs to.

A file with no FROM at all is taken as a fragment (a part another file includes, or one being
typed), and is not reported.`,
  equivalents: { hadolint: ['DL3061'] },
  differences: `hadolint (DL3061) also reports a file without any FROM; this rule only a file that has one,
since a file without is a fragment that is not built on its own.`,
  examples: {
    invalid: [
      `LABEL org.opencontainers.image.source=https://example.com/app
^^^^^ instruction-before-from
FROM alpine:3.20
`,
    ],
    valid: [
      `# syntax=docker/dockerfile:1
ARG ALPINE=3.20
FROM alpine:\${ALPINE}
LABEL org.opencontainers.image.source=https://example.com/app
`,
    ],
  },
  check({ model, report }) {
    const first = model.instructions.findIndex((i) => i.keyword === 'FROM');
    if (first < 0) return;
    for (const instr of model.instructions.slice(0, first)) {
      if (instr.keyword === 'ARG') continue;
      report({
        span: instr.keywordSpan,
        message: `${instr.keyword} before the first FROM: only ARG may come before it, and the build stops here. Move it into a stage.`,
      });
    }
  },
});
