/**
 * What a Compose service or Bake target gives the build of one Dockerfile (buildFiles.ts finds it), and
 * the helpers the readers of those files share.
 */
import * as path from 'node:path';

export interface BuildEntry {
  /** Where it comes from, for messages: `compose.yaml service web`, `docker-bake.json target app`. */
  source: string;
  dockerfile: string;
  context: string;
  /**
   * The build arguments it gives. A name whose value is `undefined` is given a value the linter could
   * not work out (a Bake expression it does not evaluate): the model then treats the ARG as unknown
   * rather than judging its default.
   */
  args: Record<string, string | undefined>;
  target?: string;
  platforms?: string[];
  /** Named contexts (`--build-context`, Bake's `contexts`, Compose's `additional_contexts`): name → value. */
  contexts?: Record<string, string>;
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

export const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
export const scalar = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

/** Build arguments as a map or a `K=V` list; `K` alone takes the environment's value, or is left out. */
export function argsOf(v: unknown, env: Record<string, string | undefined>, expand: (s: string) => string): Record<string, string> {
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

/** A context that is not a directory on this disk (Git, HTTP, or another URL scheme). */
export const isRemoteContext = (value: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(value);

/** Named contexts as a map or a `name=value` list; a local directory is made absolute. */
export function contextsOf(v: unknown, dir: string, expand: (s: string) => string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  const add = (name: string, raw: unknown) => {
    const s = scalar(raw);
    if (!name || s === undefined) return;
    const value = expand(s);
    out[name] = isRemoteContext(value) || /^[a-z]{2,}:[^/]/i.test(value) ? value : path.resolve(dir, value);
  };
  if (Array.isArray(v))
    for (const item of v) {
      const s = scalar(item);
      const eq = s?.indexOf('=') ?? -1;
      if (s && eq > 0) add(s.slice(0, eq), s.slice(eq + 1));
    }
  else if (isObject(v)) for (const [k, raw] of Object.entries(v)) add(k, raw);
  return Object.keys(out).length ? out : undefined;
}
