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

  it('a --target that names no stage is said, and the last stage ships', () => {
    const r = runCli(['lint', '--format', 'json', '--shellcheck', 'off', '--target', 'nosuch', path.join(dir, 'Dockerfile')]);
    assert.ok(r.status === 0 || r.status === 1, r.stderr);
    assert.match(r.stderr, /Dockerfile: no stage is named "nosuch": the last stage is taken as the one that ships/);
  });

  it('--target names the stage that ships, as --target-stage does', () => {
    const build = rules(['--target', 'app']);
    assert.ok(build.includes('toolchain-final-stage:2'), build.join(' '));
    assert.deepEqual(rules(['--target-stage', 'app']), build);
    const bad = runCli(['lint', '--target', 'app', '--target-stage', 'runtime', path.join(dir, 'Dockerfile')]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--target app and --target-stage runtime name different stages; give one/);
  });

  it('--build-context: a --from that names a named context is not read as a later stage', () => {
    const text = 'FROM alpine:3.22\nCOPY --from=early / /\nUSER 1000\nFROM alpine:3.22 AS early\n';
    const found = (extra: string[]) => {
      const r = runCli(['lint', '--format', 'json', '--shellcheck', 'off', ...extra, '-'], { input: text });
      assert.ok(r.status === 0 || r.status === 1, r.stderr);
      return (JSON.parse(r.stdout) as { rule: string }[]).map((f) => f.rule);
    };
    assert.ok(found([]).includes('copy-from-stage-order'));
    assert.ok(!found(['--build-context', 'early=../early']).includes('copy-from-stage-order'));
  });

  it('fix takes them too', () => {
    const r = runCli(['fix', '--dry-run', '--target', 'app', '--build-arg', 'BASE=alpine:3.23', path.join(dir, 'Dockerfile')]);
    assert.equal(r.status, 0, r.stderr);
    const bad = runCli(['fix', '--build-arg', '1=2', path.join(dir, 'Dockerfile')]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--build-arg needs NAME=VALUE \(or NAME\), not "1=2"/);
  });

  /** A temporary project of these files; the function gets its directory, which is then removed. */
  const inProject = (files: Record<string, string>, use: (project: string) => void) => {
    const project = mkdtempSync(path.join(tmpdir(), 'dh-cli-project-'));
    try {
      for (const [rel, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(project, rel)), { recursive: true });
        writeFileSync(path.join(project, rel), text);
      }
      use(project);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  };
  /** `lint` of a whole project directory: each finding as rule:line, and what was said on stderr. */
  const lintProject = (project: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) => {
    const r = runCli(['lint', '--format', 'json', '--shellcheck', 'off', ...extra, project], {
      cwd: project,
      env: { ...process.env, ...env },
    });
    assert.ok(r.status === 0 || r.status === 1, r.stderr);
    return { rules: (JSON.parse(r.stdout) as { rule: string; line: number }[]).map((f) => `${f.rule}:${f.line}`), stderr: r.stderr };
  };

  it('a directory with a compose.yaml: each Dockerfile it builds is linted with its args and target; the command line wins', () => {
    const files = {
      'api/Dockerfile': 'ARG BASE\nFROM ${BASE} AS app\nCMD ["/app"]\nFROM scratch AS export\nCOPY --from=app /app /app\n',
      'compose.yaml':
        'services:\n  api:\n    build:\n      context: api\n      target: app\n      args:\n        BASE: ${API_BASE:-golang:1.26}\n',
    };
    inProject(files, (project) => {
      const lint = (...extra: string[]) => lintProject(project, extra).rules;
      assert.ok(lint().includes('toolchain-final-stage:2'));
      assert.ok(!lint('--build-arg', 'BASE=gcr.io/distroless/static-debian12:nonroot').includes('toolchain-final-stage:2'));
      assert.ok(!lint('--target', 'export').includes('toolchain-final-stage:2'));
    });
  });

  it('a directory with a docker-bake.hcl: its targets, variables (the environment over the defaults) and what it cannot evaluate', () => {
    const files = {
      'api/Dockerfile': 'ARG BASE\nARG TAG\nFROM ${BASE} AS app\nCMD ["/app"]\nFROM scratch AS export\nCOPY --from=app /app /app\n',
      'docker-bake.hcl': [
        'variable "GO" { default = "1.26" }',
        'target "api" {',
        '  context = "api"',
        '  target = "app"',
        '  args = { BASE = "golang:${GO}", TAG = formatdate("YYYY", timestamp()) }',
        '}',
      ].join('\n'),
    };
    inProject(files, (project) => {
      const first = lintProject(project);
      assert.ok(first.rules.includes('toolchain-final-stage:3'), first.rules.join(' '));
      assert.match(
        first.stderr,
        /docker-bake\.hcl: target api: args\.TAG is a call of formatdate\(\), which the linter does not evaluate: the ARG is taken as unknown/,
      );
      // GO from the environment over its default: an ended Go release.
      assert.ok(lintProject(project, [], { GO: '1.20' }).rules.includes('eol-base-image:3'));
      assert.ok(!first.rules.includes('eol-base-image:3'), first.rules.join(' '));
      // A Bake file that does not parse is said, and the Dockerfile is still linted without it.
      writeFileSync(path.join(project, 'docker-bake.hcl'), 'target "api" {\n  args = {\n');
      const broken = lintProject(project);
      assert.match(broken.stderr, /docker-bake\.hcl: not read: the HCL parser finds a syntax error at line \d+/);
      assert.ok(!broken.rules.includes('toolchain-final-stage:3'));
    });
  });
});
