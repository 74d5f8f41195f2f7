/**
 * Our own image (image/Dockerfile), hardened by our own rules: `dockerfile-hardener lint` of it
 * reports nothing at hint level or above; built with buildah and run with podman on a mounted
 * Dockerfile, it prints the findings, exits as the CLI does, and runs as uid 65532 with no shell.
 *
 * No registry is reachable here, so the digest-pinned base (node:24.17.0@sha256:…) cannot be pulled:
 * the test builds a copy of the Dockerfile whose FROM names the stand-in node image of
 * test/e2e/base-images.sh (docker.io/library/node:22-bookworm-slim: Debian's nodejs, with node at
 * /usr/bin/node and its shared libraries elsewhere than the official image's), and says so. The
 * Dockerfile copies whatever node binary and libraries the base has, so the same stage works on both.
 */
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../support/cli';
import { BASES, Containers, describeRun, standInBases } from './containers';

const ROOT = path.resolve(__dirname, '../..');
const DOCKERFILE = path.join(ROOT, 'image', 'Dockerfile');
const TAG = 'localhost/dh-e2e/dockerfile-hardener';
const STAND_IN = 'docker.io/library/node:22-bookworm-slim';

describe('our own image, built and run (buildah + podman)', function () {
  this.timeout(10 * 60_000);
  let containers: Containers | undefined;
  let work: string | undefined;

  before(async function () {
    this.timeout(30 * 60_000);
    await standInBases(this);
    containers = Containers.create(path.join(BASES, 'store'));
    work = mkdtempSync(path.join(os.tmpdir(), 'dh-e2e-own-'));
  });
  after(async () => {
    await containers?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('passes its own lint: nothing at hint level or above, its base pinned by digest', () => {
    const r = runCli(['lint', '--fail-level', 'hint', '--shellcheck', 'off', DOCKERFILE]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /^0 findings in 1 file$/m);
    assert.match(readFileSync(DOCKERFILE, 'utf8'), /^FROM node:[\w.-]+@sha256:[0-9a-f]{64} AS node$/m);
  });

  it('builds (on the stand-in base), runs as 65532 with no shell, and lints a mounted Dockerfile', async () => {
    const context = path.join(work!, 'context');
    mkdirSync(path.join(context, 'dist'), { recursive: true });
    // The bin, the bundle it runs, and the YAML and HCL parsers loaded on demand (config, Compose, Bake).
    for (const f of ['cli.js', 'cli-main.js', 'yaml.js', 'hcl.js', 'web-tree-sitter.wasm', 'tree-sitter-hcl.wasm'])
      cpSync(path.join(ROOT, 'dist', f), path.join(context, 'dist', f));
    cpSync(path.join(ROOT, 'docs', 'rules'), path.join(context, 'docs', 'rules'), { recursive: true });
    const text = readFileSync(DOCKERFILE, 'utf8').replace(/^FROM node:[\w.-]+@sha256:[0-9a-f]{64} AS node$/m, `FROM ${STAND_IN} AS node`);
    assert.ok(text.includes(`FROM ${STAND_IN} AS node`));
    console.log(`      (built FROM ${STAND_IN}, a stand-in for the pinned node:24.17.0 digest: no registry is reachable here)`);
    writeFileSync(path.join(context, 'Dockerfile'), text);
    const built = await containers!.build(context, path.join(context, 'Dockerfile'), TAG);
    assert.equal(built.status, 0, describeRun('buildah bud', built));
    assert.equal(await containers!.inspect(TAG, '{{.Config.User}}'), '65532:65532');
    const size = Number(await containers!.inspect(TAG, '{{.Size}}'));
    console.log(`      (image: ${(size / 1e6).toFixed(1)} MB on the stand-in base)`);

    const project = path.join(work!, 'project');
    mkdirSync(project);
    writeFileSync(path.join(project, 'Dockerfile'), 'FROM alpine:3.23\nRUN apk add curl\nCMD ["/app"]\n');
    // A Bake file beside it: the image reads it (the HCL parser is in the image), and says nothing of it.
    writeFileSync(path.join(project, 'docker-bake.hcl'), 'target "default" {\n  dockerfile = "Dockerfile"\n}\n');
    const lint = await containers!.podman(
      ['run', '--rm', '--pull=never', '--network=none', '-v', `${project}:/work:ro`, TAG, 'lint', '--format', 'json', '/work'],
      { timeoutMs: 60_000 },
    );
    assert.equal(lint.status, 1, describeRun('podman run … lint /work', lint));
    const rules = (JSON.parse(lint.stdout) as { rule: string }[]).map((f) => f.rule);
    assert.ok(rules.includes('root-user') && rules.includes('apk-cache'), rules.join(' '));
    assert.doesNotMatch(lint.stderr, /docker-bake\.hcl|HCL/, lint.stderr);
    const explain = await containers!.podman(['run', '--rm', '--pull=never', '--network=none', TAG, 'explain', 'root-user'], {
      timeoutMs: 60_000,
    });
    assert.equal(explain.status, 0, describeRun('podman run … explain root-user', explain));
    assert.match(explain.stdout, /root-user/);
    const shell = await containers!.podman(
      ['run', '--rm', '--pull=never', '--network=none', '--entrypoint', '/bin/sh', TAG, '-c', 'true'],
      { timeoutMs: 60_000 },
    );
    assert.notEqual(shell.status, 0, 'the image has a shell');
  });
});
