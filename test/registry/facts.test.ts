/**
 * Image facts against a real registry on loopback holding real images (built with buildah from
 * scratch and pushed: test/support/realImages.ts), and the disk cache that the CLI and the server
 * share. The hostile cases of the pinning work (redirects, oversized bodies, digests that lie) go
 * through the same exchange (session.ts) and are tested in hostile.test.ts; here the facts-specific
 * ones: a blob that does not hash to its digest, a config that is not JSON.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { RegistryClient } from '../../server/src/registry/client';
import { fetchImageFacts } from '../../server/src/registry/facts';
import { FactCache, TAG_TTL_MS } from '../../server/src/registry/factCache';
import { configUser, platformFacts, toolchainInConfig } from '../../server/src/model/imageFacts';
import { tempDir, type RegistryProcess } from '../support/registry';
import { RealRegistry, type RealImages } from '../support/realImages';
import { fakeRegistry } from '../support/fakeRegistry';

describe('image facts from a real registry', function () {
  this.timeout(180_000);
  let real: RealRegistry | undefined;
  let registry: RegistryProcess;
  let images: RealImages;
  let cacheDir: ReturnType<typeof tempDir>;
  const client = new RegistryClient({ cacheTtlMs: 0 });
  const name = (repo: string, tag = '1.0') => ({ registry: registry.host, repository: `hardener/${repo}`, tag });

  before(async function () {
    real = await RealRegistry.start(this, 'dh-facts');
    ({ registry, images } = real);
    cacheDir = tempDir('dh-facts-cache-');
  });

  after(async () => {
    client.close();
    await real?.dispose();
    cacheDir?.dispose();
  });

  it('a named user, its entrypoint, labels, created and compressed size, from the real config and manifest', async () => {
    const facts = await fetchImageFacts(client, name('named'), undefined);
    assert.equal(facts.digest, images.named);
    assert.equal(facts.index, false);
    assert.equal(facts.platforms.length, 1);
    const p = facts.platforms[0];
    assert.equal(p.platform, 'linux/amd64');
    assert.equal(p.config?.user, 'app');
    assert.deepEqual(configUser(p.config!), { root: false, user: 'app' });
    assert.deepEqual(p.config?.entrypoint, ['/bin/busybox']);
    assert.equal(p.config?.labels['org.opencontainers.image.source'], 'https://example.test/named');
    assert.equal(p.config?.created?.slice(0, 10), '2020-01-01');
    // busybox-static is ~1 MB compressed; the size is config + layers as the manifest lists them.
    assert.ok(p.size! > 300_000 && p.size! < 5_000_000, String(p.size));
    assert.deepEqual(facts.supplyChain, { cosign: 'absent', referrers: 'unknown', attestations: 'unknown' });
  });

  it('a numeric user and root (no User) are told apart', async () => {
    const numeric = await fetchImageFacts(client, name('numeric'), undefined);
    assert.deepEqual(configUser(numeric.platforms[0].config!), { root: false, user: '10001:10001' });
    const root = await fetchImageFacts(client, name('rootimg'), undefined);
    assert.deepEqual(configUser(root.platforms[0].config!), { root: true, user: 'root' });
  });

  it('a toolchain recognised by its config, whatever its name', async () => {
    const facts = await fetchImageFacts(client, name('gotool'), undefined);
    assert.equal(toolchainInConfig(facts.platforms[0].config!), 'the Go toolchain');
    const named = await fetchImageFacts(client, name('named'), undefined);
    assert.equal(toolchainInConfig(named.platforms[0].config!), undefined);
  });

  it('a multi-platform index: both platforms, their manifests and configs; the index digest is the one pinned', async () => {
    const facts = await fetchImageFacts(client, name('multi'), undefined);
    assert.equal(facts.digest, images.multi.index);
    assert.equal(facts.index, true);
    assert.deepEqual(
      facts.platforms.map((p) => [p.platform, p.digest, p.config?.user]),
      [
        ['linux/amd64', images.multi.amd64, 'app'],
        ['linux/arm64', images.multi.arm64, 'app'],
      ],
    );
    assert.equal(platformFacts(facts, 'linux/arm64/v8')?.digest, images.multi.arm64);
    assert.equal(platformFacts(facts)?.digest, images.multi.amd64);
    // Only the platforms asked for are fetched; the others are listed without size or config.
    const armOnly = await fetchImageFacts(client, name('multi'), undefined, { platforms: ['linux/arm64'] });
    assert.deepEqual(
      armOnly.platforms.map((p) => [p.platform, p.config !== undefined, p.size !== undefined]),
      [
        ['linux/amd64', false, false],
        ['linux/arm64', true, true],
      ],
    );
  });

  it('a platform manifest pinned by digest: facts of that manifest alone', async () => {
    const facts = await fetchImageFacts(client, name('multi'), images.multi.arm64);
    assert.equal(facts.index, false);
    assert.equal(facts.platforms[0].platform, 'linux/arm64');
  });

  it('a config without created: no date, never a made-up one', async () => {
    const facts = await fetchImageFacts(client, name('nocreated'), undefined);
    assert.equal(facts.platforms[0].config?.created, undefined);
    assert.equal(facts.platforms[0].config?.user, 'nobody');
  });

  it("Docker's attestation manifests are not a platform; a cosign signature tag is found (presence, not verification)", async () => {
    const facts = await fetchImageFacts(client, name('attested'), undefined);
    assert.deepEqual(
      facts.platforms.map((p) => p.platform),
      ['linux/amd64'],
    );
    assert.equal(facts.supplyChain.attestations, 'present');
    assert.equal(facts.supplyChain.cosign, 'present');
  });

  it('the disk cache: digests answer offline for good, tags for 24 hours; a broken entry is ignored', async () => {
    let now = Date.now();
    const cache = new FactCache(cacheDir.dir, () => now);
    const first = await fetchImageFacts(client, name('named'), undefined, { cache });
    // Another process (the CLI after the editor) reads the same files.
    const other = new FactCache(cacheDir.dir, () => now);
    const ref = { registry: registry.host, repository: 'hardener/named', tag: '1.0' };
    assert.deepEqual(other.record([ref]), { [`${registry.host}/hardener/named:1.0`]: first });
    assert.deepEqual(other.record([{ ...ref, digest: images.named }]), {
      [`${registry.host}/hardener/named@${images.named}`]: first,
      [`${registry.host}/hardener/named:1.0`]: first,
    });
    // With the registry gone, the cache still answers linting, and a lookup by digest (no request);
    // a lookup of a tag always asks what it points at now, so it fails.
    const offline = new RegistryClient({ cacheTtlMs: 0, timeoutMs: 500 });
    await registry.stop();
    try {
      assert.deepEqual(await fetchImageFacts(offline, name('named'), images.named, { cache: other }), first);
      await assert.rejects(fetchImageFacts(offline, name('named'), undefined, { cache: other }), /refused|cannot connect/);
      now += TAG_TTL_MS + 1;
      const later = new FactCache(cacheDir.dir, () => now);
      assert.deepEqual(later.record([ref]), {}, 'an expired tag says nothing');
      assert.ok(
        later.record([{ ...ref, digest: images.named }])[`${registry.host}/hardener/named@${images.named}`],
        'a digest never expires',
      );
      for (const f of readdirSync(path.join(cacheDir.dir, 'images-v1')))
        writeFileSync(path.join(cacheDir.dir, 'images-v1', f), '{"key": 1');
      assert.deepEqual(new FactCache(cacheDir.dir, () => now).record([{ ...ref, digest: images.named }]), {});
    } finally {
      offline.close();
      registry = await real!.restart();
    }
  });
});

describe('image facts from a registry that lies', function () {
  this.timeout(20_000);
  it('a config blob that does not hash to its digest is refused', async () => {
    const good = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { User: 'app' } }));
    const configDigest = `sha256:${createHash('sha256').update(good).digest('hex')}`;
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: good.length },
        layers: [],
      }),
    );
    const manifestDigest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
    const server = await fakeRegistry((req, res) => {
      if (req.url?.includes('/manifests/')) {
        res.writeHead(200, { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json', 'Docker-Content-Digest': manifestDigest });
        res.end(req.method === 'HEAD' ? undefined : manifest);
      } else if (req.url?.includes('/blobs/')) {
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
        res.end(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { User: 'root' } }));
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    const c = new RegistryClient({ cacheTtlMs: 0 });
    try {
      await assert.rejects(
        fetchImageFacts(c, { registry: server.host, repository: 'x/y', tag: '1' }, undefined),
        /hashing to sha256:[0-9a-f]{64} for sha256:[0-9a-f]{64}; refused/,
      );
    } finally {
      c.close();
      await server.stop();
    }
  });

  const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

  it('a config blob over 4 MiB is not read past the cap', async () => {
    const big = Buffer.alloc(5 * 1024 * 1024, 32);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(big), size: big.length },
        layers: [],
      }),
    );
    const server = await fakeRegistry((req, res) => {
      if (req.url?.includes('/manifests/1')) {
        res.writeHead(200, { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json', 'Docker-Content-Digest': sha(manifest) });
        res.end(req.method === 'HEAD' ? undefined : manifest);
      } else if (req.url?.includes('/manifests/sha256:')) {
        res.writeHead(200, { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' });
        res.end(manifest);
      } else if (req.url?.includes('/blobs/')) {
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
        res.end(big);
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    const c = new RegistryClient({ cacheTtlMs: 0 });
    try {
      await assert.rejects(fetchImageFacts(c, { registry: server.host, repository: 'x/y', tag: '1' }, undefined), /more than 4 MiB/);
    } finally {
      c.close();
      await server.stop();
    }
  });

  it('an index of 40 platforms: only the platforms asked for are fetched, the others listed', async () => {
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { User: 'app' } }));
    const child = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length },
        layers: [],
      }),
    );
    const archs = Array.from({ length: 40 }, (_, i) => (i === 0 ? 'amd64' : i === 1 ? 'arm64' : `arch${i}`));
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: archs.map((a) => ({
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: sha(child),
          size: child.length,
          platform: { os: 'linux', architecture: a },
        })),
      }),
    );
    const server = await fakeRegistry((req, res) => {
      const url = req.url ?? '';
      const body =
        url.endsWith('/manifests/1') || url.endsWith(`/manifests/${sha(index)}`)
          ? index
          : url.endsWith(`/manifests/${sha(child)}`)
            ? child
            : url.includes('/blobs/')
              ? config
              : undefined;
      if (!body) {
        res.writeHead(404);
        res.end();
        return;
      }
      const type =
        body === index
          ? 'application/vnd.oci.image.index.v1+json'
          : body === child
            ? 'application/vnd.oci.image.manifest.v1+json'
            : 'application/octet-stream';
      res.writeHead(200, { 'Content-Type': type, ...(body !== config ? { 'Docker-Content-Digest': sha(body) } : {}) });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
    const c = new RegistryClient({ cacheTtlMs: 0 });
    try {
      const facts = await fetchImageFacts(c, { registry: server.host, repository: 'x/y', tag: '1' }, undefined);
      assert.equal(facts.platforms.length, 40);
      assert.deepEqual(
        facts.platforms.filter((p) => p.config).map((p) => p.platform),
        ['linux/amd64', 'linux/arm64'],
      );
      const manifestGets = server.requests.filter((r) => r.startsWith('GET') && r.includes('/manifests/sha256:'));
      assert.equal(manifestGets.length, 3, manifestGets.join('\n')); // the index and two platforms
    } finally {
      c.close();
      await server.stop();
    }
  });
});
