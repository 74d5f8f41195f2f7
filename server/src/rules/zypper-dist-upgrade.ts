import { defineRule } from '../engine/rule';
import { packageCommands } from '../model/packages';

export default defineRule({
  id: 'zypper-dist-upgrade',
  severity: 'warning',
  summary: 'RUN runs zypper dist-upgrade.',
  rationale: `\`zypper dist-upgrade\` (\`zypper dup\`) moves every package to the versions the enabled
repositories hold at build time, installing, replacing and removing packages as needed: on a
rolling distribution a rebuild can give a quite different system, on Leap it can cross to repositories
the base image was not built from. The image's base then is neither the tag in FROM nor reproducible.
Start from a newer base image instead, and use \`zypper patch\` or \`zypper update\` for fixes.

Checked in every stage: a builder upgraded this way builds with different tools from one build to
the next. No fix: what to use instead depends on the image.`,
  equivalents: { hadolint: ['DL3035'] },
  examples: {
    invalid: [
      `FROM opensuse/leap:15.6
RUN zypper -n dup && zypper clean --all
#   ^^^^^^^^^^^^^ zypper-dist-upgrade
`,
    ],
    valid: [
      `FROM opensuse/leap:15.6
RUN zypper -n patch && zypper clean --all
`,
    ],
  },
  check({ model, report }) {
    for (const cmd of packageCommands(model)) {
      if (cmd.manager !== 'zypper' || (cmd.sub !== 'dist-upgrade' && cmd.sub !== 'dup')) continue;
      report({
        span: cmd.span,
        message: `zypper ${cmd.sub} upgrades the whole distribution to what the repositories hold at build time: the image no longer matches its base. Use a newer base image, or zypper patch / update for fixes.`,
        hadolint: ['DL3035'],
      });
    }
  },
});
