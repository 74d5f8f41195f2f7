/**
 * The registry client's pure parts: names as Docker reads them, challenges, Retry-After, and where
 * credentials come from (Docker's config.json and credential helpers, with stand-in helpers).
 */
import * as assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseImageRef } from '../../../server/src/model/imageRef';
import { displayImage, endpointFor, imageKey, isLoopback } from '../../../server/src/model/registryNames';
import { parseChallenge, retryAfterMs } from '../../../server/src/registry/attempt';
import { DockerCredentials } from '../../../server/src/registry/credentials';
import { tempDir } from '../../support/registry';

const ref = (text: string) => {
  const r = parseImageRef(text, { start: 0, end: text.length }, false);
  assert.ok(r, text);
  return r;
};

describe('registry names', () => {
  it('reads names as Docker does: Docker Hub, library/, latest, host[:port]', () => {
    const cases: [string, string, string, string][] = [
      // reference, API origin, repository, key of the current digest
      ['golang', 'https://registry-1.docker.io', 'library/golang', 'docker.io/library/golang:latest'],
      ['golang:1.22', 'https://registry-1.docker.io', 'library/golang', 'docker.io/library/golang:1.22'],
      ['bitnami/redis:7', 'https://registry-1.docker.io', 'bitnami/redis', 'docker.io/bitnami/redis:7'],
      ['docker.io/library/alpine:3.20', 'https://registry-1.docker.io', 'library/alpine', 'docker.io/library/alpine:3.20'],
      ['index.docker.io/alpine', 'https://registry-1.docker.io', 'library/alpine', 'docker.io/library/alpine:latest'],
      ['ghcr.io/org/app:v1', 'https://ghcr.io', 'org/app', 'ghcr.io/org/app:v1'],
      ['registry.example.com:8443/team/app', 'https://registry.example.com:8443', 'team/app', 'registry.example.com:8443/team/app:latest'],
      ['localhost:5000/app:1', 'http://localhost:5000', 'app', 'localhost:5000/app:1'],
      ['localhost/app', 'http://localhost', 'app', 'localhost/app:latest'],
      ['127.0.0.1:5000/app:1', 'http://127.0.0.1:5000', 'app', '127.0.0.1:5000/app:1'],
      ['127.1.2.3:5000/app:1', 'http://127.1.2.3:5000', 'app', '127.1.2.3:5000/app:1'],
      ['[::1]:5000/app:1', 'http://[::1]:5000', 'app', '[::1]:5000/app:1'],
      ['128.0.0.1:5000/app:1', 'https://128.0.0.1:5000', 'app', '128.0.0.1:5000/app:1'],
      ['localhost.example.com/app', 'https://localhost.example.com', 'app', 'localhost.example.com/app:latest'],
    ];
    for (const [text, origin, repository, key] of cases) {
      const r = ref(text);
      assert.equal(endpointFor(r.registry).origin, origin, text);
      assert.equal(r.repository, repository, text);
      assert.equal(imageKey(r), key, text);
    }
    assert.equal(displayImage(ref('docker.io/library/alpine')), 'alpine:latest');
    assert.equal(displayImage(ref('ghcr.io/org/app:v1')), 'ghcr.io/org/app:v1');
  });

  it('treats only localhost, 127.0.0.0/8 and ::1 as loopback', () => {
    for (const h of ['localhost', 'localhost:5000', '127.0.0.1', '127.255.255.254:1', '[::1]:5000', '::1']) assert.ok(isLoopback(h), h);
    for (const h of ['localhost.example.com', '127.0.0.1.nip.io', '10.0.0.1', '[::2]:5000', '0.0.0.0', '127.256.0.1'])
      assert.ok(!isLoopback(h), h);
  });

  it('uses the config key Docker uses for credentials', () => {
    assert.equal(endpointFor('docker.io').credentialKey, 'https://index.docker.io/v1/');
    assert.equal(endpointFor('ghcr.io').credentialKey, 'ghcr.io');
  });
});

describe('registry challenges and Retry-After', () => {
  it('parses Bearer and Basic challenges with quoted parameters', () => {
    assert.deepEqual(
      parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/golang:pull"'),
      {
        scheme: 'bearer',
        realm: 'https://auth.docker.io/token',
        service: 'registry.docker.io',
        error: undefined,
      },
    );
    assert.deepEqual(
      parseChallenge('Bearer realm="https://a/token",service="s",scope="repository:x:pull",error="insufficient_scope"')?.error,
      'insufficient_scope',
    );
    assert.deepEqual(parseChallenge('Basic realm="Registry Realm"'), {
      scheme: 'basic',
      realm: 'Registry Realm',
      service: undefined,
      error: undefined,
    });
    assert.deepEqual(parseChallenge(['Negotiate', 'basic realm=x']), { scheme: 'basic', realm: 'x', service: undefined, error: undefined });
    assert.equal(parseChallenge('Negotiate abc'), undefined);
    assert.equal(parseChallenge(undefined), undefined);
  });

  it('reads Retry-After as seconds or as a date', () => {
    assert.equal(retryAfterMs('2'), 2000);
    assert.equal(retryAfterMs('Thu, 01 Jan 2037 00:00:10 GMT', Date.parse('Thu, 01 Jan 2037 00:00:00 GMT')), 10_000);
    assert.equal(retryAfterMs('soon'), undefined);
    assert.equal(retryAfterMs(undefined), undefined);
  });
});

describe('registry credentials as Docker finds them', () => {
  let tmp: ReturnType<typeof tempDir>;
  let env: NodeJS.ProcessEnv;
  const signal = new AbortController().signal;
  const basic = (user: string, pass: string) => Buffer.from(`${user}:${pass}`).toString('base64');

  /** A stand-in docker-credential-<name>: answers from `known` (server URL → user, secret), logs what it was asked. */
  const helper = (name: string, known: Record<string, [string, string]>) => {
    const lines = Object.entries(known)
      .map(([url, [u, s]]) => `  ${JSON.stringify(url)}) printf '%s' '${JSON.stringify({ ServerURL: url, Username: u, Secret: s })}' ;;`)
      .join('\n');
    const file = path.join(tmp.dir, 'bin', `docker-credential-${name}`);
    writeFileSync(
      file,
      `#!/bin/sh\n[ "$1" = get ] || exit 2\nread -r url\necho "$url" >> ${JSON.stringify(path.join(tmp.dir, `${name}.log`))}\ncase "$url" in\n${lines}\n  *) echo "credentials not found in native keychain"; exit 1 ;;\nesac\n`,
    );
    chmodSync(file, 0o755);
  };
  const asked = (name: string) => {
    try {
      return readFileSync(path.join(tmp.dir, `${name}.log`), 'utf8')
        .trim()
        .split('\n');
    } catch {
      return [];
    }
  };
  const config = (c: object) => writeFileSync(path.join(tmp.dir, 'config.json'), JSON.stringify(c));

  beforeEach(() => {
    tmp = tempDir('dh-creds-');
    mkdirSync(path.join(tmp.dir, 'bin'));
    env = { DOCKER_CONFIG: tmp.dir, PATH: `${path.join(tmp.dir, 'bin')}:${process.env.PATH}` };
  });
  afterEach(() => tmp.dispose());

  it('reads $DOCKER_CONFIG/config.json, else ~/.docker/config.json', () => {
    assert.equal(new DockerCredentials({ env: { DOCKER_CONFIG: '/etc/x' } }).configFile(), '/etc/x/config.json');
    assert.equal(new DockerCredentials({ env: { HOME: '/home/u' } }).configFile(), '/home/u/.docker/config.json');
  });

  it('finds auths entries by exact key or host (auth, username/password, identitytoken)', async () => {
    config({
      auths: {
        'https://index.docker.io/v1/': { auth: basic('hub', 'p:with:colons') },
        'https://ghcr.io': { username: 'gh', password: 'ghp' },
        'quay.io': { identitytoken: 'refresh-me' },
      },
    });
    const c = new DockerCredentials({ env });
    assert.deepEqual(await c.get(endpointFor('docker.io'), signal), {
      kind: 'basic',
      username: 'hub',
      password: 'p:with:colons',
      source: path.join(tmp.dir, 'config.json'),
    });
    assert.deepEqual(await c.get(endpointFor('ghcr.io'), signal), {
      kind: 'basic',
      username: 'gh',
      password: 'ghp',
      source: path.join(tmp.dir, 'config.json'),
    });
    assert.deepEqual(await c.get(endpointFor('quay.io'), signal), {
      kind: 'identity-token',
      token: 'refresh-me',
      source: path.join(tmp.dir, 'config.json'),
    });
    assert.equal(await c.get(endpointFor('registry.example.com'), signal), undefined);
  });

  it('asks credHelpers[host] first, then credsStore, then auths; "not found" moves on', async () => {
    helper('per-host', { 'ghcr.io': ['helper-user', 'helper-secret'] });
    helper('store', { 'https://index.docker.io/v1/': ['<token>', 'hub-identity-token'] });
    config({
      credHelpers: { 'ghcr.io': 'per-host', 'quay.io': 'per-host' },
      credsStore: 'store',
      auths: { 'quay.io': { auth: basic('file-user', 'file-pass') }, 'ghcr.io': { auth: basic('never', 'used') } },
    });
    const c = new DockerCredentials({ env });
    assert.deepEqual(await c.get(endpointFor('ghcr.io'), signal), {
      kind: 'basic',
      username: 'helper-user',
      password: 'helper-secret',
      source: 'docker-credential-per-host',
    });
    assert.deepEqual(await c.get(endpointFor('docker.io'), signal), {
      kind: 'identity-token',
      token: 'hub-identity-token',
      source: 'docker-credential-store',
    });
    assert.deepEqual(await c.get(endpointFor('quay.io'), signal), {
      kind: 'basic',
      username: 'file-user',
      password: 'file-pass',
      source: path.join(tmp.dir, 'config.json'),
    });
    assert.deepEqual(asked('per-host'), ['ghcr.io', 'quay.io']);
    assert.deepEqual(asked('store'), ['https://index.docker.io/v1/', 'quay.io']);
  });

  it('runs no helper when helpers are off (untrusted workspaces)', async () => {
    helper('store', { 'ghcr.io': ['u', 's'] });
    config({ credsStore: 'store', auths: { 'ghcr.io': { auth: basic('file', 'pass') } } });
    const c = new DockerCredentials({ env, helpers: false });
    assert.deepEqual(await c.get(endpointFor('ghcr.io'), signal), {
      kind: 'basic',
      username: 'file',
      password: 'pass',
      source: path.join(tmp.dir, 'config.json'),
    });
    assert.deepEqual(asked('store'), []);
  });

  it('says clearly when a helper is missing or fails, or the config is broken', async () => {
    config({ credsStore: 'desktop' });
    await assert.rejects(
      new DockerCredentials({ env }).get(endpointFor('ghcr.io'), signal),
      /docker-credential-desktop \(credsStore in .*config\.json\) is not installed or not on PATH/,
    );
    const failing = path.join(tmp.dir, 'bin', 'docker-credential-broken');
    writeFileSync(failing, '#!/bin/sh\necho "keychain locked" >&2\nexit 3\n');
    chmodSync(failing, 0o755);
    config({ credsStore: 'broken' });
    await assert.rejects(
      new DockerCredentials({ env }).get(endpointFor('ghcr.io'), signal),
      /docker-credential-broken get failed for ghcr\.io \(exit 3\): keychain locked/,
    );
    config({ credsStore: '../../bin/sh' });
    await assert.rejects(new DockerCredentials({ env }).get(endpointFor('ghcr.io'), signal), /is not a credential helper name/);
    writeFileSync(path.join(tmp.dir, 'config.json'), '{ "auths": ');
    await assert.rejects(new DockerCredentials({ env }).get(endpointFor('ghcr.io'), signal), /config\.json is not valid JSON/);
  });

  it('has no credentials without a config file', async () => {
    assert.equal(await new DockerCredentials({ env }).get(endpointFor('ghcr.io'), signal), undefined);
  });
});
