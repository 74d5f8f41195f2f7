import { defineRule } from '../engine/rule';
import { commandName, unwrap } from '../model/shell';

export default defineRule({
  id: 'sudo',
  severity: 'warning',
  summary: 'RUN uses sudo.',
  rationale: `Build steps already run as the current USER, and switching user is what \`USER\` is for.
\`sudo\` in an image means the image ships sudo and its setuid binary, a path from any process back to
root, and its TTY and environment handling differ from a plain command. Run the step before switching
to the unprivileged user (or switch with \`USER root\` and back), and remove sudo from the image.`,
  equivalents: { hadolint: ['DL3004'] },
  examples: {
    invalid: [
      `FROM debian:12
USER app
RUN sudo apt-get update
#   ^^^^ sudo
`,
    ],
    valid: [
      `FROM debian:12
RUN apt-get update
USER app
`,
    ],
  },
  check({ model, report }) {
    for (const s of model.stages) {
      for (const run of s.runs) {
        for (const c of run.commands) {
          // sudo as the command or behind other wrappers (`env X=1 sudo …`, `xargs sudo …`).
          if (!unwrap(c).wrappers.includes('sudo')) continue;
          const word = c.argv.find((w) => commandName([w]) === 'sudo');
          if (!word) continue;
          report({ span: { start: word.start, end: word.end }, message: `sudo in a RUN: use USER to switch users for build steps, and do not ship sudo in the image.` });
        }
      }
    }
  },
});
