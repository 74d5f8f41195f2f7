/**
 * Bearer tokens from the realm a registry's challenge names, cached per realm, service, scope and
 * identity until they expire. The realm must be HTTP(S) without user info, on loopback only when the
 * registry is; credentials go to it over HTTPS, or over plain HTTP only when the registry and the
 * realm are both on loopback (else the request is anonymous, and a refusal says why).
 */
import { RegistryError } from './errors';
import type { HttpClient, HttpResponse } from './http';
import { isLoopback } from '../model/registryNames';
import type { Credential } from './credentials';
import { serverText } from './redact';
import { rateLimited, retryAfterMs, withheld, type Attempt, type Challenge } from './attempt';

const MAX_TOKEN = 1024 * 1024;
/** The characters an Authorization header's token may have (RFC 7235 token68). */
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

export interface TokenRequest {
  /** Do not reuse a cached token. */
  fresh: boolean;
  /** Without credentials (for a host a redirect led to, named by `host`). */
  anonymous?: boolean;
  scope?: string;
  host?: string;
}

export class TokenService {
  private readonly tokens = new Map<string, { token: string; expires: number }>();

  constructor(
    private readonly http: HttpClient,
    private readonly userAgent: string,
    private readonly credentialOf: (a: Attempt) => Promise<Credential | undefined>,
  ) {}

  async token(a: Attempt, challenge: Challenge, req: TokenRequest): Promise<string> {
    const realm = realmOf(a, challenge, req.host);
    const registryOnLoopback = isLoopback(a.endpoint.host) && (req.host === undefined || isLoopback(req.host));
    const safe = realm.protocol === 'https:' || (isLoopback(realm.host) && registryOnLoopback);
    let cred = req.anonymous ? undefined : await this.credentialOf(a);
    if (cred && !safe) {
      // Never over plain HTTP beyond loopback: ask anonymously, and say so if that is not enough.
      a.withheldFrom = realm.origin;
      cred = undefined;
    }
    if (cred) a.sentCredentials = true;
    const scope = req.scope ?? a.scope;
    const identity = cred ? `${cred.source}\n${cred.kind === 'basic' ? cred.username : '<token>'}` : 'anonymous';
    const key = `${realm.href}\n${challenge.service ?? ''}\n${scope}\n${identity}`;
    const cached = this.tokens.get(key);
    if (!req.fresh && cached && cached.expires > Date.now()) {
      a.secrets.add(cached.token);
      return cached.token;
    }
    const res = await this.request(a, realm, challenge, scope, cred);
    const { token, lifetime } = readToken(a, realm, res);
    // Renew a little early, so that a token never expires between the cache and the registry.
    this.tokens.set(key, { token, expires: Date.now() + Math.max(0, lifetime - 5) * 1000 });
    return token;
  }

  /** Asks the realm: a refresh-token POST for an identity token, else a GET (with Basic credentials, if any). */
  private async request(a: Attempt, realm: URL, challenge: Challenge, scope: string, cred: Credential | undefined): Promise<HttpResponse> {
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
      const basic: Record<string, string> = cred
        ? { Authorization: `Basic ${Buffer.from(`${cred.username}:${cred.password}`).toString('base64')}` }
        : {};
      res = await this.http.send({
        method: 'GET',
        url,
        headers: { Accept: 'application/json', 'User-Agent': this.userAgent, ...basic },
        signal: a.signal,
        maxBytes: MAX_TOKEN,
      });
    }
    if (res.status === 401) {
      throw new RegistryError(
        'unauthorized',
        cred
          ? `${a.display}: the token service ${realm.origin} rejected the credentials from ${cred.source} (401); run docker login ${a.endpoint.registry}`
          : `${a.display}: the token service ${realm.origin} requires a login (401); run docker login ${a.endpoint.registry}${withheld(a)}`,
      );
    }
    if (res.status === 403)
      throw new RegistryError('denied', `${a.display}: the token service ${realm.origin} denied access (403)${withheld(a)}`);
    if (res.status === 429) throw rateLimited(a, retryAfterMs(res.headers['retry-after']), false);
    if (res.status !== 200)
      throw new RegistryError(
        res.status >= 500 ? 'server-error' : 'bad-response',
        `${a.display}: the token service ${realm.origin} answered ${res.status} ${serverText(res.statusText, 80)}`,
      );
    return res;
  }
}

/** The realm a challenge names, checked before anything is sent to it. */
function realmOf(a: Attempt, challenge: Challenge, host: string | undefined): URL {
  const who = host ?? a.endpoint.registry;
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
  const registryOnLoopback = isLoopback(a.endpoint.host) && (host === undefined || isLoopback(host));
  if (isLoopback(realm.host) && !registryOnLoopback) {
    throw new RegistryError(
      'bad-response',
      `${a.display}: ${who} names a token realm on a loopback address (${realm.origin}); not asked (a registry on the network cannot send requests to this machine)`,
    );
  }
  return realm;
}

/** The token in a realm's answer, and its lifetime in seconds (at most an hour). */
function readToken(a: Attempt, realm: URL, res: HttpResponse): { token: string; lifetime: number } {
  let body: { token?: unknown; access_token?: unknown; expires_in?: unknown };
  try {
    body = JSON.parse(res.body.toString('utf8')) as typeof body;
    if (!body || typeof body !== 'object') throw new Error('not an object');
  } catch {
    throw new RegistryError('bad-response', `${a.display}: the token service ${realm.origin} answered something that is not JSON`);
  }
  const token = typeof body.token === 'string' && body.token ? body.token : typeof body.access_token === 'string' ? body.access_token : '';
  if (!token) throw new RegistryError('bad-response', `${a.display}: the token service ${realm.origin} sent no token`);
  a.secrets.add(token);
  if (token.length > 16384 || !TOKEN68.test(token))
    throw new RegistryError(
      'bad-response',
      `${a.display}: the token service ${realm.origin} sent a token that cannot go in an Authorization header`,
    );
  const lifetime = typeof body.expires_in === 'number' && body.expires_in > 0 ? Math.min(body.expires_in, 3600) : 60;
  return { token, lifetime };
}
