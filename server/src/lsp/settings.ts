/**
 * The `dockerfileHardener` settings as a client sends them: `{ rules: { "<id>": "off|hint|info|
 * warning|error" }, targetStage }`. Editors that flatten settings send `"rules.<id>"` keys; both
 * are read. Unknown rule ids and bad values are reported and ignored, never fatal.
 */
import { SEVERITIES, type SeveritySetting } from '../engine/rule';
import { isSettingId } from '../rules';

export interface Settings {
  rules: Record<string, SeveritySetting>;
  targetStage?: string;
  /** Seconds to wait for a registry for one image when pinning or checking digests (`registry.timeout`). */
  registryTimeout: number;
  /** Registry lookups for completion and hover in trusted workspaces (`registry.lookups`, default true). */
  registryLookups: boolean;
  /** What could not be used, for the log. */
  problems: string[];
}

const VALUES = new Set<string>([...SEVERITIES, 'off']);
/** Seconds a registry has to answer for one image (the `registry.timeout` setting's default). */
export const DEFAULT_REGISTRY_TIMEOUT = 10;

export function parseSettings(raw: unknown): Settings {
  const settings: Settings = { rules: {}, registryTimeout: DEFAULT_REGISTRY_TIMEOUT, registryLookups: true, problems: [] };
  if (raw === null || raw === undefined) return settings;
  if (typeof raw !== 'object') {
    settings.problems.push(`settings must be an object, got ${typeof raw}`);
    return settings;
  }
  const obj = raw as Record<string, unknown>;
  const entries: [string, unknown][] = [];
  if (obj.rules && typeof obj.rules === 'object') entries.push(...Object.entries(obj.rules as Record<string, unknown>));
  for (const [k, v] of Object.entries(obj)) if (k.startsWith('rules.')) entries.push([k.slice(6), v]);
  for (const [id, value] of entries) {
    if (!isSettingId(id)) {
      settings.problems.push(`unknown rule "${id}"`);
      continue;
    }
    if (value === null || value === undefined || value === '') continue;
    if (typeof value !== 'string' || !VALUES.has(value)) {
      settings.problems.push(`rule "${id}": "${String(value)}" is not one of off, hint, info, warning, error`);
      continue;
    }
    settings.rules[id] = value as SeveritySetting;
  }
  if (typeof obj.targetStage === 'string' && obj.targetStage.trim()) settings.targetStage = obj.targetStage.trim();
  const timeout =
    obj['registry.timeout'] ??
    (obj.registry && typeof obj.registry === 'object' ? (obj.registry as Record<string, unknown>).timeout : undefined);
  if (timeout !== undefined && timeout !== null) {
    if (typeof timeout === 'number' && timeout > 0 && timeout <= 300) settings.registryTimeout = timeout;
    else settings.problems.push(`registry.timeout: "${String(timeout)}" is not a number of seconds (more than 0, at most 300)`);
  }
  const lookups =
    obj['registry.lookups'] ??
    (obj.registry && typeof obj.registry === 'object' ? (obj.registry as Record<string, unknown>).lookups : undefined);
  if (lookups !== undefined && lookups !== null) {
    if (typeof lookups === 'boolean') settings.registryLookups = lookups;
    else settings.problems.push(`registry.lookups: "${String(lookups)}" is not true or false`);
  }
  return settings;
}

/**
 * Each document's settings: pulled from the client per document where it can be asked
 * (`workspace/configuration`), else the ones it pushed (initializationOptions, didChangeConfiguration).
 */
export class ClientSettings {
  private pushed: Settings = parseSettings(undefined);
  private readonly cache = new Map<string, Promise<Settings>>();

  /**
   * @param pull asks the client for a document's `dockerfileHardener` section; undefined when the
   * client cannot be asked.
   * @param warn where settings that cannot be used are reported.
   */
  constructor(
    private readonly pull: ((uri: string) => Promise<unknown>) | undefined,
    private readonly warn: (message: string) => void,
  ) {}

  /** Settings the client pushed; undefined leaves the last ones. */
  push(raw: unknown): void {
    this.cache.clear();
    if (raw === undefined) return;
    this.pushed = this.parse(raw);
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  for(uri: string): Promise<Settings> {
    const pull = this.pull;
    if (!pull) return Promise.resolve(this.pushed);
    let p = this.cache.get(uri);
    if (!p) {
      p = pull(uri)
        .then((raw) => (raw === null || raw === undefined ? this.pushed : this.parse(raw)))
        .catch(() => this.pushed);
      this.cache.set(uri, p);
    }
    return p;
  }

  private parse(raw: unknown): Settings {
    const parsed = parseSettings(raw);
    for (const problem of parsed.problems) this.warn(`dockerfileHardener settings: ${problem}`);
    return parsed;
  }
}
