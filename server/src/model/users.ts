/**
 * Users and groups: those RUN commands create (useradd, adduser, groupadd, addgroup, with ARG and ENV
 * values substituted), those a base image has (its distribution's, and users an image adds, such as
 * `node`), and which of them a stage can see. Fixes copy /etc/passwd from the stage that has a user,
 * write its numeric uid, or reuse it instead of creating another.
 */
import type { DockerfileModel, Instr, RunInfo, Stage } from './model';
import { commandName, unwrap, type Word } from './shell';
import { expandWord } from './variables';
import { familyOf, type Family } from './images';
import { imageUsers, type ImageUser } from './knownImages';

export interface CreatedUser {
  kind: 'user' | 'group';
  stage: Stage;
  /** The RUN that creates it. */
  instr: Instr;
  name: string;
  uid?: number;
  /** Its primary group's gid, where the command fixes it. */
  gid?: number;
  /** Its primary group's name, where known (own group, -g/-G/--ingroup by name). */
  group?: string;
  /** A group of the same name is created with it (useradd -U or the distribution's default, adduser). */
  ownGroup: boolean;
  /** Its home directory, and whether the command creates it (undefined: unknown). */
  home?: string;
  homeCreated?: boolean;
}

/** Options of useradd / adduser / groupadd / addgroup that take a value (when not written with `=`). */
const VALUE_OPTIONS = new Set([
  '-u',
  '--uid',
  '-g',
  '--gid',
  '-G',
  '--groups',
  '--ingroup',
  '-h',
  '--home',
  '-d',
  '--home-dir',
  '-s',
  '--shell',
  '-k',
  '--skel',
  '-c',
  '--comment',
  '--gecos',
  '-K',
  '--key',
  '-e',
  '--expiredate',
  '-f',
  '--inactive',
  '-p',
  '--password',
  '-b',
  '--base-dir',
  '--firstuid',
  '--lastuid',
  '--firstgid',
  '--lastgid',
  '--conf',
  '--add_extra_groups',
  '-R',
  '--root',
  '-P',
  '--prefix',
]);

/** A word's value with the RUN's build arguments and ENV substituted; undefined when unknown. */
function valueOf(w: Word, run: RunInfo, escapeChar: string): string | undefined {
  if (!w.dynamic) return w.value;
  if (w.value.includes('$(') || w.value.includes('`')) return undefined;
  return expandWord(w.value, run.scope, escapeChar);
}

interface Parsed {
  options: Map<string, string | true>;
  positional: (string | undefined)[];
}

/** Options (`-u 10001`, `--uid=10001`, `-D`) and positional words of one command. */
function parseArgs(argv: Word[], run: RunInfo, escapeChar: string): Parsed {
  const options = new Map<string, string | true>();
  const positional: (string | undefined)[] = [];
  for (let k = 1; k < argv.length; k++) {
    const v = valueOf(argv[k], run, escapeChar);
    if (v === undefined) {
      positional.push(undefined);
      continue;
    }
    const eq = /^(--?[A-Za-z][\w-]*)=(.*)$/.exec(v);
    if (eq) {
      options.set(eq[1], eq[2]);
      continue;
    }
    if (v.startsWith('-') && v.length > 1) {
      if (VALUE_OPTIONS.has(v)) {
        const next = argv[k + 1] ? valueOf(argv[k + 1], run, escapeChar) : undefined;
        options.set(v, next ?? '');
        k++;
      } else if (/^-[A-Za-z]{2,}$/.test(v)) {
        for (const c of v.slice(1)) options.set(`-${c}`, true); // -rm, -DH
      } else options.set(v, true);
      continue;
    }
    positional.push(v);
  }
  return { options, positional };
}

function opt(p: Parsed, ...names: string[]): string | true | undefined {
  for (const n of names) if (p.options.has(n)) return p.options.get(n);
  return undefined;
}

function num(v: string | true | undefined): number | undefined {
  return typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;
}

/** One useradd / adduser in a stage of `family`. */
function readUser(
  name: 'useradd' | 'adduser',
  p: Parsed,
  family: Family,
): Omit<CreatedUser, 'kind' | 'stage' | 'instr' | 'name'> & { who?: string } {
  const busybox =
    name === 'adduser' &&
    (family === 'alpine' || opt(p, '-D', '-H', '-S') !== undefined) &&
    opt(p, '--disabled-password', '--system', '--gecos') === undefined;
  const uid = num(opt(p, '-u', '--uid'));
  let gid = num(opt(p, '-g', '--gid'));
  let group: string | undefined;
  let ownGroup: boolean;
  let home: string | undefined;
  let homeCreated: boolean | undefined;
  let who: string | undefined;
  if (name === 'useradd') {
    who = p.positional[p.positional.length - 1];
    const g = opt(p, '-g', '--gid');
    if (typeof g === 'string' && !/^\d+$/.test(g)) group = g;
    // Debian, Ubuntu, Fedora and Alpine's shadow set USERGROUPS_ENAB: a same-name group unless -N or -g.
    ownGroup = opt(p, '-U', '--user-group') !== undefined || (opt(p, '-N', '--no-user-group') === undefined && g === undefined);
    const system = opt(p, '-r', '--system') !== undefined;
    const d = opt(p, '-d', '--home-dir');
    home = typeof d === 'string' ? d : who ? `/home/${who}` : undefined;
    if (opt(p, '-m', '--create-home') !== undefined) homeCreated = true;
    else if (opt(p, '-M', '--no-create-home') !== undefined || system) homeCreated = false;
    // CREATE_HOME: no in Debian's and Ubuntu's login.defs, yes in Fedora's and RHEL's.
    else homeCreated = family === 'debian' ? false : family === 'rhel' ? true : undefined;
  } else if (busybox) {
    // BusyBox: adduser [-D -H -S] [-h HOME] [-G GROUP] [-u UID] USER [GROUP]
    who = p.positional[0];
    const g = opt(p, '-G', '--ingroup') ?? p.positional[1];
    if (typeof g === 'string') group = g;
    ownGroup = g === undefined;
    const h = opt(p, '-h', '--home');
    home = typeof h === 'string' ? h : who ? `/home/${who}` : undefined;
    homeCreated = opt(p, '-H', '--no-create-home') === undefined;
  } else {
    // Debian's adduser: adduser [--system] [--group] [--home DIR] [--no-create-home] [--ingroup G] USER [GROUP]
    who = p.positional[0];
    const system = opt(p, '--system') !== undefined;
    const ingroup = opt(p, '--ingroup');
    if (typeof ingroup === 'string') group = ingroup;
    ownGroup = ingroup === undefined && gid === undefined && (!system || opt(p, '--group') !== undefined);
    if (system && !ownGroup && group === undefined && gid === undefined) {
      group = 'nogroup';
      gid = 65534;
    }
    const h = opt(p, '--home', '-h');
    home = typeof h === 'string' ? h : system ? '/nonexistent' : who ? `/home/${who}` : undefined;
    homeCreated = opt(p, '--no-create-home') !== undefined ? false : system ? typeof h === 'string' : true;
  }
  if (ownGroup && who) group = who;
  if (ownGroup && gid === undefined && uid !== undefined) gid = uid; // the same number where it is free
  return { uid, gid, group, ownGroup, home, homeCreated, who };
}

/** Every user and group creation in the file's RUN commands. */
export function createdUsers(model: DockerfileModel): CreatedUser[] {
  return model.cached('users.created', () => {
    const out: CreatedUser[] = [];
    for (const stage of model.stages) {
      const family = familyOf(stage);
      for (const run of stage.runs) {
        for (const c of run.commands) {
          const e = unwrap(c);
          const name = commandName(e.argv);
          if (name !== 'adduser' && name !== 'useradd' && name !== 'addgroup' && name !== 'groupadd') continue;
          const p = parseArgs(e.argv, run, model.escapeChar);
          if (name === 'addgroup' || name === 'groupadd') {
            // groupadd [-g GID] NAME; BusyBox addgroup [-g GID] [USER] GROUP; Debian addgroup [--gid GID] GROUP
            const who = p.positional[p.positional.length - 1];
            if (!who) continue;
            if (name === 'addgroup' && p.positional.length === 2) continue; // BusyBox: adds USER to GROUP
            out.push({ kind: 'group', stage, instr: run.instr, name: who, gid: num(opt(p, '-g', '--gid')), group: who, ownGroup: true });
            continue;
          }
          const { who, ...user } = readUser(name, p, family);
          if (!who) continue;
          out.push({ kind: 'user', stage, instr: run.instr, name: who, ...user });
        }
      }
    }
    return out;
  });
}

/**
 * Where `name` is created (a user; with `group`, a group, also one made along with its user), in a
 * stage that can run commands; the one in `preferred`'s chain first, else the last.
 */
export function creatorOf(model: DockerfileModel, name: string, preferred?: Stage, group = false): CreatedUser | undefined {
  const all = createdUsers(model).filter(
    (u) => u.name === name && !u.stage.isScratch && (group ? u.kind === 'group' || u.ownGroup : u.kind === 'user'),
  );
  return all.find((u) => preferred && preferred.chain.includes(u.stage)) ?? all[all.length - 1];
}

/** Users every image of a distribution family has (uid, primary group). */
const DISTRO_USERS: Partial<Record<Family, Record<string, ImageUser>>> = {
  debian: {
    nobody: { uid: 65534, gid: 65534, group: 'nogroup', home: '/nonexistent', homeExists: false },
    'www-data': { uid: 33, gid: 33, group: 'www-data', home: '/var/www', homeExists: false },
    daemon: { uid: 1, gid: 1, group: 'daemon', home: '/usr/sbin', homeExists: true },
  },
  alpine: {
    nobody: { uid: 65534, gid: 65534, group: 'nobody', home: '/', homeExists: true },
    daemon: { uid: 2, gid: 2, group: 'daemon', home: '/sbin', homeExists: true },
    guest: { uid: 405, gid: 100, group: 'users', home: '/dev/null', homeExists: false },
  },
  rhel: {
    nobody: { uid: 65534, gid: 65534, group: 'nobody', home: '/', homeExists: true },
    daemon: { uid: 2, gid: 2, group: 'daemon', home: '/sbin', homeExists: true },
  },
  distroless: {
    nobody: { uid: 65534, gid: 65534, group: 'nogroup', home: '/nonexistent', homeExists: false },
    nonroot: { uid: 65532, gid: 65532, group: 'nonroot', home: '/home/nonroot', homeExists: true },
  },
};

/** A user the stage's base image has, by name: its distribution's, or one the image adds. */
export function baseUser(stage: Stage, name: string): ImageUser | undefined {
  const ref = stage.rootImage;
  if (ref) {
    const own = imageUsers(ref)[name];
    if (own) return own;
    // Ubuntu 23.04 and later ship a `ubuntu` user (uid 1000).
    if (
      name === 'ubuntu' &&
      ref.repository === 'library/ubuntu' &&
      /^(2[3-9]|[3-9]\d)\.|^(lunar|mantic|noble|oracular|plucky|questing)/.test(ref.tag ?? 'latest')
    ) {
      return { uid: 1000, gid: 1000, group: 'ubuntu', home: '/home/ubuntu', homeExists: true };
    }
  }
  return DISTRO_USERS[familyOf(stage)]?.[name];
}

/** A group the stage's base image has, by name: the primary group of one of its users (nogroup, nobody, nonroot). */
export function baseGroup(stage: Stage, name: string): { gid: number } | undefined {
  const ref = stage.rootImage;
  const users = [...Object.values(ref ? imageUsers(ref) : {}), ...Object.values(DISTRO_USERS[familyOf(stage)] ?? {})];
  const u = users.find((x) => x.group === name);
  return u ? { gid: u.gid } : undefined;
}

/** What a stage knows of a user it can see: created in its chain (last creation wins), else its base's. */
export interface VisibleUser {
  name: string;
  uid?: number;
  gid?: number;
  group?: string;
  home?: string;
  /** Whether the home directory exists in the image (undefined: unknown). */
  homeExists?: boolean;
  created?: CreatedUser;
}

export function visibleUser(model: DockerfileModel, stage: Stage, name: string): VisibleUser | undefined {
  const created = createdUsers(model).filter((u) => u.kind === 'user' && u.name === name && stage.chain.includes(u.stage));
  const c = created[created.length - 1];
  if (c) return { name, uid: c.uid, gid: c.gid, group: c.group, home: c.home, homeExists: c.homeCreated, created: c };
  const b = baseUser(stage, name);
  return b ? { name, uid: b.uid, gid: b.gid, group: b.group, home: b.home, homeExists: b.homeExists } : undefined;
}

/** Users created in a stage's chain (not only in the base), last creation of each name, in file order. */
export function usersCreatedIn(model: DockerfileModel, stage: Stage): CreatedUser[] {
  const byName = new Map<string, CreatedUser>();
  for (const u of createdUsers(model)) if (u.kind === 'user' && stage.chain.includes(u.stage)) byName.set(u.name, u);
  return [...byName.values()];
}
