import { defineRule } from '../engine/rule';

/** An ignore comment for one instruction (a `global` one is configuration, not an exception). */
const INLINE = /^#\s*(dockerfile-hardener|hadolint)\s+ignore\s*=/i;

export default defineRule({
  id: 'inline-ignore',
  severity: 'info',
  enabled: false,
  summary: 'An ignore comment silences a rule for one instruction.',
  rationale: `An ignore comment (\`# hadolint ignore=DL3008\`, \`# dockerfile-hardener ignore=latest-tag\`) hides a
finding where it is written, and nobody reviews it again. Teams that want every exception in one
reviewed place keep them in the configuration file (\`rules:\` in \`.dockerfile-hardener.yaml\`, or
\`ignored:\` in \`.hadolint.yaml\`) and turn this rule on.

**Off by default**: an ignore comment beside the instruction it excuses, with its reason, is a fine
practice for most teams.`,
  equivalents: { hadolint: ['DL1001'] },
  examples: {
    invalid: [
      `FROM alpine:3.20
# hadolint ignore=DL3018
^^^^^^^^^^^^^^^^^^^^^^^^ inline-ignore
RUN apk add --no-cache curl
`,
    ],
    valid: [
      `# hadolint global ignore=DL3018
FROM alpine:3.20
RUN apk add --no-cache curl
`,
    ],
  },
  check({ model, report }) {
    const lines = model.lines;
    // Comment lines between instructions: a line inside one (a heredoc's body) is not a comment.
    const spans = model.instructions.map((i) => i.span);
    let k = 0;
    for (let line = 0; line < lines.lineCount; line++) {
      const text = lines.lineText(line);
      const lead = text.length - text.trimStart().length;
      const start = lines.lineStarts[line] + lead;
      while (k < spans.length && spans[k].end <= start) k++;
      if (k < spans.length && spans[k].start <= start) continue;
      if (!INLINE.test(text.trim())) continue;
      report({
        span: { start, end: start + text.trim().length },
        message: 'An ignore comment: keep exceptions in the configuration file, where they are reviewed together.',
      });
    }
  },
});
