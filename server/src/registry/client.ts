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
import { abortableSleep, header, HttpClient, mediaTypeOf, registryErrors, type HttpResponse, type Transport } from './http';
import { displayImage, endpointFor, imageKey, invalidName, isLocalHost, isLoopback, type ImageName } from '../model/registryNames';
import type { Credential, CredentialSource } from './credentials';
import { Secrets, serverText } from './redact';
import { TokenService } from './tokens';
import {
  formatSeconds,
  insufficientScope,
  parseChallenge,
  rateLimited,
  rejected,
  retryAfterMs,
  schema1,
  withheld,
  type Attempt,
  type Challenge,
} from './attempt';

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
/** Every type a tag may point at, indexes first. */
export const MANIFEST_TYPES = [OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST] as const;
const SCHEMA1_TYPES = ['application/vnd.docker.distribution.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v1+prettyjws'];
const ACCEPT = MANIFEST_TYPES.join(', ');
const MAX_MANIFEST = 4 * 1024 * 1024;
const MAX_REDIRECTS = 3;
const SHA256 = /^sha256:[0-9a-f]{64}$/;
const SHA512 = /^sha512:[0-9a-f]{128}$/;

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

export class RegistryClient {
  private readonly http: HttpClient;
  private readonly timeoutMs: number;
  private readonly cacheTtlMs: number;
  private readonly userAgent: string;
  private readonly cache = new Map<string, { at: number; value: ResolvedDigest }>();
  private readonly tokenService: TokenService;
  private readonly challenges = new Map<string, Challenge>();

  constructor(private readonly options: RegistryClientOptions = {}) {
    this.http = new HttpClient(options.transport);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.cacheTtlMs = options.cacheTtlMs ?? 30_000;
    this.userAgent = options.userAgent ?? 'dockerfile-hardener';
    this.tokenService = new TokenService(this.http, this.userAgent, (a) => this.credentialOf(a));
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
        if (challenge.error === 'insufficient_scope') throw insufficientScope(a);
        if (authorized) throw rejected(a, challenge);
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
        throw rateLimited(a, wait, false);
      }
      break;
    }
    if (res.status === 200) return this.digestOf(a, url, auth, res);
    if (res.status === 429) throw rateLimited(a, retryAfterMs(res.headers['retry-after']), true);
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
      throw new RegistryError('denied', `${a.display}: access denied by ${a.endpoint.registry} (403)${withheld(a)}`);
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
    if (SCHEMA1_TYPES.includes(headType)) throw schema1(a);
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
    if (SCHEMA1_TYPES.includes(type)) throw schema1(a);
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
    if (parsed.schemaVersion === 1) throw schema1(a);
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
        authorization = `Bearer ${await this.tokenService.token(a, challenge, { fresh: false, anonymous: true, scope: repository ? `repository:${decodeURIComponent(repository)}:pull` : a.scope, host: current.host })}`;
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
    const local = isLocalHost(next);
    if (local && !fromLoopback)
      throw new RegistryError(
        'redirect',
        `${where}, a ${local} address; not followed (a registry on the network cannot send requests to ${local === 'loopback' ? 'this machine' : 'its network link'})`,
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
    const token = await this.tokenService.token(a, challenge, { fresh });
    return `Bearer ${token}`;
  }
}
