/**
 * One authenticated exchange with a registry, shared by digest resolution (client.ts), image facts
 * (facts.ts) and tag listing (tags.ts): the attempt's deadline and cancellation, the 401 challenge
 * (Basic or Bearer, kept per registry), one retry of a 429 within the deadline, and redirects under
 * the rules client.ts describes. Every request names what it accepts and the largest body it reads.
 */
import { RegistryError } from './errors';
import { abortableSleep, header, HttpClient, registryErrors, type HttpResponse, type Transport } from './http';
import { displayImage, endpointFor, invalidName, isLocalHost, isLoopback, type ImageName } from '../model/registryNames';
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
  withheld,
  type Attempt,
  type Challenge,
} from './attempt';

const MAX_REDIRECTS = 3;

export interface SendOptions {
  /** The Accept header. */
  accept: string;
  /** Largest body read (http.ts). */
  maxBytes: number;
}

export interface SessionOptions {
  credentials?: CredentialSource | false;
  transport?: Transport;
  userAgent: string;
}

export class RegistrySession {
  readonly http: HttpClient;
  private readonly userAgent: string;
  private readonly tokenService: TokenService;
  private readonly challenges = new Map<string, Challenge>();

  constructor(private readonly options: SessionOptions) {
    this.http = new HttpClient(options.transport);
    this.userAgent = options.userAgent;
    this.tokenService = new TokenService(this.http, this.userAgent, (a) => this.credentialOf(a));
  }

  close(): void {
    this.http.close();
  }

  /**
   * Runs `body` as one attempt on `name`'s registry: `timeoutMs` covers all of it, `signal` cancels
   * it, and whatever it throws becomes a RegistryError naming the image, with every credential of the
   * attempt (and tokens obtained with them) replaced by ***.
   */
  async attempt<T>(name: ImageName, timeoutMs: number, signal: AbortSignal | undefined, body: (a: Attempt) => Promise<T>): Promise<T> {
    // Refused before anything is looked up or sent: the name could leave the URL path.
    const invalid = invalidName(name);
    if (invalid) throw new RegistryError('invalid-name', `cannot ask a registry for this image: ${invalid}`);
    const endpoint = endpointFor(name.registry);
    const display = displayImage(name);
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
    if (signal?.aborted) onCancel();
    signal?.addEventListener('abort', onCancel, { once: true });
    const a: Attempt = {
      name,
      display,
      endpoint,
      scope: `repository:${name.repository}:pull`,
      signal: controller.signal,
      deadline: Date.now() + timeoutMs,
      secrets: new Secrets(),
    };
    try {
      return await body(a);
    } catch (e) {
      let error: RegistryError;
      if (controller.signal.aborted && e !== controller.signal.reason && controller.signal.reason instanceof RegistryError)
        error = controller.signal.reason;
      else if (e instanceof RegistryError) error = e;
      else error = new RegistryError('bad-response', `${display}: ${e instanceof Error ? e.message : String(e)}`);
      // Network errors name the host; say which image they were for. Whatever a server echoed, no
      // credential of this attempt leaves in the message.
      const message = error.message.startsWith(`${display}:`) ? error.message : `${display}: ${error.message}`;
      const clean = a.secrets.redact(message);
      throw clean === error.message ? error : new RegistryError(error.code, clean);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onCancel);
    }
  }

  /**
   * `method path` on the attempt's registry (`path` under `/v2/<repository>/`), authenticated as the
   * registry's challenge asks; a 429 is retried once when its Retry-After fits before the deadline.
   */
  async send(a: Attempt, method: 'HEAD' | 'GET', path: string, o: SendOptions): Promise<HttpResponse> {
    const url = new URL(`${a.endpoint.origin}/v2/${a.name.repository}/${path}`);
    const known = this.challenges.get(a.endpoint.host);
    let auth = known ? await this.authorize(a, known, false) : undefined;
    let authorized = false;
    let retried = false;
    for (;;) {
      const res = await this.request(a, method, url, auth, o);
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
      if (res.status === 429) throw rateLimited(a, retryAfterMs(res.headers['retry-after']), true);
      return res;
    }
  }

  /** The error for an answer other than 200/401/429 (`what`: what was asked for, for a 404). */
  failure(a: Attempt, res: HttpResponse, what: string): RegistryError {
    if (res.status === 404) {
      const detail = res.body.length ? registryErrors(res.body) : undefined;
      return new RegistryError('not-found', `${a.display}: not found on ${a.endpoint.registry}${detail ? ` (${detail})` : ''}: ${what}`);
    }
    if (res.status === 403) return new RegistryError('denied', `${a.display}: access denied by ${a.endpoint.registry} (403)${withheld(a)}`);
    if (res.status >= 500)
      return new RegistryError(
        'server-error',
        `${a.display}: ${a.endpoint.registry} failed (${res.status} ${serverText(res.statusText, 80)}); try again later`,
      );
    return new RegistryError(
      'bad-response',
      `${a.display}: unexpected answer from ${a.endpoint.registry} (${res.status} ${serverText(res.statusText, 80)})`,
    );
  }

  /**
   * One exchange, following up to 3 redirects. The Authorization header goes to the registry's own
   * origin only; a host a redirect leads to that asks for a token gets an anonymous one.
   */
  private async request(a: Attempt, method: 'HEAD' | 'GET', url: URL, auth: string | undefined, o: SendOptions): Promise<HttpResponse> {
    let current = url;
    let authorization = auth;
    /** Origins that have had an anonymous token for the redirect (one try each). */
    const anonymous = new Set<string>();
    for (let hops = 0; ;) {
      const res = await this.http.send({
        method,
        url: current,
        headers: { Accept: o.accept, 'User-Agent': this.userAgent, ...(authorization ? { Authorization: authorization } : {}) },
        signal: a.signal,
        maxBytes: o.maxBytes,
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
        const repository = /^\/v2\/(.+)\/(?:manifests|blobs)\/[^/]+$/.exec(current.pathname)?.[1];
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
