/**
 * Bake files (docker-bake.json here, docker-bake.hcl in bakeHcl.ts) read into the targets that build a
 * Dockerfile: `inherits` followed (maps merged, other values overridden, as Bake does), the context and
 * Dockerfile resolved from the file's directory.
 */
import * as path from 'node:path';
import { argsOf, contextsOf, interpolate, isObject, isRemoteContext, scalar, type BuildEntry, type BuildFileRead } from './buildEntry';

/** One target as a Bake file states it, its values worked out (`undefined` in `args`: not known). */
export interface BakeTarget {
  context?: string;
  dockerfile?: string;
  args: Record<string, string | undefined>;
  target?: string;
  platforms?: string[];
  contexts: Record<string, string>;
  inherits: string[];
  /** A `dockerfile-inline` (no Dockerfile on disk to match). */
  inline?: boolean;
  /**
   * A value that decides which Dockerfile it builds or how (context, dockerfile, target, the whole
   * args) is not known: the target is not used, rather than guessed at (bakeHcl.ts says why).
   */
  unknown?: boolean;
}

/** What a Bake file states: its targets by name (in file order), and what could not be used. */
export interface BakeRead {
  targets: Map<string, BakeTarget>;
  problems: string[];
}

/**
 * Adds the targets of a later Bake file (an override file) to an earlier one's, as Bake merges its
 * files: a target of the same name gets the later values over its own (maps key by key, parents added).
 */
export function mergeTargets(into: Map<string, BakeTarget>, later: Map<string, BakeTarget>): void {
  for (const [name, t] of later) {
    const base = into.get(name);
    into.set(name, base ? { ...merge(base, t), inherits: [...base.inherits, ...t.inherits] } : t);
  }
}

/**
 * The build entries of a Bake file's targets (in file order), with each target's parents merged in:
 * each parent resolved once, with its own parents, and merged in the order listed (a later parent
 * over an earlier one, the target over them all), as Bake does; a cycle is cut where it closes.
 */
export function bakeEntries(file: string, targets: Map<string, BakeTarget>): BuildEntry[] {
  const dir = path.dirname(file);
  const name = path.basename(file);
  const resolved = new Map<string, BakeTarget | undefined>();
  const resolving = new Set<string>();
  const resolve = (t: string): BakeTarget | undefined => {
    if (resolved.has(t)) return resolved.get(t);
    const def = targets.get(t);
    if (!def || resolving.has(t)) return undefined;
    resolving.add(t);
    let merged: BakeTarget = { args: {}, contexts: {}, inherits: [] };
    for (const parent of def.inherits) {
      const base = resolve(parent);
      if (base) merged = merge(merged, base);
    }
    resolving.delete(t);
    const out = merge(merged, def);
    resolved.set(t, out);
    return out;
  };
  const entries: BuildEntry[] = [];
  for (const t of targets.keys()) {
    const def = resolve(t);
    if (!def || def.inline || def.unknown) continue;
    const context = def.context ?? '.';
    if (isRemoteContext(context)) continue;
    const contextDir = path.resolve(dir, context);
    const contexts = contextsOf(def.contexts, dir, (s) => s);
    entries.push({
      source: `${name} target ${t}`,
      dockerfile: path.resolve(contextDir, def.dockerfile ?? 'Dockerfile'),
      context: contextDir,
      args: def.args,
      ...(def.target ? { target: def.target } : {}),
      ...(def.platforms?.length ? { platforms: def.platforms } : {}),
      ...(contexts ? { contexts } : {}),
    });
  }
  return entries;
}

/** A child's values over its parent's: maps merged key by key, the rest replaced where the child sets them. */
function merge(parent: BakeTarget, child: BakeTarget): BakeTarget {
  const out: BakeTarget = {
    ...parent,
    args: { ...parent.args, ...child.args },
    contexts: { ...parent.contexts, ...child.contexts },
    inherits: [],
  };
  for (const k of ['context', 'dockerfile', 'target', 'platforms', 'inline', 'unknown'] as const)
    if (child[k] !== undefined) (out as unknown as Record<string, unknown>)[k] = child[k];
  return out;
}

/** The build entries of a Bake JSON file (its `variable` defaults, or the environment, fill `${…}`). */
export function readBakeJson(file: string, text: string, processEnv: NodeJS.ProcessEnv = process.env): BuildFileRead {
  const { targets, problems } = readBakeJsonTargets(file, text, processEnv);
  return { entries: bakeEntries(file, targets), problems };
}

/** The targets a Bake JSON file states (before `inherits`). */
export function readBakeJsonTargets(file: string, text: string, processEnv: NodeJS.ProcessEnv = process.env): BakeRead {
  const name = path.basename(file);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { targets: new Map(), problems: [`${name}: not read: ${(e as Error).message}`] };
  }
  if (!isObject(doc)) return { targets: new Map(), problems: [`${name}: not read: not a JSON object`] };
  const variables: Record<string, string | undefined> = {};
  if (isObject(doc.variable)) for (const [k, v] of Object.entries(doc.variable)) variables[k] = isObject(v) ? scalar(v.default) : undefined;
  const env: Record<string, string | undefined> = { ...variables };
  for (const k of Object.keys(variables)) if (processEnv[k] !== undefined) env[k] = processEnv[k];
  const expand = (s: string) => interpolate(s, env);
  const targets = new Map<string, BakeTarget>();
  for (const [t, def] of Object.entries(isObject(doc.target) ? doc.target : {})) {
    if (!isObject(def)) continue;
    const str = (v: unknown) => {
      const s = scalar(v);
      return s === undefined ? undefined : expand(s);
    };
    const platforms = Array.isArray(def.platforms) ? def.platforms.map(str).filter((p): p is string => !!p) : undefined;
    const contexts: Record<string, string> = {};
    if (isObject(def.contexts)) for (const [k, v] of Object.entries(def.contexts)) if (str(v) !== undefined) contexts[k] = str(v)!;
    targets.set(t, {
      context: str(def.context),
      dockerfile: str(def.dockerfile),
      args: argsOf(def.args, env, expand),
      target: str(def.target),
      platforms,
      contexts,
      inherits: Array.isArray(def.inherits) ? def.inherits.map(scalar).filter((p): p is string => !!p) : [],
      inline: def['dockerfile-inline'] !== undefined ? true : undefined,
    });
  }
  return { targets, problems: [] };
}
