/**
 * The edits a non-root fix is made of: creating a user, handing it the directories the program
 * writes, placing USER after the last step that needs root (and RUN steps back as root where the
 * stage already switched), in the file's own keyword case and layout. fixes/user.ts chooses which.
 */
import { EditBuilder, keyword } from '../engine/edits';
import type { DockerfileModel, Instr, Stage, UserInfo } from '../model/model';
import type { Family } from '../model/images';
import { isWithin } from '../model/paths';
import type { Runtime } from '../model/runtime';

/** The commands (for one RUN) that create a group and a user with that uid/gid and a home directory. */
export function createUserCommands(family: Family, name: string, id: number): string | undefined {
  switch (family) {
    case 'alpine':
      return `addgroup -g ${id} ${name} && adduser -D -u ${id} -G ${name} ${name}`;
    case 'debian':
      return `groupadd --gid ${id} ${name} && useradd --uid ${id} --gid ${id} --create-home --shell /usr/sbin/nologin ${name}`;
    case 'rhel':
      return `groupadd --gid ${id} ${name} && useradd --uid ${id} --gid ${id} --create-home --shell /sbin/nologin ${name}`;
    default:
      return undefined;
  }
}

/** Paths no fix hands to the program's user. */
const SYSTEM =
  /^\/(usr|bin|sbin|lib|lib32|lib64|libx32|etc|proc|sys|dev|boot|root|tmp|run|var\/(lib\/(apt|dpkg)|cache\/apt|run|lock|tmp))(\/|$)/;

/** Where USER goes: in place of a trailing `USER root`, else after the stage's last RUN, else before CMD/ENTRYPOINT. */
export function userPlacement(s: Stage, u: UserInfo): { replace?: Instr; after?: Instr; before?: Instr } {
  const own = s.instructions;
  const rootInstr = u.instr && own.includes(u.instr) ? u.instr : undefined;
  if (rootInstr && !own.some((i) => i.keyword === 'RUN' && i.span.start > rootInstr.span.start)) return { replace: rootInstr };
  const lastRun = [...own].reverse().find((i) => i.keyword === 'RUN');
  if (lastRun) return { after: lastRun };
  const tail = own.find((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT' || i.keyword === 'HEALTHCHECK');
  if (tail) return { before: tail };
  return { after: own[own.length - 1] ?? s.from };
}

export function place(b: EditBuilder, p: ReturnType<typeof userPlacement>, lines: string[]): void {
  if (p.replace) {
    b.insertLinesBefore(p.replace.span.start, lines);
    b.deleteInstruction(p.replace);
  } else if (p.after) b.insertLinesAfter(p.after, lines);
  else if (p.before) b.insertLinesBefore(p.before.span.start, lines);
}

/** Directories the program's user must own: WORKDIR (the directory itself), VOLUME paths and directories the stage makes (recursively). */
export function writableDirs(s: Stage, rt: Runtime, owner: { name: string; uid?: number }): { dir?: string; trees: string[] } {
  const ownedBy = (p: string) =>
    rt.chowned.some(
      (c) =>
        (c.owner.split(':')[0] === owner.name || c.owner.split(':')[0] === String(owner.uid)) &&
        c.paths.some((q) => isWithin(p, q) && (c.recursive || q === p)),
    );
  const trees: string[] = [];
  for (const p of [...rt.volumes.map((v) => v.path), ...rt.madeDirs]) {
    if (SYSTEM.test(p) || p === '/' || ownedBy(p) || trees.some((t) => isWithin(p, t))) continue;
    for (let k = trees.length - 1; k >= 0; k--) if (isWithin(trees[k], p)) trees.splice(k, 1);
    trees.push(p);
  }
  const wd = s.workdir;
  const dir = wd && wd !== '/' && !SYSTEM.test(wd) && !ownedBy(wd) && !trees.some((t) => isWithin(wd, t)) ? wd : undefined;
  return { dir, trees };
}

/** `mkdir -p … && chown …` for the directories the user must own, or undefined when there are none. */
export function chownCommand(dirs: { dir?: string; trees: string[] }, owner: string): string | undefined {
  const all = [...(dirs.dir ? [dirs.dir] : []), ...dirs.trees];
  if (!all.length) return undefined;
  const parts = [`mkdir -p ${all.join(' ')}`];
  if (dirs.trees.length) parts.push(`chown -R ${owner} ${dirs.trees.join(' ')}`);
  if (dirs.dir) parts.push(`chown ${owner} ${dirs.dir}`);
  return parts.join(' && ');
}

/**
 * A RUN (creating a user, handing it directories) and USER, placed: the RUN before the first VOLUME
 * it chowns when that comes earlier (a builder drops changes under a volume after it is declared),
 * else just before USER.
 */
export function runAndUser(model: DockerfileModel, s: Stage, u: UserInfo, rt: Runtime, run: string | undefined, user: string): EditBuilder {
  const b = new EditBuilder(model);
  const p = userPlacement(s, u);
  const at = p.replace?.span.start ?? (p.after ? p.after.span.end : (p.before?.span.start ?? s.from.span.end));
  const volume = run
    ? rt.volumes.find((v) => s.instructions.includes(v.instr) && v.instr.span.start < at && run.includes(v.path))
    : undefined;
  const USER = `${keyword(model, 'USER')} ${user}`;
  if (run && volume) {
    b.insertLinesBefore(volume.instr.span.start, asRoot(model, s, volume.instr.span.start, run));
    place(b, p, [USER]);
  } else place(b, p, run ? [...asRoot(model, s, at, run), USER] : [USER]);
  return b;
}

/**
 * `RUN <command>` as root: where the stage runs as another user at that point, between `USER root`
 * and, with `restore`, a USER back to that user.
 */
export function asRoot(model: DockerfileModel, s: Stage, offset: number, command: string, restore = false): string[] {
  const RUN = `${keyword(model, 'RUN')} ${command}`;
  const before = userAt(s, offset);
  if (before.root === true) return [RUN];
  const USER = keyword(model, 'USER');
  return [`${USER} root`, RUN, ...(restore && before.text ? [`${USER} ${before.text}`] : [])];
}

/** Who a stage runs its steps as at an offset: the last USER of its chain before it, else its base's default. */
export function userAt(s: Stage, offset: number): UserInfo {
  let found: UserInfo | undefined;
  for (const st of [...s.chain].reverse()) for (const x of st.users) if (x.instr && x.instr.span.start < offset) found = x;
  return found ?? s.baseUser;
}

/** The effective user just before a USER instruction (from the USERs before it in its stage chain). */
export function userBefore(s: Stage, instr: Instr): UserInfo | undefined {
  let found: UserInfo | undefined;
  for (const st of [...s.chain].reverse()) for (const u of st.users) if (u.instr && u.instr.span.start < instr.span.start) found = u;
  return found;
}

/**
 * After a switch to a base that runs as a non-root user, the stage's own RUN steps would run as that
 * user too, and fail where they write what root owns: they keep running as root (`USER root` after
 * FROM), and the image's user comes back after the last of them.
 */
export function keepRunsAsRoot(model: DockerfileModel, b: EditBuilder, s: Stage, user: string): void {
  const runs = s.instructions.filter((i) => i.keyword === 'RUN');
  if (!runs.length) return;
  const USER = keyword(model, 'USER');
  b.insertLinesAfter(s.from, [`${USER} root`]);
  b.insertLinesAfter(runs[runs.length - 1], [`${USER} ${user}`]);
}
