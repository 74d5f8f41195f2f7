/**
 * `lint --image-facts off|cache|fetch` end to end: the built CLI against a real registry on
 * 127.0.0.1 holding real images (built with buildah and pushed: test/support/realImages.ts), with
 * its disk cache in a temporary directory (DOCKERFILE_HARDENER_CACHE_DIR).
 */
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runCliAsync } from '../support/cli';
import { tempDir, type RegistryProcess } from '../support/registry';
import { RealRegistry, type RealImages } from '../support/realImages';

/** The CLI with a Docker config of its own (none: no credentials), without blocking the registry's process. */
const cli = (args: string[], cwd: string, env: NodeJS.ProcessEnv) => runCliAsync(args, cwd, { DOCKER_CONFIG: cwd, ...env });
type Run = Awaited<ReturnType<typeof cli>>;

describe('CLI lint --image-facts (real registry, real images)', function () {
  this.timeout(180_000);
  let real: RealRegistry | undefined;
  let registry: RegistryProcess;
  let images: RealImages;

  before(async function () {
    real = await RealRegistry.start(this, 'dh-cli-facts');
    ({ registry, images } = real);
  });

  after(async () => {
    await real?.dispose();
  });

  const rules = (r: Run) => (JSON.parse(r.stdout) as { rule: string; message: string }[]).map((x) => `${x.rule}: ${x.message}`);

  it('off: the tool says what it does not know; fetch: the registry answers; cache: the same answers with the registry gone', async () => {
    const h = registry.host;
    const dir = tempDir('dh-cli-facts-case-');
    try {
      const cache = path.join(dir.dir, 'cache');
      const file = path.join(dir.dir, 'Dockerfile');
      writeFileSync(
        file,
        [
          `FROM ${h}/hardener/gotool:1.0 AS build`,
          `FROM --platform=linux/s390x ${h}/hardener/multi:1.0 AS cross`,
          `FROM ${h}/hardener/multi:1.0@${images.multi.arm64} AS pinned`,
          `FROM ${h}/hardener/named:1.0`,
          'COPY --from=build /bin/busybox /app',
          'CMD ["/app"]',
          '',
        ].join('\n'),
      );
      const env = { DOCKERFILE_HARDENER_CACHE_DIR: cache, DOCKERFILE_HARDENER_TODAY: '2026-12-07' };
      const only = (r: Run) => rules(r).filter((x) => /^(root-user|stale-base|platform-|toolchain-final-stage)/.test(x));

      const off = await cli(['lint', '--format', 'json', '--shellcheck', 'off', file], dir.dir, env);
      assert.deepEqual(only(off), [
        `root-user: The shipped image may run as root: no USER is set in this stage, and the tool does not know the default user of ${h}/hardener/named:1.0. If it is root, add a non-root USER.`,
      ]);

      const fetched = await cli(['lint', '--format', 'json', '--shellcheck', 'off', '--image-facts', 'fetch', file], dir.dir, env);
      assert.equal(fetched.stderr, '');
      const today = new Date().toISOString().slice(0, 10);
      assert.deepEqual(only(fetched), [
        `platform-unavailable: ${h}/hardener/multi:1.0 has no linux/s390x manifest: it provides linux/amd64, linux/arm64 (${h}, read ${today}). The build fails at this FROM on that platform.`,
        `platform-digest-pinned: ${images.multi.arm64.slice(0, 19)}… is the linux/arm64 manifest of ${h}/hardener/multi:1.0, not its multi-platform index ${images.multi.index.slice(0, 19)}… (${h}, read ${today}): builds on linux/amd64 get the linux/arm64 image. Pin the index digest.`,
        `stale-base: ${h}/hardener/named:1.0 was created 2532 days ago (2020-01-01, by its config on ${h}, read ${today}), more than the 180 allowed: it may lack the security fixes its distribution published since. Move to a maintained tag or update the pin.`,
      ]);

      await registry.stop();
      try {
        const cached = await cli(['lint', '--format', 'json', '--shellcheck', 'off', '--image-facts', 'cache', file], dir.dir, env);
        assert.deepEqual(only(cached), only(fetched));
        // fetch with the registry gone: each image that cannot be looked up is said, the cache still answers for the rest.
        const down = await cli(['lint', '--format', 'json', '--shellcheck', 'off', '--image-facts', 'fetch', file], dir.dir, {
          ...env,
          DOCKERFILE_HARDENER_CACHE_DIR: path.join(dir.dir, 'empty'),
        });
        assert.match(
          down.stderr,
          /Dockerfile: image facts: .*hardener\/named:1\.0: cannot connect to 127\.0\.0\.1:\d+: connection refused/,
        );
        assert.deepEqual(only(down), only(off));
      } finally {
        registry = await real!.restart();
      }
    } finally {
      dir.dispose();
    }
  });

  it('a toolchain by its config, and a non-root user by its config, through the config file', async () => {
    const h = registry.host;
    const dir = tempDir('dh-cli-facts-case-');
    try {
      writeFileSync(path.join(dir.dir, '.dockerfile-hardener.yaml'), 'imageFacts: fetch\nstaleBaseDays: 100000\n');
      writeFileSync(
        path.join(dir.dir, 'Dockerfile'),
        `FROM ${h}/hardener/gotool:1.0\nCOPY . /src\nRUN go build -o /app /src\nCMD ["/app"]\n`,
      );
      writeFileSync(path.join(dir.dir, 'Dockerfile.app'), `FROM ${h}/hardener/numeric:1.0\nCOPY app /app\nCMD ["/app"]\n`);
      const env = { DOCKERFILE_HARDENER_CACHE_DIR: path.join(dir.dir, 'cache') };
      const r = await cli(['lint', '--format', 'json', '--shellcheck', 'off', 'Dockerfile', 'Dockerfile.app'], dir.dir, env);
      const found = rules(r);
      assert.ok(
        found.some((x) => x.startsWith('toolchain-final-stage:') && x.includes(`carries the Go toolchain (by its config on ${h}`)),
        found.join('\n'),
      );
      assert.ok(!found.some((x) => x.startsWith('root-user:') && x.includes('numeric')), found.join('\n'));
      const bad = await cli(['lint', '--image-facts', 'sometimes', 'Dockerfile'], dir.dir, env);
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /--image-facts must be off, cache, fetch, not "sometimes"/);
    } finally {
      dir.dispose();
    }
  });
});
