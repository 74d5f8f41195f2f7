import { defineRule } from '../engine/rule';
import { mountsCacheOver, packageCommands } from '../model/packages';
import { commandName, unwrap } from '../model/shell';

export default defineRule({
  id: 'apt-lists',
  severity: 'info',
  summary: 'apt-get install without removing /var/lib/apt/lists in the same RUN.',
  rationale: `\`apt-get update\` downloads package lists (tens of MB) to /var/lib/apt/lists. Unless the
same RUN deletes them (\`&& rm -rf /var/lib/apt/lists/*\`), they stay in that layer for good: removing
them in a later RUN does not shrink the image. A cache mount over /var/lib/apt (or its lists) keeps
them out of the layer too.

Checked in the shipped stage and the stages it inherits from.`,
  differences: `hadolint DL3009 reports every stage that is not used as the base of another; this rule
only the stages whose files ship.`,
  equivalents: { hadolint: ['DL3009'] },
  examples: {
    invalid: [
      `FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends curl
#                     ^^^^^^^^^^^^^^^ apt-lists
`,
    ],
    valid: [
      `FROM debian:12
RUN apt-get update \\
 && apt-get install -y --no-install-recommends curl \\
 && rm -rf /var/lib/apt/lists/*
`,
      `FROM debian:12
RUN --mount=type=cache,target=/var/lib/apt,sharing=locked \\
    apt-get update && apt-get install -y --no-install-recommends curl
`,
    ],
  },
  check({ model, report }) {
    const shipped = model.shipped?.chain ?? [];
    for (const cmd of packageCommands(model)) {
      if ((cmd.manager !== 'apt-get' && cmd.manager !== 'apt') || cmd.sub !== 'install' || !shipped.includes(cmd.stage)) continue;
      if (mountsCacheOver(cmd.run, '/var/lib/apt/lists')) continue;
      const cleaned = cmd.run.commands.slice(cmd.index + 1).some((c) => {
        const e = unwrap(c);
        return commandName(e.argv) === 'rm' && e.argv.some((w) => /^\/var\/lib\/apt\/lists(\/|\/\*|$)/.test(w.value) || w.value === '/var/lib/apt' || w.value === '/var/lib/apt/');
      });
      if (cleaned) continue;
      report({ span: cmd.span, message: `The package lists stay in this layer: end the same RUN with && rm -rf /var/lib/apt/lists/*.` });
    }
  },
});
