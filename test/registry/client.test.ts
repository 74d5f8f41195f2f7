/**
 * The registry client against a real registry (Debian's docker-registry on 127.0.0.1, seeded over its
 * API; test/support/registry.ts) and, for the failures a real registry will not produce on demand,
 * against small fake servers. Anonymous, Basic (bcrypt htpasswd fixture) and Bearer (a local token
 * service signing ES256 tokens with a fixture key) instances share one storage directory; the HTTPS
 * cases use a fixture certificate for *.example.test, which the tests resolve to 127.0.0.1.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { RegistryClient, type RegistryClientOptions } from '../../server/src/registry/client';
import { DockerCredentials } from '../../server/src/registry/credentials';
import type { ImageName } from '../../server/src/model/registryNames';
import { failsWith, FIXTURES, requireRegistry, seed, startRegistry, tempDir, type RegistryProcess, type Seeded } from '../support/registry';
import { PASSWORD, REFRESH_TOKEN, startTokenServer, TOKEN_ISSUER, TOKEN_SERVICE, USER, type TokenServer } from '../support/tokenServer';
import { closedPort, exampleTestLookup, fakeRegistry, silentRegistry, type FakeServer } from '../support/fakeRegistry';

const TLS_CA = readFileSync(path.join(FIXTURES, 'tls.crt'), 'utf8');

describe('registry client against docker-registry', function () {
  this.timeout(30_000);
  let storage: ReturnType<typeof tempDir>;
  let home: ReturnType<typeof tempDir>;
  let anon: RegistryProcess;
  let basic: RegistryProcess;
  let bearer: RegistryProcess;
  let bearerForeignKey: RegistryProcess;
  let bearerHttpRealmElsewhere: RegistryProcess;
  let bearerHttpsRealmElsewhere: RegistryProcess;
  let tls: RegistryProcess;
  let tokens: TokenServer;
  let foreignTokens: TokenServer;
  let tlsTokens: TokenServer;
  let seeded: Seeded;
  const clients: RegistryClient[] = [];
  const stops: (() => Promise<void>)[] = [];

  const image = (registry: string, repo: string, tag = '1.0'): ImageName => ({ registry, repository: `hardener/${repo}`, tag });
  const client = (o: RegistryClientOptions = {}) => {
    const c = new RegistryClient({ cacheTtlMs: 0, ...o });
    clients.push(c);
    return c;
  };
  /** A Docker config in a fresh directory; credentials come only from there. */
  const credentials = (config: object) => {
    const dir = tempDir('dh-docker-config-');
    stops.push(async () => dir.dispose());
    writeFileSync(path.join(dir.dir, 'config.json'), JSON.stringify(config));
    return new DockerCredentials({ env: { DOCKER_CONFIG: dir.dir, PATH: process.env.PATH } });
  };
  const alice = (host: string) => credentials({ auths: { [host]: { auth: Buffer.from(`${USER}:${PASSWORD}`).toString('base64') } } });

  before(async function () {
    const bin = requireRegistry(this);
    storage = tempDir('dh-registry-');
    home = tempDir('dh-home-');
    const started = Date.now();
    anon = await startRegistry(bin, { storage: storage.dir });
    seeded = await seed(anon.host);
    tokens = await startTokenServer();
    foreignTokens = await startTokenServer({ foreignKey: true });
    tlsTokens = await startTokenServer({ tls: true });
    const token = (realm: string) => ({
      realm,
      service: TOKEN_SERVICE,
      issuer: TOKEN_ISSUER,
      rootcertbundle: path.join(FIXTURES, 'token-signing.crt'),
    });
    [basic, bearer, bearerForeignKey, bearerHttpRealmElsewhere, bearerHttpsRealmElsewhere, tls] = await Promise.all([
      startRegistry(bin, { storage: storage.dir, htpasswd: path.join(FIXTURES, 'htpasswd') }),
      startRegistry(bin, { storage: storage.dir, token: token(`http://127.0.0.1:${tokens.port}/token`) }),
      startRegistry(bin, { storage: storage.dir, token: token(`http://127.0.0.1:${foreignTokens.port}/token`) }),
      startRegistry(bin, { storage: storage.dir, token: token(`http://auth.example.test:${tokens.port}/token`) }),
      startRegistry(bin, { storage: storage.dir, token: token(`https://auth.example.test:${tlsTokens.port}/token`) }),
      startRegistry(bin, {
        storage: storage.dir,
        tls: { certificate: path.join(FIXTURES, 'tls.crt'), key: path.join(FIXTURES, 'tls.key') },
      }),
    ]);
    console.log(`      (7 registries and 3 token services started and seeded in ${Date.now() - started} ms)`);
  });

  after(async () => {
    for (const c of clients) c.close();
    for (const s of stops) await s();
    for (const p of [anon, basic, bearer, bearerForeignKey, bearerHttpRealmElsewhere, bearerHttpsRealmElsewhere, tls]) await p?.stop();
    for (const t of [tokens, foreignTokens, tlsTokens]) await t?.stop();
    storage?.dispose();
    home?.dispose();
  });

  describe('what a tag points at', () => {
    it('a single-platform image: its Docker manifest v2', async () => {
      assert.deepEqual(await client().resolve(image(anon.host, 'single')), {
        digest: seeded.single,
        mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      });
    });

    it('an OCI index: the index, never one platform', async () => {
      const r = await client().resolve(image(anon.host, 'oci'));
      assert.deepEqual(r, { digest: seeded.ociIndex, mediaType: 'application/vnd.oci.image.index.v1+json' });
      assert.ok(!seeded.ociChildren.includes(r.digest));
    });

    it('a Docker manifest list: the list, although a client asking with fewer types gets the amd64 child', async () => {
      // The trap is live on this registry: an incomplete Accept list silently gives one platform.
      const trap = await fetch(`http://${anon.host}/v2/hardener/list/manifests/1.0`, {
        method: 'HEAD',
        headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' },
      });
      assert.equal(trap.status, 200);
      assert.equal(trap.headers.get('docker-content-digest'), seeded.dockerListAmd64);
      assert.notEqual(seeded.dockerListAmd64, seeded.dockerList);
      // The client does not fall into it.
      assert.deepEqual(await client().resolve(image(anon.host, 'list')), {
        digest: seeded.dockerList,
        mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
      });
      assert.equal(await anon.count('HEAD', '/v2/hardener/list/manifests/1.0'), 2, 'one HEAD for the trap, one for the client');
    });

    it("a missing tag and a missing repository: not found, in the registry's words", async () => {
      await failsWith(
        client().resolve(image(anon.host, 'single', '9.9')),
        'not-found',
        /^127\.0\.0\.1:\d+\/hardener\/single:9\.9: not found on 127\.0\.0\.1:\d+ \(MANIFEST_UNKNOWN: manifest unknown\): no such tag or repository$/,
      );
      await failsWith(
        client().resolve(image(anon.host, 'nothing-here')),
        'not-found',
        /hardener\/nothing-here:1\.0: not found .*MANIFEST_UNKNOWN/,
      );
    });

    it('remembers an answer for a short while (one request for two pins in a row)', async () => {
      const c = new RegistryClient({ cacheTtlMs: 60_000 });
      clients.push(c);
      const before = await anon.count('HEAD', '/v2/hardener/oci/manifests/1.0');
      await c.resolve(image(anon.host, 'oci'));
      await c.resolve(image(anon.host, 'oci'));
      assert.equal((await anon.count('HEAD', '/v2/hardener/oci/manifests/1.0')) - before, 1);
    });
  });

  describe('Basic authentication', () => {
    it("sends credentials from Docker's config after the challenge, and knows the challenge for the next image", async () => {
      const c = client({ credentials: alice(basic.host) });
      assert.equal((await c.resolve(image(basic.host, 'single'))).digest, seeded.single);
      assert.equal((await c.resolve(image(basic.host, 'oci'))).digest, seeded.ociIndex);
      await basic.settle();
      const heads = basic.accessLog.filter((l) => l.includes('"HEAD ') && !l.includes('/settle-'));
      assert.deepEqual(
        heads.map((l) => / (\d{3}) /.exec(l.split('"')[2])![1]),
        ['401', '200', '200'],
        'one anonymous round trip, then credentials straight away',
      );
    });

    it('without credentials: a login is required', async () => {
      await failsWith(
        client({ credentials: credentials({}) }).resolve(image(basic.host, 'single')),
        'unauthorized',
        /requires a login \(401\); run docker login 127\.0\.0\.1:\d+$/,
      );
    });

    it('a wrong password: rejected, and the password is not in the message', async () => {
      const creds = credentials({ auths: { [basic.host]: { username: USER, password: 'not-the-password' } } });
      const e = await failsWith(
        client({ credentials: creds }).resolve(image(basic.host, 'single')),
        'unauthorized',
        /rejected the credentials \(401\)/,
      );
      assert.ok(!e.message.includes('not-the-password'));
    });

    it('credentials from a credential helper (credsStore)', async () => {
      const dir = tempDir('dh-helper-');
      stops.push(async () => dir.dispose());
      const helper = path.join(dir.dir, 'docker-credential-hardener-test');
      writeFileSync(
        helper,
        `#!/bin/sh\nread -r url\n[ "$url" = "${basic.host}" ] || { echo "credentials not found"; exit 1; }\nprintf '{"ServerURL":"%s","Username":"${USER}","Secret":"${PASSWORD}"}' "$url"\n`,
        { mode: 0o755 },
      );
      writeFileSync(path.join(dir.dir, 'config.json'), JSON.stringify({ credsStore: 'hardener-test' }));
      const creds = new DockerCredentials({ env: { DOCKER_CONFIG: dir.dir, PATH: `${dir.dir}:${process.env.PATH}` } });
      assert.equal((await client({ credentials: creds }).resolve(image(basic.host, 'list'))).digest, seeded.dockerList);
    });
  });

  describe('Bearer tokens (the Docker Hub flow)', () => {
    it('anonymous pull of a public repository, with the token reused until it expires', async () => {
      const c = client();
      const before = tokens.requests.length;
      assert.equal((await c.resolve(image(bearer.host, 'oci'))).digest, seeded.ociIndex);
      assert.equal((await c.resolve(image(bearer.host, 'oci'))).digest, seeded.ociIndex);
      assert.deepEqual(tokens.requests.slice(before), [{ method: 'GET', scope: 'repository:hardener/oci:pull', credentials: false }]);
    });

    it("a private repository with credentials sent to the registry's token realm", async () => {
      const before = tokens.requests.length;
      assert.equal((await client({ credentials: alice(bearer.host) }).resolve(image(bearer.host, 'private'))).digest, seeded.private);
      assert.deepEqual(tokens.requests.slice(before), [{ method: 'GET', scope: 'repository:hardener/private:pull', credentials: true }]);
    });

    it('a private repository with an identity token (OAuth refresh grant)', async () => {
      const creds = credentials({ auths: { [bearer.host]: { identitytoken: REFRESH_TOKEN } } });
      const before = tokens.requests.length;
      assert.equal((await client({ credentials: creds }).resolve(image(bearer.host, 'private'))).digest, seeded.private);
      assert.deepEqual(tokens.requests.slice(before), [{ method: 'POST', scope: 'repository:hardener/private:pull', credentials: true }]);
    });

    it('a wrong password at the token service', async () => {
      const creds = credentials({ auths: { [bearer.host]: { username: USER, password: 'wrong' } } });
      await failsWith(
        client({ credentials: creds }).resolve(image(bearer.host, 'private')),
        'unauthorized',
        /the token service http:\/\/127\.0\.0\.1:\d+ rejected the credentials from .*config\.json \(401\)/,
      );
    });

    it('insufficient scope: the token does not allow this repository', async () => {
      await failsWith(
        client({ credentials: alice(bearer.host) }).resolve(image(bearer.host, 'forbidden')),
        'denied',
        /hardener\/forbidden:1\.0: the token does not allow pulling hardener\/forbidden \(insufficient_scope\)$/,
      );
      await failsWith(
        client().resolve(image(bearer.host, 'private')),
        'denied',
        /\(insufficient_scope\); run docker login 127\.0\.0\.1:\d+ if you have access$/,
      );
    });

    it('a token signed with a key the registry does not trust', async () => {
      await failsWith(
        client().resolve(image(bearerForeignKey.host, 'single')),
        'unauthorized',
        /rejected the token \(401, invalid_token\)/,
      );
    });

    it('never sends credentials to a realm on another host over plain HTTP', async () => {
      const c = client({ credentials: alice(bearerHttpRealmElsewhere.host), transport: { lookup: exampleTestLookup } });
      const before = tokens.requests.length;
      // Public: an anonymous token is enough.
      assert.equal((await c.resolve(image(bearerHttpRealmElsewhere.host, 'single'))).digest, seeded.single);
      // Private: refused, and the message says why the credentials stayed home.
      await failsWith(
        c.resolve(image(bearerHttpRealmElsewhere.host, 'private')),
        'denied',
        /credentials were not sent to http:\/\/auth\.example\.test:\d+, which is plain HTTP beyond loopback$/,
      );
      assert.ok(tokens.requests.length - before >= 2);
      assert.ok(
        tokens.requests.slice(before).every((r) => !r.credentials),
        JSON.stringify(tokens.requests.slice(before)),
      );
    });

    it("sends them to the registry's own realm on another host over HTTPS", async () => {
      const c = client({ credentials: alice(bearerHttpsRealmElsewhere.host), transport: { lookup: exampleTestLookup, ca: [TLS_CA] } });
      assert.equal((await c.resolve(image(bearerHttpsRealmElsewhere.host, 'private'))).digest, seeded.private);
      assert.deepEqual(tlsTokens.requests, [{ method: 'GET', scope: 'repository:hardener/private:pull', credentials: true }]);
    });
  });

  describe('HTTPS beyond loopback', () => {
    it('reaches a registry named by a host name over HTTPS', async () => {
      const c = client({ transport: { lookup: exampleTestLookup, ca: [TLS_CA] } });
      assert.equal((await c.resolve(image(`registry.example.test:${tls.port}`, 'oci'))).digest, seeded.ociIndex);
    });

    it('never falls back to plain HTTP for a host name, even when the registry only speaks HTTP', async () => {
      const c = client({ transport: { lookup: exampleTestLookup, ca: [TLS_CA] } });
      await anon.settle();
      const before = anon.accessLog.filter((l) => !l.includes('/settle-')).length;
      await failsWith(c.resolve(image(`registry.example.test:${anon.port}`, 'single')), 'unreachable', /registry\.example\.test:\d+/);
      await anon.settle();
      assert.equal(anon.accessLog.filter((l) => !l.includes('/settle-')).length, before, 'no plain HTTP request reached the registry');
    });
  });

  describe('failures', () => {
    const fakes: FakeServer[] = [];
    after(async () => {
      for (const f of fakes) await f.stop();
    });
    const fake = async (handler: Parameters<typeof fakeRegistry>[0]) => {
      const f = await fakeRegistry(handler);
      fakes.push(f);
      return f;
    };
    const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

    it('a registry that never answers: the timeout, with the host and the time', async () => {
      const silent = await silentRegistry();
      fakes.push(silent);
      const started = Date.now();
      await failsWith(
        client({ timeoutMs: 400 }).resolve(image(silent.host, 'single')),
        'timeout',
        /^127\.0\.0\.1:\d+\/hardener\/single:1\.0: no answer from 127\.0\.0\.1:\d+ within 0\.4 s \(the registry timeout\)$/,
      );
      const took = Date.now() - started;
      assert.ok(took >= 390 && took < 3000, `took ${took} ms`);
    });

    it('cancellation ends the request at once', async () => {
      const silent = await silentRegistry();
      fakes.push(silent);
      const controller = new AbortController();
      void silent.seen(1).then(() => controller.abort());
      const started = Date.now();
      await failsWith(
        client({ timeoutMs: 20_000 }).resolve(image(silent.host, 'single'), { signal: controller.signal }),
        'cancelled',
        /cancelled/,
      );
      assert.ok(Date.now() - started < 5000);
    });

    it('a refused connection', async () => {
      const port = await closedPort();
      await failsWith(
        client().resolve(image(`127.0.0.1:${port}`, 'single')),
        'refused',
        /cannot connect to 127\.0\.0\.1:\d+: connection refused/,
      );
    });

    it('429: waits as Retry-After asks, once', async () => {
      const body = Buffer.from('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}');
      const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
      const f = await fake((_req, res, i) => {
        if (i === 0) res.writeHead(429, { 'Retry-After': '1' }).end();
        else res.writeHead(200, { 'Content-Type': OCI_INDEX, 'Docker-Content-Digest': digest }).end();
      });
      const started = Date.now();
      assert.equal((await client().resolve(image(f.host, 'x'))).digest, digest);
      assert.ok(Date.now() - started >= 950, 'waited about a second');
      assert.deepEqual(f.requests, ['HEAD /v2/hardener/x/manifests/1.0', 'HEAD /v2/hardener/x/manifests/1.0']);
    });

    it('429 again after the wait, or a wait longer than the timeout: rate limited', async () => {
      const twice = await fake((_req, res) => res.writeHead(429, { 'Retry-After': '0' }).end());
      await failsWith(client().resolve(image(twice.host, 'x')), 'rate-limited', /still after waiting as Retry-After asked/);
      assert.equal(twice.requests.length, 2);
      const long = await fake((_req, res) => res.writeHead(429, { 'Retry-After': '3600' }).end());
      await failsWith(
        client().resolve(image(long.host, 'x')),
        'rate-limited',
        /asks to wait 3600 s, longer than the registry timeout allows/,
      );
      assert.equal(long.requests.length, 1);
    });

    it('500: the registry failed', async () => {
      const f = await fake((_req, res) => res.writeHead(500).end());
      await failsWith(client().resolve(image(f.host, 'x')), 'server-error', /failed \(500 Internal Server Error\); try again later/);
    });

    it('garbage instead of a manifest', async () => {
      const f = await fake((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>captive portal</html>'));
      await failsWith(client().resolve(image(f.host, 'x')), 'bad-response', /answer is not a manifest \(text\/html, not JSON\)/);
      assert.deepEqual(f.requests, ['HEAD /v2/hardener/x/manifests/1.0', 'GET /v2/hardener/x/manifests/1.0']);
    });

    it('a schema 1 manifest is rejected', async () => {
      const f = await fake((_req, res) =>
        res
          .writeHead(200, {
            'Content-Type': 'application/vnd.docker.distribution.manifest.v1+prettyjws',
            'Docker-Content-Digest': `sha256:${'1'.repeat(64)}`,
          })
          .end(),
      );
      await failsWith(client().resolve(image(f.host, 'x')), 'schema1', /schema 1 manifest/);
    });

    it('no Docker-Content-Digest: the manifest is fetched and hashed', async () => {
      const body = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] }, null, 2));
      const f = await fake((req, res) => {
        res.writeHead(200, { 'Content-Type': OCI_INDEX, 'Content-Length': String(body.length) });
        res.end(req.method === 'GET' ? body : undefined);
      });
      assert.deepEqual(await client().resolve(image(f.host, 'x')), {
        digest: `sha256:${createHash('sha256').update(body).digest('hex')}`,
        mediaType: OCI_INDEX,
      });
    });
  });
});
