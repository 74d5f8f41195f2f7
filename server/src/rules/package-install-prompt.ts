import { defineRule } from '../engine/rule';
import { EditBuilder } from '../engine/edits';
import { insertAfter } from '../fixes/shell';
import type { DockerfileModel } from '../model/model';
import { action, actionWord, packageCommands, type PackageCommand } from '../model/packages';
import { commandName } from '../model/shell';

/** The actions that ask "Is this ok?" before changing anything, per manager. */
const PROMPTS: Record<string, Set<string>> = {
  'apt-get': new Set(['install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'remove', 'purge', 'autoremove', 'build-dep', 'reinstall']),
  yum: new Set(['install', 'update', 'upgrade', 'reinstall', 'downgrade', 'distro-sync', 'remove', 'erase', 'autoremove']),
  zypper: new Set(['install', 'update', 'upgrade', 'patch', 'dist-upgrade', 'source-install', 'remove']),
};
PROMPTS.apt = PROMPTS['apt-get'];
PROMPTS.dnf = new Set([...PROMPTS.yum, 'upgrade-minimal']);

const CODES: Record<string, string> = { 'apt-get': 'DL3014', apt: 'DL3014', yum: 'DL3030', dnf: 'DL3038', zypper: 'DL3034' };

/** apt-get: -y, --yes, --assume-yes, quiet level 2 (-qq, -q=2, -q -q), which implies -y, or the option set with -o. */
function aptAnswers(cmd: PackageCommand): boolean {
  let quiet = 0;
  for (const [k, o] of cmd.options.entries()) {
    const v = o.value;
    if (/^--(yes|assume-yes)(=(1|yes|true))?$/.test(v) || /^-[a-zA-Z]*y[a-zA-Z]*$/.test(v)) return true;
    if (/^-[a-zA-Z]*q/.test(v)) quiet += /^-q=\d+$/.test(v) ? Number(v.slice(3)) : (v.match(/q/g)?.length ?? 0);
    if (/^--quiet(=\d+)?$/.test(v)) quiet += v.includes('=') ? Number(v.split('=')[1]) : 1;
    const setting = v === '-o' || v === '--option' ? cmd.options[k + 1]?.value : /^(-o|--option)=?(.*)$/.exec(v)?.[2];
    if (setting && /^APT::Get::Assume-Yes=(1|yes|true)$/i.test(setting)) return true;
    if (setting && /^quiet=(\d+)$/i.test(setting) && Number(setting.slice(6)) >= 2) return true;
  }
  return quiet >= 2;
}

function answers(cmd: PackageCommand): boolean {
  const opts = cmd.options.map((o) => o.value);
  switch (cmd.manager) {
    case 'apt-get':
    case 'apt':
      return aptAnswers(cmd);
    case 'yum':
    case 'dnf':
      return opts.some((v) => /^(-[a-zA-Z]*y[a-zA-Z]*|--assumeyes|--setopt=assumeyes=(1|true|yes))$/i.test(v));
    case 'zypper':
      return opts.some((v) => /^(-[a-zA-Z]*[ny][a-zA-Z]*|--non-interactive|--no-confirm)$/.test(v));
    default:
      return true;
  }
}

/** stdin is fed by the RUN (`yes | apt-get …`, `echo y | …`, `< answers`, a heredoc): the author answers. */
function fedInput(cmd: PackageCommand): boolean {
  const c = cmd.command.command;
  if (c.redirects.some((r) => r.op.startsWith('<') && (r.fd === undefined || r.fd === 0))) return true;
  return c.after === '|';
}

/** A config file written earlier in the stage (or a stage it inherits from) that answers yes for the manager. */
function configuredYes(model: DockerfileModel, cmd: PackageCommand): boolean {
  const pattern =
    cmd.manager === 'apt-get' || cmd.manager === 'apt'
      ? /APT::Get::Assume-Yes\W+(1|yes|true)\b/i
      : cmd.manager === 'zypper'
        ? /\/etc\/zypp\/zypper\.conf/
        : /assumeyes\s*=\s*(1|yes|true|True)\b/;
  const where = cmd.manager === 'apt-get' || cmd.manager === 'apt' ? /\/etc\/apt\/apt\.conf/ : /\/etc\/(yum|dnf|zypp)/;
  const text = (start: number, end: number) => model.text.slice(start, end);
  const earlier = cmd.stage.chain
    .flatMap((s) => s.instructions)
    .filter((i) => (i.keyword === 'RUN' || i.keyword === 'COPY') && i.span.start <= cmd.run.instr.span.start);
  return earlier.some((i) => {
    const t = text(i.span.start, i.span.end);
    return pattern.test(t) && where.test(t) && (cmd.manager !== 'zypper' || /noConfirm|non-interactive/i.test(t));
  });
}

export default defineRule({
  id: 'package-install-prompt',
  severity: 'warning',
  summary: 'A package install or upgrade that may stop at a confirmation prompt.',
  rationale: `apt-get, yum, dnf and zypper ask "Do you want to continue?" before they install extra
packages, upgrade or remove anything. A build has no terminal to answer: the prompt reads the end of
its input, the command aborts, and the build fails, or (where the command asks nothing this time) it
works until a dependency changes. Say yes on the command line: \`apt-get install -y\`, \`yum install -y\`,
\`dnf install -y\`, \`zypper -n install\` (or \`zypper install -y\`).

\`DEBIAN_FRONTEND=noninteractive\` does not answer this prompt (it only silences debconf's questions).
An option that answers it counts (\`-qq\` and \`-q=2\` imply \`-y\` for apt-get, and so does
\`-o APT::Get::Assume-Yes=true\`), and so does the same setting written to /etc/apt/apt.conf.d (or
assumeyes in /etc/yum.conf or /etc/dnf/dnf.conf) by an earlier RUN or COPY of the stage. Input fed to the
command (\`yes | apt-get install …\`, a redirect) is the author's answer: not reported. microdnf never
asks.

The fix adds \`-y\` after the subcommand (\`-n\` before it for zypper): safe, since without it the
command cannot go past the prompt in a build.`,
  differences: `hadolint DL3038 also reports microdnf, which never prompts (its \`-y\` does nothing).
hadolint DL3014 only checks \`apt-get install\`; this rule also checks apt, upgrade, remove and the other
subcommands that ask, and an apt.conf that answers yes.`,
  equivalents: { hadolint: ['DL3014', 'DL3030', 'DL3034', 'DL3038'] },
  examples: {
    invalid: [
      `FROM debian:12
RUN apt-get update && apt-get install --no-install-recommends curl
#                     ^^^^^^^^^^^^^^^ package-install-prompt
`,
    ],
    fixes: [
      {
        before: `FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends curl\n`,
        after: `FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n`,
      },
      {
        before: `FROM opensuse/leap:15.6\nRUN zypper install curl && zypper clean --all\n`,
        after: `FROM opensuse/leap:15.6\nRUN zypper -n install curl && zypper clean --all\n`,
      },
    ],
    valid: [
      `FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends curl
`,
      `FROM rockylinux:9
RUN dnf install -y httpd && dnf clean all
`,
    ],
  },
  check({ model, report }) {
    for (const cmd of packageCommands(model)) {
      const code = CODES[cmd.manager];
      if (!code || !PROMPTS[cmd.manager].has(action(cmd))) continue;
      if (answers(cmd) || fedInput(cmd) || configuredYes(model, cmd)) continue;
      // `apt-get install $APT_OPTS curl`: the variable may hold -y.
      if (cmd.packages.some((w) => w.dynamic && w.value.startsWith('$'))) continue;
      const zypper = cmd.manager === 'zypper';
      const at = zypper ? cmd.command.argv[0] : actionWord(cmd);
      const option = zypper ? '-n' : '-y';
      report({
        span: cmd.span,
        message: `${commandName(cmd.command.argv)} ${action(cmd)} without ${zypper ? '-n (--non-interactive)' : '-y'}: if it asks for confirmation, the build has nobody to answer and fails.`,
        hadolint: [code],
        fixes: [
          {
            title: zypper ? 'Run zypper with -n (--non-interactive)' : `Add ${option}`,
            kind: 'safe',
            preferred: true,
            edits: () => {
              const b = new EditBuilder(model);
              insertAfter(b, at, option);
              return b.build();
            },
          },
        ],
      });
    }
  },
});
