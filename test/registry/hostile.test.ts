/**
 * The registry client against registries that cannot be trusted: small servers that redirect
 * elsewhere, send gigabytes, drip a byte a second, lie about digests, echo credentials back, and names
 * crafted to leave the URL path. HTTPS cases use the fixture certificate for registry.example.test
 * and auth.example.test (two host names, both resolved to 127.0.0.1 by the tests' lookup); everything
 * listens on 127.0.0.1 only. No docker-registry needed: these answers are the point.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import * as path from 'node:path';
import { RegistryClient, type RegistryClientOptions } from '../../server/src/registry/client';
import { DockerCredentials } from '../../server/src/registry/credentials';
import { RegistryError } from '../../server/src/registry/errors';
import { invalidName, type ImageName } from '../../server/src/model/registryNames';
import { exampleTestLookup, silentRegistry, type FakeServer } from '../support/fakeRegistry';
import { drippingServer, endlessBody, hostileServer, TLS_CA, type HostileOptions, type HostileServer } from '../support/hostileServer';
import { failsWith, OCI_INDEX, tempDir } from '../support/registry';

const USER = 'mallory-target';
const PASSWORD = 'pw-Zq7!xK9#not-for-logs';
const REFRESH = 'refresh-Yh3$secret-token';
const BASIC = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
const SECRETS = [PASSWORD, BASIC, BASIC.replace(/=+$/, ''), encodeURIComponent(PASSWORD), REFRESH, encodeURIComponent(REFRESH)];

const INDEX = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] }));
const sha = (alg: 'sha256' | 'sha512', b: Buffer) => `${alg}:${createHash(alg).update(b).digest('hex')}`;
const INDEX_DIGEST = sha('sha256', INDEX);
const MANIFEST_PATH = '/v2/hardener/x/manifests/1.0';

/** No credential in any form, and no control character (one line, no terminal escapes). */
function assertClean(text: string, what: string): void {
  for (const s of SECRETS) assert.ok(!text.includes(s), `${what} contains a credential (${s.slice(0, 4)}…): ${text}`);
  // eslint-disable-next-line no-control-regex
  assert.ok(!/[\u0000-\u001f\u007f]/.test(text), `${what} contains a control character: ${JSON.stringify(text)}`);
}

/** A 200 answer with the index: HEAD with its digest (unless `noDigest`), GET with the bytes. */
function serveIndex(req: IncomingMessage, res: ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(200, {
    'Content-Type': OCI_INDEX,
    'Docker-Content-Digest': INDEX_DIGEST,
    'Content-Length': String(INDEX.length),
    ...headers,
  });
  res.end(req.method === 'GET' ? INDEX : undefined);
}

describe('registry client against hostile servers', function () {
  this.timeout(20_000);
  const servers: { stop(): Promise<void> }[] = [];
  const clients: RegistryClient[] = [];
  const dirs: { dispose(): void }[] = [];

  after(async () => {
    for (const c of clients) c.close();
    for (const s of servers) await s.stop();
    for (const d of dirs) d.dispose();
  });

  const server = async (handler: Parameters<typeof hostileServer>[0], options: HostileOptions = {}): Promise<HostileServer> => {
    const s = await hostileServer(handler, options);
    servers.push(s);
    return s;
  };
  const tls = { lookup: exampleTestLookup, ca: [TLS_CA] };
  const client = (o: RegistryClientOptions = {}) => {
    const c = new RegistryClient({ cacheTtlMs: 0, timeoutMs: 5000, ...o });
    clients.push(c);
    return c;
  };
  /** Docker credentials for `host` from a config file of their own. */
  const credentials = (config: object, extraPath?: string) => {
    const d = tempDir('dh-hostile-config-');
    dirs.push(d);
    writeFileSync(path.join(d.dir, 'config.json'), JSON.stringify(config));
    return new DockerCredentials({ env: { DOCKER_CONFIG: d.dir, PATH: `${extraPath ? `${extraPath}:` : ''}${process.env.PATH}` } });
  };
  const loginTo = (host: string) => credentials({ auths: { [host]: { auth: BASIC } } });
  const image = (registry: string, repository = 'hardener/x', tag = '1.0'): ImageName => ({ registry, repository, tag });

  describe('names that would leave the URL path are refused before any request', () => {
    let silent: FakeServer;
    before(async () => {
      silent = await silentRegistry();
      servers.push(silent);
    });

    it('repositories with .., %2e%2e, ?, #, blanks, CR/LF, backslashes or upper case', async () => {
      const bad = [
        'hardener/../../v2/_catalog',
        'hardener/%2e%2e/x',
        'a/%2E%2E',
        'x?n=1',
        'x#frag',
        'x y',
        'x\r\nHost: evil',
        'x\\..\\y',
        'Upper/Case',
        'a//b',
        '/abs',
        'a/',
        '',
        'x@evil.example.test',
      ];
      for (const repository of bad) {
        const e = await failsWith(
          client().resolve(image(silent.host, repository)),
          'invalid-name',
          /^cannot ask a registry for this image: the repository ".*" is not a repository name/s,
        );
        assertClean(e.message, `the message for ${JSON.stringify(repository)}`);
      }
      assert.equal(silent.requests.length, 0, 'no connection was made');
    });

    it('tags with .., %2e%2e, ?, #, /, blanks, CR/LF, or too long', async () => {
      const bad = [
        '..',
        '../../manifests/other',
        '%2e%2e',
        'x?y',
        'x#y',
        'a/b',
        'x y',
        '1.0\r\nX-Injected: 1',
        '.hidden',
        '-dash',
        'x'.repeat(129),
        '',
      ];
      for (const tag of bad) {
        const e = await failsWith(
          client().resolve(image(silent.host, 'hardener/x', tag)),
          'invalid-name',
          /^cannot ask a registry for this image: the tag ".*" is not a tag/s,
        );
        assertClean(e.message, `the message for ${JSON.stringify(tag)}`);
      }
      assert.equal(silent.requests.length, 0, 'no connection was made');
    });

    it('registries with user info, a path, a query, a bad port or blanks', async () => {
      const bad = [
        `${silent.host}@evil.example.test`,
        `user:pw@${silent.host}`,
        `${silent.host}/x`,
        `${silent.host}?x`,
        `${silent.host}#x`,
        '127.0.0.1:99999',
        '127.0.0.1:0',
        'evil host',
        'host\r\n',
        '',
      ];
      for (const registry of bad)
        await failsWith(client().resolve(image(registry)), 'invalid-name', /the registry ".*" (is not a host name|has no valid port)/s);
      assert.equal(silent.requests.length, 0, 'no connection was made');
    });

    it('accepts the names images really have', () => {
      const good: ImageName[] = [
        { registry: 'docker.io', repository: 'library/alpine', tag: '3.20' },
        { registry: 'docker.io', repository: 'bitnami/redis' },
        { registry: 'ghcr.io', repository: 'org/app-name/sub_part', tag: 'v1.2.3-rc.1_build' },
        { registry: 'registry.example.com:8443', repository: 'team/app', tag: 'latest' },
        { registry: 'localhost:5000', repository: 'a.b__c--d', tag: '_x' },
        { registry: '[::1]:5000', repository: 'app', tag: 'A'.repeat(128) },
      ];
      for (const n of good) assert.equal(invalidName(n), undefined, JSON.stringify(n));
    });
  });

  describe('redirects', () => {
    it('are followed to another host without the Authorization header', async () => {
      const cdn = await server((req, res) => serveIndex(req, res), { tls: true, name: 'auth.example.test' });
      const reg = await server(
        (req, res) => {
          if (!req.headers.authorization) res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="r"' }).end();
          else res.writeHead(307, { Location: `${cdn.origin}${req.url}` }).end();
        },
        { tls: true, name: 'registry.example.test' },
      );
      const r = await client({ credentials: loginTo(reg.host), transport: tls }).resolve(image(reg.host));
      assert.deepEqual(r, { digest: INDEX_DIGEST, mediaType: OCI_INDEX });
      assert.equal(reg.requests[1].headers.authorization, `Basic ${BASIC}`, 'the registry itself got the credentials');
      assert.ok(cdn.requests.length >= 1);
      for (const q of cdn.requests) assert.equal(q.headers.authorization, undefined, `${q.method} ${q.url} carried credentials`);
    });

    it('a host a redirect leads to that asks for a login gets no credentials: refused, saying why', async () => {
      const cdn = await server((_req, res) => res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="give me your password"' }).end(), {
        tls: true,
        name: 'auth.example.test',
      });
      const reg = await server(
        (req, res) => {
          if (!req.headers.authorization) res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="r"' }).end();
          else res.writeHead(302, { Location: `${cdn.origin}/v2/hardener/x/manifests/1.0` }).end();
        },
        { tls: true, name: 'registry.example.test' },
      );
      const e = await failsWith(
        client({ credentials: loginTo(reg.host), transport: tls }).resolve(image(reg.host)),
        'unauthorized',
        /: registry\.example\.test:\d+ redirected to https:\/\/auth\.example\.test:\d+, which asks for a login \(401\); credentials for registry\.example\.test:\d+ are not sent to another host$/,
      );
      assertClean(e.message, 'the message');
      assert.ok(cdn.requests.length >= 1);
      for (const q of cdn.requests) assert.equal(q.headers.authorization, undefined);
    });

    it('a host a redirect leads to that asks for a token gets an anonymous one, from a realm under the same rules', async () => {
      const tokens = await server(
        (_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token: 'anonymous-mirror-token' })),
        { tls: true, name: 'auth.example.test' },
      );
      const mirror = await server(
        (req, res) => {
          if (req.headers.authorization === 'Bearer anonymous-mirror-token') return serveIndex(req, res);
          res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="${tokens.origin}/token",service="mirror"` }).end();
        },
        { tls: true, name: 'auth.example.test' },
      );
      const reg = await server(
        (req, res) => {
          if (!req.headers.authorization) res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="r"' }).end();
          else res.writeHead(307, { Location: `${mirror.origin}/v2/mirror/hardener/x/manifests/1.0` }).end();
        },
        { tls: true, name: 'registry.example.test' },
      );
      const r = await client({ credentials: loginTo(reg.host), transport: tls }).resolve(image(reg.host));
      assert.equal(r.digest, INDEX_DIGEST);
      assert.equal(tokens.requests.length, 1);
      const asked = new URL(tokens.requests[0].url, tokens.origin);
      assert.equal(tokens.requests[0].method, 'GET');
      assert.equal(tokens.requests[0].headers.authorization, undefined, 'the token was asked for anonymously');
      assert.deepEqual(
        [...asked.searchParams],
        [
          ['service', 'mirror'],
          ['scope', 'repository:mirror/hardener/x:pull'],
        ],
      );
      for (const q of mirror.requests) assert.ok(!q.headers.authorization?.startsWith('Basic'), 'no Basic credentials at the mirror');
    });

    it("the challenge of a host a redirect leads to is never answered with the registry's credentials", async () => {
      // The registry redirects before asking for anything; the host it sends the client to names a
      // token realm. Taking that challenge for the registry's own would hand its credentials over.
      const realm = await server((_req, res) => res.writeHead(401).end(), { tls: true, name: 'auth.example.test' });
      const elsewhere = await server(
        (_req, res) => res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="${realm.origin}/token",service="x"` }).end(),
        { tls: true, name: 'auth.example.test' },
      );
      const reg = await server((req, res) => res.writeHead(307, { Location: `${elsewhere.origin}${req.url}` }).end(), {
        tls: true,
        name: 'registry.example.test',
      });
      const identity = credentials({ auths: { [reg.host]: { identitytoken: REFRESH } } });
      for (const creds of [loginTo(reg.host), identity]) {
        const e = await failsWith(
          client({ credentials: creds, transport: tls }).resolve(image(reg.host)),
          'unauthorized',
          /requires a login \(401\)|asks for a login/,
        );
        assertClean(e.message, 'the message');
      }
      assert.ok(realm.requests.length >= 2, 'the realm was asked (anonymously)');
      for (const q of [...realm.requests, ...elsewhere.requests]) {
        assert.equal(q.headers.authorization, undefined, `${q.method} ${q.url} carried credentials`);
        assert.ok(!q.body.includes('refresh_token') && !q.url.includes('refresh_token'), 'no refresh token');
      }
    });

    it('never to plain HTTP beyond loopback', async () => {
      const plain = await server((req, res) => serveIndex(req, res), { name: 'auth.example.test' });
      const reg = await server(
        (_req, res) => res.writeHead(301, { Location: `http://auth.example.test:${plain.port}${MANIFEST_PATH}` }).end(),
        { tls: true, name: 'registry.example.test' },
      );
      await failsWith(
        client({ transport: tls }).resolve(image(reg.host)),
        'redirect',
        /redirects to http:\/\/auth\.example\.test:\d+, which is plain HTTP; not followed$/,
      );
      assert.equal(plain.connections, 0);
    });

    it('never from a registry on the network to this machine (loopback), nor to a URL with user info', async () => {
      const local = await server((req, res) => serveIndex(req, res));
      const targets = [
        `http://127.0.0.1:${local.port}${MANIFEST_PATH}`,
        `https://localhost:${local.port}${MANIFEST_PATH}`,
        `http://[::1]:${local.port}${MANIFEST_PATH}`,
        // This machine however it is written: unspecified, IPv4-mapped, a *.localhost name.
        `https://0.0.0.0:${local.port}${MANIFEST_PATH}`,
        `https://[::ffff:127.0.0.1]:${local.port}${MANIFEST_PATH}`,
        `https://registry.localhost:${local.port}${MANIFEST_PATH}`,
      ];
      for (const target of targets) {
        const reg = await server((_req, res) => res.writeHead(307, { Location: target }).end(), {
          tls: true,
          name: 'registry.example.test',
        });
        await failsWith(
          client({ transport: tls }).resolve(image(reg.host)),
          'redirect',
          /, a loopback address; not followed \(a registry on the network cannot send requests to this machine\)$/,
        );
      }
      const other = await server((req, res) => serveIndex(req, res), { tls: true, name: 'auth.example.test' });
      const withUser = await server(
        (_req, res) => res.writeHead(307, { Location: `https://someone:pw@auth.example.test:${other.port}${MANIFEST_PATH}` }).end(),
        { tls: true, name: 'registry.example.test' },
      );
      await failsWith(
        client({ transport: tls }).resolve(image(withUser.host)),
        'redirect',
        /redirects to a URL with a user name or password; not followed$/,
      );
      assert.equal(local.connections, 0);
      assert.equal(other.connections, 0);
    });

    it('a redirect loop ends after 3 redirects', async () => {
      const reg = await server((req, res) => res.writeHead(302, { Location: `${MANIFEST_PATH}?hop=${req.url?.length}` }).end());
      await failsWith(client().resolve(image(reg.host)), 'redirect', /redirects more than 3 times; not followed further$/);
      assert.equal(reg.requests.length, 4);
    });

    it('between loopback registries plain HTTP is followed, and the Authorization header stays with its origin', async () => {
      const other = await server((req, res) => serveIndex(req, res));
      const reg = await server((req, res) => {
        if (!req.headers.authorization) res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="r"' }).end();
        else res.writeHead(308, { Location: `${other.origin}${req.url}` }).end();
      });
      assert.equal((await client({ credentials: loginTo(reg.host) }).resolve(image(reg.host))).digest, INDEX_DIGEST);
      assert.equal(reg.requests[1].headers.authorization, `Basic ${BASIC}`);
      for (const q of other.requests) assert.equal(q.headers.authorization, undefined);
    });
  });

  describe('token realms', () => {
    it('a registry on the network naming a realm on this machine: not asked', async () => {
      const local = await server((_req, res) => res.writeHead(200).end('{"token":"t"}'));
      for (const realm of [`http://127.0.0.1:${local.port}/token`, `https://localhost:${local.port}/token`]) {
        const reg = await server((_req, res) => res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="${realm}",service="s"` }).end(), {
          tls: true,
          name: 'registry.example.test',
        });
        await failsWith(
          client({ credentials: loginTo(reg.host), transport: tls }).resolve(image(reg.host)),
          'bad-response',
          /names a token realm on a loopback address \(.*\); not asked/,
        );
      }
      assert.equal(local.connections, 0);
    });

    it('a realm with user info in it: not asked', async () => {
      const tokens = await server((_req, res) => res.writeHead(200).end('{"token":"t"}'), { tls: true, name: 'auth.example.test' });
      const reg = await server(
        (_req, res) =>
          res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="https://u:p@auth.example.test:${tokens.port}/token"` }).end(),
        { tls: true, name: 'registry.example.test' },
      );
      await failsWith(
        client({ transport: tls }).resolve(image(reg.host)),
        'bad-response',
        /names a token realm with a user name or password in it; not asked$/,
      );
      assert.equal(tokens.connections, 0);
    });

    it('a token that would inject headers is refused', async () => {
      const tokens = await server((_req, res) => res.writeHead(200).end(JSON.stringify({ token: 'abc\r\nX-Injected: yes' })));
      const reg = await server((_req, res) => res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="${tokens.origin}/token"` }).end());
      await failsWith(client().resolve(image(reg.host)), 'bad-response', /sent a token that cannot go in an Authorization header$/);
      assert.equal(reg.requests.length, 1, 'the token was never used');
    });
  });

  describe('bounded reads', () => {
    /** HEAD without a digest (so the manifest is fetched), GET answered by `get`. */
    const registryWithGet = (get: (res: ServerResponse) => void) =>
      server((req, res) => {
        if (req.method === 'HEAD') res.writeHead(200, { 'Content-Type': OCI_INDEX }).end();
        else get(res);
      });

    it('a declared 4 GiB manifest: refused at the headers', async () => {
      let written = () => 0;
      const reg = await registryWithGet((res) => {
        res.writeHead(200, { 'Content-Type': OCI_INDEX, 'Content-Length': String(4 * 1024 ** 3) });
        written = endlessBody(res, 4 * 1024 ** 3);
      });
      const started = Date.now();
      await failsWith(
        client().resolve(image(reg.host)),
        'bad-response',
        /: 127\.0\.0\.1:\d+ sent more than 4 MiB for \/v2\/hardener\/x\/manifests\/1\.0, more than any manifest or token; not read further$/,
      );
      assert.ok(Date.now() - started < 3000);
      assert.ok(written() < 64 * 1024 ** 2, `the server got to write ${written()} bytes`);
    });

    it('an endless manifest without a length: reading stops at 4 MiB', async () => {
      let written = () => 0;
      const reg = await registryWithGet((res) => {
        res.writeHead(200, { 'Content-Type': OCI_INDEX });
        written = endlessBody(res);
      });
      const heap = process.memoryUsage().heapUsed;
      await failsWith(client().resolve(image(reg.host)), 'bad-response', /sent more than 4 MiB for \/v2\/hardener\/x\/manifests\/1\.0/);
      // The client read 4 MiB; the rest of what the server wrote is in socket buffers.
      assert.ok(written() >= 4 * 1024 ** 2 && written() < 64 * 1024 ** 2, `the server wrote ${written()} bytes`);
      assert.ok(process.memoryUsage().heapUsed - heap < 64 * 1024 ** 2, 'no large allocation');
    });

    it('an endless token: reading stops at 1 MiB', async () => {
      let written = () => 0;
      const tokens = await server((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        written = endlessBody(res);
      });
      const reg = await server((_req, res) => res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="${tokens.origin}/token"` }).end());
      await failsWith(client().resolve(image(reg.host)), 'bad-response', /sent more than 1 MiB for \/token/);
      assert.ok(written() < 64 * 1024 ** 2);
    });

    it('an endless error body: still "not found", without it', async () => {
      const reg = await server((req, res) => {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        if (req.method === 'HEAD') res.end();
        else endlessBody(res);
      });
      await failsWith(
        client().resolve(image(reg.host)),
        'not-found',
        /^127\.0\.0\.1:\d+\/hardener\/x:1\.0: not found on 127\.0\.0\.1:\d+: no such tag or repository$/,
      );
    });

    it('endless headers: refused once they pass 16 KiB', async () => {
      const sockets = new Set<Socket>();
      const tcp = createTcpServer((s) => {
        sockets.add(s);
        s.on('error', () => undefined);
        s.write('HTTP/1.1 200 OK\r\n');
        const line = `X-Filler: ${'a'.repeat(1000)}\r\n`;
        const pump = () => {
          while (!s.destroyed) if (!s.write(line)) return void s.once('drain', pump);
        };
        pump();
      });
      await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', () => resolve()));
      servers.push({ stop: () => new Promise<void>((resolve) => (sockets.forEach((s) => s.destroy()), tcp.close(() => resolve()))) });
      await failsWith(
        client().resolve(image(`127.0.0.1:${(tcp.address() as AddressInfo).port}`)),
        'bad-response',
        /sent an answer that is not valid HTTP \(headers over 16 KiB\)$/,
      );
    });
  });

  describe('servers that drip', () => {
    const headers = `HTTP/1.1 200 OK\r\nContent-Type: ${OCI_INDEX}\r\nDocker-Content-Digest: ${INDEX_DIGEST}\r\nContent-Length: 0\r\n\r\n`;

    it('headers a byte a second: the deadline ends it', async () => {
      const drip = await drippingServer(headers, 1000);
      servers.push(drip);
      const started = Date.now();
      await failsWith(
        client({ timeoutMs: 1500 }).resolve(image(drip.host)),
        'timeout',
        /^127\.0\.0\.1:\d+\/hardener\/x:1\.0: no answer from 127\.0\.0\.1:\d+ within 1\.5 s \(the registry timeout\)$/,
      );
      const took = Date.now() - started;
      assert.ok(took >= 1400 && took < 4000, `took ${took} ms`);
      assert.ok(drip.bytesSent() <= 3, `${drip.bytesSent()} bytes were dripped`);
    });

    it('a body a byte a second: the deadline ends it', async () => {
      const timers = new Set<NodeJS.Timeout>();
      const reg = await server((req, res) => {
        if (req.method === 'HEAD') return void res.writeHead(200, { 'Content-Type': OCI_INDEX }).end();
        res.writeHead(200, { 'Content-Type': OCI_INDEX, 'Content-Length': String(INDEX.length) });
        let at = 0;
        const t = setInterval(() => (at < INDEX.length && !res.destroyed ? res.write(INDEX.subarray(at, ++at)) : clearInterval(t)), 1000);
        timers.add(t);
        res.on('close', () => clearInterval(t));
      });
      servers.push({ stop: async () => timers.forEach((t) => clearInterval(t)) });
      const started = Date.now();
      await failsWith(client({ timeoutMs: 1500 }).resolve(image(reg.host)), 'timeout', /no answer from 127\.0\.0\.1:\d+ within 1\.5 s/);
      assert.ok(Date.now() - started < 4000);
    });

    it('a token service a byte a second: the same deadline', async () => {
      const drip = await drippingServer(
        'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{"token":"t"}',
        1000,
      );
      servers.push(drip);
      const reg = await server((_req, res) => res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="${drip.origin}/token"` }).end());
      await failsWith(client({ timeoutMs: 1500 }).resolve(image(reg.host)), 'timeout', /within 1\.5 s/);
      assert.equal(drip.connections, 1);
    });

    it('a credential helper that never answers: the same deadline, and the helper is stopped', async function () {
      const d = tempDir('dh-hostile-helper-');
      dirs.push(d);
      const pidFile = path.join(d.dir, 'pid');
      const helper = path.join(d.dir, 'docker-credential-stuck');
      writeFileSync(helper, `#!/bin/sh\necho $$ > ${JSON.stringify(pidFile)}\nexec sleep 30\n`);
      chmodSync(helper, 0o755);
      const reg = await server((_req, res) => res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="r"' }).end());
      const creds = credentials({ credsStore: 'stuck' }, d.dir);
      await failsWith(client({ timeoutMs: 1500, credentials: creds }).resolve(image(reg.host)), 'timeout', /within 1\.5 s/);
      assert.ok(existsSync(pidFile), 'the helper ran');
      const pid = Number(readFileSync(pidFile, 'utf8'));
      const deadline = Date.now() + 5000;
      const alive = () => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      };
      while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.ok(!alive(), `the helper (pid ${pid}) still runs`);
    });
  });

  describe('digests', () => {
    /** HEAD without a digest; GET with `body` and the headers given. */
    const registry = (body: Buffer, headers: Record<string, string>) =>
      server((req, res) => {
        if (req.method === 'HEAD') return void res.writeHead(200, { 'Content-Type': OCI_INDEX }).end();
        res.writeHead(200, { 'Content-Type': OCI_INDEX, 'Content-Length': String(body.length), ...headers }).end(body);
      });

    it('a Docker-Content-Digest that is not the hash of the manifest it came with: refused', async () => {
      const other = sha('sha256', Buffer.from('something else'));
      const reg = await registry(INDEX, { 'Docker-Content-Digest': other });
      await failsWith(
        client().resolve(image(reg.host)),
        'bad-response',
        new RegExp(`says ${other} but the manifest it sent hashes to ${INDEX_DIGEST}; refused$`),
      );
    });

    it('a Docker-Content-Digest that is no digest at all: refused', async () => {
      for (const claimed of ['sha256:abc', 'md5:0123456789abcdef0123456789abcdef', `SHA256:${INDEX_DIGEST.slice(7)}`, 'sha256:../../x']) {
        const reg = await registry(INDEX, { 'Docker-Content-Digest': claimed });
        await failsWith(client().resolve(image(reg.host)), 'bad-response', /which is not a sha256 or sha512 digest; refused$/);
      }
    });

    it('a sha512 Docker-Content-Digest is checked too; the pin is the sha256 of the same bytes', async () => {
      const good = await registry(INDEX, { 'Docker-Content-Digest': sha('sha512', INDEX) });
      assert.equal((await client().resolve(image(good.host))).digest, INDEX_DIGEST);
      const bad = await registry(INDEX, { 'Docker-Content-Digest': sha('sha512', Buffer.from('x')) });
      await failsWith(
        client().resolve(image(bad.host)),
        'bad-response',
        /says sha512:[0-9a-f]{128} but the manifest it sent hashes to sha512:[0-9a-f]{128}; refused$/,
      );
    });
  });

  describe('credentials never appear in error messages, whatever a server echoes', () => {
    /** Echoes the Authorization header it got (and any form body) everywhere it can. */
    const echo = (req: IncomingMessage, body: string) => `${req.headers.authorization ?? ''} ${body}`;

    it("in a status line, an error body, a token service's answer or a challenge", async () => {
      const messages: string[] = [];
      const collect = async (p: Promise<unknown>) => {
        try {
          await p;
          assert.fail('expected a failure');
        } catch (e) {
          assert.ok(e instanceof RegistryError, String(e));
          messages.push(e.message);
        }
      };
      const basicThen = (then: (req: IncomingMessage, res: ServerResponse, body: string) => void) =>
        server((req, res, _i, body) => {
          if (!req.headers.authorization) return void res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="r"' }).end();
          then(req, res, body);
        });
      // A 500 whose status text is the Authorization header.
      const status = await basicThen((req, res) => res.writeHead(500, echo(req, '').trim()).end());
      await collect(client({ credentials: loginTo(status.host) }).resolve(image(status.host)));
      // A 404 whose error message is the header, with a newline and a terminal escape.
      const notFound = await basicThen((req, res) =>
        res
          .writeHead(404, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: `${echo(req, '')}\n\u001b[2Jgotcha` }] })),
      );
      await collect(client({ credentials: loginTo(notFound.host) }).resolve(image(notFound.host)));
      // A token service whose token is the credentials it got, and a registry that rejects that token
      // with it as the challenge's error.
      const mirrorTokens = await server((req, res) =>
        res.writeHead(200).end(JSON.stringify({ token: (req.headers.authorization ?? '').replace(/^Basic /, '') })),
      );
      const rejecting = await server((req, res) => {
        const challenge = `Bearer realm="${mirrorTokens.origin}/token"`;
        res
          .writeHead(401, {
            'WWW-Authenticate': req.headers.authorization ? `${challenge},error="${req.headers.authorization}"` : challenge,
          })
          .end();
      });
      await collect(client({ credentials: loginTo(rejecting.host) }).resolve(image(rejecting.host)));
      // Token services answering with what they were sent: Basic credentials, and a refresh token in the form body.
      const tokens = await server((req, res, _i, body) =>
        res
          .writeHead(
            400,
            echo(req, decodeURIComponent(body))
              .trim()
              .replace(/[^\t\x20-\x7e]/g, '?'),
          )
          .end(),
      );
      const bearer = await server((_req, res) =>
        res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="${tokens.origin}/token",service="s"` }).end(),
      );
      await collect(client({ credentials: loginTo(bearer.host) }).resolve(image(bearer.host)));
      await collect(
        client({ credentials: credentials({ auths: { [bearer.host]: { identitytoken: REFRESH } } }) }).resolve(image(bearer.host)),
      );
      assert.equal(messages.length, 5);
      assert.ok(
        tokens.requests.some((q) => q.headers.authorization === `Basic ${BASIC}`),
        'the credentials really went out',
      );
      assert.ok(
        tokens.requests.some((q) => q.body.includes(encodeURIComponent(REFRESH))),
        'the refresh token really went out',
      );
      for (const m of messages) assertClean(m, 'an error message');
      assert.match(messages[0], /failed \(500 Basic \*\*\*\); try again later$/);
      assert.match(messages[1], /\(MANIFEST_UNKNOWN: Basic \*\*\* +\[2Jgotcha\)/);
      assert.match(messages[2], /rejected the token \(401, Bearer \*\*\*\)$/);
    });

    it('from a credential helper that fails after printing the secret, or a config file that does not parse', async () => {
      const d = tempDir('dh-hostile-helper-');
      dirs.push(d);
      const helper = path.join(d.dir, 'docker-credential-leaky');
      writeFileSync(
        helper,
        `#!/bin/sh\nprintf '{"Username":"${USER}","Secret":"%s"}' '${PASSWORD}'\necho "keychain says: ${PASSWORD}" >&2\nexit 1\n`,
      );
      chmodSync(helper, 0o755);
      const reg = await server((_req, res) => res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="r"' }).end());
      const leaky = await failsWith(
        client({ credentials: credentials({ credsStore: 'leaky' }, d.dir) }).resolve(image(reg.host)),
        'credentials',
        /docker-credential-leaky get failed for 127\.0\.0\.1:\d+ \(exit 1\): keychain says: \*\*\*$/,
      );
      assertClean(leaky.message, 'the helper failure');
      const broken = tempDir('dh-hostile-config-');
      dirs.push(broken);
      writeFileSync(path.join(broken.dir, 'config.json'), `{"auths": {"${reg.host}": {"auth": ${BASIC}}}}`);
      const e = await failsWith(
        client({ credentials: new DockerCredentials({ env: { DOCKER_CONFIG: broken.dir } }) }).resolve(image(reg.host)),
        'credentials',
        /config\.json is not valid JSON \(.*\); fix it or run docker login again$/,
      );
      assertClean(e.message, 'the config error');
    });
  });
});
