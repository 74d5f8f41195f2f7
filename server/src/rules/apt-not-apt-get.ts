import { defineRule } from '../engine/rule';
import { EditBuilder } from '../engine/edits';
import { commandName, unwrap } from '../model/shell';

/** apt subcommands apt-get has with the same meaning. */
const SAME_IN_APT_GET = new Set(['install', 'update', 'upgrade', 'remove', 'purge', 'autoremove', 'clean', 'autoclean', 'dist-upgrade']);
/** apt options that take the next word as their value. */
const VALUE_OPTIONS = new Set(['-o', '--option', '-t', '--target-release', '--default-release', '-c', '--config-file']);

export default defineRule({
  id: 'apt-not-apt-get',
  severity: 'info',
  summary: 'RUN uses apt instead of apt-get.',
  rationale: `\`apt\` is the command for people at a terminal: its output, progress display and
defaults may change between releases, and it warns "apt does not have a stable CLI interface. Use with
caution in scripts." A Dockerfile is a script: \`apt-get\` (with \`apt-cache\` for queries) is the
interface meant for it, and behaves the same from one release to the next.

The fix replaces \`apt\` by \`apt-get\` for the subcommands apt-get has with the same meaning
(install, update, upgrade, dist-upgrade, remove, purge, autoremove, clean, autoclean). \`apt upgrade\`
also installs new dependencies where \`apt-get upgrade\` keeps such packages back; both build.
\`full-upgrade\`, \`list\`, \`search\` and \`show\` have other names or outputs there and get no fix.`,
  equivalents: { hadolint: ['DL3027'] },
  examples: {
    invalid: [
      `FROM ubuntu:24.04
RUN apt update && apt-get install -y --no-install-recommends curl
#   ^^^^^^^^^^ apt-not-apt-get
`,
    ],
    fixes: [
      {
        before: `FROM ubuntu:24.04\nRUN apt-get update && apt install -y curl\n`,
        after: `FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y curl\n`,
      },
    ],
    valid: [
      `FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends curl
`,
    ],
  },
  check({ model, report }) {
    for (const stage of model.stages) {
      for (const run of stage.runs) {
        for (const c of run.commands) {
          const e = unwrap(c);
          if (commandName(e.argv) !== 'apt') continue;
          const name = e.argv[0];
          let sub = undefined as (typeof e.argv)[number] | undefined;
          for (let k = 1; k < e.argv.length && !sub; k++) {
            const v = e.argv[k].value;
            if (v.startsWith('-')) k += VALUE_OPTIONS.has(v) ? 1 : 0;
            else sub = e.argv[k];
          }
          const fixable = !!sub && !sub.dynamic && SAME_IN_APT_GET.has(sub.value) && model.text.slice(name.start, name.end).endsWith('apt');
          report({
            span: { start: name.start, end: sub?.end ?? name.end },
            message: `apt${sub ? ` ${sub.value}` : ''} in a RUN: apt's command line is meant for terminals and is not stable for scripts. Use apt-get${
              fixable ? '' : ' (or apt-cache for queries)'
            }.`,
            fixes: fixable
              ? [
                  {
                    title: 'Use apt-get',
                    kind: 'safe',
                    preferred: true,
                    edits: () => new EditBuilder(model).insert(name.end, '-get').build(),
                  },
                ]
              : [],
          });
        }
      }
    }
  },
});
