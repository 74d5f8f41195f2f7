/**
 * Edits that make a stage run as a non-root user, planned so that the image still starts and does its
 * job: reuse a user the image already has, keep a USER driven by a build argument, create a user with
 * a numeric uid:gid (Kubernetes' runAsNonRoot can only verify a number) and a home, give it what the
 * program writes (its WORKDIR, VOLUME paths, directories the stage makes), put USER after the last
 * step that needs root, and in scratch copy /etc/passwd and /etc/group from the stage that made the
 * user. An edit is preferred only when the tool can argue the result starts; otherwise its title says
 * what to check.
 */
import { sudoesWithoutPassword } from '../model/sudoers';
import { EditBuilder, keyword } from '../engine/edits';
import {
  asRoot,
  chownCommand,
  createUserCommands,
  keepRunsAsRoot,
  place,
  runAndUser,
  userBefore,
  userPlacement,
  writableDirs,
} from './userEdits';
import type { Fix } from '../engine/rule';
import type { DockerfileModel, Stage, UserInfo } from '../model/model';
import { builderOf, familyOf, stageRef, type Family } from '../model/images';
import { creatorOf, usersCreatedIn, visibleUser, type VisibleUser } from '../model/users';
import { exposedPorts } from '../model/ports';
import { isNonrootDistrolessTag } from '../model/knownImages';
import { basename, isWithin } from '../model/paths';
import type { Runtime } from '../model/runtime';

const NEW_USER = 'appuser';
const NEW_UID = 10001;

/** Programs (and the tools they run) that need a writable home directory. */
const NEEDS_HOME = new Set([
  'npm',
  'npx',
  'yarn',
  'pnpm',
  'go',
  'pip',
  'pip3',
  'git',
  'cargo',
  'composer',
  'bundle',
  'gem',
  'gradle',
  'mvn',
  'dotnet',
  'poetry',
  'uv',
]);

export interface UserFixOptions {
  /** user-not-numeric is on: never write a user by name. */
  numericOnly: boolean;
}

/** Why the result may not start, as far as the tool can tell; empty when it can argue it starts. */
function caveats(model: DockerfileModel, s: Stage, rt: Runtime): string[] {
  const out: string[] = [];
  const bind = rt.capabilities.some((c) => c.caps.includes('cap_net_bind_service'));
  const low = exposedPorts(model).filter(
    (p) => p.valid && p.start !== undefined && p.start < 1024 && s.chain.includes(model.stageAt(p.span.start)!),
  );
  if (low.length && !bind) out.push(`it binds port ${low[0].start}, which needs root or NET_BIND_SERVICE under Kubernetes and Podman`);
  if (s.workdir && isWithin(s.workdir, '/root')) out.push(`WORKDIR ${s.workdir} is under /root, which other users cannot enter`);
  const script = rt.entry.script;
  if (script?.unreadable) out.push(`${basename(script.path)} could not be read (${script.unreadable}): it may need root`);
  const step = rt.entry.rootSteps[0];
  if (step) out.push(`${step.where} runs ${step.what}, which may need root`);
  if (rt.user.root === undefined) out.push(`the base image's default user is not known`);
  else if (familyOf(s) === 'unknown') out.push(`the tool does not know this base image's distribution`);
  return out;
}

function titled(title: string, why: string[]): string {
  return why.length ? `${title} (check: ${why[0]})` : title;
}

/** The distroless tag that runs as nonroot: `nonroot`, `debug-nonroot`, with the architecture kept. */
function nonrootTag(tag: string | undefined): string | undefined {
  const t = tag ?? 'latest';
  if (isNonrootDistrolessTag(t)) return undefined;
  const m = /^(latest|debug)(-[a-z0-9]+)?$/.exec(t);
  if (!m) return undefined;
  return `${m[1] === 'debug' ? 'debug-nonroot' : 'nonroot'}${m[2] ?? ''}`;
}

/**
 * `uid:gid` for a user where both are known; the uid alone where only it is (the runtime then takes
 * the primary group from /etc/passwd, which has the user); else the name (with its group).
 */
function userSpec(v: VisibleUser): string {
  if (v.uid !== undefined) return v.gid !== undefined ? `${v.uid}:${v.gid}` : String(v.uid);
  return v.group ? `${v.name}:${v.group}` : v.name;
}

/** The stage's users that no USER of the chain uses yet: created in the file, or the image's own (node). */
function reusableUser(model: DockerfileModel, s: Stage, u: UserInfo): VisibleUser | undefined {
  const used = new Set(s.chain.flatMap((st) => st.users.map((x) => x.user)));
  // A user who can sudo to root without a password would run the image as root in all but name.
  const created = usersCreatedIn(model, s).filter(
    (c) => !used.has(c.name) && c.name !== 'root' && !sudoesWithoutPassword(model, s, c.name),
  );
  const c = created[created.length - 1];
  if (c) return visibleUser(model, s, c.name);
  if (!u.instr && s.rootImage?.repository === 'library/node') return visibleUser(model, s, 'node');
  return undefined;
}

/** Whether the program, or the commands PID 1 runs, need a home directory. */
function needsHome(rt: Runtime): string | undefined {
  for (const c of rt.entry.commands) for (const w of c) if (NEEDS_HOME.has(basename(w))) return basename(w);
  return undefined;
}

/** What every fix for one root stage is made from. */
interface Case {
  model: DockerfileModel;
  s: Stage;
  u: UserInfo;
  rt: Runtime;
  opts: UserFixOptions;
  /** Why the image may not start as another user (shown in each title). */
  why: string[];
  out: Fix[];
}

/**
 * Fixes for a stage that runs as root, best first. The first is preferred when the tool can argue the
 * image still starts (no caveats) and the user is known to be root.
 */
export function nonRootFixes(model: DockerfileModel, s: Stage, u: UserInfo, rt: Runtime, opts: UserFixOptions): Fix[] {
  const c: Case = { model, s, u, rt, opts, why: caveats(model, s, rt), out: [] };
  backToEarlierUser(c);
  // USER $UID with a build argument defaulting to root: change the default, keep the argument.
  // Replacing the USER line would break `--build-arg` and what the build does with the argument.
  if (u.instr && u.text !== undefined && /\$/.test(model.text.slice(u.instr.argsStart, u.instr.span.end))) {
    argumentDefaults(c);
    return c.out;
  }
  const family = familyOf(s);
  if (family === 'windows') {
    // Windows users are accounts by name: ContainerUser is the unprivileged one every image has.
    suggest(c, {
      title: `Run as ContainerUser, the unprivileged Windows account (check: the program needs no administrator rights)`,
      edits: () => runAndUser(model, s, u, rt, undefined, 'ContainerUser').build(),
    });
    return c.out;
  }
  if (family === 'distroless') return distrolessFixes(c);
  if (family === 'scratch') return scratchFixes(c);
  reuseExistingUser(c);
  createNewUser(c, family);
  numericUser(c, family);
  return prefer(c.out, c.why, u, rt);
}

/** A suggestion, its title with the case's caveats. */
function suggest(c: Case, f: Omit<Fix, 'kind' | 'preferred'>): void {
  c.out.push({ ...f, title: titled(f.title, c.why), kind: 'suggestion', preferred: false });
}

/** A USER root that undoes an earlier non-root USER: go back to that user. */
function backToEarlierUser(c: Case): void {
  const { model, s, u, rt, opts } = c;
  const prev = u.instr ? userBefore(s, u.instr) : undefined;
  if (prev && prev.root === false && prev.text && !(opts.numericOnly && !/^\d+(:\d+)?$/.test(prev.text))) {
    const back = prev.text;
    suggest(c, {
      title: `Go back to USER ${back} after the steps that need root`,
      edits: () => runAndUser(model, s, u, rt, undefined, back).build(),
    });
  }
}

/** `USER $UID` whose build argument defaults to root: the default changed, the argument kept. */
function argumentDefaults(c: Case): void {
  const { model, s, u } = c;
  const raw = model.text.slice(u.instr!.argsStart, u.instr!.span.end);
  for (const d of model.declarations) {
    if (d.keyword !== 'ARG' || d.raw === undefined || !new RegExp(`\\$\\{?${d.name}\\b`).test(raw)) continue;
    if (d.stage && !s.chain.includes(d.stage)) continue;
    const m = /^(["']?)(0|root)(["']?)$/.exec(d.raw);
    const at = d.nameSpan.end;
    if (!m || model.text[at] !== '=' || model.text.slice(at + 1, at + 1 + d.raw.length) !== d.raw) continue;
    const value = d.raw.replace(m[2], String(NEW_UID));
    suggest(c, {
      title: `Make ARG ${d.name} default to ${NEW_UID}, keeping USER ${raw.trim()} (check what else the build does with it)`,
      edits: () => new EditBuilder(model).replace({ start: at + 1, end: at + 1 + d.raw!.length }, value).build(),
    });
  }
}

function distrolessFixes(c: Case): Fix[] {
  const { model, s, u, rt, why, out } = c;
  // Only on the stage built FROM the image itself: the RUN steps of stages in between would change user too.
  const ref = s.chain.length === 1 ? s.rootImage : undefined;
  const tag = ref && !ref.digest && !ref.substituted && !u.instr ? nonrootTag(ref.tag) : undefined;
  if (ref && tag) {
    const volume = rt.volumes[0];
    const extra = volume ? [`VOLUME ${volume.path} stays owned by root`] : [];
    out.push({
      title: titled(`Use the :${tag} variant of ${ref.name} (uid 65532)`, [...why, ...extra]),
      kind: 'suggestion',
      preferred: false,
      edits: () => {
        const b = new EditBuilder(model);
        if (ref.tagSpan) b.replace(ref.tagSpan, tag);
        else b.insert(ref.nameSpan.end, `:${tag}`);
        keepRunsAsRoot(model, b, s, '65532:65532');
        return b.build();
      },
    });
  }
  suggest(c, {
    title: `Run as USER 65532:65532 (distroless' nonroot)`,
    edits: () => runAndUser(model, s, u, rt, undefined, '65532:65532').build(),
  });
  return prefer(out, why, u, rt);
}

function scratchFixes(c: Case): Fix[] {
  const { model, s, u, rt, why, out } = c;
  const id = `${NEW_UID}:${NEW_UID}`;
  const builder = builderOf(s);
  const create = builder && !builder.isScratch ? createUserCommands(familyOf(builder), NEW_USER, NEW_UID) : undefined;
  const extra = rt.volumes.length ? [`VOLUME ${rt.volumes[0].path} stays owned by root`] : [];
  if (builder && create) {
    const existing = creatorOf(model, NEW_USER, builder);
    const made = !!existing && builder.chain.includes(existing.stage);
    // The builder's own appuser keeps its uid.
    const spec = made && existing.uid !== undefined ? `${existing.uid}:${existing.gid ?? existing.uid}` : id;
    const from = stageRef(builder);
    out.push({
      title: titled(
        made
          ? `Copy /etc/passwd and /etc/group from stage ${from}, and run as its ${NEW_USER} (${spec})`
          : `Create ${NEW_USER} (uid ${NEW_UID}) in stage ${from}, copy /etc/passwd and /etc/group, and run as ${id}`,
        [...why, ...extra],
      ),
      kind: 'suggestion',
      preferred: false,
      edits: () => {
        const b = new EditBuilder(model);
        // In the builder, as root (restoring the user it ends with), unless its chain already has appuser.
        const last = builder.instructions[builder.instructions.length - 1] ?? builder.from;
        if (!made) b.insertLinesAfter(last, asRoot(model, builder, last.span.end, create, true));
        // Copied whatever else the stage may bring: a directory copied to / is no proof it has them.
        const files = ['/etc/passwd', '/etc/group'].filter((f) => s.presence(f) !== 'yes');
        const COPY = keyword(model, 'COPY');
        place(b, userPlacement(s, u), [...files.map((f) => `${COPY} --from=${from} ${f} ${f}`), `${keyword(model, 'USER')} ${spec}`]);
        return b.build();
      },
    });
  }
  // A numeric user needs no /etc/passwd (65532 is distroless' nonroot); tools that look the user up get no name.
  const user = builder && create ? id : '65532:65532';
  out.push({
    title: titled(`Run as USER ${user} (no /etc/passwd entry: HOME is /)`, [...why, ...extra]),
    kind: 'suggestion',
    preferred: false,
    edits: () => runAndUser(model, s, u, rt, undefined, user).build(),
  });
  return prefer(out, [...why, ...extra], u, rt);
}

/** A user the image already has and nothing runs as yet. */
function reuseExistingUser(c: Case): void {
  const { model, s, u, rt, opts, why, out } = c;
  const reuse = reusableUser(model, s, u);
  if (!reuse || (opts.numericOnly && reuse.uid === undefined)) return;
  const spec = userSpec(reuse);
  const dirs = writableDirs(s, rt, reuse);
  const home = needsHome(rt);
  const homeWhy =
    home && reuse.homeExists === false && reuse.home === '/nonexistent' ? [`${reuse.name} has no home directory, which ${home} needs`] : [];
  if (home && reuse.homeExists === false && reuse.home && reuse.home !== '/nonexistent') dirs.trees.push(reuse.home);
  const where = reuse.created
    ? `created at line ${model.lines.positionAt(reuse.created.instr.span.start).line + 1}`
    : `the image's own user`;
  const owned = [dirs.dir, ...dirs.trees].filter(Boolean);
  out.push({
    title: titled(
      `Run as ${reuse.name} (${where}${reuse.uid !== undefined ? `, uid ${reuse.uid}` : ''})${owned.length ? `, giving it ${owned.join(' and ')}` : ''}`,
      [...why, ...homeWhy],
    ),
    kind: 'suggestion',
    preferred: false,
    edits: () => runAndUser(model, s, u, rt, chownCommand(dirs, spec), spec).build(),
  });
}

/** appuser created with a home, owning the directories the program writes. */
function createNewUser(c: Case, family: Family): void {
  const { model, s, u, rt } = c;
  const create = createUserCommands(family, NEW_USER, NEW_UID);
  if (!create) return;
  const id = `${NEW_UID}:${NEW_UID}`;
  const dirs = writableDirs(s, rt, { name: NEW_USER, uid: NEW_UID });
  const chown = chownCommand(dirs, id);
  const exists = usersCreatedIn(model, s).some((x) => x.name === NEW_USER);
  const run = [exists ? undefined : create, chown].filter(Boolean).join(' && ') || undefined;
  const owned = [dirs.dir, ...dirs.trees].filter(Boolean);
  suggest(c, {
    title: `Create ${NEW_USER} (uid ${NEW_UID}) with a home${owned.length ? `, give it ${owned.join(' and ')}` : ''}, and run as ${id}`,
    edits: () => runAndUser(model, s, u, rt, run, id).build(),
  });
}

/**
 * The number alone: no name, no home (HOME is /); writable directories still handed over where the
 * tool knows the image has a shell and chown (not in an image it does not know).
 */
function numericUser(c: Case, family: Family): void {
  const { model, s, u, rt, why, out } = c;
  const id = `${NEW_UID}:${NEW_UID}`;
  const dirs = writableDirs(s, rt, { name: String(NEW_UID), uid: NEW_UID });
  const owned = [dirs.dir, ...dirs.trees].filter(Boolean);
  const chown = family === 'unknown' ? undefined : chownCommand(dirs, id);
  const stays = !chown && owned.length ? [`${owned.join(' and ')} stays owned by root`] : [];
  out.push({
    title: titled(`Run as USER ${id}${chown ? `, giving it ${owned.join(' and ')}` : ''} (no /etc/passwd entry: HOME is /)`, [
      ...stays,
      ...why,
    ]),
    kind: 'suggestion',
    preferred: false,
    edits: () => runAndUser(model, s, u, rt, chown, id).build(),
  });
}

/** Marks the first fix preferred when nothing speaks against it. */
function prefer(fixes: Fix[], why: string[], u: UserInfo, rt: Runtime): Fix[] {
  if (fixes.length && !why.length && u.root === true && !rt.rootByDesign && !/\bcheck\b/.test(fixes[0].title)) fixes[0].preferred = true;
  return fixes;
}
