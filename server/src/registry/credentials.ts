/**
 * Registry credentials found the way Docker finds them: `$DOCKER_CONFIG/config.json`, else
 * `~/.docker/config.json`; for a registry, `credHelpers[host]`, then `credsStore`, then
 * `auths[host]` (Docker Hub's key is `https://index.docker.io/v1/`). A helper is run as
 * `docker-credential-<name> get` with the server URL on stdin and answers
 * `{"ServerURL","Username","Secret"}`; a Username of `<token>` means the Secret is an identity
 * (refresh) token. Credentials are returned to the client only; nothing here logs them.
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RegistryError } from './errors';
import { DOCKER_HUB, type Endpoint } from '../model/registryNames';
import { Secrets, serverText } from './redact';

/** "at line L, column C" of a JSON.parse error, from the position in its message; nothing else of it. */
function jsonErrorPlace(text: string, e: unknown): string {
  const said = e instanceof Error ? e.message : '';
  const m = /position (\d+)/.exec(said);
  if (!m) return said && !/["'`]/.test(said) ? serverText(said, 80) : 'a syntax error';
  const before = text.slice(0, Number(m[1]));
  const line = before.split('\n').length;
  return `at line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
}

/** A helper's message without any secret its stdout held (when it printed an answer and failed anyway). */
function redactHelperOutput(message: string, stdout: string): string {
  const secrets = new Secrets();
  try {
    const parsed = JSON.parse(stdout) as { Username?: unknown; Secret?: unknown };
    if (typeof parsed.Secret === 'string') {
      secrets.add(parsed.Secret);
      if (typeof parsed.Username === 'string') secrets.addBasic(parsed.Username, parsed.Secret);
    }
  } catch {
    // not JSON: nothing of stdout was quoted
  }
  return secrets.redact(message);
}

export type Credential =
  { kind: 'basic'; username: string; password: string; source: string } | { kind: 'identity-token'; token: string; source: string };

export interface CredentialSource {
  get(endpoint: Endpoint, signal: AbortSignal): Promise<Credential | undefined>;
}

export interface DockerCredentialsOptions {
  /** Environment to read DOCKER_CONFIG and HOME from, and to run helpers with (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Run credential helpers (off in untrusted workspaces). Default true. */
  helpers?: boolean;
  /** How long a lookup is reused, in ms (default 60 s). */
  ttlMs?: number;
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

const HUB_HOSTS = new Set(['index.docker.io', 'docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** `https://host:port/v1/` → `host:port`, as Docker compares config keys with registries. */
function keyHost(key: string): string {
  return key
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
}

function keyMatches(key: string, endpoint: Endpoint): boolean {
  if (key === endpoint.credentialKey) return true;
  const host = keyHost(key);
  return endpoint.registry === DOCKER_HUB ? HUB_HOSTS.has(host) : host === endpoint.registry;
}

function lookupKey<T>(map: Record<string, T> | undefined, endpoint: Endpoint): T | undefined {
  if (!map) return undefined;
  if (Object.prototype.hasOwnProperty.call(map, endpoint.credentialKey)) return map[endpoint.credentialKey];
  for (const [k, v] of Object.entries(map)) if (keyMatches(k, endpoint)) return v;
  return undefined;
}

export class DockerCredentials implements CredentialSource {
  private readonly env: NodeJS.ProcessEnv;
  private readonly helpers: boolean;
  private readonly ttlMs: number;
  private readonly cache = new Map<string, { at: number; value: Promise<Credential | undefined> }>();

  constructor(options: DockerCredentialsOptions = {}) {
    this.env = options.env ?? process.env;
    this.helpers = options.helpers ?? true;
    this.ttlMs = options.ttlMs ?? 60_000;
  }

  /** The config file Docker reads. */
  configFile(): string {
    const dir = this.env.DOCKER_CONFIG || path.join(this.env.HOME || os.homedir(), '.docker');
    return path.join(dir, 'config.json');
  }

  get(endpoint: Endpoint, signal: AbortSignal): Promise<Credential | undefined> {
    const hit = this.cache.get(endpoint.credentialKey);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value;
    const value = this.find(endpoint, signal);
    this.cache.set(endpoint.credentialKey, { at: Date.now(), value });
    value.catch(() => this.cache.delete(endpoint.credentialKey)); // failures are not remembered
    return value;
  }

  private async readConfig(): Promise<DockerConfig | undefined> {
    const file = this.configFile();
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new RegistryError('credentials', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (!parsed || typeof parsed !== 'object') throw new Error('not an object');
      return parsed as DockerConfig;
    } catch (e) {
      // Only where: the parser's own message quotes the text around the error, which may be a password.
      throw new RegistryError('credentials', `${file} is not valid JSON (${jsonErrorPlace(text, e)}); fix it or run docker login again`);
    }
  }

  private async find(endpoint: Endpoint, signal: AbortSignal): Promise<Credential | undefined> {
    const config = await this.readConfig();
    if (!config) return undefined;
    const file = this.configFile();
    if (this.helpers) {
      const helper = lookupKey(config.credHelpers, endpoint);
      if (typeof helper === 'string' && helper) {
        const c = await this.runHelper(helper, endpoint, signal, `credHelpers in ${file}`);
        if (c) return c;
      }
      if (typeof config.credsStore === 'string' && config.credsStore) {
        const c = await this.runHelper(config.credsStore, endpoint, signal, `credsStore in ${file}`);
        if (c) return c;
      }
    }
    const entry = lookupKey(config.auths, endpoint);
    if (!entry || typeof entry !== 'object') return undefined;
    const source = file;
    if (typeof entry.identitytoken === 'string' && entry.identitytoken)
      return { kind: 'identity-token', token: entry.identitytoken, source };
    if (typeof entry.auth === 'string' && entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon <= 0)
        throw new RegistryError('credentials', `the auth entry for ${endpoint.registry} in ${file} is not base64 of user:password`);
      return { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1), source };
    }
    if (typeof entry.username === 'string' && typeof entry.password === 'string' && entry.username) {
      return { kind: 'basic', username: entry.username, password: entry.password, source };
    }
    return undefined;
  }

  private runHelper(name: string, endpoint: Endpoint, signal: AbortSignal, namedBy: string): Promise<Credential | undefined> {
    if (!HELPER_NAME.test(name)) {
      return Promise.reject(new RegistryError('credentials', `"${name}" (${namedBy}) is not a credential helper name`));
    }
    const program = `docker-credential-${name}`;
    return new Promise<Credential | undefined>((resolve, reject) => {
      const child = spawn(program, ['get'], { env: this.env, stdio: ['pipe', 'pipe', 'pipe'], signal, windowsHide: true });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => {
        if (out.length < 65536) out += c;
      });
      child.stderr.setEncoding('utf8').on('data', (c: string) => {
        if (err.length < 4096) err += c;
      });
      child.stdin.on('error', () => undefined); // a helper that exits without reading stdin
      child.on('error', (e) => {
        if (signal.aborted) reject(signal.reason);
        else if ((e as NodeJS.ErrnoException).code === 'ENOENT')
          reject(new RegistryError('credentials', `${program} (${namedBy}) is not installed or not on PATH`));
        else reject(new RegistryError('credentials', `${program} could not run: ${e.message}`));
      });
      child.on('close', (code) => {
        if (signal.aborted) return reject(signal.reason);
        const said = `${out}\n${err}`;
        if (code !== 0) {
          if (/credentials not found/i.test(said)) return resolve(undefined);
          // Its first line of stderr says why; stdout is never quoted (a helper may have written the
          // secret there before failing), and whatever the helper said loses any secret it answered.
          const first = serverText(err.trim().split('\n')[0] ?? '', 200);
          return reject(
            new RegistryError(
              'credentials',
              redactHelperOutput(`${program} get failed for ${endpoint.registry} (exit ${code})${first ? `: ${first}` : ''}`, out),
            ),
          );
        }
        let parsed: { Username?: unknown; Secret?: unknown };
        try {
          parsed = JSON.parse(out) as typeof parsed;
        } catch {
          return reject(new RegistryError('credentials', `${program} get answered something that is not JSON`));
        }
        const username = typeof parsed.Username === 'string' ? parsed.Username : '';
        const secret = typeof parsed.Secret === 'string' ? parsed.Secret : '';
        if (!secret) return resolve(undefined);
        const source = program;
        if (username === '<token>') return resolve({ kind: 'identity-token', token: secret, source });
        resolve({ kind: 'basic', username, password: secret, source });
      });
      child.stdin.end(endpoint.credentialKey);
    });
  }
}
