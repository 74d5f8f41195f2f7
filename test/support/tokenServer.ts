/**
 * A small token service for the Bearer flow (Docker Hub's), as docker-registry 2.8 checks it: a JWT
 * signed ES256 with the fixture key, its certificate in the `x5c` header (chaining to the registry's
 * rootcertbundle), `iss`/`aud`/`exp`/`nbf` and the granted `access`.
 *
 *   GET  /token?service=…&scope=repository:<name>:pull   (Basic auth optional)
 *   POST /token   grant_type=refresh_token&refresh_token=…  (identity tokens)
 *
 * Grants: anyone may pull `hardener/*` except `hardener/private`, which only alice may pull;
 * `hardener/forbidden` is granted to nobody. A wrong password is a 401. Every request is recorded
 * (with whether it carried credentials) so tests can see where credentials went.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createPrivateKey, generateKeyPairSync, randomUUID, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { FIXTURES } from './registry';

export const TOKEN_SERVICE = 'hardener-test-registry';
export const TOKEN_ISSUER = 'hardener-test-issuer';
export const USER = 'alice';
export const PASSWORD = 'wonderland-4';
export const REFRESH_TOKEN = 'alice-refresh-token';

export interface TokenRequest {
  method: string;
  scope?: string;
  /** The request carried credentials (Basic header or a refresh token). */
  credentials: boolean;
}

export interface TokenServer {
  port: number;
  requests: TokenRequest[];
  stop(): Promise<void>;
}

export interface TokenServerOptions {
  /** Serve HTTPS with the TLS fixture (auth.example.test). */
  tls?: boolean;
  /** Sign with a key the registry does not know (its tokens are invalid_token). */
  foreignKey?: boolean;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

function granted(user: string | undefined, name: string): boolean {
  if (!name.startsWith('hardener/') || name === 'hardener/forbidden') return false;
  return name !== 'hardener/private' || user === USER;
}

export async function startTokenServer(options: TokenServerOptions = {}): Promise<TokenServer> {
  const certPem = readFileSync(path.join(FIXTURES, 'token-signing.crt'), 'utf8');
  const der = new X509Certificate(certPem).raw;
  const key: KeyObject = options.foreignKey
    ? generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
    : createPrivateKey(readFileSync(path.join(FIXTURES, 'token-signing.key')));
  const requests: TokenRequest[] = [];

  const issue = (user: string | undefined, scope: string | undefined, service: string | undefined) => {
    const access: { type: string; name: string; actions: string[] }[] = [];
    const m = scope ? /^repository:([^:]+):(.+)$/.exec(scope) : null;
    if (m && m[2].split(',').includes('pull') && granted(user, m[1])) access.push({ type: 'repository', name: m[1], actions: ['pull'] });
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'ES256', x5c: [der.toString('base64')] };
    const claims = {
      iss: TOKEN_ISSUER,
      sub: user ?? '',
      aud: service ?? TOKEN_SERVICE,
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access,
    };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
    return `${input}.${b64url(signature)}`;
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://token');
    const send = (status: number, body: object) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname !== '/token') return send(404, { error: 'not found' });
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      let user: string | undefined;
      let scope = url.searchParams.get('scope') ?? undefined;
      let service = url.searchParams.get('service') ?? undefined;
      let credentials = false;
      if (req.method === 'POST') {
        const form = new URLSearchParams(body);
        scope = form.get('scope') ?? undefined;
        service = form.get('service') ?? undefined;
        credentials = form.has('refresh_token');
        requests.push({ method: 'POST', scope, credentials });
        if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== REFRESH_TOKEN)
          return send(401, { error: 'invalid_grant' });
        user = USER;
        return send(200, { access_token: issue(user, scope, service), expires_in: 300 });
      }
      const auth = req.headers.authorization;
      credentials = !!auth;
      requests.push({ method: req.method ?? 'GET', scope, credentials });
      if (auth) {
        const m = /^Basic (.+)$/.exec(auth);
        const [u, p] = m ? Buffer.from(m[1], 'base64').toString('utf8').split(/:(.*)/s) : [];
        if (u !== USER || p !== PASSWORD) return send(401, { details: 'incorrect username or password' });
        user = u;
      }
      send(200, { token: issue(user, scope, service), expires_in: 300, issued_at: new Date().toISOString() });
    });
  };

  const server: Server = options.tls
    ? createHttpsServer({ cert: readFileSync(path.join(FIXTURES, 'tls.crt')), key: readFileSync(path.join(FIXTURES, 'tls.key')) }, handle)
    : createHttpServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
