/**
 * Project configuration files, read the same way by the CLI and the language server.
 *
 * `.dockerfile-hardener.yaml` (searched upward from the Dockerfile's directory):
 *     rules: { <id>: off|hint|info|warning|error }
 *     trustedRegistries: [docker.io, ghcr.io]
 *     targetStage: runtime
 *     ignore: ["vendor/**", "**\/testdata/**", "!vendor/ours/**"]   # path globs, relative to the file's directory; the last match decides
 *     roles: { "ci/**": ci, "Dockerfile.builder": builder }   # what images are for (model/runtime.ts)
 *
 * Without one, `.hadolint.yaml` / `.hadolint.yml` is honoured: `ignored`, `override`
 * (error/warning/info/style), `trustedRegistries` and `failure-threshold`, mapped through each
 * rule's hadolint equivalents. Keys that are not supported are reported once, never dropped
 * silently. A file that cannot be used is reported with its line and the defaults apply.
 */
import type { Node, Pair } from 'yaml';
import picomatch from 'picomatch';
import * as path from 'node:path';
import { SEVERITIES, type Severity, type SeveritySetting } from '../engine/rule';
import { ruleById } from '../rules';
import { ROLES, type RoleKind } from '../model/runtime';

export const OWN_CONFIG_NAMES = ['.dockerfile-hardener.yaml', '.dockerfile-hardener.yml'];
export const HADOLINT_CONFIG_NAMES = ['.hadolint.yaml', '.hadolint.yml'];

export interface ConfigProblem {
  /** 1-based line and column in the config file. */
  line: number;
  column: number;
  message: string;
  severity: 'error' | 'warning';
}

/** Per-code settings from a hadolint configuration, applied to findings through their codes. */
export interface HadolintSettings {
  ignored: Set<string>;
  override: Map<string, Severity>;
}

export interface ProjectConfig {
  file: string;
  kind: 'dockerfile-hardener' | 'hadolint';
  rules: Record<string, SeveritySetting>;
  hadolint?: HadolintSettings;
  trustedRegistries?: string[];
  targetStage?: string;
  /** Path globs (relative to the config file's directory) of Dockerfiles not to lint. */
  ignore: string[];
  /** Path globs (relative to the config file's directory) → the role of the images they build. */
  roles: { glob: string; role: RoleKind }[];
  /** hadolint's failure-threshold, as a CLI fail level. */
  failLevel?: Severity | 'none';
  problems: ConfigProblem[];
}

/**
 * The YAML parser, loaded when the first config file is read: it is more than a quarter of the CLI
 * and server bundles, which V8 compiles at every start. The build gives it its own bundle
 * (dist/yaml.js, scripts/build.mjs); here it is the `yaml` package.
 */
let yamlModule: typeof import('yaml') | undefined;
function yaml(): typeof import('yaml') {
  if (!yamlModule) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on the first config file, not at start-up
      yamlModule = require('yaml') as typeof import('yaml');
    } catch (e) {
      // A copy of the CLI or the server without the file beside it.
      throw new Error(
        `config files cannot be read: the YAML parser is missing (dist/yaml.js, which ships beside dist/cli.js and dist/server.js): ${(e as Error).message.split('\n')[0]}`,
      );
    }
  }
  return yamlModule;
}

const VALUES = ['off', ...SEVERITIES];
const HADOLINT_SEVERITY: Record<string, Severity> = { error: 'error', warning: 'warning', info: 'info', style: 'hint' };
const HADOLINT_UNSUPPORTED = new Set([
  'label-schema',
  'strict-labels',
  'no-fail',
  'no-color',
  'disable-ignore-pragma',
  'format',
  'output-file',
  'verbose',
]);

export function parseConfig(file: string, text: string): ProjectConfig {
  const kind = HADOLINT_CONFIG_NAMES.includes(path.basename(file)) ? 'hadolint' : 'dockerfile-hardener';
  const config: ProjectConfig = { file, kind, rules: {}, ignore: [], roles: [], problems: [] };
  const { LineCounter, parseDocument, isMap, isSeq, isScalar } = yaml();
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const at = (node: Node | Pair | null | undefined) => {
    const n = node && 'key' in node ? (node.key as Node | null) : node;
    const pos = lc.linePos(n?.range ? n.range[0] : 0);
    return { line: pos.line, column: pos.col };
  };
  const problem = (node: Node | Pair | null | undefined, message: string, severity: 'error' | 'warning' = 'error') => {
    config.problems.push({ ...at(node), message, severity });
  };
  for (const e of doc.errors) {
    const pos = e.linePos?.[0] ?? { line: 1, col: 1 };
    config.problems.push({ line: pos.line, column: pos.col, message: `not valid YAML: ${e.message.split('\n')[0]}`, severity: 'error' });
  }
  if (doc.errors.length) return config;
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return config; // empty file
  if (!isMap(root)) {
    problem(root, 'the file must be a mapping of settings');
    return config;
  }
  const strings = (node: unknown, what: string): string[] | undefined => {
    if (!isSeq(node)) {
      problem(node as Node, `${what} must be a list`);
      return undefined;
    }
    const out: string[] = [];
    for (const item of node.items) {
      if (isScalar(item) && typeof item.value === 'string' && item.value.trim()) out.push(item.value.trim());
      else problem(item as Node, `${what} entries must be non-empty strings`);
    }
    return out;
  };

  if (kind === 'dockerfile-hardener') {
    for (const pair of root.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const value = pair.value as Node | null;
      switch (key) {
        case 'rules':
          if (!isMap(value)) {
            problem(value ?? pair, 'rules must be a mapping of rule id to off, hint, info, warning or error');
            break;
          }
          for (const rp of value.items) {
            const id = isScalar(rp.key) ? String(rp.key.value) : '';
            const v = isScalar(rp.value) ? rp.value.value : undefined;
            if (!ruleById(id)) problem(rp.key as Node, `unknown rule "${id}"`);
            else if (typeof v !== 'string' || !VALUES.includes(v))
              problem((rp.value ?? rp.key) as Node, `rule "${id}": the value must be one of ${VALUES.join(', ')}`);
            else config.rules[id] = v as SeveritySetting;
          }
          break;
        case 'trustedRegistries': {
          const list = strings(value, 'trustedRegistries');
          if (list) config.trustedRegistries = list;
          break;
        }
        case 'targetStage':
          if (isScalar(value) && (typeof value.value === 'string' || typeof value.value === 'number') && String(value.value).trim())
            config.targetStage = String(value.value).trim();
          else problem(value ?? pair, 'targetStage must be a stage name or index');
          break;
        case 'ignore': {
          const list = strings(value, 'ignore');
          if (list) config.ignore = list;
          break;
        }
        case 'roles':
          if (!isMap(value)) {
            problem(value ?? pair, `roles must be a mapping of path globs to one of ${ROLES.join(', ')}`);
            break;
          }
          for (const rp of value.items) {
            const glob = isScalar(rp.key) ? String(rp.key.value) : '';
            const role = isScalar(rp.value) ? String(rp.value.value) : '';
            if (!glob) problem(rp.key as Node, 'roles: a key must be a path glob');
            else if (!(ROLES as readonly string[]).includes(role))
              problem((rp.value ?? rp.key) as Node, `roles: "${role}" is not one of ${ROLES.join(', ')}`);
            else config.roles.push({ glob, role: role as RoleKind });
          }
          break;
        default:
          problem(pair.key as Node, `unknown key "${key}" (known: rules, trustedRegistries, targetStage, ignore, roles)`);
      }
    }
    return config;
  }

  // .hadolint.yaml
  const hadolint: HadolintSettings = { ignored: new Set(), override: new Map() };
  config.hadolint = hadolint;
  const codes = (node: unknown, what: string): string[] => {
    const list = strings(node, what) ?? [];
    return list.map((c) => c.toUpperCase());
  };
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value as Node | null;
    switch (key) {
      case 'ignored':
        for (const c of codes(value, 'ignored')) hadolint.ignored.add(c);
        break;
      case 'override':
        if (!isMap(value)) {
          problem(value ?? pair, 'override must be a mapping of error/warning/info/style to lists of codes');
          break;
        }
        for (const op of value.items) {
          const level = isScalar(op.key) ? String(op.key.value) : '';
          const sev = HADOLINT_SEVERITY[level];
          if (!sev) {
            problem(op.key as Node, `override: "${level}" is not one of error, warning, info, style`);
            continue;
          }
          for (const c of codes(op.value, `override.${level}`)) hadolint.override.set(c, sev);
        }
        break;
      case 'trustedRegistries': {
        const list = strings(value, 'trustedRegistries');
        if (list) config.trustedRegistries = list;
        break;
      }
      case 'failure-threshold': {
        const v = isScalar(value) ? String(value.value) : '';
        if (v === 'ignore' || v === 'none') config.failLevel = 'none';
        else if (HADOLINT_SEVERITY[v]) config.failLevel = HADOLINT_SEVERITY[v];
        else problem(value ?? pair, `failure-threshold must be one of error, warning, info, style, ignore, none`);
        break;
      }
      default:
        problem(
          pair.key as Node,
          HADOLINT_UNSUPPORTED.has(key)
            ? `hadolint's "${key}" has no equivalent in dockerfile-hardener and is not applied`
            : `unknown hadolint key "${key}"`,
          'warning',
        );
    }
  }
  return config;
}

const matchers = new Map<string, (path: string) => boolean>();

/**
 * Whether a `/`-separated relative path matches a glob (picomatch: `*`, `**`, `?`, `[…]`, braces,
 * extglobs; `*` matches dot files too). A pattern naming a directory matches everything under it.
 */
export function matchesGlob(glob: string, rel: string): boolean {
  let m = matchers.get(glob);
  if (!m) {
    const g = glob.replace(/^\.\//, '').replace(/\/+$/, '');
    m = picomatch([g, `${g}/**`], { dot: true });
    matchers.set(glob, m);
  }
  return m(rel);
}

/** The role the config's `roles` globs give `file` (the first that matches), if any. */
export function configuredRole(config: ProjectConfig, file: string): RoleKind | undefined {
  if (!config.roles.length) return undefined;
  const rel = path.relative(path.dirname(config.file), file).split(path.sep).join('/');
  if (rel.startsWith('..')) return undefined;
  return config.roles.find((r) => matchesGlob(r.glob, rel))?.role;
}

/** Whether `file` is excluded by the config's `ignore` globs. */
export function isIgnoredPath(config: ProjectConfig, file: string): boolean {
  if (!config.ignore.length) return false;
  const rel = path.relative(path.dirname(config.file), file).split(path.sep).join('/');
  if (rel.startsWith('..')) return false;
  // As in .gitignore: the last pattern that matches decides, and `!pattern` takes a path back.
  let ignored = false;
  for (const g of config.ignore) {
    const negated = g.startsWith('!');
    if (matchesGlob(negated ? g.slice(1) : g, rel)) ignored = !negated;
  }
  return ignored;
}
