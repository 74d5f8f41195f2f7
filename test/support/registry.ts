/**
 * A real OCI registry for tests: Debian's `docker-registry` (distribution 2.8) on 127.0.0.1 with a
 * port the kernel picks, started and stopped by the test process (SIGTERM to the child it spawned),
 * seeded over the registry's own API with fixed bytes, so digests are known in advance:
 *
 *   hardener/single:1.0    a Docker manifest v2 (one platform)
 *   hardener/oci:1.0       an OCI index over two OCI manifests (amd64, arm64)
 *   hardener/list:1.0      a Docker manifest list over two Docker manifests (the incomplete-Accept trap:
 *                          asked with fewer types, the registry answers with the amd64 child's digest)
 *   hardener/moving:1.0    what a tag points at after it moved (`movedFrom` is the digest it had)
 *   hardener/private:1.0   a repository the token server grants only to alice
 *   (hardener/single:9.9 is the missing tag)
 *
 * Several instances share one storage directory: seeded once anonymously, then served with Basic
 * auth (bcrypt htpasswd fixture) or Bearer tokens (test/support/tokenServer.ts).
 *
 * Without docker-registry on PATH a local run skips these tests with a message; under CI (env CI
 * set) that is a failure.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RegistryError } from '../../server/src/registry/errors';

export const FIXTURES = path.resolve(__dirname, '../registry/fixtures');

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

/** The docker-registry binary, or undefined when it is not installed. */
export function registryBinary(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v docker-registry'], { encoding: 'utf8' });
  const p = found.status === 0 ? found.stdout.trim() : '';
  if (p) return p;
  return existsSync('/usr/bin/docker-registry') ? '/usr/bin/docker-registry' : undefined;
}

/**
 * For a mocha `before` hook: the binary, or skips the suite with a message (a failure under CI).
 * Returns undefined only after skipping.
 */
export function requireRegistry(ctx: Mocha.Context): string {
  const bin = registryBinary();
  if (bin) return bin;
  const why = 'docker-registry is not installed (Debian: apt-get install --no-install-recommends docker-registry)';
  if (process.env.CI) throw new Error(`${why}: CI must run the registry tests (.ci/run installs it)`);
  console.log(`      SKIPPED: ${why}; these registry tests did not run`);
  ctx.skip();
  throw new Error('unreachable');
}

export interface RegistryConfig {
  storage: string;
  /** Basic auth with this htpasswd file. */
  htpasswd?: string;
  /** Bearer auth: the token service the registry names, and the certificate tokens are signed with. */
  token?: { realm: string; service: string; issuer: string; rootcertbundle: string };
  /** Serve HTTPS with this certificate and key. */
  tls?: { certificate: string; key: string };
}

export interface RegistryProcess {
  port: number;
  /** `127.0.0.1:<port>` */
  host: string;
  /** The access log so far (one line per request, as `"HEAD /v2/… HTTP/1.1" 200`). */
  accessLog: string[];
  /**
   * Waits until the access log holds every request answered so far: the registry writes a line
   * after answering, so a test that just got its answer may not see it yet. A marker request is
   * sent and its line awaited (with a deadline).
   */
  settle(): Promise<void>;
  /** How many requests with this method and path the registry has served (settled first). */
  count(method: string, pathname: string): Promise<number>;
  stop(): Promise<void>;
}

/** Starts docker-registry on 127.0.0.1:0 and waits (with a deadline) for the port it prints. */
export async function startRegistry(bin: string, config: RegistryConfig, deadlineMs = 10_000): Promise<RegistryProcess> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dh-registry-conf-'));
  const lines = [
    'version: 0.1',
    'log:',
    '  level: info',
    '  accesslog:',
    '    disabled: false',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(config.storage)}`,
    '  delete:',
    '    enabled: true',
    'http:',
    '  addr: 127.0.0.1:0',
    '  secret: dockerfile-hardener-tests',
  ];
  if (config.tls)
    lines.push('  tls:', `    certificate: ${JSON.stringify(config.tls.certificate)}`, `    key: ${JSON.stringify(config.tls.key)}`);
  if (config.htpasswd) lines.push('auth:', '  htpasswd:', '    realm: hardener-tests', `    path: ${JSON.stringify(config.htpasswd)}`);
  if (config.token) {
    lines.push(
      'auth:',
      '  token:',
      `    realm: ${JSON.stringify(config.token.realm)}`,
      `    service: ${JSON.stringify(config.token.service)}`,
      `    issuer: ${JSON.stringify(config.token.issuer)}`,
      `    rootcertbundle: ${JSON.stringify(config.token.rootcertbundle)}`,
    );
  }
  const file = path.join(dir, 'config.yml');
  writeFileSync(file, lines.join('\n') + '\n');
  const child: ChildProcess = spawn(bin, ['serve', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  const accessLog: string[] = [];
  let lineWaiters: (() => void)[] = [];
  let stderr = '';
  let outBuf = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => {
    outBuf += c;
    const parts = outBuf.split('\n');
    outBuf = parts.pop()!;
    for (const l of parts) if (l.includes('"')) accessLog.push(l);
    const w = lineWaiters;
    lineWaiters = [];
    for (const f of w) f();
  });
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`docker-registry did not say where it listens within ${deadlineMs} ms:\n${stderr}`));
    }, deadlineMs);
    child.stderr!.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
      const m = /listening on \[?[0-9a-f.:]+\]?:(\d+)/i.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`docker-registry exited (${code}) before listening:\n${stderr}`));
    });
  }).catch((e: unknown) => {
    cleanup();
    throw e;
  });
  let marks = 0;
  const settle = async () => {
    const marker = `/v2/hardener/settle-${++marks}/manifests/x`;
    await fetch(`${config.tls ? 'https' : 'http'}://127.0.0.1:${port}${marker}`, { method: 'HEAD' }).catch(() => undefined);
    const deadline = Date.now() + 5000;
    while (!accessLog.some((l) => l.includes(`"HEAD ${marker} HTTP/`))) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`docker-registry did not log ${marker} within 5 s`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        lineWaiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  };
  return {
    port,
    host: `127.0.0.1:${port}`,
    accessLog,
    settle,
    count: async (method, pathname) => {
      await settle();
      return accessLog.filter((l) => l.includes(`"${method} ${pathname} HTTP/`)).length;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      cleanup();
    },
  };
}

const sha256 = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function ok(res: Response, what: string): Promise<Response> {
  if (!res.ok) throw new Error(`${what}: ${res.status} ${await res.text()}`);
  return res;
}

/** Uploads a blob (monolithic: POST, then PUT with the digest); returns its descriptor parts. */
export async function pushBlob(base: string, repo: string, bytes: Buffer): Promise<{ digest: string; size: number }> {
  const digest = sha256(bytes);
  const start = await ok(await fetch(`${base}/v2/${repo}/blobs/uploads/`, { method: 'POST' }), `start upload to ${repo}`);
  const location = new URL(start.headers.get('location')!, base);
  location.searchParams.set('digest', digest);
  await ok(
    await fetch(location, { method: 'PUT', body: bytes, headers: { 'Content-Type': 'application/octet-stream' } }),
    `upload to ${repo}`,
  );
  return { digest, size: bytes.length };
}

export async function pushManifest(
  base: string,
  repo: string,
  reference: string,
  mediaType: string,
  body: object,
): Promise<{ digest: string; size: number; bytes: Buffer }> {
  const bytes = Buffer.from(JSON.stringify(body, null, 3));
  await ok(
    await fetch(`${base}/v2/${repo}/manifests/${reference}`, { method: 'PUT', body: bytes, headers: { 'Content-Type': mediaType } }),
    `manifest ${repo}:${reference}`,
  );
  return { digest: sha256(bytes), size: bytes.length, bytes };
}

async function image(base: string, repo: string, oci: boolean, arch: string, reference: string): Promise<{ digest: string; size: number }> {
  const config = await pushBlob(
    base,
    repo,
    Buffer.from(JSON.stringify({ architecture: arch, os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, config: {} })),
  );
  const layer = await pushBlob(base, repo, Buffer.from(`dockerfile-hardener test layer ${repo} ${arch}`));
  const m = await pushManifest(base, repo, reference, oci ? OCI_MANIFEST : DOCKER_MANIFEST, {
    schemaVersion: 2,
    mediaType: oci ? OCI_MANIFEST : DOCKER_MANIFEST,
    config: { mediaType: oci ? 'application/vnd.oci.image.config.v1+json' : 'application/vnd.docker.container.image.v1+json', ...config },
    layers: [
      { mediaType: oci ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.docker.image.rootfs.diff.tar.gzip', ...layer },
    ],
  });
  return { digest: m.digest, size: m.size };
}

/** An amd64 and an arm64 image under `repo:1.0` as one OCI index (`oci`) or Docker manifest list. */
async function multiPlatform(base: string, repo: string, oci: boolean): Promise<{ index: string; children: string[] }> {
  const archs = ['amd64', 'arm64'];
  const children = [];
  for (const arch of archs) children.push(await image(base, repo, oci, arch, arch));
  const mediaType = oci ? OCI_INDEX : DOCKER_LIST;
  const index = await pushManifest(base, repo, '1.0', mediaType, {
    schemaVersion: 2,
    mediaType,
    manifests: children.map((c, i) => ({
      mediaType: oci ? OCI_MANIFEST : DOCKER_MANIFEST,
      ...c,
      platform: { architecture: archs[i], os: 'linux' },
    })),
  });
  return { index: index.digest, children: children.map((c) => c.digest) };
}

export interface Seeded {
  single: string;
  ociIndex: string;
  ociChildren: string[];
  dockerList: string;
  /** The digest the registry gives for hardener/list:1.0 when asked with an incomplete Accept list. */
  dockerListAmd64: string;
  moving: string;
  /** A digest hardener/moving:1.0 had before (so `moving:1.0@movedFrom` is stale). */
  movedFrom: string;
  private: string;
}

/** Seeds an unauthenticated registry (then shared through its storage). */
export async function seed(host: string): Promise<Seeded> {
  const base = `http://${host}`;
  const single = await image(base, 'hardener/single', false, 'amd64', '1.0');
  const oci = await multiPlatform(base, 'hardener/oci', true);
  const list = await multiPlatform(base, 'hardener/list', false);
  const before = await image(base, 'hardener/moving', false, 'amd64', 'old');
  const moving = await image(base, 'hardener/moving', false, 'arm64', '1.0');
  const priv = await image(base, 'hardener/private', false, 'amd64', '1.0');
  return {
    single: single.digest,
    ociIndex: oci.index,
    ociChildren: oci.children,
    dockerList: list.index,
    dockerListAmd64: list.children[0],
    moving: moving.digest,
    movedFrom: before.digest,
    private: priv.digest,
  };
}

/** A temporary directory removed by `dispose`. */
export function tempDir(prefix: string): { dir: string; dispose(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Rejects with a RegistryError of `code` whose message matches `message`; returns it. */
export async function failsWith(p: Promise<unknown>, code: RegistryError['code'], message: RegExp): Promise<RegistryError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof RegistryError, `not a RegistryError: ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    return e;
  }
  assert.fail(`expected a ${code} error`);
}
