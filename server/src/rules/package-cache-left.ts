import { defineRule, type Fix } from '../engine/rule';
import { EditBuilder } from '../engine/edits';
import { appendCommand, insertAfter } from '../fixes/shell';
import type { DockerfileModel, RunInfo, Stage } from '../model/model';
import { action, mountsCacheOver, packageCommands } from '../model/packages';
import { hasLanguageOption, languageCommands, type LanguageCommand } from '../model/languagePackages';
import { shipsToUsers } from '../model/runtime';
import { commandName, unwrap, type SimpleCommand, type Word } from '../model/shell';
import type { Span } from '../model/text';

type Kind = 'rpm' | 'zypper' | 'pip' | 'yarn';

interface Install {
  kind: Kind;
  code: string;
  stage: Stage;
  run: RunInfo;
  index: number;
  span: Span;
  /** The program as named in messages and in the cleanup command (`dnf`, `microdnf`, `yum`, `zypper`, `yarn`). */
  name: string;
  sudo: boolean;
  /** Where `--no-cache-dir` goes (pip). */
  subWord?: Word;
}

const RPM_CACHES = ['/var/cache/yum', '/var/cache/dnf', '/var/cache/libdnf5'];
const CLEANUPS: Record<Kind, string> = { rpm: 'clean all', zypper: 'clean --all', pip: '', yarn: 'cache clean' };

/**
 * The command removes the cache `kind` leaves (a `clean` subcommand or an `rm` of its directory).
 * yum and dnf share theirs (yum is dnf since RHEL 8); microdnf keeps its own.
 */
function cleans(kind: Kind, c: SimpleCommand, manager: string): boolean {
  const e = unwrap(c);
  const name = commandName(e.argv);
  const args = e.argv.slice(1).map((w) => w.value);
  if (name === 'rm') {
    const dirs: Record<Kind, RegExp> = {
      rpm: /^\/var\/cache\/(yum|dnf|libdnf5)(\/|$)/,
      zypper: /^\/var\/cache\/zypp(\/|$)/,
      pip: /(^|\/)\.cache(\/pip)?\/?\*?$/,
      yarn: /(^|\/)\.cache(\/yarn)?\/?\*?$|\$\(yarn cache dir\)/,
    };
    return args.some((a) => dirs[kind].test(a));
  }
  if (kind === 'rpm') {
    const same = manager === 'microdnf' ? name === 'microdnf' : name === 'yum' || name === 'dnf';
    return same && args.includes('clean') && args.includes('all');
  }
  if (kind === 'zypper') return name === 'zypper' && (args.includes('clean') || args.includes('cc'));
  if (kind === 'pip') return !!name && /^pip[\d.]*$/.test(name) && args[0] === 'cache' && args[1] === 'purge';
  return name === 'yarn' && args[0] === 'cache' && args[1] === 'clean';
}

/** A cache (or tmpfs) mount over the directory `kind` caches in. */
function mounted(kind: Kind, run: RunInfo): boolean {
  if (kind === 'rpm') return RPM_CACHES.some((p) => mountsCacheOver(run, p));
  if (kind === 'zypper') return mountsCacheOver(run, '/var/cache/zypp');
  const dir = kind === 'pip' ? 'pip' : 'yarn';
  // Under a home directory (`/root/.cache/pip`, `/home/app/.cache`), or yarn's global cache.
  return run.mounts.some((m) => {
    const opts = new Map(m.options.map((o) => [o.name.toLowerCase(), o.value ?? '']));
    const target = (opts.get('target') ?? opts.get('dst') ?? opts.get('destination') ?? '').replace(/\/+$/, '');
    if (opts.get('type') !== 'cache' && opts.get('type') !== 'tmpfs') return false;
    return new RegExp(`/\\.cache(/${dir})?$`).test(target) || (dir === 'yarn' && /\/\.yarn(\/berry)?\/cache$/.test(target));
  });
}

const TRUE = /^(1|on|yes|true)$/i;

/**
 * The stage is built on an image whose ENV the tool cannot read, which may set PIP_NO_CACHE_DIR (a
 * project's own image, an image from a build argument): Docker's official images do not. Judged on
 * real files, such a base (getsentry/sentry) did set it.
 */
function baseMaySetPipEnv(stage: Stage): boolean {
  const root = stage.root;
  if (root.kind === 'image') return root.ref.registry !== 'docker.io' || !root.ref.repository.startsWith('library/');
  return root.kind === 'unknown' && root.raw !== '';
}

/** PIP_NO_CACHE_DIR set to a true value for the command: on it, exported before it in the RUN, or by ENV/ARG. */
function pipNoCacheEnv(cmd: LanguageCommand): boolean {
  const setTo = (w: Word) => (w.value.startsWith('PIP_NO_CACHE_DIR=') ? TRUE.test(w.value.slice(17)) : undefined);
  for (const w of [...cmd.command.assignments].reverse()) {
    const v = setTo(w);
    if (v !== undefined) return v;
  }
  for (const c of cmd.run.commands.slice(0, cmd.index).reverse()) {
    const e = unwrap(c);
    const words = commandName(e.argv) === 'export' ? e.argv.slice(1) : e.argv.length ? [] : c.assignments;
    for (const w of [...words].reverse()) {
      const v = setTo(w);
      if (v !== undefined) return v;
    }
  }
  if (TRUE.test(cmd.run.scope.get('PIP_NO_CACHE_DIR') ?? '')) return true;
  // A pip configuration written earlier (`pip config set global.no-cache-dir true`, a pip.conf).
  const earlier = cmd.stage.chain
    .flatMap((s) => s.instructions)
    .filter((i) => (i.keyword === 'RUN' || i.keyword === 'COPY') && i.span.start < cmd.run.instr.span.start);
  return earlier.some((i) => {
    const text = cmd.stage.model.text.slice(i.span.start, i.span.end);
    return /no[-_]cache[-_]dir\s*[= ]\s*(1|on|yes|true)\b/i.test(text) && /pip\.conf|pip3? config/.test(text);
  });
}

/** A bare `yarn` installs, unless it only prints something (`yarn --version`, `yarn -h`). */
const bareYarn = (cmd: LanguageCommand) => cmd.sub === '' && !hasLanguageOption(cmd, '--version', '-v', '--help', '-h');

function installs(model: DockerfileModel): Install[] {
  const out: Install[] = [];
  const RPM_ACTIONS = new Set(['install', 'update', 'upgrade', 'upgrade-minimal', 'reinstall', 'downgrade', 'distro-sync']);
  const ZYPPER_ACTIONS = new Set(['install', 'update', 'upgrade', 'patch', 'dist-upgrade', 'source-install']);
  const CODES: Record<string, string> = { yum: 'DL3032', dnf: 'DL3040', microdnf: 'DL3040', zypper: 'DL3036' };
  for (const cmd of packageCommands(model)) {
    const code = CODES[cmd.manager];
    const kind: Kind = cmd.manager === 'zypper' ? 'zypper' : 'rpm';
    if (!code || !(kind === 'zypper' ? ZYPPER_ACTIONS : RPM_ACTIONS).has(action(cmd))) continue;
    const sudo = cmd.command.wrappers.includes('sudo');
    out.push({ kind, code, stage: cmd.stage, run: cmd.run, index: cmd.index, span: cmd.span, name: cmd.manager, sudo });
  }
  for (const cmd of languageCommands(model)) {
    const base = { stage: cmd.stage, run: cmd.run, index: cmd.index, span: cmd.span, sudo: cmd.command.wrappers.includes('sudo') };
    if (cmd.tool === 'pip' && cmd.sub === 'install') {
      if (hasLanguageOption(cmd, '--no-cache-dir') || pipNoCacheEnv(cmd) || baseMaySetPipEnv(cmd.stage)) continue;
      out.push({ ...base, kind: 'pip', code: 'DL3042', name: 'pip', subWord: cmd.subWord });
    } else if (
      cmd.tool === 'yarn' &&
      (cmd.sub === 'install' || bareYarn(cmd) || cmd.sub === 'add' || (cmd.sub === 'global' && cmd.args[0]?.value === 'add'))
    ) {
      out.push({ ...base, kind: 'yarn', code: 'DL3060', name: 'yarn' });
    }
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

/** The RUN is a shell-form chain of `&&` (and pipes): a command appended with `&&` keeps its exit status. */
function andChain(run: RunInfo): boolean {
  const top = run.script?.commands ?? [];
  if (run.command.form !== 'shell' || !top.length || top.some((c) => c.redirects.some((r) => r.heredoc))) return false;
  return top.every((c, k) => k === 0 || c.after === '&&' || c.after === '|') && top.every((c) => c.depth === 0);
}

function fixesFor(model: DockerfileModel, i: Install): Fix[] {
  if (i.kind === 'pip') {
    const word = i.subWord!;
    return [
      {
        title: 'Add --no-cache-dir',
        kind: 'safe',
        preferred: true,
        edits: () => {
          const b = new EditBuilder(model);
          insertAfter(b, word, '--no-cache-dir');
          return b.build();
        },
      },
    ];
  }
  if (i.run.command.form !== 'shell') return [];
  const command = `${i.sudo ? 'sudo ' : ''}${i.name} ${CLEANUPS[i.kind]}`;
  // yarn 2+ with Plug'n'Play runs packages from its cache: removing it can break the image.
  const safe = i.kind !== 'yarn' && andChain(i.run);
  return [
    {
      title: `End the RUN with ${command}`,
      kind: safe ? 'safe' : 'suggestion',
      preferred: safe,
      edits: () => {
        const b = new EditBuilder(model);
        return appendCommand(model, b, i.run, command) ? b.build() : [];
      },
    },
  ];
}

const ADVICE: Record<Kind, (name: string) => string> = {
  rpm: (n) => `end the same RUN with ${n} clean all`,
  zypper: () => 'end the same RUN with zypper clean --all',
  pip: () => 'add --no-cache-dir (or set PIP_NO_CACHE_DIR=1)',
  yarn: () => 'end the same RUN with yarn cache clean',
};

export default defineRule({
  id: 'package-cache-left',
  severity: 'info',
  summary: 'yum, dnf, zypper, pip or yarn leave their download cache in the shipped image.',
  rationale: `Package managers keep what they download: yum and dnf their metadata and packages in
/var/cache/yum or /var/cache/dnf, zypper in /var/cache/zypp, pip its wheels in ~/.cache/pip, yarn every
package tarball in its global cache. In an image that is tens or hundreds of MB shipped for nothing.
Clean up in the same RUN (\`dnf install -y … && dnf clean all\`, \`zypper clean --all\`,
\`yarn cache clean\`), or tell pip not to cache (\`pip install --no-cache-dir\`, or
\`PIP_NO_CACHE_DIR=1\`). A cleanup in a later RUN frees nothing: the files stay in the earlier layer.

Checked in the shipped stage and the stages it inherits from, and not in a builder, development or
CI image: a builder's cache never reaches the image. A cache or tmpfs mount over the cache directory
(\`RUN --mount=type=cache,target=/root/.cache/pip\`) counts as clean.

Fixes: \`--no-cache-dir\` for pip and the clean command appended to an \`&&\` chain are safe; appended
to a RUN of \`;\`-separated commands or a heredoc script (where it would hide an earlier failure), and
for yarn (yarn 2+ Plug'n'Play runs packages from its cache), they are suggestions.`,
  differences: `hadolint reports every stage; this rule only the stages whose files ship. It also
checks \`yarn add\` and a bare \`yarn\`, and zypper and yum upgrades. \`microdnf clean all\` does not count
for a dnf install (microdnf keeps its own cache), nor \`dnf clean all\` for microdnf. A pip configuration
written earlier (\`pip config set global.no-cache-dir true\`) counts.`,
  equivalents: { hadolint: ['DL3032', 'DL3036', 'DL3040', 'DL3042', 'DL3060'] },
  examples: {
    invalid: [
      `FROM rockylinux:9
RUN dnf install -y httpd
#   ^^^^^^^^^^^ package-cache-left
`,
    ],
    fixes: [
      {
        before: `FROM rockylinux:9\nRUN dnf install -y httpd\n`,
        after: `FROM rockylinux:9\nRUN dnf install -y httpd && dnf clean all\n`,
      },
      {
        before: `FROM python:3.12-slim\nRUN pip install flask==3.0.3\n`,
        after: `FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\n`,
      },
    ],
    valid: [
      `FROM rockylinux:9
RUN dnf install -y httpd && dnf clean all
`,
      `FROM python:3.12-slim
RUN --mount=type=cache,target=/root/.cache/pip pip install flask==3.0.3
`,
    ],
  },
  check({ model, report }) {
    // A builder, development or CI image is not shipped: its caches reach nobody.
    if (!shipsToUsers(model)) return;
    const shipped = model.shipped?.chain ?? [];
    const reported = new Set<string>();
    for (const i of installs(model)) {
      if (!shipped.includes(i.stage) || mounted(i.kind, i.run)) continue;
      if (i.run.commands.slice(i.index + 1).some((c) => cleans(i.kind, c, i.name))) continue;
      // One finding per RUN and cache: one cleanup at its end covers every install before it.
      const key = `${i.run.instr.span.start}:${i.code}`;
      if (i.kind !== 'pip' && reported.has(key)) continue;
      reported.add(key);
      const later = i.stage.runs.some(
        (r) => r.instr.span.start > i.run.instr.span.start && r.commands.some((c) => cleans(i.kind, c, i.name)),
      );
      const what =
        i.kind === 'pip'
          ? 'pip install keeps the packages it downloads in ~/.cache/pip, in this layer'
          : `${i.name} leaves its download cache in this layer`;
      report({
        span: i.span,
        message: `${what}${later ? ' (the cleanup in a later RUN frees nothing: the files stay in this layer)' : ''}: ${ADVICE[i.kind](i.name)}.`,
        hadolint: [i.code],
        fixes: fixesFor(model, i),
      });
    }
  },
});
