/**
 * Resolves an image tag to the digest it points at now, over the OCI Distribution API:
 *
 *   HEAD /v2/<repository>/manifests/<tag>   Accept: OCI index, Docker manifest list, OCI manifest,
 *                                                   Docker manifest v2 (all four, always)
 *
 * The digest is `Docker-Content-Digest`; without it, the manifest is fetched and hashed. All four
 * types are accepted so that a multi-platform tag gives the digest of its index (an incomplete list
 * makes a registry answer with one platform's manifest instead; none at all, a schema 1 manifest,
 * which is rejected).
 *
 * Authentication: anonymous first; on 401 the challenge decides: Basic (credentials from Docker's
 * config, to this registry only) or Bearer (a token from the realm the registry names, requested
 * with `service` and `scope=repository:<repo>:pull`, cached per realm, service, scope and identity
 * until it expires). Credentials never go over plain HTTP beyond loopback. The challenge is kept per
 * registry, so later images skip the anonymous round trip.
 *
 * Each resolution has a deadline (default 10 s) and can be cancelled; a 429 is retried once after
 * its Retry-After if that fits before the deadline. Results are cached for a short while (30 s).
 *
 * A registry is not trusted either:
 *   - Names are checked before any request (names.ts `invalidName`): a registry, repository or tag
 *     with `..`, `%`, `?`, `#`, blanks or control characters never becomes a URL.
 *   - Redirects are followed, deliberately: redirector registries (registry.k8s.io) send manifest
 *     requests to another host. At most 3, never to plain HTTP or to loopback from a registry that is
 *     neither, never to a URL with user info, and the Authorization header never goes to another
 *     origin. When the host a redirect led to asks for a token, it gets an anonymous one (its realm
 *     under the same rules); the registry's credentials never follow a redirect.
 *   - A token realm gets credentials over HTTPS, or over plain HTTP only when the registry and the
 *     realm are both on loopback.
 *   - Bodies are capped (4 MiB for a manifest, 1 MiB for a token; http.ts); the deadline covers a
 *     server that drips its answer. A Docker-Content-Digest sent with a manifest must be its hash.
 *   - Messages carry text from servers only cleaned (one line, cut short) and with every credential of
 *     the attempt (and tokens obtained with them) replaced by *** (redact.ts), whatever a server echoes.
 */
import { createHash } from 'node:crypto';
import { RegistryError } from './errors';
import { HttpClient, type HttpResponse, type Transport } from './http';
import { displayImage, endpointFor, imageKey, invalidName, isLoopback, type Endpoint, type ImageName } from '../model/registryNames';
import type { Credential, CredentialSource } from './credentials';
import { Secrets, serverText } from './redact';

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
/** Every type a tag may point at, indexes first. */
export const MANIFEST_TYPES = [OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST] as const;
const SCHEMA1_TYPES = ['application/vnd.docker.distribution.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v1+prettyjws'];
const ACCEPT = MANIFEST_TYPES.join(', ');
const MAX_MANIFEST = 4 * 1024 * 1024;
const MAX_TOKEN = 1024 * 1024;
const MAX_REDIRECTS = 3;
const SHA256 = /^sha256:[0-9a-f]{64}$/;
const SHA512 = /^sha512:[0-9a-f]{128}$/;
/** What an Authorization header can carry (RFC 7235 token68); anything else could inject headers. */
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

export interface RegistryClientOptions {
  /** Where credentials come from; false: anonymous only. Default: none (anonymous). */
  credentials?: CredentialSource | false;
  /** Deadline of one image's resolution, in ms (default 10 000). */
  timeoutMs?: number;
  /** How long a resolved digest is reused, in ms (default 30 000; 0 disables the cache). */
  cacheTtlMs?: number;
  transport?: Transport;
  userAgent?: string;
}

export interface ResolveOptions {
  signal?: AbortSignal;
  /** Overrides the client's deadline for this image. */
  timeoutMs?: number;
}

export interface ResolvedDigest {
  digest: string;
  /** The manifest's media type: an index or list for multi-platform tags. */
  mediaType: string;
}

interface Challenge {
  scheme: 'basic' | 'bearer';
  realm?: string;
  service?: string;
  error?: string;
}

/** Parses `Bearer realm="…",service="…",scope="…"` (the first Basic or Bearer challenge). */
export function parseChallenge(header: string | string[] | undefined): Challenge | undefined {
  const values = Array.isArray(header) ? header : header ? [header] : [];
  for (const value of values) {
    const m = /^\s*(basic|bearer)\b\s*(.*)$/is.exec(value);
    if (!m) continue;
    const params: Record<string, string> = {};
    const re = /([A-Za-z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
    for (let p = re.exec(m[2]); p; p = re.exec(m[2])) params[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3];
    return { scheme: m[1].toLowerCase() as Challenge['scheme'], realm: params.realm, service: params.service, error: params.error };
  }
  return undefined;
}

/** Seconds (or an HTTP date) of a Retry-After header, in ms; undefined when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(header) ? header[0] : header;
  if (!v) return undefined;
  if (/^\s*\d+\s*$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

function mediaTypeOf(res: HttpResponse): string {
  const ct = res.headers['content-type'];
  return (Array.isArray(ct) ? ct[0] : (ct ?? '')).split(';')[0].trim().toLowerCase();
}

function header(res: HttpResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The registry's own words for an error answer (`MANIFEST_UNKNOWN: manifest unknown`), if any. */
function registryErrors(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { errors?: { code?: string; message?: string }[] };
    const parts = (Array.isArray(parsed.errors) ? parsed.errors : [])
      .slice(0, 3)
      .map((e) => [e?.code, e?.message].filter((x) => typeof x === 'string' && x).join(': '))
      .filter(Boolean);
    return parts.length ? serverText(parts.join('; ')) : undefined;
  } catch {
    return undefined;
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** One image's resolution: its endpoint, deadline and what has been tried. */
interface Attempt {
  name: ImageName;
  display: string;
  endpoint: Endpoint;
  scope: string;
  signal: AbortSignal;
  deadline: number;
  /** Credentials, looked up at most once per attempt. */
  credential?: Promise<Credential | undefined>;
  /** Set when credentials were withheld from a token realm (plain HTTP beyond loopback). */
  withheldFrom?: string;
  /** Credentials were sent (to the registry or its token realm). */
  sentCredentials?: boolean;
  /** Every credential and token of this attempt, kept out of its error messages. */
  secrets: Secrets;
}

export class RegistryClient {
  private readonly http: HttpClient;
  private readonly timeoutMs: number;
  private readonly cacheTtlMs: number;
  private readonly userAgent: string;
  private readonly cache = new Map<string, { at: number; value: ResolvedDigest }>();
  private readonly tokens = new Map<string, { token: string; expires: number }>();
  private readonly challenges = new Map<string, Challenge>();

  constructor(private readonly options: RegistryClientOptions = {}) {
    this.http = new HttpClient(options.transport);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.cacheTtlMs = options.cacheTtlMs ?? 30_000;
    this.userAgent = options.userAgent ?? 'dockerfile-hardener';
  }

  /** Closes kept-alive connections (the CLI calls this before exiting). */
  close(): void {
    this.http.close();
  }

  /** The digest `name`'s tag (default `latest`) points at now. */
  async resolve(name: ImageName, opts: ResolveOptions = {}): Promise<ResolvedDigest> {
    // Refused before anything is looked up or sent: the name could leave the URL path.
    const invalid = invalidName(name);
    if (invalid) throw new RegistryError('invalid-name', `cannot ask a registry for this image: ${invalid}`);
    const key = imageKey(name);
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < this.cacheTtlMs) return hit.value;
    const endpoint = endpointFor(name.registry);
    const display = displayImage(name);
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(
      () =>
        controller.abort(
          new RegistryError(
            'timeout',
            `${display}: no answer from ${endpoint.host} within ${formatSeconds(timeoutMs)} (the registry timeout)`,
          ),
        ),
      timeoutMs,
    );
    const onCancel = () => controller.abort(new RegistryError('cancelled', `${display}: cancelled`));
    if (opts.signal?.aborted) onCancel();
    opts.signal?.addEventListener('abort', onCancel, { once: true });
    const attempt: Attempt = {
      name,
      display,
      endpoint,
      scope: `repository:${name.repository}:pull`,
      signal: controller.signal,
      deadline: Date.now() + timeoutMs,
      secrets: new Secrets(),
    };
    try {
      const value = await this.resolveAttempt(attempt);
      if (this.cacheTtlMs > 0) this.cache.set(key, { at: Date.now(), value });
      return value;
    } catch (e) {
      let error: RegistryError;
      if (controller.signal.aborted && e !== controller.signal.reason && controller.signal.reason instanceof RegistryError)
        error = controller.signal.reason;
      else if (e instanceof RegistryError) error = e;
      else error = new RegistryError('bad-response', `${display}: ${e instanceof Error ? e.message : String(e)}`);
      // Network errors name the host; say which image they were for. Whatever a server echoed, no
      // credential of this attempt leaves in the message.
      const message = error.message.startsWith(`${display}:`) ? error.message : `${display}: ${error.message}`;
      const clean = attempt.secrets.redact(message);
      throw clean === error.message ? error : new RegistryError(error.code, clean);
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onCancel);
    }
  }

  private async resolveAttempt(a: Attempt): Promise<ResolvedDigest> {
    const tag = a.name.tag ?? 'latest';
    const url = new URL(`${a.endpoint.origin}/v2/${a.name.repository}/manifests/${encodeURIComponent(tag)}`);
    const known = this.challenges.get(a.endpoint.host);
    let auth = known ? await this.authorize(a, known, false) : undefined;
    let authorized = false;
    let retried = false;
    let res: HttpResponse;
    for (;;) {
      res = await this.request(a, 'HEAD', url, auth);
      if (res.status === 401) {
        const challenge = parseChallenge(res.headers['www-authenticate']);
        if (!challenge)
          throw new RegistryError('unauthorized', `${a.display}: ${a.endpoint.host} answered 401 without saying how to authenticate`);
        if (challenge.error === 'insufficient_scope') throw this.insufficientScope(a);
        if (authorized) throw this.rejected(a, challenge);
        this.challenges.set(a.endpoint.host, challenge);
        auth = await this.authorize(a, challenge, true);
        authorized = true;
        continue;
      }
      if (res.status === 429 && !retried) {
        const wait = retryAfterMs(res.headers['retry-after']);
        if (wait !== undefined && Date.now() + wait < a.deadline) {
          await abortableSleep(wait, a.signal);
          retried = true;
          continue;
        }
        throw this.rateLimited(a, wait, false);
      }
      break;
    }
    if (res.status === 200) return this.digestOf(a, url, auth, res);
    if (res.status === 429) throw this.rateLimited(a, retryAfterMs(res.headers['retry-after']), true);
    if (res.status === 404) {
      // HEAD has no body: ask once more with GET for the registry's own error code.
      let detail: string | undefined;
      try {
        const got = await this.request(a, 'GET', url, auth);
        if (got.status === 404) detail = registryErrors(got.body);
      } catch (e) {
        if (a.signal.aborted) throw e;
      }
      throw new RegistryError(
        'not-found',
        `${a.display}: not found on ${a.endpoint.registry}${detail ? ` (${detail})` : ''}: no such tag or repository`,
      );
    }
    if (res.status === 403) {
      throw new RegistryError('denied', `${a.display}: access denied by ${a.endpoint.registry} (403)${this.withheld(a)}`);
    }
    if (res.status >= 500)
      throw new RegistryError(
        'server-error',
        `${a.display}: ${a.endpoint.registry} failed (${res.status} ${serverText(res.statusText, 80)}); try again later`,
      );
    throw new RegistryError(
      'bad-response',
      `${a.display}: unexpected answer from ${a.endpoint.registry} (${res.status} ${serverText(res.statusText, 80)})`,
    );
  }

  /** The digest from a 200 answer to HEAD: its header, else the hash of the manifest fetched with GET. */
  private async digestOf(a: Attempt, url: URL, auth: string | undefined, head: HttpResponse): Promise<ResolvedDigest> {
    const headType = mediaTypeOf(head);
    if (SCHEMA1_TYPES.includes(headType)) throw this.schema1(a);
    const headDigest = header(head, 'docker-content-digest');
    if ((MANIFEST_TYPES as readonly string[]).includes(headType) && headDigest && SHA256.test(headDigest))
      return { digest: headDigest, mediaType: headType };
    const res = await this.request(a, 'GET', url, auth);
    if (res.status !== 200)
      throw new RegistryError(
        'bad-response',
        `${a.display}: ${a.endpoint.registry} answered HEAD but not GET (${res.status} ${serverText(res.statusText, 80)})`,
      );
    const type = mediaTypeOf(res);
    if (SCHEMA1_TYPES.includes(type)) throw this.schema1(a);
    let parsed: { schemaVersion?: unknown; mediaType?: unknown };
    try {
      parsed = JSON.parse(res.body.toString('utf8')) as typeof parsed;
      if (!parsed || typeof parsed !== 'object') throw new Error('not an object');
    } catch {
      throw new RegistryError(
        'bad-response',
        `${a.display}: ${a.endpoint.registry}'s answer is not a manifest (${serverText(type, 80) || 'no content type'}, not JSON)`,
      );
    }
    if (parsed.schemaVersion === 1) throw this.schema1(a);
    const bodyType = typeof parsed.mediaType === 'string' ? parsed.mediaType : type;
    if (parsed.schemaVersion !== 2 || !(MANIFEST_TYPES as readonly string[]).includes(bodyType)) {
      throw new RegistryError(
        'bad-response',
        `${a.display}: ${a.endpoint.registry}'s answer is not an image manifest or index (${serverText(bodyType, 80) || 'no media type'})`,
      );
    }
    const digest = `sha256:${createHash('sha256').update(res.body).digest('hex')}`;
    // The digest the registry sends with the manifest must be the manifest's: a registry that says one
    // thing and sends another is not pinned from, whichever of the two is right.
    const claimed = header(res, 'docker-content-digest')?.trim();
    if (claimed) {
      const algorithm = SHA256.test(claimed) ? 'sha256' : SHA512.test(claimed) ? 'sha512' : undefined;
      if (!algorithm)
        throw new RegistryError(
          'bad-response',
          `${a.display}: ${a.endpoint.registry} sent the manifest with Docker-Content-Digest ${serverText(claimed, 80)}, which is not a sha256 or sha512 digest; refused`,
        );
      const actual = `${algorithm}:${createHash(algorithm).update(res.body).digest('hex')}`;
      if (claimed !== actual)
        throw new RegistryError(
          'bad-response',
          `${a.display}: ${a.endpoint.registry} says ${claimed} but the manifest it sent hashes to ${actual}; refused`,
        );
    }
    return { digest, mediaType: bodyType };
  }

  /**
   * One exchange, following up to 3 redirects. The Authorization header goes to the registry's own
   * origin only; a host a redirect leads to that asks for a token gets an anonymous one.
   */
  private async request(a: Attempt, method: 'HEAD' | 'GET', url: URL, auth: string | undefined): Promise<HttpResponse> {
    let current = url;
    let authorization = auth;
    /** Origins that have had an anonymous token for the redirect (one try each). */
    const anonymous = new Set<string>();
    for (let hops = 0; ;) {
      const res = await this.http.send({
        method,
        url: current,
        headers: { Accept: ACCEPT, 'User-Agent': this.userAgent, ...(authorization ? { Authorization: authorization } : {}) },
        signal: a.signal,
        maxBytes: MAX_MANIFEST,
      });
      const elsewhere = current.origin !== url.origin;
      if (res.status === 401 && elsewhere) {
        const challenge = parseChallenge(res.headers['www-authenticate']);
        if (challenge?.scheme !== 'bearer' || anonymous.has(current.origin)) {
          throw new RegistryError(
            'unauthorized',
            `${a.display}: ${a.endpoint.registry} redirected to ${current.origin}, which asks for a login (401); credentials for ${a.endpoint.registry} are not sent to another host`,
          );
        }
        anonymous.add(current.origin);
        const repository = /^\/v2\/(.+)\/manifests\/[^/]+$/.exec(current.pathname)?.[1];
        authorization = `Bearer ${await this.token(a, challenge, false, { anonymous: true, scope: repository ? `repository:${decodeURIComponent(repository)}:pull` : a.scope, host: current.host })}`;
        continue;
      }
      if (![301, 302, 303, 307, 308].includes(res.status)) return res;
      const location = header(res, 'location');
      if (!location) return res;
      if (hops === MAX_REDIRECTS)
        throw new RegistryError(
          'redirect',
          `${a.display}: ${a.endpoint.registry} redirects more than ${MAX_REDIRECTS} times; not followed further`,
        );
      hops++;
      let next: URL;
      try {
        next = new URL(location, current);
      } catch {
        throw new RegistryError(
          'redirect',
          `${a.display}: ${a.endpoint.registry} redirects to ${JSON.stringify(serverText(location, 80))}, which is not a URL`,
        );
      }
      this.checkRedirect(a, next);
      if (next.origin !== current.origin) authorization = undefined; // and it never comes back
      current = next;
    }
  }

  /** Where a redirect may lead: HTTPS (plain HTTP only among loopback hosts), loopback only from loopback, no user info. */
  private checkRedirect(a: Attempt, next: URL): void {
    const fromLoopback = isLoopback(a.endpoint.host);
    const where = `${a.display}: ${a.endpoint.registry} redirects to ${next.origin}`;
    if (next.username || next.password)
      throw new RegistryError(
        'redirect',
        `${a.display}: ${a.endpoint.registry} redirects to a URL with a user name or password; not followed`,
      );
    if (next.protocol !== 'https:' && next.protocol !== 'http:')
      throw new RegistryError('redirect', `${where}, which is not HTTP(S); not followed`);
    if (isLoopback(next.host) && !fromLoopback)
      throw new RegistryError(
        'redirect',
        `${where}, a loopback address; not followed (a registry on the network cannot send requests to this machine)`,
      );
    if (next.protocol === 'http:' && !(fromLoopback && isLoopback(next.host)))
      throw new RegistryError('redirect', `${where}, which is plain HTTP; not followed`);
  }

  private credentialOf(a: Attempt): Promise<Credential | undefined> {
    if (!this.options.credentials) return Promise.resolve(undefined);
    a.credential ??= this.options.credentials.get(a.endpoint, a.signal).then((cred) => {
      if (cred?.kind === 'basic') a.secrets.addBasic(cred.username, cred.password);
      else if (cred) a.secrets.add(cred.token);
      return cred;
    });
    return a.credential;
  }

  /** The Authorization header a challenge asks for (`fresh`: do not reuse a cached token). */
  private async authorize(a: Attempt, challenge: Challenge, fresh: boolean): Promise<string | undefined> {
    if (challenge.scheme === 'basic') {
      const cred = await this.credentialOf(a);
      if (!cred) {
        if (!fresh) return undefined; // learn again from the registry's own answer
        throw new RegistryError(
          'unauthorized',
          `${a.display}: ${a.endpoint.registry} requires a login (401); run docker login ${a.endpoint.registry}`,
        );
      }
      if (cred.kind !== 'basic')
        throw new RegistryError(
          'unauthorized',
          `${a.display}: ${a.endpoint.registry} asks for a password, but ${cred.source} holds only an identity token for it`,
        );
      // Loopback registries are plain HTTP; every other one is HTTPS (names.ts), so Basic never leaves in clear beyond loopback.
      a.sentCredentials = true;
      return `Basic ${Buffer.from(`${cred.username}:${cred.password}`).toString('base64')}`;
    }
    const token = await this.token(a, challenge, fresh);
    return `Bearer ${token}`;
  }

  /**
   * A bearer token from the realm a challenge names. `anonymous`: without credentials (for a host a
   * redirect led to, named by `host`), with `scope`. The realm must be HTTP(S) without user info, on
   * loopback only when the registry is; credentials go to it over HTTPS, or over plain HTTP only when
   * the registry and the realm are both on loopback (else the request is anonymous, and a refusal says
   * why).
   */
  private async token(
    a: Attempt,
    challenge: Challenge,
    fresh: boolean,
    opts: { anonymous?: boolean; scope?: string; host?: string } = {},
  ): Promise<string> {
    const who = opts.host ?? a.endpoint.registry;
    if (!challenge.realm) throw new RegistryError('unauthorized', `${a.display}: ${who} asks for a token but names no realm`);
    let realm: URL;
    try {
      realm = new URL(challenge.realm);
    } catch {
      throw new RegistryError('bad-response', `${a.display}: ${who} names a token realm that is not a URL`);
    }
    if (realm.protocol !== 'https:' && realm.protocol !== 'http:')
      throw new RegistryError('bad-response', `${a.display}: the token realm ${realm.protocol} named by ${who} is not HTTP(S)`);
    if (realm.username || realm.password)
      throw new RegistryError('bad-response', `${a.display}: ${who} names a token realm with a user name or password in it; not asked`);
    const registryOnLoopback = isLoopback(a.endpoint.host) && (opts.host === undefined || isLoopback(opts.host));
    if (isLoopback(realm.host) && !registryOnLoopback) {
      throw new RegistryError(
        'bad-response',
        `${a.display}: ${who} names a token realm on a loopback address (${realm.origin}); not asked (a registry on the network cannot send requests to this machine)`,
      );
    }
    const safe = realm.protocol === 'https:' || (isLoopback(realm.host) && registryOnLoopback);
    let cred = opts.anonymous ? undefined : await this.credentialOf(a);
    if (cred && !safe) {
      // Never over plain HTTP beyond loopback: ask anonymously, and say so if that is not enough.
      a.withheldFrom = realm.origin;
      cred = undefined;
    }
    if (cred) a.sentCredentials = true;
    const scope = opts.scope ?? a.scope;
    const identity = cred ? `${cred.source}\n${cred.kind === 'basic' ? cred.username : '<token>'}` : 'anonymous';
    const key = `${realm.href}\n${challenge.service ?? ''}\n${scope}\n${identity}`;
    const cached = this.tokens.get(key);
    if (!fresh && cached && cached.expires > Date.now()) {
      a.secrets.add(cached.token);
      return cached.token;
    }

    const params = new URLSearchParams();
    if (challenge.service) params.set('service', challenge.service);
    params.set('scope', scope);
    let res: HttpResponse;
    if (cred?.kind === 'identity-token') {
      params.set('grant_type', 'refresh_token');
      params.set('refresh_token', cred.token);
      params.set('client_id', 'dockerfile-hardener');
      res = await this.http.send({
        method: 'POST',
        url: realm,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', 'User-Agent': this.userAgent },
        body: params.toString(),
        signal: a.signal,
        maxBytes: MAX_TOKEN,
      });
    } else {
      const url = new URL(realm.href);
      for (const [k, v] of params) url.searchParams.append(k, v);
      res = await this.http.send({
        method: 'GET',
        url,
        headers: {
          Accept: 'application/json',
          'User-Agent': this.userAgent,
          ...(cred ? { Authorization: `Basic ${Buffer.from(`${cred.username}:${cred.password}`).toString('base64')}` } : {}),
        },
        signal: a.signal,
        maxBytes: MAX_TOKEN,
      });
    }
    if (res.status === 401) {
      throw new RegistryError(
        'unauthorized',
        cred
          ? `${a.display}: the token service ${realm.origin} rejected the credentials from ${cred.source} (401); run docker login ${a.endpoint.registry}`
          : `${a.display}: the token service ${realm.origin} requires a login (401); run docker login ${a.endpoint.registry}${this.withheld(a)}`,
      );
    }
    if (res.status === 403)
      throw new RegistryError('denied', `${a.display}: the token service ${realm.origin} denied access (403)${this.withheld(a)}`);
    if (res.status === 429) throw this.rateLimited(a, retryAfterMs(res.headers['retry-after']), false);
    if (res.status !== 200)
      throw new RegistryError(
        res.status >= 500 ? 'server-error' : 'bad-response',
        `${a.display}: the token service ${realm.origin} answered ${res.status} ${serverText(res.statusText, 80)}`,
      );
    let body: { token?: unknown; access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(res.body.toString('utf8')) as typeof body;
      if (!body || typeof body !== 'object') throw new Error('not an object');
    } catch {
      throw new RegistryError('bad-response', `${a.display}: the token service ${realm.origin} answered something that is not JSON`);
    }
    const token =
      typeof body.token === 'string' && body.token ? body.token : typeof body.access_token === 'string' ? body.access_token : '';
    if (!token) throw new RegistryError('bad-response', `${a.display}: the token service ${realm.origin} sent no token`);
    a.secrets.add(token);
    if (token.length > 16384 || !TOKEN68.test(token))
      throw new RegistryError(
        'bad-response',
        `${a.display}: the token service ${realm.origin} sent a token that cannot go in an Authorization header`,
      );
    const lifetime = typeof body.expires_in === 'number' && body.expires_in > 0 ? Math.min(body.expires_in, 3600) : 60;
    // Renew a little early, so that a token never expires between the cache and the registry.
    this.tokens.set(key, { token, expires: Date.now() + Math.max(0, lifetime - 5) * 1000 });
    return token;
  }

  private withheld(a: Attempt): string {
    return a.withheldFrom ? `; credentials were not sent to ${a.withheldFrom}, which is plain HTTP beyond loopback` : '';
  }

  private rejected(a: Attempt, challenge: Challenge): RegistryError {
    if (challenge.scheme === 'basic') {
      return new RegistryError(
        'unauthorized',
        `${a.display}: ${a.endpoint.registry} rejected the credentials (401); run docker login ${a.endpoint.registry}`,
      );
    }
    return new RegistryError(
      'unauthorized',
      `${a.display}: ${a.endpoint.registry} rejected the token (401${challenge.error ? `, ${serverText(challenge.error, 60)}` : ''})${this.withheld(a)}`,
    );
  }

  private insufficientScope(a: Attempt): RegistryError {
    const hint = a.sentCredentials ? '' : `; run docker login ${a.endpoint.registry} if you have access`;
    return new RegistryError(
      'denied',
      `${a.display}: the token does not allow pulling ${a.name.repository} (insufficient_scope)${a.withheldFrom ? this.withheld(a) : hint}`,
    );
  }

  private rateLimited(a: Attempt, wait: number | undefined, afterRetry: boolean): RegistryError {
    if (afterRetry)
      return new RegistryError(
        'rate-limited',
        `${a.display}: ${a.endpoint.registry} is rate limiting (429), still after waiting as Retry-After asked; try again later`,
      );
    if (wait === undefined)
      return new RegistryError(
        'rate-limited',
        `${a.display}: ${a.endpoint.registry} is rate limiting (429) without Retry-After; try again later`,
      );
    return new RegistryError(
      'rate-limited',
      `${a.display}: ${a.endpoint.registry} is rate limiting (429) and asks to wait ${formatSeconds(wait)}, longer than the registry timeout allows`,
    );
  }

  private schema1(a: Attempt): RegistryError {
    return new RegistryError(
      'schema1',
      `${a.display}: ${a.endpoint.registry} answered with a schema 1 manifest, whose digest cannot be pinned reliably; push the image again with a current tool`,
    );
  }
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
