/**
 * buildah and podman as test/e2e runs them: as root, offline, in a private storage under a temp
 * folder (nothing lands in the machine's own image store, and deleting the folder deletes every
 * image and container the test made), reading the base image from a cached store, with this machine's two workarounds: runc instead of crun
 * with lowered nofile/nproc ulimits, and cgroupfs. Each command runs in its own process group with a
 * deadline, and the whole group is killed when it passes.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Ran {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time in milliseconds. */
  ms: number;
  timedOut: boolean;
}

export interface RunOptions {
  timeoutMs: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Runs a command to its end or its deadline (then SIGTERM to its group, SIGKILL 5 s later). */
export function run(command: string, args: string[], options: RunOptions): Promise<Ran> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let kill: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // the group has already gone
      }
    };
    const deadline = setTimeout(() => {
      timedOut = true;
      signalGroup('SIGTERM');
      kill = setTimeout(() => signalGroup('SIGKILL'), 5_000);
    }, options.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(deadline);
      reject(e);
    });
    child.on('close', (status, signal) => {
      clearTimeout(deadline);
      if (kill) clearTimeout(kill);
      resolve({ status, signal, stdout, stderr, ms: Date.now() - started, timedOut });
    });
  });
}

/** What a failed command said, for an assertion message. */
export function describeRun(what: string, r: Ran): string {
  const how = r.timedOut ? 'did not finish in time' : r.signal ? `was killed by ${r.signal}` : `exited ${r.status}`;
  return `${what} ${how} after ${(r.ms / 1000).toFixed(1)} s\n--- stdout\n${r.stdout.slice(-4000)}\n--- stderr\n${r.stderr.slice(-4000)}`;
}

/** Why these tests cannot run here, or undefined when they can. */
export function missingPrerequisites(): string | undefined {
  if (process.platform !== 'linux') return 'needs Linux';
  if (process.getuid?.() !== 0) return 'needs root (rootful buildah and podman, debootstrap)';
  const missing = ['buildah', 'podman', 'runc', 'debootstrap', 'dpkg-scanpackages'].filter(
    (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0,
  );
  if (missing.length)
    return `${missing.join(', ')} not installed (Debian: apt-get install --no-install-recommends buildah podman runc debootstrap dpkg-dev)`;
  return undefined;
}

/** Where base-images.sh keeps the stand-in base images (an image store the suites read). */
export const BASES = path.join(__dirname, '..', '..', '.cache', 'e2e', 'bases');

/**
 * The start of an image suite: skip it (fail under CI) when the machine cannot build images, else
 * make the stand-in base images (cached) and give base-images.sh's run.
 */
export async function standInBases(ctx: Mocha.Context): Promise<Ran> {
  const missing = missingPrerequisites();
  if (missing) {
    if (process.env.CI) throw new Error(`${missing} (CI must run the image tests)`);
    console.log(`      (skipped: ${missing})`);
    ctx.skip();
  }
  const bases = await run('bash', [path.join(__dirname, 'base-images.sh'), BASES], { timeoutMs: 30 * 60_000 });
  assert.equal(bases.status, 0, describeRun('test/e2e/base-images.sh', bases));
  return bases;
}

/** Bytes used under a folder (du: on disk, each hard link once). */
export function diskUsage(dir: string): number {
  const r = spawnSync('du', ['-sb', dir], { encoding: 'utf8' });
  return Number(r.stdout?.split('\t')[0]) || 0;
}

/** A private container storage with its own buildah and podman. */
export class Containers {
  private constructor(
    readonly dir: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** A new, empty storage; images of `imageStore` (a storage folder) are seen read-only. */
  static create(imageStore?: string): Containers {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dh-e2e-'));
    for (const sub of ['graph', 'run', 'libpod', 'tmp']) mkdirSync(path.join(dir, sub));
    writeFileSync(
      path.join(dir, 'containers.conf'),
      [
        '[containers]',
        'default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]',
        '[engine]',
        'runtime = "runc"',
        'cgroup_manager = "cgroupfs"',
        `tmp_dir = "${path.join(dir, 'libpod')}"`,
        'events_logger = "file"',
        '',
      ].join('\n'),
    );
    const storage = ['[storage]', 'driver = "overlay"', `graphroot = "${path.join(dir, 'graph')}"`, `runroot = "${path.join(dir, 'run')}"`];
    if (imageStore) storage.push('[storage.options]', `additionalimagestores = ["${imageStore}"]`);
    writeFileSync(path.join(dir, 'storage.conf'), [...storage, ''].join('\n'));
    const env = {
      ...process.env,
      CONTAINERS_CONF: path.join(dir, 'containers.conf'),
      CONTAINERS_STORAGE_CONF: path.join(dir, 'storage.conf'),
      TMPDIR: path.join(dir, 'tmp'),
    };
    return new Containers(dir, env);
  }

  buildah(args: string[], options: { timeoutMs: number; cwd?: string }): Promise<Ran> {
    return run('buildah', args, { ...options, env: this.env });
  }

  podman(args: string[], options: { timeoutMs: number; cwd?: string }): Promise<Ran> {
    return run('podman', args, { ...options, env: this.env });
  }

  /** `buildah bud` offline: images come only from this storage, RUN has no network. */
  build(context: string, dockerfile: string, tag: string): Promise<Ran> {
    return this.buildah(['bud', '--pull-never', '--network=none', '-f', dockerfile, '-t', tag, context], {
      timeoutMs: 5 * 60_000,
      cwd: context,
    });
  }

  /** `podman run` once, offline, removing the container afterwards. */
  runImage(tag: string): Promise<Ran> {
    return this.podman(['run', '--rm', '--pull=never', '--network=none', tag], { timeoutMs: 60_000 });
  }

  async inspect(tag: string, format: string): Promise<string> {
    const r = await this.podman(['image', 'inspect', '--format', format, tag], { timeoutMs: 60_000 });
    if (r.status !== 0) throw new Error(describeRun(`podman image inspect ${tag}`, r));
    return r.stdout.trim();
  }

  /** Bytes used by the storage (images, layers, containers). */
  diskUsage(): number {
    return diskUsage(this.dir);
  }

  /** Removes every container and image of this storage (not those of the read-only image store), then the storage itself. */
  async dispose(): Promise<void> {
    const problems: string[] = [];
    const step = async (what: string, p: Promise<Ran>) => {
      const r = await p;
      if (r.status !== 0) problems.push(describeRun(what, r));
    };
    await step('podman rm', this.podman(['rm', '--all', '--force', '--time', '0'], { timeoutMs: 60_000 }));
    await step('buildah rm', this.buildah(['rm', '--all'], { timeoutMs: 60_000 }));
    await step('podman rmi', this.podman(['rmi', '--all', '--force'], { timeoutMs: 60_000 }));
    // Never delete under a mount point: unmount what is left first, and keep the folder if that fails.
    const mounted = () =>
      spawnSync('findmnt', ['-rn', '-o', 'TARGET'], { encoding: 'utf8' })
        .stdout.split('\n')
        .filter((m) => m.startsWith(`${this.dir}/`))
        .sort()
        .reverse();
    for (const m of mounted()) spawnSync('umount', [m]);
    const left = mounted();
    if (left.length) problems.push(`still mounted, so ${this.dir} is kept: ${left.join(', ')}`);
    else rmSync(this.dir, { recursive: true, force: true });
    if (problems.length) throw new Error(`cleaning up the test's container storage:\n${problems.join('\n')}`);
  }
}
