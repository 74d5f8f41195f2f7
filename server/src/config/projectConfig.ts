/**
 * Project configuration files, read the same way by the CLI and the language server.
 *
 * `.dockerfile-hardener.yaml` (searched upward from the Dockerfile's directory):
 *     rules: { <id>: off|hint|info|warning|error }
 *     trustedRegistries: [docker.io, ghcr.io]
 *     targetStage: runtime
 *     ignore: ["vendor/**", "**\/testdata/**", "!vendor/ours/**"]   # path globs, relative to the file's directory; the last match decides
 *     roles: { "ci/**": ci, "Dockerfile.builder": builder }   # what images are for (model/runtime.ts)
 *     labelSchema: { org.opencontainers.image.source: url }      # labels images must set, and their types
 *     strictLabels: true                                          # and no others (label-schema)
 *     customRules: [{ id, message, severity, stages, match: { instruction, command, args, pattern } }]   # config/customRules.ts
 *     context: ..                                                 # the build context's root, relative to the file's directory
 *     imageFacts: cache                                           # off | cache | fetch: what registries said of the images (registry/facts.ts)
 *     staleBaseDays: 180                                          # stale-base's limit
 *
 * Without one, `.hadolint.yaml` / `.hadolint.yml` is honoured: `ignored`, `override`
 * (error/warning/info/style), `trustedRegistries`, `label-schema`, `strict-labels` and
 * `failure-threshold`, mapped through each
 * rule's hadolint equivalents. Keys that are not supported are reported once, never dropped
 * silently. A file that cannot be used is reported with its line and the defaults apply.
 */
import type { Node, Pair } from 'yaml';
import picomatch from 'picomatch';
import * as path from 'node:path';
import { LABEL_TYPES, SEVERITIES, type LabelType, type Severity, type SeveritySetting } from '../engine/rule';
import { isSettingId } from '../rules';
import { ROLES, type RoleKind } from '../model/runtime';
import type { CustomRule } from '../engine/findings';
import { readCustomRules } from './customRules';

/** `off`: no image facts; `cache`: what earlier lookups stored on disk; `fetch`: ask registries for what the cache lacks. */
export const IMAGE_FACTS_MODES = ['off', 'cache', 'fetch'] as const;
export type ImageFactsMode = (typeof IMAGE_FACTS_MODES)[number];

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
  /** Labels images must set → the type of their values (label-schema). */
  labelSchema?: Record<string, LabelType>;
  /** Labels outside labelSchema are reported. */
  strictLabels?: boolean;
  targetStage?: string;
  /** The build context's root (`context:`, absolute), when the build sends another directory than the Dockerfile's. */
  context?: string;
  /** Path globs (relative to the config file's directory) of Dockerfiles not to lint. */
  ignore: string[];
  /** Path globs (relative to the config file's directory) → the role of the images they build. */
  roles: { glob: string; role: RoleKind }[];
  /** hadolint's failure-threshold, as a CLI fail level. */
  failLevel?: Severity | 'none';
  /** The project's own rules (`customRules:`), those without a problem. */
  customRules?: CustomRule[];
  /** Where image facts come from (`imageFacts:`): none, the disk cache, or registries (the CLI's `--image-facts`). */
  imageFacts?: ImageFactsMode;
  /** stale-base's limit in days (`staleBaseDays:`). */
  staleBaseDays?: number;
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

/** A YAML document as plain data (Compose files: buildFiles.ts), with the same lazily loaded parser. */
export function parseYaml(text: string): unknown {
  const doc = yaml().parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length) throw new Error(doc.errors[0].message);
  return doc.toJS({ maxAliasCount: 100 });
}

const VALUES = ['off', ...SEVERITIES];
const HADOLINT_SEVERITY: Record<string, Severity> = { error: 'error', warning: 'warning', info: 'info', style: 'hint' };
const HADOLINT_UNSUPPORTED = new Set(['no-fail', 'no-color', 'disable-ignore-pragma', 'format', 'output-file', 'verbose']);

export function parseConfig(file: string, text: string): ProjectConfig {
  const kind = HADOLINT_CONFIG_NAMES.includes(path.basename(file)) ? 'hadolint' : 'dockerfile-hardener';
  const config: ProjectConfig = { file, kind, rules: {}, ignore: [], roles: [], problems: [] };
  const y = yaml();
  const lc = new y.LineCounter();
  const doc = y.parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  for (const e of doc.errors) {
    const pos = e.linePos?.[0] ?? { line: 1, col: 1 };
    config.problems.push({ line: pos.line, column: pos.col, message: `not valid YAML: ${e.message.split('\n')[0]}`, severity: 'error' });
  }
  if (doc.errors.length) return config;
  const root = doc.contents;
  if (root === null || (y.isScalar(root) && (root.value === null || root.value === ''))) return config; // empty file
  const r = new Reader(y, lc, config);
  if (!y.isMap(root)) {
    r.problem(root, 'the file must be a mapping of settings');
    return config;
  }
  if (kind === 'hadolint') config.hadolint = { ignored: new Set(), override: new Map() };
  const keyOf = (pair: Pair) => (y.isScalar(pair.key) ? String(pair.key.value) : '');
  // The custom rules first, wherever they are written: `rules:` may set their severities.
  const custom = kind === 'dockerfile-hardener' ? root.items.find((p) => keyOf(p) === 'customRules') : undefined;
  if (custom) config.customRules = readCustomRules(r, custom.value as Node | null, custom, r.customIds);
  for (const pair of root.items) {
    if (pair === custom) continue;
    if (kind === 'dockerfile-hardener') readOwnKey(r, keyOf(pair), pair);
    else readHadolintKey(r, keyOf(pair), pair);
  }
  config.problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return config;
}

/** Reads YAML nodes into a config, with each problem at its line and column. */
export class Reader {
  /** The ids `customRules:` declares (those of rules dropped for a problem too). */
  readonly customIds = new Set<string>();

  constructor(
    readonly y: typeof import('yaml'),
    private readonly lc: import('yaml').LineCounter,
    readonly config: ProjectConfig,
  ) {}

  problem(node: unknown, message: string, severity: 'error' | 'warning' = 'error'): void {
    const n = node && typeof node === 'object' && 'key' in node ? ((node as Pair).key as Node | null) : (node as Node | null | undefined);
    const pos = this.lc.linePos(n?.range ? n.range[0] : 0);
    this.config.problems.push({ line: pos.line, column: pos.col, message, severity });
  }

  /** A list of non-empty strings, or undefined (and a problem) when the node is not a list. */
  strings(node: unknown, what: string): string[] | undefined {
    if (!this.y.isSeq(node)) {
      this.problem(node, `${what} must be a list`);
      return undefined;
    }
    const out: string[] = [];
    for (const item of node.items) {
      if (this.y.isScalar(item) && typeof item.value === 'string' && item.value.trim()) out.push(item.value.trim());
      else this.problem(item, `${what} entries must be non-empty strings`);
    }
    return out;
  }

  /** A mapping's entries as [key, value node, pair], or undefined (and a problem) when it is not one. */
  entries(node: unknown, orAt: unknown, message: string): [string, Node | null, Pair][] | undefined {
    if (!this.y.isMap(node)) {
      this.problem(node ?? orAt, message);
      return undefined;
    }
    return node.items.map((p) => [this.y.isScalar(p.key) ? String(p.key.value) : '', p.value as Node | null, p as Pair]);
  }

  /** A label schema: label → type (an empty type is `text`, as in hadolint). */
  labelSchema(node: unknown, orAt: unknown, what: string): Record<string, LabelType> | undefined {
    const entries = this.entries(node, orAt, `${what} must be a mapping of label to one of ${LABEL_TYPES.join(', ')}`);
    if (!entries) return undefined;
    const out: Record<string, LabelType> = {};
    for (const [label, v, p] of entries) {
      const type =
        v === null || (this.y.isScalar(v) && (v.value === null || v.value === '')) ? 'text' : this.y.isScalar(v) ? String(v.value) : '';
      if (!label.trim()) this.problem(p.key, `${what}: a key must be a label name`);
      else if (!(LABEL_TYPES as readonly string[]).includes(type))
        this.problem(v ?? p.key, `${what}: "${label}" has type "${type}", which is not one of ${LABEL_TYPES.join(', ')}`);
      else out[label.trim()] = type as LabelType;
    }
    return out;
  }

  /** true or false, or undefined (and a problem). */
  boolean(node: unknown, orAt: unknown, what: string): boolean | undefined {
    if (this.y.isScalar(node) && typeof node.value === 'boolean') return node.value;
    this.problem(node ?? orAt, `${what} must be true or false`);
    return undefined;
  }
}

function readOwnKey(r: Reader, key: string, pair: Pair): void {
  const { y, config } = r;
  const value = pair.value as Node | null;
  switch (key) {
    case 'rules':
      for (const [id, v, rp] of r.entries(value, pair, 'rules must be a mapping of rule id to off, hint, info, warning or error') ?? []) {
        const level = y.isScalar(v) ? v.value : undefined;
        if (!isSettingId(id) && !r.customIds.has(id)) r.problem(rp.key, `unknown rule "${id}"`);
        else if (typeof level !== 'string' || !VALUES.includes(level))
          r.problem(v ?? rp.key, `rule "${id}": the value must be one of ${VALUES.join(', ')}`);
        else config.rules[id] = level as SeveritySetting;
      }
      break;
    case 'trustedRegistries':
      config.trustedRegistries = r.strings(value, 'trustedRegistries') ?? config.trustedRegistries;
      break;
    case 'labelSchema':
      config.labelSchema = r.labelSchema(value, pair, 'labelSchema') ?? config.labelSchema;
      break;
    case 'strictLabels':
      config.strictLabels = r.boolean(value, pair, 'strictLabels') ?? config.strictLabels;
      break;
    case 'targetStage':
      if (y.isScalar(value) && (typeof value.value === 'string' || typeof value.value === 'number') && String(value.value).trim())
        config.targetStage = String(value.value).trim();
      else r.problem(value ?? pair, 'targetStage must be a stage name or index');
      break;
    case 'ignore':
      config.ignore = r.strings(value, 'ignore') ?? config.ignore;
      break;
    case 'context':
      if (y.isScalar(value) && typeof value.value === 'string' && value.value.trim())
        config.context = path.resolve(path.dirname(config.file), value.value.trim());
      else r.problem(value ?? pair, 'context must be a directory path (relative to this file)');
      break;
    case 'imageFacts': {
      const v = y.isScalar(value) ? String(value.value) : '';
      if ((IMAGE_FACTS_MODES as readonly string[]).includes(v)) config.imageFacts = v as ImageFactsMode;
      else r.problem(value ?? pair, `imageFacts must be one of ${IMAGE_FACTS_MODES.join(', ')}`);
      break;
    }
    case 'staleBaseDays': {
      const v = y.isScalar(value) ? value.value : undefined;
      if (typeof v === 'number' && Number.isInteger(v) && v > 0) config.staleBaseDays = v;
      else r.problem(value ?? pair, 'staleBaseDays must be a whole number of days above 0');
      break;
    }
    case 'roles':
      for (const [glob, v, rp] of r.entries(value, pair, `roles must be a mapping of path globs to one of ${ROLES.join(', ')}`) ?? []) {
        const role = y.isScalar(v) ? String(v.value) : '';
        if (!glob) r.problem(rp.key, 'roles: a key must be a path glob');
        else if (!(ROLES as readonly string[]).includes(role)) r.problem(v ?? rp.key, `roles: "${role}" is not one of ${ROLES.join(', ')}`);
        else config.roles.push({ glob, role: role as RoleKind });
      }
      break;
    default:
      r.problem(
        pair.key,
        `unknown key "${key}" (known: rules, trustedRegistries, targetStage, ignore, roles, labelSchema, strictLabels, customRules, context, imageFacts, staleBaseDays)`,
      );
  }
}

function readHadolintKey(r: Reader, key: string, pair: Pair): void {
  const { y, config } = r;
  const hadolint = config.hadolint!;
  const value = pair.value as Node | null;
  const codes = (node: unknown, what: string): string[] => (r.strings(node, what) ?? []).map((c) => c.toUpperCase());
  switch (key) {
    case 'ignored':
      for (const c of codes(value, 'ignored')) hadolint.ignored.add(c);
      break;
    case 'override':
      for (const [level, v, op] of r.entries(value, pair, 'override must be a mapping of error/warning/info/style to lists of codes') ??
        []) {
        const sev = HADOLINT_SEVERITY[level];
        if (!sev) r.problem(op.key, `override: "${level}" is not one of error, warning, info, style`);
        else for (const c of codes(v, `override.${level}`)) hadolint.override.set(c, sev);
      }
      break;
    case 'trustedRegistries':
      config.trustedRegistries = r.strings(value, 'trustedRegistries') ?? config.trustedRegistries;
      break;
    case 'label-schema':
      config.labelSchema = r.labelSchema(value, pair, 'label-schema') ?? config.labelSchema;
      break;
    case 'strict-labels':
      config.strictLabels = r.boolean(value, pair, 'strict-labels') ?? config.strictLabels;
      break;
    case 'failure-threshold': {
      const v = y.isScalar(value) ? String(value.value) : '';
      if (v === 'ignore' || v === 'none') config.failLevel = 'none';
      else if (HADOLINT_SEVERITY[v]) config.failLevel = HADOLINT_SEVERITY[v];
      else r.problem(value ?? pair, `failure-threshold must be one of error, warning, info, style, ignore, none`);
      break;
    }
    default:
      r.problem(
        pair.key,
        HADOLINT_UNSUPPORTED.has(key)
          ? `hadolint's "${key}" has no equivalent in dockerfile-hardener and is not applied`
          : `unknown hadolint key "${key}"`,
        'warning',
      );
  }
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
