import { defineRule } from '../engine/rule';
import { EditBuilder } from '../engine/edits';
import { insertAfter } from '../fixes/shell';
import { hasOption, packageCommands } from '../model/packages';
import { shipsToUsers } from '../model/runtime';

export default defineRule({
  id: 'apt-recommends',
  severity: 'info',
  enabled: false,
  summary: 'apt-get install without --no-install-recommends in the shipped image.',
  rationale: `By default apt installs every package's "recommended" packages too: documentation, extra
tools, often tens or hundreds of MB the program never uses, and more packages to patch. Install with
\`--no-install-recommends\` and name what you need.

The fix is a suggestion that is never applied by \`fix --unsafe\`: a recommended package may be one
the image needs (curl's libcurl4 recommends ca-certificates; without it HTTPS fails and a later
\`update-ca-certificates\` is not found), and the tool cannot tell offline which. Add the packages
the image uses by name.

Checked in the shipped stage and the stages it inherits from. Setting
\`APT::Install-Recommends "false"\` (with \`-o\` on the same command, or in an /etc/apt/apt.conf* file
written by an earlier RUN or COPY heredoc) also counts.

**Off by default.** The tool does not know what a package recommends: judged on real files
(docs/precision.md), several findings were on packages that recommend nothing (the flag changes
nothing), and some on packages whose recommended packages the image needs (\`wget\` recommends
\`ca-certificates\`, which its HTTPS downloads need). Turn it on with
\`rules: { apt-recommends: info }\` and check each install.`,
  differences: `hadolint DL3015 reports every stage; this rule only the stages whose files ship, and it
also checks \`apt install\`.`,
  equivalents: { hadolint: ['DL3015'] },
  examples: {
    invalid: [
      `FROM debian:12
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
#                     ^^^^^^^^^^^^^^^ apt-recommends
`,
    ],
    fixes: [
      {
        before: `FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n`,
        after: `FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends -y curl && rm -rf /var/lib/apt/lists/*\n`,
      },
    ],
    valid: [
      `FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
`,
      `FROM debian:12
RUN echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/90norecommends
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
`,
    ],
  },
  check({ model, report }) {
    // A builder, development or CI image is not shipped: its caches reach nobody.
    if (!shipsToUsers(model)) return;
    const shipped = model.shipped?.chain ?? [];
    const configured = (stageText: string) => /Install-Recommends\W+(0|false|no)\b/i.test(stageText);
    for (const cmd of packageCommands(model)) {
      if ((cmd.manager !== 'apt-get' && cmd.manager !== 'apt') || cmd.sub !== 'install' || !shipped.includes(cmd.stage)) continue;
      if (hasOption(cmd, '--no-install-recommends')) continue;
      if (cmd.options.some((o) => configured(o.value))) continue;
      // apt.conf written by an earlier RUN (or COPY heredoc) of this stage or one it inherits from. Only
      // a write to an apt.conf file counts: `-o APT::Install-Recommends=false` on another command does not.
      const earlier = cmd.stage.chain
        .flatMap((s) => s.instructions)
        .filter((i) => (i.keyword === 'RUN' || i.keyword === 'COPY') && i.span.start <= cmd.run.instr.span.start);
      const writesConf = (text: string) => configured(text) && /\/etc\/apt\/apt\.conf/.test(text);
      if (earlier.some((i) => writesConf(model.text.slice(i.span.start, i.span.end)))) continue;
      const sub = cmd.command.argv.find((w) => w.value === 'install')!;
      report({
        span: cmd.span,
        message: `${cmd.manager} install without --no-install-recommends also installs recommended packages the image does not need.`,
        fixes: [
          {
            // A recommended package may be one the image needs (ca-certificates for libcurl4, say):
            // the tool cannot tell offline, so the user decides; never applied by fix --unsafe.
            title: `Add --no-install-recommends (check: the packages ${
              cmd.packages.length
                ? cmd.packages
                    .map((p) => p.value)
                    .slice(0, 3)
                    .join(', ') + (cmd.packages.length > 3 ? '…' : '')
                : 'these'
            } recommend${cmd.packages.length === 1 ? 's' : ''} are no longer installed)`,
            kind: 'suggestion',
            preferred: false,
            edits: () => {
              const b = new EditBuilder(model);
              insertAfter(b, sub, '--no-install-recommends');
              return b.build();
            },
          },
        ],
      });
    }
  },
});
