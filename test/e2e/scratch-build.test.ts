/**
 * Proof that "Convert to multi-stage scratch build" gives a Dockerfile that builds and runs: a
 * single-stage `FROM golang:<tag>` Dockerfile for a small Go program (test/e2e/fixtures/whoami, which
 * imports net and os/user, so a binary built without CGO_ENABLED=0 cannot start in scratch) is built
 * with buildah and run with podman; the real CLI converts it (`dist/cli.js convert --write`); the result
 * is built and run too. The converted container must print the program's line as uid 10001 (appuser),
 * with the CA bundle in place, its image must say `User: appuser:appuser`, and it must be at most
 * 2.5 MB and at least 300 times smaller than the single-stage image.
 *
 * No registry is reachable, so `golang:<tag>` is a local image: test/e2e/base-images.sh makes it from
 * Debian with Debian's Go, as localhost/golang:<tag> (which `FROM golang:<tag>` resolves to with
 * --pull-never), with the other stand-in bases, in an image store cached in .cache/e2e/bases/ (about
 * 3 min the first time). The test's
 * own images and containers live in a private storage under a temp folder that sees that store
 * read-only, and are deleted at the end with the folder.
 *
 * Needs root, buildah, podman, runc and debootstrap (Debian packages; .ci/run installs them). Without
 * them the tests skip with a message, except under CI (env CI set), where that is a failure.
 */
import * as assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI, runCli } from '../support/cli';
import { Containers, describeRun, diskUsage, missingPrerequisites, run } from './containers';

const ROOT = path.resolve(__dirname, '../..');
const BASE_SCRIPT = path.join(__dirname, 'base-images.sh');
const BASE_CACHE = path.join(ROOT, '.cache', 'e2e', 'bases');
const PROGRAM = path.join(__dirname, 'fixtures', 'whoami');

const MAX_SCRATCH_BYTES = 2_500_000; // 2.5 MB, as podman counts (10^6)
const MIN_RATIO = 300;
const SINGLE_TAG = 'localhost/dh-e2e/whoami-single';
const SCRATCH_TAG = 'localhost/dh-e2e/whoami-scratch';
const CGO_TAG = 'localhost/dh-e2e/whoami-cgo';
const VARIANT_TAG = 'localhost/dh-e2e/whoami-variant';

/** The program's one line: who it runs as, how many CA certificates it sees. */
const LINE = /^whoami uid=(\d+) user=(\S+) certs=(\d+) loopback=true$/;

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

describe('convert to scratch, built and run (buildah + podman)', function () {
  this.timeout(10 * 60_000);
  let containers: Containers | undefined;
  let work: string | undefined;
  let goTag = '';
  const times: string[] = [];
  let single: { bytes: number; certs: number } | undefined;
  let convertedText = '';

  before(async function () {
    this.timeout(25 * 60_000); // a cold cache makes the base image: about 1.5 min here, more on a slow mirror
    const missing = missingPrerequisites();
    if (missing) {
      if (process.env.CI) throw new Error(`${missing} (CI must run the image build test)`);
      console.log(`      (skipped: ${missing})`);
      this.skip();
    }
    assert.ok(existsSync(CLI), `${CLI} is missing: build it first (node scripts/build.mjs)`);

    const base = await run('bash', [BASE_SCRIPT, BASE_CACHE], { timeoutMs: 20 * 60_000 });
    assert.equal(base.status, 0, describeRun('test/e2e/base-images.sh', base));
    const image = /^localhost\/golang:(\d+\.\d+)$/m.exec(base.stdout);
    assert.ok(image, `test/e2e/base-images.sh printed ${JSON.stringify(base.stdout)}`);
    goTag = image[1];
    times.push(`base image ${secs(base.ms)}`);
    for (const line of base.stderr.trim().split('\n').filter(Boolean)) console.log(`      ${line}`);
    containers = Containers.create(path.join(BASE_CACHE, 'store'));

    work = mkdtempSync(path.join(os.tmpdir(), 'dh-e2e-app-'));
    cpSync(PROGRAM, work, { recursive: true });
    writeFileSync(
      path.join(work, 'Dockerfile'),
      [
        `FROM golang:${goTag}`,
        'WORKDIR /src',
        'ENV GOPROXY=off',
        'COPY go.mod main.go ./',
        'RUN go build -o whoami .',
        'CMD ["./whoami"]',
        '',
      ].join('\n'),
    );
  });

  after(async function () {
    this.timeout(5 * 60_000);
    if (work) rmSync(work, { recursive: true, force: true });
    if (times.length) console.log(`      times: ${times.join(', ')}`);
    if (containers) {
      console.log(
        `      disk: ${mb(containers.diskUsage())} in the test's container storage, ${mb(diskUsage(BASE_CACHE))} in ${path.relative(ROOT, BASE_CACHE)}`,
      );
      await containers.dispose();
    }
  });

  it(`builds and runs the single-stage FROM golang image, as root`, async function () {
    const c = containers!;
    const built = await c.build(work!, 'Dockerfile', SINGLE_TAG);
    assert.equal(built.status, 0, describeRun('buildah bud (single stage)', built));
    times.push(`single-stage build ${secs(built.ms)}`);
    const ran = await c.runImage(SINGLE_TAG);
    assert.equal(ran.status, 0, describeRun('podman run (single stage)', ran));
    times.push(`single-stage run ${secs(ran.ms)}`);
    const line = LINE.exec(ran.stdout.trim());
    assert.ok(line, `unexpected output: ${JSON.stringify(ran.stdout)}`);
    assert.deepEqual([line[1], line[2]], ['0', 'root']);
    const bytes = Number(await c.inspect(SINGLE_TAG, '{{.Size}}'));
    console.log(`      single stage (FROM golang:${goTag}): ${mb(bytes)} (${bytes} bytes), runs as uid 0 (root)`);
    assert.ok(bytes > 100e6, `a Go toolchain image of only ${bytes} bytes?`);
    single = { bytes, certs: Number(line[3]) };
    assert.ok(single.certs > 0, 'the golang image has a CA bundle');
  });

  it('converts it with the CLI; the result builds, runs as appuser (uid 10001) and is ≥ 300 times smaller', async function () {
    assert.ok(single, 'needs the single-stage image of the test before');
    const c = containers!;
    const result = await convertBuildRun(c, work!, SCRATCH_TAG);
    convertedText = result.text;
    times.push(`converted build ${secs(result.buildMs)}`, `converted run ${secs(result.runMs)}`);
    assert.equal(result.certs, single.certs, 'CA certificates in /etc/ssl/certs/ca-certificates.crt');

    const bytes = Number(await c.inspect(SCRATCH_TAG, '{{.Size}}'));
    const ratio = single.bytes / bytes;
    console.log(
      `      converted (FROM scratch): ${mb(bytes)} (${bytes} bytes), runs as uid 10001 (appuser): ${Math.round(ratio)} times smaller`,
    );
    assert.ok(bytes <= MAX_SCRATCH_BYTES, `${bytes} bytes > ${MAX_SCRATCH_BYTES}`);
    assert.ok(ratio >= MIN_RATIO, `only ${ratio.toFixed(0)} times smaller`);
  });

  // Other shapes of the same single-stage file: where the binary goes and how CMD names it, and a
  // builder that switches away from root (the conversion once put useradd after that USER, and the
  // build failed with "useradd: Permission denied.").
  const VARIANTS: [string, string[]][] = [
    ['no -o: the binary goes to /out/<name>', ['RUN go build', 'CMD ["./whoami"]']],
    ['-o into PATH, CMD by name', ['RUN go build -o /usr/local/bin/whoami .', 'CMD ["whoami"]']],
    ['-o into a directory, relative ENTRYPOINT', ['RUN go build -o bin/ .', 'ENTRYPOINT ["bin/whoami"]']],
    ['USER nobody after the build', ['RUN go build -o whoami .', 'USER nobody', 'CMD ["./whoami"]']],
  ];
  for (const [what, lines] of VARIANTS) {
    it(`also builds and runs, converted: ${what}`, async function () {
      assert.ok(single, 'needs the single-stage image of the first test');
      const dir = path.join(work!, what.replace(/[^a-z0-9]+/gi, '-'));
      cpSync(PROGRAM, dir, { recursive: true });
      writeFileSync(
        path.join(dir, 'Dockerfile'),
        [`FROM golang:${goTag}`, 'WORKDIR /src', 'ENV GOPROXY=off', 'COPY go.mod main.go ./', ...lines, ''].join('\n'),
      );
      const result = await convertBuildRun(containers!, dir, `${VARIANT_TAG}-${VARIANTS.findIndex((v) => v[0] === what)}`);
      assert.equal(result.certs, single.certs, 'CA certificates in /etc/ssl/certs/ca-certificates.crt');
    });
  }

  it('would catch a build without CGO_ENABLED=0: that binary cannot start in scratch', async function () {
    assert.ok(convertedText, 'needs the converted Dockerfile of the test before');
    const c = containers!;
    const withCgo = convertedText.replace('CGO_ENABLED=0 go build', 'go build');
    assert.notEqual(withCgo, convertedText, 'the converted file sets CGO_ENABLED=0 on its go build');
    writeFileSync(path.join(work!, 'Dockerfile.cgo'), withCgo);
    const built = await c.build(work!, 'Dockerfile.cgo', CGO_TAG);
    assert.equal(built.status, 0, describeRun('buildah bud (cgo)', built));
    const ran = await c.runImage(CGO_TAG);
    assert.notEqual(ran.status, 0, `the cgo binary ran: ${ran.stdout}`);
    assert.match(ran.stdout + ran.stderr, /exec \/whoami: no such file or directory/);
  });
});

interface Converted {
  text: string;
  certs: number;
  buildMs: number;
  runMs: number;
}

/**
 * Converts DIR/Dockerfile in place with the real CLI, builds it as TAG and runs it: it must print the
 * program's line as uid 10001 (appuser), and the image must say `User: appuser:appuser`.
 */
async function convertBuildRun(c: Containers, dir: string, tag: string): Promise<Converted> {
  const original = readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
  const converted = runCli(['convert', '--write', 'Dockerfile'], { cwd: dir });
  assert.equal(converted.status, 0, `dockerfile-hardener convert: ${converted.stderr}\n--- Dockerfile\n${original}`);
  const text = readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
  const show = `\n--- converted Dockerfile\n${text}`;
  assert.match(text, /^FROM scratch$/m, show);

  const built = await c.build(dir, 'Dockerfile', tag);
  assert.equal(built.status, 0, describeRun('buildah bud (converted)', built) + show);
  const ran = await c.runImage(tag);
  assert.equal(ran.status, 0, describeRun('podman run (converted)', ran) + show);
  const line = LINE.exec(ran.stdout.trim());
  assert.ok(line, `unexpected output: ${JSON.stringify(ran.stdout)}${show}`);
  assert.equal(line[1], '10001', `uid${show}`);
  assert.equal(line[2], 'appuser', `the user name that /etc/passwd in scratch gives uid 10001${show}`);
  assert.equal(await c.inspect(tag, '{{.Config.User}}'), 'appuser:appuser', show);
  return { text, certs: Number(line[3]), buildMs: built.ms, runMs: ran.ms };
}
