import { defineRule } from '../engine/rule';
import { EditBuilder } from '../engine/edits';
import { insertAfter } from '../fixes/shell';
import { hasOption, mountsCacheOver, packageCommands } from '../model/packages';
import { shipsToUsers } from '../model/runtime';
import { commandName, unwrap, type SimpleCommand } from '../model/shell';

/** `rm -rf /var/cache/apk/*` (or the directory itself). */
function removesApkCache(c: SimpleCommand): boolean {
  const e = unwrap(c);
  return commandName(e.argv) === 'rm' && e.argv.some((w) => /^\/var\/cache\/apk(\/\*?)?$/.test(w.value));
}

export default defineRule({
  id: 'apk-cache',
  severity: 'info',
  summary: 'apk add without --no-cache in the shipped image.',
  rationale: `\`apk add\` keeps the package index in /var/cache/apk, a few MB that ship in the layer for
nothing. \`apk add --no-cache\` fetches a fresh index, installs, and keeps nothing, so a separate
\`apk update\` (and \`rm -rf /var/cache/apk/*\`) becomes unnecessary.

Checked in the shipped stage and the stages it inherits from: a builder's cache never reaches the
image. Removing the index in the same RUN (\`&& rm -rf /var/cache/apk/*\`) counts, and a removal in a
later RUN does not (the index stays in the earlier layer; the message says so). A cache mount over
/var/cache/apk or /etc/apk/cache also counts, and so does
\`apk add --no-network\` (it installs what is already on disk and fetches no index).`,
  differences: `hadolint DL3019 reports every stage; this rule only the stages whose files ship.`,
  equivalents: { hadolint: ['DL3019'] },
  examples: {
    invalid: [
      `FROM alpine:3.20
RUN apk update && apk add curl
#                 ^^^^^^^ apk-cache
`,
    ],
    fixes: [
      {
        before: `FROM alpine:3.20\nRUN apk update && \\\n    apk add curl\n`,
        after: `FROM alpine:3.20\nRUN apk add --no-cache curl\n`,
      },
      {
        before: `FROM alpine:3.20\nRUN apk upgrade && apk add -t .deps gcc\n`,
        after: `FROM alpine:3.20\nRUN apk upgrade && apk add --no-cache -t .deps gcc\n`,
      },
    ],
    valid: [
      `FROM alpine:3.20
RUN apk add --no-cache curl
`,
      `FROM alpine:3.20 AS build
RUN apk add build-base

FROM alpine:3.20
COPY --from=build /out/app /app
`,
      `FROM alpine:3.20
RUN --mount=type=cache,target=/var/cache/apk apk add curl
`,
    ],
  },
  check({ model, report }) {
    // A builder, development or CI image is not shipped: its caches reach nobody.
    if (!shipsToUsers(model)) return;
    const shipped = model.shipped?.chain ?? [];
    for (const cmd of packageCommands(model)) {
      if (cmd.manager !== 'apk' || cmd.sub !== 'add' || !shipped.includes(cmd.stage)) continue;
      // --no-network installs from what is already on disk: no index is fetched, none is left.
      if (hasOption(cmd, '--no-cache', '--no-network')) continue;
      if (mountsCacheOver(cmd.run, '/var/cache/apk') || mountsCacheOver(cmd.run, '/etc/apk/cache')) continue;
      // `apk add … && rm -rf /var/cache/apk/*`: the index is gone before the layer is written.
      if (cmd.run.commands.slice(cmd.index + 1).some(removesApkCache)) continue;
      const laterRemoval = cmd.stage.runs.some((r) => r.instr.span.start > cmd.run.instr.span.start && r.commands.some(removesApkCache));
      const isUpdate = (c: (typeof cmd.run.commands)[number] | undefined) => {
        const e = c && unwrap(c);
        return !!e && commandName(e.argv) === 'apk' && e.argv[1]?.value === 'update' && e.argv.length === 2;
      };
      const update = cmd.run.commands.slice(0, cmd.index).some(isUpdate);
      // `apk update && apk add …`: with --no-cache the update right before is redundant.
      const before = cmd.run.commands[cmd.index - 1];
      const dropUpdate =
        isUpdate(before) && (cmd.command.command.after === '&&' || cmd.command.command.after === ';') && before.redirects.length === 0;
      const sub = cmd.command.argv.find((w) => w.value === 'add')!;
      report({
        span: cmd.span,
        message: `apk add without --no-cache leaves the package index in the image${laterRemoval ? ' (removing it in a later RUN frees nothing: it stays in this layer)' : ''}.${update ? ' With --no-cache the apk update before it is not needed either.' : ''} Use apk add --no-cache.`,
        fixes: [
          {
            title: dropUpdate ? 'Use apk add --no-cache (and drop the apk update before it)' : 'Use apk add --no-cache',
            kind: 'safe',
            preferred: true,
            edits: () => {
              const b = new EditBuilder(model);
              insertAfter(b, sub, '--no-cache');
              if (dropUpdate) b.delete({ start: before.start, end: cmd.command.command.start });
              return b.build();
            },
          },
        ],
      });
    }
  },
});
