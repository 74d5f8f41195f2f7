/**
 * What the commands a container runs do about who runs them: init wrappers and `exec`/`env` taken
 * off a command line, the program it runs, a step-down to another user (gosu, su-exec, setpriv,
 * s6-setuidgid, chpst, runuser, su, sudo -u), and steps that need root (chown, package installs,
 * writes under /etc). entrypoint.ts reads the command lines and scripts these apply to.
 */
import type { SimpleCommand, Word } from './shell';
import { basename } from './paths';
import { expandWord } from './variables';
import type { Entrypoint } from './entrypoint';

/**
 * Programs that run the command they are given and nothing else: init processes, and the official
 * images' wrapper entrypoints (eclipse-temurin imports CA certificates, php prepends `php` to a flag,
 * maven copies its settings; each then runs `exec "$@"`).
 */
const INIT_WRAPPERS = new Set([
  'tini',
  'tini-static',
  'dumb-init',
  'catatonit',
  'docker-init',
  '__cacert_entrypoint.sh',
  'docker-php-entrypoint',
  'mvn-entrypoint.sh',
]);
/** Words with init wrappers, `exec` and `env NAME=value` taken off the front. */
export function unwrapProgram(words: (string | undefined)[]): (string | undefined)[] {
  let w = words;
  for (let guard = 0; guard < 6 && w.length; guard++) {
    const name = w[0] === undefined ? undefined : basename(w[0]);
    if (name === 'exec' || name === 'command') {
      w = w.slice(1);
      continue;
    }
    if (name === 'env') {
      let k = 1;
      while (k < w.length && (w[k] === undefined || /^[A-Za-z_]\w*=/.test(w[k]!) || w[k]!.startsWith('-'))) k++;
      w = w.slice(k);
      continue;
    }
    if (name && INIT_WRAPPERS.has(name)) {
      let k = 1;
      while (k < w.length && w[k] !== undefined && w[k]!.startsWith('-')) {
        if (w[k] === '--') {
          k++;
          break;
        }
        k += w[k] === '-s' || w[k] === '-g' || w[k] === '-p' || w[k] === '-e' ? (w[k] === '-e' ? 2 : 1) : 1;
      }
      w = w.slice(k);
      continue;
    }
    break;
  }
  return w;
}

/** The program a command line runs: past a step-down tool that takes the user and then the command (gosu app prog). */
export function programOf(words: (string | undefined)[]): string | undefined {
  const tool = words[0] === undefined ? undefined : basename(words[0]);
  if (tool && ['gosu', 'su-exec', 's6-setuidgid', 'setuser'].includes(tool)) return words[2];
  return words[0];
}

/**
 * Where each step-down tool takes its user: an option (`setpriv --reuid=app`), else its first word
 * that is no option (`gosu app prog`; `valueOptions` take the next word as their value).
 */
const STEP_DOWN: Record<string, { option?: string[]; positional?: boolean; valueOptions?: string[] }> = {
  gosu: { positional: true },
  'su-exec': { positional: true },
  's6-setuidgid': { positional: true },
  setuser: { positional: true },
  setpriv: { option: ['--reuid'] },
  's6-applyuidgid': { option: ['-u'] },
  chpst: { option: ['-u'] },
  runuser: {
    option: ['-u', '--user'],
    positional: true,
    valueOptions: ['-c', '--command', '-s', '--shell', '-g', '--group', '-G', '--supp-group', '-w', '--whitelist-environment'],
  },
  su: {
    positional: true,
    valueOptions: ['-c', '--command', '-s', '--shell', '-g', '--group', '-G', '--supp-group', '-w', '--whitelist-environment'],
  },
  sudo: { option: ['-u', '--user'] },
  'start-stop-daemon': { option: ['--chuid', '-c'] },
  capsh: { option: ['--user'] },
  chroot: { option: ['--userspec'] },
};

/** The user a step-down command switches to: `{ user }` (undefined user: a variable), or undefined when it is no step-down. */
export function stepDownOf(argv: (string | undefined)[]): { tool: string; user?: string } | undefined {
  if (!argv.length || argv[0] === undefined) return undefined;
  const tool = basename(argv[0]);
  const rest = argv.slice(1);
  const value = (...names: string[]): { found: boolean; v?: string } => {
    for (let k = 0; k < rest.length; k++) {
      const w = rest[k];
      if (w === undefined) continue;
      for (const n of names) {
        if (w === n) return { found: true, v: rest[k + 1] };
        if (w.startsWith(`${n}=`)) return { found: true, v: w.slice(n.length + 1) };
      }
    }
    return { found: false };
  };
  /** The first positional word (options and their values skipped), as a user. */
  const positional = (valueOptions: string[] = []): { found: boolean; v?: string } => {
    for (let k = 0; k < rest.length; k++) {
      const w = rest[k];
      if (w === undefined) return { found: true };
      if (w === '-' || w === '-l' || w === '--login') continue;
      if (w === '--') return { found: k + 1 < rest.length, v: rest[k + 1] };
      if (w.startsWith('-')) {
        if (valueOptions.includes(w)) k++;
        continue;
      }
      return { found: true, v: w };
    }
    return { found: false };
  };
  const spec = STEP_DOWN[tool];
  if (!spec) return undefined;
  let r: { found: boolean; v?: string } = spec.option ? value(...spec.option) : { found: false };
  if (!r.found && spec.positional) r = positional(spec.valueOptions);
  if (!r.found) return undefined;
  if (r.v !== undefined && /^(root|0)(:.*)?$/.test(r.v)) return undefined; // stepping "down" to root
  return { tool, user: r.v };
}

/** What needs root, by command: the tool reports these as steps a non-root USER would break. */
const ROOT_COMMANDS: Record<string, string> = {
  chown: 'chown',
  chgrp: 'chgrp',
  'apt-get': 'apt-get',
  apt: 'apt',
  apk: 'apk',
  yum: 'yum',
  dnf: 'dnf',
  microdnf: 'microdnf',
  useradd: 'useradd',
  adduser: 'adduser',
  usermod: 'usermod',
  groupadd: 'groupadd',
  addgroup: 'addgroup',
  mount: 'mount',
  sysctl: 'sysctl',
  iptables: 'iptables',
  setcap: 'setcap',
  'update-ca-certificates': 'update-ca-certificates',
  ldconfig: 'ldconfig',
};

export function wordsOf(cmd: SimpleCommand, env: ReadonlyMap<string, string | undefined>): (string | undefined)[] {
  return cmd.argv.map((w: Word) => (w.dynamic ? (w.value.includes('$(') ? undefined : expandWord(w.value, env)) : w.value));
}

/** Reads commands for step-downs and steps that need root. */
export function scan(
  commands: SimpleCommand[],
  env: ReadonlyMap<string, string | undefined>,
  where: (cmd: SimpleCommand) => string,
  out: Entrypoint,
): void {
  for (const c of commands) {
    const words = unwrapProgram(wordsOf(c, env));
    const known = words.filter((w): w is string => w !== undefined);
    if (known.length) out.commands.push(known);
    // A step-down that runs the program: `exec gosu app …`, the last command, or one that passes the
    // script's own arguments on (`gosu app "$@"`, `… "$BASH_SOURCE" "$@"`). `su app -c migrate`
    // followed by `exec server` runs one step as app, and the program as root.
    const down = stepDownOf(words);
    const runsProgram =
      c.argv[0]?.value === 'exec' || c === commands[commands.length - 1] || c.argv.some((w) => /\$\{?(@|\*|0\b|BASH_SOURCE)/.test(w.value));
    if (down && runsProgram && !out.stepDown) out.stepDown = { ...down, where: where(c) };
    // A step-down for one step only still needs root to switch: a USER would make it fail.
    else if (down) out.rootSteps.push({ what: down.tool, where: where(c) });
    const name = words[0] === undefined ? undefined : basename(words[0]);
    if (name && ROOT_COMMANDS[name] && !(name === 'chown' && words.some((w) => w === '--help')))
      out.rootSteps.push({ what: ROOT_COMMANDS[name], where: where(c) });
    for (const r of c.redirects) {
      const t = r.target?.value;
      if (t && /^>>?$/.test(r.op) && /^\/(etc|usr|var\/lib|var\/run|run)\//.test(t))
        out.rootSteps.push({ what: `a write to ${t}`, where: where(c) });
    }
    if (
      name === 'sed' &&
      words.some((w) => w === '-i' || w?.startsWith('-i')) &&
      words.some((w) => w !== undefined && /^\/(etc|usr)\//.test(w))
    ) {
      out.rootSteps.push({ what: `sed -i on ${words.find((w) => w !== undefined && /^\/(etc|usr)\//.test(w))}`, where: where(c) });
    }
  }
}
