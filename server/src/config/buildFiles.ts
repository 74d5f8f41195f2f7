/**
 * The build inputs that Compose and Bake files give a Dockerfile: its build arguments, the stage it
 * builds (target), its context and platforms, so that the linter reads the file as that build does
 * (a FROM built from an ARG resolves; the stage that ships is the one built).
 *
 *   compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml:
 *     services.<name>.build: a context path, or { context, dockerfile, args (map or list), target, platforms }
 *     with Compose's interpolation of ${VAR}, ${VAR:-default}, ${VAR-default} and $$ from the
 *     environment and the project's .env file.
 *   docker-bake.json: target.<name>: { context, dockerfile, args, target, platforms, inherits }
 *   docker-bake.hcl: not read (no HCL parser here yet); a run says so once instead of guessing.
 *
 * A Dockerfile is matched by its real path. Build files are looked for in the Dockerfile's directory
 * and each one above it; the nearest that names the file wins, and within it the first service or
 * target (in file order) that builds it.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseYaml } from './projectConfig';

export const COMPOSE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
export const BAKE_JSON = 'docker-bake.json';
export const BAKE_HCL = 'docker-bake.hcl';
/** Every build file name (the editor watches them). */
export const BUILD_FILE_NAMES = [...COMPOSE_NAMES, 'docker-bake.json', 'docker-bake.hcl'];

export interface BuildEntry {
  /** Where it comes from, for messages: `compose.yaml service web`, `docker-bake.json target app`. */
  source: string;
  dockerfile: string;
  context: string;
  args: Record<string, string>;
  target?: string;
  platforms?: string[];
}

export interface BuildFileRead {
  entries: BuildEntry[];
  problems: string[];
}

/** Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}, $VAR, $$. */
export function interpolate(text: string, env: Record<string, string | undefined>): string {
  return text.replace(
    /\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_all, dollar, name, op, word, bare) => {
      if (dollar === '$') return '$';
      const key = (name ?? bare) as string;
      const v = env[key];
      switch (op) {
        case ':-':
          return v ? v : word;
        case '-':
          return v !== undefined ? v : word;
        case ':+':
          return v ? word : '';
        case '+':
          return v !== undefined ? word : '';
        default:
          return v ?? '';
      }
    },
  );
}

/** KEY=VALUE lines of a Compose project's .env file (comments, blanks and quotes as Compose reads them). */
export function readDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    let v = m[2];
    if (/^"(.*)"$/.test(v) || /^'(.*)'$/.test(v)) v = v.slice(1, -1);
    else v = v.replace(/\s+#.*$/, '');
    out[m[1]] = v;
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const scalar = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

/** Build arguments as a map or a `K=V` list; `K` alone takes the environment's value, or is left out. */
function argsOf(v: unknown, env: Record<string, string | undefined>, expand: (s: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(v)) {
    for (const item of v) {
      const s = scalar(item);
      if (s === undefined) continue;
      const eq = s.indexOf('=');
      if (eq > 0) out[s.slice(0, eq)] = expand(s.slice(eq + 1));
      else if (env[s] !== undefined) out[s] = env[s]!;
    }
  } else if (isObject(v)) {
    for (const [k, raw] of Object.entries(v)) {
      const s = scalar(raw);
      if (s !== undefined) out[k] = expand(s);
      else if (raw === null && env[k] !== undefined) out[k] = env[k]!;
    }
  }
  return out;
}

/** The services of a Compose file that build an image from a Dockerfile. */
export function readCompose(file: string, text: string, processEnv: NodeJS.ProcessEnv = process.env): BuildFileRead {
  const dir = path.dirname(file);
  const name = path.basename(file);
  const problems: string[] = [];
  const dotEnvFile = path.join(dir, '.env');
  const dotEnv = existsSync(dotEnvFile) ? readDotEnv(readFileSync(dotEnvFile, 'utf8')) : {};
  // The shell's environment wins over .env, as in Compose.
  const env: Record<string, string | undefined> = { ...dotEnv, ...processEnv };
  const expand = (s: string) => interpolate(s, env);
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    return { entries: [], problems: [`${name}: not read: ${(e as Error).message.split('\n')[0]}`] };
  }
  const services = isObject(doc) && isObject(doc.services) ? doc.services : {};
  const entries: BuildEntry[] = [];
  for (const [service, def] of Object.entries(services)) {
    const build = isObject(def) ? def.build : undefined;
    if (build === undefined || build === null) continue;
    const b = isObject(build) ? build : { context: build };
    const context = scalar(b.context) ?? '.';
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(expand(context))) continue; // a Git or HTTP context: not on this disk
    if (b.dockerfile_inline !== undefined) continue;
    const contextDir = path.resolve(dir, expand(context));
    const dockerfile = path.resolve(contextDir, expand(scalar(b.dockerfile) ?? 'Dockerfile'));
    const target = scalar(b.target);
    const platforms = Array.isArray(b.platforms)
      ? b.platforms
          .map(scalar)
          .filter((p): p is string => !!p)
          .map(expand)
      : undefined;
    entries.push({
      source: `${name} service ${service}`,
      dockerfile,
      context: contextDir,
      args: argsOf(b.args, env, expand),
      ...(target ? { target: expand(target) } : {}),
      ...(platforms?.length ? { platforms } : {}),
    });
  }
  return { entries, problems };
}

/** The targets of a Bake JSON file (with `inherits` followed, and its `variable` defaults in ${…}). */
export function readBakeJson(file: string, text: string, processEnv: NodeJS.ProcessEnv = process.env): BuildFileRead {
  const dir = path.dirname(file);
  const name = path.basename(file);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { entries: [], problems: [`${name}: not read: ${(e as Error).message}`] };
  }
  if (!isObject(doc)) return { entries: [], problems: [`${name}: not read: not a JSON object`] };
  const variables: Record<string, string | undefined> = {};
  if (isObject(doc.variable)) for (const [k, v] of Object.entries(doc.variable)) variables[k] = isObject(v) ? scalar(v.default) : undefined;
  const env: Record<string, string | undefined> = { ...variables };
  for (const k of Object.keys(variables)) if (processEnv[k] !== undefined) env[k] = processEnv[k];
  const expand = (s: string) => interpolate(s, env);
  const targets = isObject(doc.target) ? doc.target : {};
  const resolve = (t: string, seen: Set<string>): Record<string, unknown> => {
    const def = targets[t];
    if (!isObject(def) || seen.has(t)) return {};
    seen.add(t);
    let merged: Record<string, unknown> = {};
    for (const parent of Array.isArray(def.inherits) ? def.inherits : []) {
      const p = scalar(parent);
      if (!p) continue;
      const base = resolve(p, seen);
      merged = { ...merged, ...base, args: { ...(merged.args as object), ...(base.args as object) } };
    }
    return { ...merged, ...def, args: { ...(merged.args as object), ...(isObject(def.args) ? def.args : {}) } };
  };
  const entries: BuildEntry[] = [];
  for (const t of Object.keys(targets)) {
    const def = resolve(t, new Set());
    const context = expand(scalar(def.context) ?? '.');
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(context) || def['dockerfile-inline'] !== undefined) continue;
    const contextDir = path.resolve(dir, context);
    const dockerfile = path.resolve(contextDir, expand(scalar(def.dockerfile) ?? 'Dockerfile'));
    const target = scalar(def.target);
    const platforms = Array.isArray(def.platforms)
      ? def.platforms
          .map(scalar)
          .filter((p): p is string => !!p)
          .map(expand)
      : undefined;
    entries.push({
      source: `${name} target ${t}`,
      dockerfile,
      context: contextDir,
      args: argsOf(def.args, env, expand),
      ...(target ? { target: expand(target) } : {}),
      ...(platforms?.length ? { platforms } : {}),
    });
  }
  return { entries, problems: [] };
}

/** Finds, for each Dockerfile, the nearest Compose or Bake file that builds it (cached per directory). */
export class BuildFiles {
  private readonly dirs = new Map<string, BuildFileRead>();
  /** Problems already said (a file that does not parse, an HCL file), each once. */
  readonly problems: string[] = [];
  private readonly said = new Set<string>();

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  /** The build entry for a Dockerfile on disk, if a build file above it names it. */
  forDockerfile(file: string): BuildEntry | undefined {
    const target = path.resolve(file);
    for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
      const found = this.readDir(dir).entries.find((e) => e.dockerfile === target);
      if (found) return found;
      if (path.dirname(dir) === dir) return undefined;
    }
  }

  private readDir(dir: string): BuildFileRead {
    const cached = this.dirs.get(dir);
    if (cached) return cached;
    const read: BuildFileRead = { entries: [], problems: [] };
    for (const name of [...COMPOSE_NAMES, BAKE_JSON, BAKE_HCL]) {
      const file = path.join(dir, name);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      if (name === BAKE_HCL) {
        this.say(
          `${file}: not read: HCL Bake files are not supported yet (docker-bake.json is); its build arguments and targets are not applied`,
        );
        continue;
      }
      const r = name === BAKE_JSON ? readBakeJson(file, text, this.env) : readCompose(file, text, this.env);
      read.entries.push(...r.entries);
      for (const p of r.problems) this.say(`${path.join(dir, p)}`);
    }
    this.dirs.set(dir, read);
    return read;
  }

  private say(problem: string): void {
    if (this.said.has(problem)) return;
    this.said.add(problem);
    this.problems.push(problem);
  }
}
