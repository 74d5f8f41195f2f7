/**
 * Which files a stage's file system has, as far as the Dockerfile (and, where it can be read, the
 * build context) tells: `yes`, `no`, or `maybe` when it cannot be known. Unknown stays unknown: a
 * COPY of a whole directory to `/` is `maybe` for /etc/passwd only when that directory may hold it,
 * never `yes`, and a file the text shows to be a single file (a `go build -o` output) brings nothing
 * else.
 */
import type { CopyInfo, DockerfileModel, Presence, Stage } from './model';
import { basename, dirname, globMatch, hasGlob, isWithin, normalizePath } from './paths';
import { goInvocations } from './go';
import { goOutput } from './goOutput';
import { familyOf, hasCaBundle } from './images';

/** How deep presence follows COPY --from into other stages (real files: 2 or 3). */
const MAX_DEPTH = 8;

/** Directories an OS image may have files in without the Dockerfile naming them. */
const SYSTEM_DIRS = /^\/(etc|usr|bin|sbin|lib|lib32|lib64|libx32|var|opt|home|root|tmp|srv|run|boot|mnt|media|proc|sys|dev)(\/|$)/;

export function presenceIn(stage: Stage, path: string, depth = 0): Presence {
  let result: Presence = 'no';
  for (const s of stage.chain) {
    for (const c of s.copies) {
      const p = copyProvides(stage.model, c, path, depth);
      if (p === 'yes') return 'yes';
      if (p === 'maybe') result = 'maybe';
    }
  }
  if (stage.root.kind === 'scratch') return result;
  if (result === 'maybe') return 'maybe';
  return imageHas(stage, path);
}

/**
 * Whether an image-based stage has a file that no COPY brought: its base's, or one a RUN made. Only
 * of a base whose distribution the tool knows; any other image may hold anything.
 */
function imageHas(stage: Stage, path: string): Presence {
  const root = stage.root;
  if (root.kind !== 'image' || familyOf(stage) === 'unknown') return 'maybe';
  if (path === '/etc/passwd' || path === '/etc/group') return 'yes';
  if (path === '/etc/ssl/certs/ca-certificates.crt' && hasCaBundle(stage)) return 'yes';
  if (producedFile(stage, path)) return 'yes';
  if (SYSTEM_DIRS.test(path)) return 'maybe';
  // Anywhere else (/out, /app, /build…) only what the stage's commands write: a RUN that names the
  // file, or the directory it would be in, may have made it.
  const name = basename(path);
  for (const s of stage.chain) {
    for (const i of s.instructions) {
      if (i.keyword !== 'RUN' && i.keyword !== 'ONBUILD') continue;
      const text = stage.model.text.slice(i.span.start, i.span.end);
      if (text.includes(name) || text.includes(dirname(path) + '/')) return 'maybe';
    }
  }
  return 'no';
}

/** A file a `go build -o FILE` of the stage's chain writes. */
function producedFile(stage: Stage, path: string): boolean {
  const byStage = stage.model.cached('files.produced', () => {
    const out = new Map<Stage, Set<string>>();
    for (const inv of goInvocations(stage.model)) {
      const file = inv.sub === 'build' ? goOutput(inv)?.file : undefined;
      if (file) out.set(inv.stage, (out.get(inv.stage) ?? new Set()).add(file));
    }
    return out;
  });
  return byStage.size > 0 && stage.chain.some((s) => byStage.get(s)?.has(path));
}

/**
 * Whether `src` (an absolute path in `stage`) is a directory: `no` for a file the text shows to be a
 * file (a go build output), `yes` when written as one, else `maybe`.
 */
function isDirectoryIn(stage: Stage, src: string): Presence {
  if (src.endsWith('/') || src === '.' || src === '/') return 'yes';
  if (producedFile(stage, normalizePath(src))) return 'no';
  return 'maybe';
}

/** Whether a COPY/ADD puts a file at `target` (an absolute, normalized path). */
export function copyProvides(model: DockerfileModel, c: CopyInfo, target: string, depth = 0): Presence {
  if (c.destPath === undefined) return c.dest ? 'maybe' : 'no';
  const dest = c.destPath;
  if (!isWithin(target, dest)) return 'no';
  let result: Presence = 'no';
  const upgrade = (p: Presence) => {
    if (p === 'yes' || (p === 'maybe' && result === 'no')) result = p;
  };
  for (const h of c.heredocs)
    upgrade(c.destIsDir ? (normalizePath(`${dest}/${h}`) === target ? 'yes' : 'no') : dest === target ? 'yes' : 'no');
  const source = c.from?.source;
  for (const src of c.sources) {
    if (src.value === undefined) {
      upgrade('maybe');
      continue;
    }
    const v = src.value;
    if (/^(https?|git):\/\//i.test(v) || /^git@/.test(v)) {
      // A URL (ADD): a file named by the URL, or a git tree.
      upgrade(
        dest === target || (c.destIsDir && dirname(target) === dest && basename(v) === basename(target))
          ? 'yes'
          : /^git|\.git$/.test(v)
            ? 'maybe'
            : 'no',
      );
      continue;
    }
    // The source itself lands on the target: a file copied to it, or into the directory holding it.
    const landsOn = c.destIsDir ? dirname(target) === dest && basename(v) === basename(target) : dest === target;
    // Else the target may come from inside the source, when it is a directory: <src>/<rel>.
    const rel = dest === '/' ? target.slice(1) : target.slice(dest.length + 1);
    if (c.from === undefined && model.context && !hasGlob(v)) {
      // The build context, where it can be read: the file is there or it is not. A source that is not
      // there at all (made by the build script before `docker build`, or a context the tool did not
      // find) says nothing: maybe.
      const inContext = (p: string) => model.context!.exists(normalizePath(p).replace(/^\/+/, ''));
      // A source that lands on the target exists (the build fails otherwise).
      const inside = dest !== target && rel ? (inContext(v) ? inContext(`${v}/${rel}`) : undefined) : false;
      upgrade(landsOn || inside === true ? 'yes' : inside === undefined ? 'maybe' : 'no');
      continue;
    }
    if (source?.kind === 'stage' && depth < MAX_DEPTH && !hasGlob(v)) {
      const from = source.stage;
      // COPY --from reads relative sources from the root of the other stage's file system.
      const abs = normalizePath(`/${v}`);
      const isDir = isDirectoryIn(from, v.endsWith('/') ? `${abs}/` : abs);
      // A source that lands on the target exists (the build fails otherwise).
      if (landsOn && isDir !== 'yes') upgrade('yes');
      if (dest !== target && rel && isDir !== 'no') upgrade(presenceIn(from, normalizePath(`${abs}/${rel}`), depth + 1));
      continue;
    }
    if (landsOn) {
      upgrade('yes');
      continue;
    }
    if (dest !== target && directoryLike(v, c.keyword)) upgrade('maybe');
  }
  return result;
}

/** Whether a source may be a directory (whose contents land under the destination) or an archive ADD unpacks. */
function directoryLike(src: string, keyword: 'COPY' | 'ADD'): boolean {
  if (src.endsWith('/') || src === '.' || src === '..' || hasGlob(src)) return true;
  if (keyword === 'ADD' && /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst)$/i.test(src)) return true;
  const b = basename(src);
  if (/\.[A-Za-z0-9]{1,5}$/.test(b)) return false; // looks like a file
  const parent = basename(dirname(normalizePath(src.startsWith('/') ? src : `/${src}`)));
  if (parent === 'bin' || parent === 'sbin') return false; // a program
  return true;
}

/** Where a COPY puts a file source: under the destination when that is a directory, else at it. */
export function landingPath(c: CopyInfo, src: string): string | undefined {
  if (!c.destPath) return undefined;
  return c.destIsDir ? normalizePath(`${c.destPath}/${basename(src.replace(/\/+$/, ''))}`) : c.destPath;
}

/**
 * Whether a file at one of `paths` in `stage` reaches the shipped image: the stage is one the shipped
 * stage is built on, or a COPY --from takes it into a stage that reaches it in turn (or may: a source
 * the text does not fix). With no path (where the file is is not known), only a copy of the whole
 * file system surely takes it. `reported` names the copies that are reported on their own (a rule's
 * finding on the COPY --from itself), which do not count.
 */
export function reachesShipped(
  model: DockerfileModel,
  stage: Stage,
  paths: string[],
  reported?: (from: string) => boolean,
  depth = 0,
): boolean {
  const shipped = model.shipped;
  if (!shipped || shipped.chain.includes(stage) || depth > 4) return true;
  for (const target of model.stages) {
    for (const c of target.copies) {
      if (c.from?.source.kind !== 'stage' || !c.from.source.stage.chain.includes(stage)) continue;
      for (const src of c.sources) {
        if (src.value === undefined) return true;
        const from = normalizePath(src.value.startsWith('/') ? src.value : `/${src.value}`);
        if (!paths.length) {
          if (from === '/' || hasGlob(from)) return true;
          continue;
        }
        if (paths.includes(from) && reported?.(from)) continue;
        if (!paths.some((p) => p === from || isWithin(p, from) || (hasGlob(from) && globMatch(from, p)))) continue;
        // That copy's stage holds it now: does it reach the shipped image from there?
        const there = c.destPath
          ? paths
              .map((p) => (p === from ? landingPath(c, p) : normalizePath(`${c.destPath}/${p.slice(from.length)}`)))
              .filter((p): p is string => !!p)
          : [];
        if (reachesShipped(model, target, there, reported, depth + 1)) return true;
      }
    }
  }
  return false;
}
