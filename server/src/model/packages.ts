/**
 * Package installs in RUN commands (apk, apt-get/apt, dnf/yum/microdnf, zypper), with their options
 * and package words, for the rules about caches, recommends and build tools.
 */
import type { DockerfileModel, RunInfo, Stage } from './model';
import { unwrap, commandName, type EffectiveCommand, type Word } from './shell';
import type { Span } from './text';

export type Manager = 'apk' | 'apt-get' | 'apt' | 'aptitude' | 'dnf' | 'yum' | 'microdnf' | 'zypper';

export interface PackageCommand {
  stage: Stage;
  run: RunInfo;
  /** Index in run.commands. */
  index: number;
  command: EffectiveCommand;
  manager: Manager;
  /** `add`, `install`, `update`, `del`… */
  sub: string;
  subWord: Word;
  /** From the manager's name to the subcommand. */
  span: Span;
  options: Word[];
  /** Package words (option values such as apk's `--virtual NAME` excluded). */
  packages: Word[];
}

const SUBCOMMANDS: Record<Manager, Set<string>> = {
  apk: new Set(['add', 'del', 'update', 'upgrade', 'cache', 'fix', 'info', 'search']),
  'apt-get': new Set([
    'install',
    'update',
    'upgrade',
    'dist-upgrade',
    'remove',
    'purge',
    'autoremove',
    'clean',
    'autoclean',
    'build-dep',
    'source',
    'download',
  ]),
  apt: new Set([
    'install',
    'update',
    'upgrade',
    'full-upgrade',
    'remove',
    'purge',
    'autoremove',
    'clean',
    'autoclean',
    'search',
    'show',
    'list',
  ]),
  aptitude: new Set(['install', 'update', 'upgrade', 'safe-upgrade', 'full-upgrade', 'remove', 'purge', 'clean', 'autoclean']),
  dnf: new Set([
    ...['install', 'in', 'update', 'upgrade', 'up', 'upgrade-minimal', 'up-min', 'reinstall', 'rei', 'downgrade', 'distro-sync'],
    ...['remove', 'rm', 'erase', 'autoremove', 'clean', 'makecache', 'groupinstall', 'group', 'module'],
  ]),
  yum: new Set([
    ...['install', 'update', 'upgrade', 'reinstall', 'localinstall', 'downgrade', 'distro-sync', 'groupinstall', 'group', 'module'],
    ...['remove', 'erase', 'autoremove', 'clean', 'makecache'],
  ]),
  microdnf: new Set(['install', 'update', 'upgrade', 'remove', 'clean', 'reinstall', 'module']),
  zypper: new Set([
    ...['install', 'in', 'update', 'up', 'patch', 'dist-upgrade', 'dup', 'source-install', 'si'],
    ...['remove', 'rm', 'clean', 'cc', 'refresh', 'ref'],
  ]),
};

/** Options that take the next word as their value (when written without `=`). */
const VALUE_OPTIONS: Record<Manager, Set<string>> = {
  apk: new Set(['-t', '--virtual', '-X', '--repository', '-p', '--root', '--arch', '--keys-dir', '--cache-dir', '--repositories-file']),
  'apt-get': new Set(['-o', '--option', '-t', '--target-release', '--default-release', '-c', '--config-file']),
  apt: new Set(['-o', '--option', '-t', '--target-release', '--default-release', '-c', '--config-file']),
  aptitude: new Set(['-o', '-t', '--target-release', '-c', '--config-file', '-F', '--display-format', '-w', '--width']),
  dnf: new Set([
    ...['--setopt', '--enablerepo', '--disablerepo', '--repo', '--releasever', '--installroot', '-x', '--exclude', '--nodocs-x'],
    ...['-c', '--config', '-d', '--debuglevel', '-e', '--errorlevel', '--forcearch', '--repofrompath'],
  ]),
  yum: new Set([
    '--setopt',
    '--enablerepo',
    '--disablerepo',
    '--releasever',
    '--installroot',
    '-x',
    '--exclude',
    '-c',
    '--config',
    '-d',
    '-e',
  ]),
  microdnf: new Set(['--setopt', '--enablerepo', '--disablerepo', '--releasever', '--installroot']),
  zypper: new Set(['-r', '--repo', '--from', '-t', '--type', '-R', '--root', '-c', '--config', '-D', '--reposd-dir', '-C', '--cache-dir']),
};

function parse(argv: Word[], manager: Manager): { sub?: Word; options: Word[]; packages: Word[] } {
  const options: Word[] = [];
  const packages: Word[] = [];
  let sub: Word | undefined;
  const valueOptions = VALUE_OPTIONS[manager];
  for (let k = 1; k < argv.length; k++) {
    const w = argv[k];
    if (w.value.startsWith('-') && w.value.length > 1) {
      options.push(w);
      if (valueOptions.has(w.value) && k + 1 < argv.length) options.push(argv[++k]);
      continue;
    }
    if (!sub) {
      if (w.dynamic) return { options, packages };
      sub = w;
      continue;
    }
    packages.push(w);
  }
  return { sub, options, packages };
}

/** apt's and apk's simulate options: the command only reports what it would do. */
function isDryRun(manager: Manager, options: Word[]): boolean {
  if (manager === 'apk') return options.some((o) => o.value === '-s' || o.value === '--simulate');
  if (manager !== 'apt-get' && manager !== 'apt' && manager !== 'aptitude') return false;
  return options.some(
    (o) => ['--simulate', '--just-print', '--dry-run', '--recon', '--no-act'].includes(o.value) || /^-[a-zA-Z]*s[a-zA-Z]*$/.test(o.value),
  );
}

/** Every package-manager command of every RUN, in file order. */
export function packageCommands(model: DockerfileModel): PackageCommand[] {
  return model.cached('packages.commands', () => {
    const out: PackageCommand[] = [];
    for (const stage of model.stages) {
      for (const run of stage.runs) {
        run.commands.forEach((c, index) => {
          const command = unwrap(c);
          const name = commandName(command.argv);
          if (!name || !(name in SUBCOMMANDS)) return;
          const manager = name as Manager;
          const { sub, options, packages } = parse(command.argv, manager);
          if (!sub || !SUBCOMMANDS[manager].has(sub.value)) return;
          if (isDryRun(manager, options)) return; // `apt-get install -s pkg` (a test) changes nothing
          out.push({
            stage,
            run,
            index,
            command,
            manager,
            sub: sub.value,
            subWord: sub,
            span: { start: command.argv[0].start, end: sub.end },
            options,
            packages,
          });
        });
      }
    }
    return out;
  });
}

export function hasOption(cmd: PackageCommand, ...names: string[]): boolean {
  return cmd.options.some((o) => names.includes(o.value) || names.some((n) => o.value.startsWith(`${n}=`)));
}

/** Whether a RUN mounts a cache (or tmpfs) over `path` or a directory above it. */
export function mountsCacheOver(run: RunInfo, path: string): boolean {
  for (const m of run.mounts) {
    const opts = new Map(m.options.map((o) => [o.name.toLowerCase(), o.value ?? '']));
    const type = opts.get('type');
    if (type !== 'cache' && type !== 'tmpfs') continue;
    const target = (opts.get('target') ?? opts.get('dst') ?? opts.get('destination') ?? '').replace(/\/+$/, '');
    if (target && (path === target || path.startsWith(`${target}/`))) return true;
  }
  return false;
}

/** Subcommand aliases, by the name of what they do. */
const ALIASES: Record<string, string> = {
  in: 'install',
  up: 'upgrade',
  'up-min': 'upgrade-minimal',
  rei: 'reinstall',
  rm: 'remove',
  dup: 'dist-upgrade',
  si: 'source-install',
  ref: 'refresh',
  cc: 'clean',
  groupinstall: 'install',
  localinstall: 'install',
};

/**
 * What the command does, aliases resolved: `dnf in` is `install`, and so are `dnf group install`,
 * `yum module install` and `yum groupinstall` (`install` names a group or a module stream there).
 */
export function action(cmd: PackageCommand): string {
  const sub = (cmd.sub === 'group' || cmd.sub === 'module') && cmd.packages[0] ? cmd.packages[0].value : cmd.sub;
  return ALIASES[sub] ?? sub;
}

/** The word that names the action (`install` in `dnf group install`), where an option after it goes. */
export function actionWord(cmd: PackageCommand): Word {
  if ((cmd.sub === 'group' || cmd.sub === 'module') && cmd.packages[0]) return cmd.packages[0];
  return cmd.subWord;
}
