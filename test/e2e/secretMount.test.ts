/**
 * Proof that secret-in-env's fix ("Use a secret mount in the N RUNs after it") gives the build the
 * same value without publishing it: a Dockerfile whose stage takes a token with a bare
 * `ARG NPM_TOKEN` is built with `--build-arg NPM_TOKEN=…` (buildah); the fix is taken from the real
 * lint and its edits applied as the editor applies them; the edited file is built with the secret
 * given as a file (`--secret id=npm_token,src=FILE`) and from the environment
 * (`--secret id=npm_token,env=NPM_TOKEN`, as the fix's title says), and once without any secret.
 * Each image is run (podman) and prints what its steps saw: whether the token was set, its length and
 * its SHA-256 as a child process read it. The edited images with the secret must print what the
 * original prints; the one without it must print an empty token (and still build). The original's
 * history must hold the token (what the rule reports), and no edited image's history or configuration
 * may.
 *
 * Uses the Debian stand-in `debian:bookworm-slim` of test/e2e/base-images.sh (cached in
 * .cache/e2e/bases; about 3 min the first time, seconds after). Needs root, buildah, podman, runc,
 * debootstrap and dpkg-scanpackages; without them it skips with a message, except under CI (env CI
 * set), where that is a failure.
 */
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lint } from '../../server/src/linter/lint';
import { applyEdits } from '../../server/src/engine/edits';
import { BASES, Containers, describeRun, standInBases, type Ran } from './containers';

/**
 * Three steps after the ARG: one tests the variable in the RUN's own shell, one reads it in a child
 * process, on a continuation line after a comment line (where the fix must put its export), and one
 * that does not mention it (the fix gives it the secret too, as the ARG reached it).
 */
const ORIGINAL = `FROM debian:bookworm-slim
ARG NPM_TOKEN
RUN if [ -n "$NPM_TOKEN" ]; then echo set; else echo empty; fi > /state
RUN \\
# a child process reads the variable
    sh -c 'printf %s "$NPM_TOKEN" | wc -c; printf %s "$NPM_TOKEN" | sha256sum' > /seen
RUN echo built > /done
CMD ["sh", "-c", "cat /state /seen /done"]
`;

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
/** What an image prints when its steps saw `token`. */
const printed = (token: string) => `${token ? 'set' : 'empty'}\n${token.length}\n${sha256(token)}  -\nbuilt\n`;

describe('secret-in-env: the secret mount fix, built and run (buildah + podman)', function () {
  this.timeout(10 * 60_000);
  const token = `npm_${randomBytes(16).toString('hex')}`;
  let containers: Containers | undefined;
  let work = '';
  let edited = '';
  const times: string[] = [];

  before(async function () {
    this.timeout(30 * 60_000);
    const bases = await standInBases(this);
    assert.match(bases.stdout, /^docker\.io\/library\/debian:bookworm-slim$/m);
    times.push(`base images ${secs(bases.ms)}`);
    // Containers.create copies the environment: NPM_TOKEN is in buildah's, for `--secret …,env=NPM_TOKEN`.
    const saved = process.env.NPM_TOKEN;
    process.env.NPM_TOKEN = token;
    try {
      containers = Containers.create(path.join(BASES, 'store'));
    } finally {
      if (saved === undefined) delete process.env.NPM_TOKEN;
      else process.env.NPM_TOKEN = saved;
    }
    work = mkdtempSync(path.join(os.tmpdir(), 'dh-secret-mount-'));
    writeFileSync(path.join(work, 'Dockerfile.original'), ORIGINAL);
    // As `echo "$TOKEN" > file` writes it: with a newline, which $(cat …) drops.
    writeFileSync(path.join(work, 'npm_token.txt'), `${token}\n`);
  });

  after(async function () {
    this.timeout(5 * 60_000);
    if (times.length) console.log(`      times: ${times.join(', ')}`);
    if (work) rmSync(work, { recursive: true, force: true });
    if (containers) await containers.dispose();
  });

  /** Builds `file` of the work folder as `tag` with extra flags, offline. */
  async function build(file: string, tag: string, flags: string[]): Promise<Ran> {
    const args = ['bud', '--pull-never', '--network=none', ...flags, '-f', file, '-t', tag, work];
    const built = await containers!.buildah(args, { timeoutMs: 5 * 60_000, cwd: work });
    times.push(`${tag.replace(/^.*\//, '')} build ${secs(built.ms)}`);
    return built;
  }

  /** What the image prints, and everything its history and configuration say. */
  async function inspect(tag: string): Promise<{ output: string; history: string; config: string }> {
    const cx = containers!;
    const ran = await cx.runImage(tag);
    assert.equal(ran.status, 0, describeRun(`podman run ${tag}`, ran));
    const history = await cx.podman(['history', '--no-trunc', '--format', '{{.CreatedBy}}', tag], { timeoutMs: 60_000 });
    assert.equal(history.status, 0, describeRun(`podman history ${tag}`, history));
    const config = await cx.podman(['image', 'inspect', tag], { timeoutMs: 60_000 });
    assert.equal(config.status, 0, describeRun(`podman image inspect ${tag}`, config));
    return { output: ran.stdout, history: history.stdout, config: config.stdout };
  }

  it('the original, built with --build-arg, sees the token and publishes it in its history', async function () {
    const built = await build('Dockerfile.original', 'localhost/dh-secret/original', ['--build-arg', `NPM_TOKEN=${token}`]);
    assert.equal(built.status, 0, describeRun('buildah bud (original)', built));
    const image = await inspect('localhost/dh-secret/original');
    assert.equal(image.output, printed(token));
    assert.ok(image.history.includes(token), `podman history does not show the token:\n${image.history}`);
    console.log(`      original: the token is in podman history (${image.history.split(token).length - 1} times)`);
  });

  it('the fix, as lint offers it and the editor applies it, turns the ARG into a secret mount on each RUN', async function () {
    const finding = lint(ORIGINAL).findings.find((f) => f.rule === 'secret-in-env');
    const fix = finding?.fixes?.find((x) => x.title.startsWith('Use a secret mount'));
    assert.ok(fix, `no secret mount fix on:\n${ORIGINAL}`);
    assert.equal(fix.kind, 'suggestion');
    assert.match(fix.title, /--secret id=npm_token,env=NPM_TOKEN/);
    edited = applyEdits(ORIGINAL, await fix.edits({}));
    writeFileSync(path.join(work, 'Dockerfile.edited'), edited);
    console.log(`      edited Dockerfile:\n${edited.replace(/^/gm, '        ')}`);
    assert.doesNotMatch(edited, /^ARG /m);
    assert.equal(edited.match(/^RUN --mount=type=secret,id=npm_token /gm)?.length, 3);
    assert.equal(edited.match(/export "NPM_TOKEN=\$\(cat \/run\/secrets\/npm_token\)" && /g)?.length, 3);
  });

  const secrets: [string, string[]][] = [
    ['src', ['--secret', `id=npm_token,src=npm_token.txt`]],
    ['env', ['--secret', 'id=npm_token,env=NPM_TOKEN']],
  ];
  for (const [how, flags] of secrets) {
    it(`the edited file, built with --secret id=npm_token,${how}=…, sees the same token and keeps it out of the image`, async function () {
      assert.ok(edited, 'needs the edited Dockerfile of the test before');
      const tag = `localhost/dh-secret/edited-${how}`;
      const built = await build('Dockerfile.edited', tag, flags);
      assert.equal(built.status, 0, describeRun(`buildah bud (edited, secret from ${how})`, built) + `\n---\n${edited}`);
      const image = await inspect(tag);
      assert.equal(image.output, printed(token), 'prints what the original prints');
      assert.ok(!image.history.includes(token), `podman history shows the token:\n${image.history}`);
      assert.ok(!image.config.includes(token), 'podman image inspect shows the token');
      assert.ok(!(built.stdout + built.stderr).includes(token), 'the build log shows the token');
    });
  }

  it('the edited file still builds without the secret: the token is empty, as without --build-arg', async function () {
    assert.ok(edited, 'needs the edited Dockerfile of the test before');
    const built = await build('Dockerfile.edited', 'localhost/dh-secret/edited-none', []);
    assert.equal(built.status, 0, describeRun('buildah bud (edited, no secret)', built));
    assert.match(built.stdout + built.stderr, /\/run\/secrets\/npm_token: No such file or directory/);
    const image = await inspect('localhost/dh-secret/edited-none');
    assert.equal(image.output, printed(''));
  });
});
