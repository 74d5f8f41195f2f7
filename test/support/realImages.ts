/**
 * Real images in a loopback registry, for the image-facts tests: built with buildah from scratch (a
 * busybox-static binary and a file as layers, so config blobs, layer sizes and `created` are what a
 * real build writes), then pushed with `buildah push` / `buildah manifest push --all`. No RUN step,
 * so no container runtime is needed. Where a real build cannot make the case (a config without
 * `created`, an index with Docker's attestation manifests, a cosign signature tag), the test seeds it
 * over the registry API and says so.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Containers, describeRun } from '../e2e/containers';
import { OCI_INDEX, OCI_MANIFEST, pushBlob, pushManifest, requireRegistry, startRegistry, tempDir, type RegistryProcess } from './registry';

export interface RealImages {
  /** hardener/named:1.0, user `app`, created 2020-01-01. */
  named: string;
  /** hardener/numeric:1.0, user `10001:10001`. */
  numeric: string;
  /** hardener/rootimg:1.0, no USER (root), created now. */
  root: string;
  /** hardener/gotool:1.0, a Go toolchain by its config (GOLANG_VERSION, /usr/local/go/bin on PATH). */
  gotool: string;
  /** hardener/multi:1.0: an index of linux/amd64 and linux/arm64 (user `app`). */
  multi: { index: string; amd64: string; arm64: string };
  /** hardener/nocreated:1.0: a config without `created` (seeded over the API). */
  nocreated: string;
  /** hardener/attested:1.0: an index with one platform and an attestation manifest, and a cosign signature tag (seeded). */
  attested: string;
}

/** buildah present and usable (root, Linux); else why not. */
export function buildahMissing(): string | undefined {
  if (process.platform !== 'linux') return 'needs Linux';
  if (process.getuid?.() !== 0) return 'needs root (rootful buildah)';
  if (spawnSync('sh', ['-c', 'command -v buildah && command -v busybox']).status !== 0)
    return 'buildah or busybox not installed (Debian: apt-get install --no-install-recommends buildah busybox-static)';
  return undefined;
}

export async function pushRealImages(host: string, workDir: string): Promise<RealImages> {
  const c = Containers.create();
  const busybox = spawnSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).stdout.trim();
  mkdirSync(workDir, { recursive: true });
  writeFileSync(path.join(workDir, 'hello.txt'), 'hello from a real layer\n');
  const b = async (args: string[]) => {
    const r = await c.buildah(args, { timeoutMs: 120_000, cwd: workDir });
    if (r.status !== 0) throw new Error(describeRun(`buildah ${args.join(' ')}`, r));
    return r.stdout.trim();
  };
  const push = async (local: string, repo: string) => {
    const digestFile = path.join(workDir, `${repo.replace(/\W/g, '_')}.digest`);
    await b(['push', '--tls-verify=false', '--digestfile', digestFile, local, `docker://${host}/${repo}`]);
    return spawnSync('cat', [digestFile], { encoding: 'utf8' }).stdout.trim();
  };
  const build = async (name: string, config: string[], opts: { arch?: string; timestamp?: number } = {}) => {
    const ctr = await b(['from', ...(opts.arch ? ['--arch', opts.arch] : []), 'scratch']);
    await b(['copy', ctr, busybox, '/bin/busybox']);
    await b(['copy', ctr, 'hello.txt', '/hello.txt']);
    await b(['config', ...(opts.arch ? ['--arch', opts.arch] : []), '--os', 'linux', ...config, ctr]);
    await b(['commit', ...(opts.timestamp !== undefined ? ['--timestamp', String(opts.timestamp)] : []), ctr, `localhost/${name}`]);
    return `localhost/${name}`;
  };
  try {
    const named = await push(
      await build(
        'named',
        [
          '--user',
          'app',
          '--entrypoint',
          '["/bin/busybox"]',
          '--cmd',
          'sh',
          '--label',
          'org.opencontainers.image.source=https://example.test/named',
        ],
        { timestamp: 1577836800 },
      ),
      'hardener/named:1.0',
    );
    const numeric = await push(await build('numeric', ['--user', '10001:10001']), 'hardener/numeric:1.0');
    const root = await push(await build('rootimg', []), 'hardener/rootimg:1.0');
    const gotool = await push(
      await build('gotool', [
        '--env',
        'GOLANG_VERSION=1.26.0',
        '--env',
        'PATH=/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      ]),
      'hardener/gotool:1.0',
    );
    const amd = await build('multi-amd64', ['--user', 'app'], { arch: 'amd64' });
    const arm = await build('multi-arm64', ['--user', 'app'], { arch: 'arm64' });
    await b(['manifest', 'create', 'localhost/multi-list']);
    await b(['manifest', 'add', 'localhost/multi-list', `containers-storage:${amd}`]);
    await b(['manifest', 'add', 'localhost/multi-list', `containers-storage:${arm}`]);
    const listDigest = path.join(workDir, 'multi.digest');
    await b([
      'manifest',
      'push',
      '--all',
      '--tls-verify=false',
      '--digestfile',
      listDigest,
      'localhost/multi-list',
      `docker://${host}/hardener/multi:1.0`,
    ]);
    const index = spawnSync('cat', [listDigest], { encoding: 'utf8' }).stdout.trim();
    const listed = (await (
      await fetch(`http://${host}/v2/hardener/multi/manifests/${index}`, {
        headers: { Accept: `${OCI_INDEX}, application/vnd.docker.distribution.manifest.list.v2+json` },
      })
    ).json()) as {
      manifests: { digest: string; platform: { architecture: string } }[];
    };
    const child = (arch: string) => listed.manifests.find((m) => m.platform.architecture === arch)!.digest;
    const base = `http://${host}`;
    return {
      named,
      numeric,
      root,
      gotool,
      multi: { index, amd64: child('amd64'), arm64: child('arm64') },
      nocreated: await seedNoCreated(base),
      attested: await seedAttested(base),
    };
  } finally {
    await c.dispose();
  }
}

/** An image whose config has no `created` (some reproducible-build tools leave it out). */
async function seedNoCreated(base: string): Promise<string> {
  const repo = 'hardener/nocreated';
  const config = await pushBlob(
    base,
    repo,
    Buffer.from(
      JSON.stringify({ architecture: 'amd64', os: 'linux', config: { User: 'nobody' }, rootfs: { type: 'layers', diff_ids: [] } }),
    ),
  );
  const layer = await pushBlob(base, repo, Buffer.from('a layer without a date'));
  const m = await pushManifest(base, repo, '1.0', OCI_MANIFEST, {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
  });
  return m.digest;
}

/** An index as BuildKit writes it with --attest (a platform and its attestation manifest), and a cosign `.sig` tag. */
async function seedAttested(base: string): Promise<string> {
  const repo = 'hardener/attested';
  const manifest = async (configBody: object, tag: string) => {
    const config = await pushBlob(base, repo, Buffer.from(JSON.stringify(configBody)));
    const layer = await pushBlob(base, repo, Buffer.from(`layer of ${tag}`));
    return pushManifest(base, repo, tag, OCI_MANIFEST, {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
    });
  };
  const image = await manifest({ architecture: 'amd64', os: 'linux', created: '2026-11-30T00:00:00Z', config: {} }, 'image');
  const attestation = await manifest({ architecture: 'unknown', os: 'unknown', config: {} }, 'attestation');
  const index = await pushManifest(base, repo, '1.0', OCI_INDEX, {
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [
      { mediaType: OCI_MANIFEST, digest: image.digest, size: image.size, platform: { architecture: 'amd64', os: 'linux' } },
      {
        mediaType: OCI_MANIFEST,
        digest: attestation.digest,
        size: attestation.size,
        platform: { architecture: 'unknown', os: 'unknown' },
        annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': image.digest },
      },
    ],
  });
  await manifest({ architecture: 'amd64', os: 'linux', config: {} }, `sha256-${index.digest.slice('sha256:'.length)}.sig`);
  return index.digest;
}

/**
 * A loopback registry holding the real images, in temporary directories, for one suite: skipped
 * with a message where buildah or docker-registry is missing (a failure under CI).
 */
export class RealRegistry {
  private constructor(
    private readonly bin: string,
    private readonly storage: { dir: string; dispose(): void },
    /** A temporary directory the suite may use; removed by dispose. */
    readonly work: { dir: string; dispose(): void },
    public registry: RegistryProcess,
    readonly images: RealImages,
  ) {}

  static async start(ctx: Mocha.Context, prefix: string): Promise<RealRegistry> {
    const bin = requireRegistry(ctx);
    const missing = buildahMissing();
    if (missing) {
      if (process.env.CI) throw new Error(`${missing} (CI must run the image-facts tests)`);
      console.log(`      (skipped: ${missing})`);
      ctx.skip();
    }
    const storage = tempDir(`${prefix}-registry-`);
    const work = tempDir(`${prefix}-work-`);
    const registry = await startRegistry(bin, { storage: storage.dir });
    const started = Date.now();
    const images = await pushRealImages(registry.host, path.join(work.dir, 'build'));
    console.log(`      (7 images built with buildah and pushed in ${Date.now() - started} ms)`);
    return new RealRegistry(bin, storage, work, registry, images);
  }

  /** The registry again, on the same storage (after a test stopped it); a new port. */
  async restart(): Promise<RegistryProcess> {
    this.registry = await startRegistry(this.bin, { storage: this.storage.dir });
    return this.registry;
  }

  async dispose(): Promise<void> {
    await this.registry.stop();
    this.storage.dispose();
    this.work.dispose();
  }
}
