import { defineRule } from '../engine/rule';
import { commandName, unwrap } from '../model/shell';
import { shipsToUsers } from '../model/runtime';

export default defineRule({
  id: 'sudo',
  severity: 'warning',
  summary: 'RUN uses sudo.',
  rationale: `Build steps already run as the current USER, and switching user is what \`USER\` is for.
\`sudo\` in an image means the image ships sudo and its setuid binary, a path from any process back to
root, and its TTY and environment handling differ from a plain command. Run the step before switching
to the unprivileged user (or switch with \`USER root\` and back), and remove sudo from the image.

Checked in the stages whose files ship, once per RUN (the first sudo, with how many follow), and
not in a development or CI image or a builder, where a passwordless sudo for the developer is a
feature (a dev container's patch Dockerfile).`,
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
    if (!shipsToUsers(model)) return;
    for (const s of model.shipped!.chain) {
      for (const run of s.runs) {
        // sudo as the command or behind other wrappers (`env X=1 sudo …`, `xargs sudo …`).
        const words = run.commands
          .filter((c) => unwrap(c).wrappers.includes('sudo'))
          .map((c) => c.argv.find((w) => commandName([w]) === 'sudo'))
          .filter((w) => !!w);
        if (!words.length) continue;
        const more = words.length > 1 ? ` (and ${words.length - 1} more in this RUN)` : '';
        report({
          span: { start: words[0].start, end: words[0].end },
          message: `sudo in a RUN${more}: use USER to switch users for build steps, and do not ship sudo in the image.`,
        });
      }
    }
  },
});
