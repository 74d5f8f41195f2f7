/**
 * `dockerfile-hardener pin [--check] [--timeout S] PATH…` end to end: the built CLI against a real
 * registry on 127.0.0.1 (docker-registry, seeded over its API), on files in a temporary directory.
 */
import * as assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CLI, runCliAsync } from '../support/cli';
import { FIXTURES, requireRegistry, seed, startRegistry, tempDir, type RegistryProcess, type Seeded } from '../support/registry';
import { closedPort, silentRegistry, type FakeServer } from '../support/fakeRegistry';
import { PASSWORD, USER } from '../support/tokenServer';

/** Runs `pin` without blocking this process (the fake registries live in it). */
const pin = (args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) => runCliAsync(['pin', ...args], cwd, env);

describe('CLI pin (real registry)', function () {
  this.timeout(60_000);
  let storage: ReturnType<typeof tempDir>;
  let anon: RegistryProcess;
  let basic: RegistryProcess;
  let silent: FakeServer;
  let seeded: Seeded;
  let dir: ReturnType<typeof tempDir>;
  let env: NodeJS.ProcessEnv;

  before(async function () {
    const bin = requireRegistry(this);
    assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build first`);
    storage = tempDir('dh-registry-');
    anon = await startRegistry(bin, { storage: storage.dir });
    seeded = await seed(anon.host);
    basic = await startRegistry(bin, { storage: storage.dir, htpasswd: path.join(FIXTURES, 'htpasswd') });
    silent = await silentRegistry();
  });
  after(async () => {
    await anon?.stop();
    await basic?.stop();
    await silent?.stop();
    storage?.dispose();
  });
  beforeEach(() => {
    dir = tempDir('dh-cli-pin-');
    mkdirSync(path.join(dir.dir, '.docker'));
    writeFileSync(
      path.join(dir.dir, '.docker', 'config.json'),
      JSON.stringify({ auths: { [basic.host]: { auth: Buffer.from(`${USER}:${PASSWORD}`).toString('base64') } } }),
    );
    env = { DOCKER_CONFIG: path.join(dir.dir, '.docker') };
  });
  afterEach(() => dir.dispose());

  const file = (rel: string, text: string) => {
    const p = path.join(dir.dir, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
    return p;
  };
  const read = (rel: string) => readFileSync(path.join(dir.dir, rel), 'utf8');

  it('pins every image in place, atomically and keeping the file mode, one request per image', async () => {
    const text = [
      `FROM --platform=linux/amd64 ${anon.host}/hardener/oci:1.0 AS build`,
      `RUN --mount=from=${anon.host}/hardener/oci:1.0,target=/x true`,
      `FROM ${basic.host}/hardener/list:1.0`,
      `COPY --from=build /a /a`,
      '',
    ].join('\n');
    const p = file('app/Dockerfile', text);
    chmodSync(p, 0o640);
    const before = await anon.count('HEAD', '/v2/hardener/oci/manifests/1.0');
    const r = await pin(['app'], dir.dir, env);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(
      read('app/Dockerfile'),
      text
        .replaceAll('hardener/oci:1.0', `hardener/oci:1.0@${seeded.ociIndex}`)
        .replace('hardener/list:1.0', `hardener/list:1.0@${seeded.dockerList}`),
    );
    assert.equal(statSync(p).mode & 0o777, 0o640);
    assert.equal((await anon.count('HEAD', '/v2/hardener/oci/manifests/1.0')) - before, 1);
    assert.equal(
      r.stdout,
      [
        `app/Dockerfile:1:29: pinned ${anon.host}/hardener/oci:1.0 to ${seeded.ociIndex}`,
        `app/Dockerfile:2:18: pinned ${anon.host}/hardener/oci:1.0 to ${seeded.ociIndex}`,
        `app/Dockerfile:3:6: pinned ${basic.host}/hardener/list:1.0 to ${seeded.dockerList}`,
        '',
      ].join('\n'),
    );
    assert.match(r.stderr, /^3 images pinned, 0 digests updated in 1 file\n$/);

    // Pinned and current: --check agrees, and pin again changes nothing.
    const check = await pin(['--check', 'app/Dockerfile'], dir.dir, env);
    assert.equal(check.status, 0, check.stderr);
    assert.equal(check.stdout, '');
    assert.match(check.stderr, /^0 images unpinned or stale in 1 file\n$/);
    const again = await pin(['app/Dockerfile'], dir.dir, env);
    assert.equal(again.status, 0);
    assert.equal(again.stdout, '');
  });

  it('--check writes nothing, prints the unpinned and the stale as findings and exits 1', async () => {
    const text = `FROM ${anon.host}/hardener/moving:1.0@${seeded.movedFrom}\nCOPY --from=${anon.host}/hardener/single:1.0 /a /a\nCOPY --from=${anon.host}/hardener/oci@${seeded.ociIndex} /b /b\n`;
    file('Dockerfile', text);
    const r = await pin(['--check', 'Dockerfile'], dir.dir, env);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(read('Dockerfile'), text);
    const lines = r.stdout.trimEnd().split('\n');
    assert.deepEqual(
      lines.map((l) => l.split(' ').slice(0, 3).join(' ')),
      [`Dockerfile:1:${text.indexOf('@') + 2} info stale-digest`, 'Dockerfile:2:13 info unpinned-digest'],
    );
    assert.match(lines[0], /hardener\/moving:1\.0 now points at sha256:[0-9a-f]{12}…, not the pinned/);
    assert.match(
      r.stderr,
      /^Dockerfile:3:13: cannot check 127\.0\.0\.1:\d+\/hardener\/oci@sha256:[0-9a-f]{64}: it has a digest but no tag/m,
    );
    assert.match(r.stderr, /2 images unpinned or stale in 1 file\n$/);
  });

  it('updates a stale digest when pinning', async () => {
    file('Dockerfile', `ARG BASE=${anon.host}/hardener/moving:1.0@${seeded.movedFrom}\nFROM \${BASE}\n`);
    const r = await pin(['Dockerfile'], dir.dir, env);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(read('Dockerfile'), `ARG BASE=${anon.host}/hardener/moving:1.0@${seeded.moving}\nFROM \${BASE}\n`);
    assert.match(r.stdout, /^Dockerfile:2:6: updated 127\.0\.0\.1:\d+\/hardener\/moving:1\.0 to sha256:/);
  });

  it('lists what it cannot pin with the reason and exits 1; pins the rest', async () => {
    file('Dockerfile', `ARG IMAGE\nFROM \${IMAGE} AS custom\nFROM ${anon.host}/hardener/single:1.0\n`);
    const r = await pin(['Dockerfile'], dir.dir, env);
    assert.equal(r.status, 1);
    assert.equal(read('Dockerfile'), `ARG IMAGE\nFROM \${IMAGE} AS custom\nFROM ${anon.host}/hardener/single:1.0@${seeded.single}\n`);
    assert.match(
      r.stderr,
      /^Dockerfile:2:6: cannot pin: image comes from a build argument \(IMAGE, which has no default: its value is chosen at build time\)$/m,
    );
    assert.match(r.stderr, /1 image pinned, 0 digests updated in 1 file; 1 reference left unpinned\n$/);
  });

  it('a registry error leaves the file unchanged and exits 2 (other files are still pinned)', async () => {
    const broken = `FROM ${anon.host}/hardener/single:1.0\nFROM ${anon.host}/hardener/single:9.9\n`;
    file('a/Dockerfile', broken);
    file('b/Dockerfile', `FROM ${anon.host}/hardener/single:1.0\n`);
    const r = await pin(['a', 'b'], dir.dir, env);
    assert.equal(r.status, 2);
    assert.equal(read('a/Dockerfile'), broken);
    assert.equal(read('b/Dockerfile'), `FROM ${anon.host}/hardener/single:1.0@${seeded.single}\n`);
    assert.match(
      r.stderr,
      /^a\/Dockerfile:2:6: error: 127\.0\.0\.1:\d+\/hardener\/single:9\.9: not found on 127\.0\.0\.1:\d+ \(MANIFEST_UNKNOWN: manifest unknown\): no such tag or repository$/m,
    );
    assert.match(r.stderr, /^a\/Dockerfile: left unchanged: a registry could not answer$/m);
  });

  it('--timeout against a registry that never answers; a refused connection', async () => {
    file('Dockerfile', `FROM ${silent.host}/hardener/x:1\n`);
    const r = await pin(['--timeout', '0.5', 'Dockerfile'], dir.dir, env);
    assert.equal(r.status, 2);
    assert.ok(r.ms < 10_000, `took ${r.ms} ms`);
    assert.match(
      r.stderr,
      /^Dockerfile:1:6: error: 127\.0\.0\.1:\d+\/hardener\/x:1: no answer from 127\.0\.0\.1:\d+ within 0\.5 s \(the registry timeout\)$/m,
    );
    const port = await closedPort();
    file('Dockerfile', `FROM 127.0.0.1:${port}/hardener/x:1\n`);
    const refused = await pin(['--check', 'Dockerfile', 'nothing-here'], dir.dir, env);
    // --check needs no registry for an unpinned image, but the missing path is an error.
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /nothing-here: no such file or directory/);
    file('Dockerfile', `FROM 127.0.0.1:${port}/hardener/x:1\n`);
    const r2 = await pin(['Dockerfile'], dir.dir, env);
    assert.equal(r2.status, 2);
    assert.match(r2.stderr, /error: 127\.0\.0\.1:\d+\/hardener\/x:1: cannot connect to 127\.0\.0\.1:\d+: connection refused/);
  });

  it('rejects bad usage with exit status 2', async () => {
    for (const args of [[], ['-'], ['--timeout', 'soon', 'Dockerfile'], ['--timeout', '0', 'Dockerfile'], ['--frobnicate', 'Dockerfile']]) {
      const r = await pin(args, dir.dir, env);
      assert.equal(r.status, 2, JSON.stringify(args));
      assert.match(r.stderr, /^dockerfile-hardener: .+\n\nUsage: dockerfile-hardener pin/, JSON.stringify(args));
    }
  });
});
