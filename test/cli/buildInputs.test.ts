/**
 * `--build-arg` and `--target` on the built CLI, as `docker build` spells them: the build's own
 * inputs, so that a FROM built from an ARG is read with the value the build gives.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runCli } from '../support/cli';

describe('CLI --build-arg and --target', () => {
  let dir: string;
  before(() => {
    // Not a name with "build" in it: a directory's name is evidence of the image's role (a builder).
    dir = mkdtempSync(path.join(tmpdir(), 'dh-cli-args-'));
    writeFileSync(
      path.join(dir, 'Dockerfile'),
      'ARG BASE=gcr.io/distroless/static-debian12:nonroot\nFROM golang:1.26 AS app\nRUN go build -o /app .\nCMD ["/app"]\nFROM ${BASE} AS runtime\nCOPY --from=app /app /app\nCMD ["/app"]\n',
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const rules = (args: string[]) => {
    const r = runCli(['lint', '--format', 'json', '--shellcheck', 'off', ...args, path.join(dir, 'Dockerfile')]);
    assert.ok(r.status === 0 || r.status === 1, r.stderr);
    return (JSON.parse(r.stdout) as { rule: string; line: number }[]).map((f) => `${f.rule}:${f.line}`);
  };

  it('a FROM built from an ARG is read with --build-arg over the default', () => {
    assert.ok(!rules([]).includes('toolchain-final-stage:5'));
    assert.ok(rules(['--build-arg', 'BASE=golang:1.26']).includes('toolchain-final-stage:5'));
    assert.ok(rules(['--build-arg=BASE=golang:1.26']).includes('toolchain-final-stage:5'));
  });

  it('--target names the stage that ships, as --target-stage does', () => {
    const build = rules(['--target', 'app']);
    assert.ok(build.includes('toolchain-final-stage:2'), build.join(' '));
    assert.deepEqual(rules(['--target-stage', 'app']), build);
    const bad = runCli(['lint', '--target', 'app', '--target-stage', 'runtime', path.join(dir, 'Dockerfile')]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--target app and --target-stage runtime name different stages; give one/);
  });

  it('fix takes them too', () => {
    const r = runCli(['fix', '--dry-run', '--target', 'app', '--build-arg', 'BASE=alpine:3.23', path.join(dir, 'Dockerfile')]);
    assert.equal(r.status, 0, r.stderr);
    const bad = runCli(['fix', '--build-arg', '1=2', path.join(dir, 'Dockerfile')]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--build-arg needs NAME=VALUE \(or NAME\), not "1=2"/);
  });

  it('a directory with a compose.yaml: each Dockerfile it builds is linted with its args and target; the command line wins', () => {
    const project = mkdtempSync(path.join(tmpdir(), 'dh-cli-compose-'));
    try {
      mkdirSync(path.join(project, 'api'));
      writeFileSync(
        path.join(project, 'api', 'Dockerfile'),
        'ARG BASE\nFROM ${BASE} AS app\nCMD ["/app"]\nFROM scratch AS export\nCOPY --from=app /app /app\n',
      );
      writeFileSync(
        path.join(project, 'compose.yaml'),
        'services:\n  api:\n    build:\n      context: api\n      target: app\n      args:\n        BASE: ${API_BASE:-golang:1.26}\n',
      );
      const lint = (...extra: string[]) => {
        const r = runCli(['lint', '--format', 'json', '--shellcheck', 'off', ...extra, project], { cwd: project });
        assert.ok(r.status === 0 || r.status === 1, r.stderr);
        return (JSON.parse(r.stdout) as { rule: string; line: number }[]).map((f) => `${f.rule}:${f.line}`);
      };
      assert.ok(lint().includes('toolchain-final-stage:2'));
      assert.ok(!lint('--build-arg', 'BASE=gcr.io/distroless/static-debian12:nonroot').includes('toolchain-final-stage:2'));
      assert.ok(!lint('--target', 'export').includes('toolchain-final-stage:2'));
      // A Bake file written in HCL is not read, and the run says so.
      writeFileSync(path.join(project, 'docker-bake.hcl'), 'target "api" {}\n');
      const r = runCli(['lint', '--shellcheck', 'off', project], { cwd: project });
      assert.match(r.stderr, /docker-bake\.hcl: not read: HCL Bake files are not supported yet/);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
