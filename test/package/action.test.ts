/**
 * The GitHub Action (action.yml) run as the runner runs a composite action's step: its `run` script
 * written to a file and started with `bash --noprofile --norc -eo pipefail {0}`, the step's `env`
 * with `${{ inputs.* }}` replaced by the inputs (their defaults where not given), and the
 * environment Actions provides (GITHUB_ACTION_PATH at this checkout, GITHUB_WORKSPACE at a
 * temporary repository, CI, GITHUB_ACTIONS). The CLI is the built one (dist/), as after the step's
 * first build. Also: every action it uses is pinned by commit (today it uses none).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '../..');

interface Action {
  inputs: Record<string, { default?: string; required?: boolean; description: string }>;
  runs: { using: string; steps: { uses?: string; run?: string; shell?: string; env?: Record<string, string> }[] };
}

const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as Action;

function runAction(workspace: string, given: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  let out = { status: 0 as number | null, stdout: '', stderr: '' };
  const inputs = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, given[k] ?? v.default ?? '']));
  for (const step of action.runs.steps) {
    assert.ok(step.run && step.shell === 'bash', 'a composite step of ours runs bash');
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(step.env ?? {}))
      env[k] = v.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_m, name: string) => {
        assert.ok(name in inputs, `unknown input ${name}`);
        return inputs[name];
      });
    const script = path.join(workspace, '..', `step-${path.basename(workspace)}.sh`);
    writeFileSync(script, step.run);
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
      cwd: workspace,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        CI: 'true',
        GITHUB_ACTIONS: 'true',
        GITHUB_ACTION_PATH: ROOT,
        GITHUB_WORKSPACE: workspace,
        ...env,
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    rmSync(script, { force: true });
    out = { status: r.status, stdout: out.stdout + r.stdout, stderr: out.stderr + r.stderr };
    if (r.status !== 0) break;
  }
  return out;
}

describe('the GitHub Action (action.yml)', function () {
  this.timeout(60_000);
  let workspace: string;
  before(() => {
    assert.ok(existsSync(path.join(ROOT, 'dist', 'cli.js')), 'dist/cli.js is missing: run npm run build first');
    workspace = mkdtempSync(path.join(tmpdir(), 'dh-action-ws-'));
    writeFileSync(path.join(workspace, 'Dockerfile'), 'FROM alpine:3.23\nRUN apk add curl\nCMD ["/app"]\n');
    writeFileSync(path.join(workspace, 'Dockerfile.ok'), 'FROM scratch\nCOPY app /app\nUSER 10001:10001\nCMD ["/app"]\n');
  });
  after(() => rmSync(workspace, { recursive: true, force: true }));

  it('uses no action that is not pinned by commit, and declares its inputs', () => {
    for (const step of action.runs.steps) if (step.uses) assert.match(step.uses, /@[0-9a-f]{40}$/, `${step.uses} is not pinned by commit`);
    assert.equal(action.runs.using, 'composite');
    assert.deepEqual(Object.keys(action.inputs), ['paths', 'fail-level', 'sarif-file', 'config', 'args']);
  });

  it('annotates the findings, writes SARIF when asked, and fails at the fail level', () => {
    const r = runAction(workspace, { 'sarif-file': 'out/hardener.sarif' });
    assert.equal(r.status, 1, r.stderr);
    assert.match(
      r.stdout,
      /^::warning file=Dockerfile,line=1,col=6,endLine=1,endColumn=17,title=root-user::The shipped image runs as root/m,
    );
    assert.match(r.stdout, /^::(notice|warning) file=Dockerfile,line=2,.*title=apk-cache::/m);
    const sarif = JSON.parse(readFileSync(path.join(workspace, 'out', 'hardener.sarif'), 'utf8')) as { runs: { results: unknown[] }[] };
    assert.ok(sarif.runs[0].results.length >= 2);
  });

  it('passes below the fail level, takes a config and more options, and keeps each path one argument', () => {
    const quiet = runAction(workspace, { 'fail-level': 'none' });
    assert.equal(quiet.status, 0, quiet.stderr);
    writeFileSync(path.join(workspace, 'strict.yaml'), 'rules:\n  root-user: off\n');
    const r = runAction(workspace, { paths: 'Dockerfile.ok Dockerfile', config: 'strict.yaml', args: '--target 0' });
    assert.ok(!/title=root-user/.test(r.stdout), r.stdout);
    // Shell characters in an input stay data.
    const odd = runAction(workspace, { paths: 'Dockerfile;touch${IFS}pwned' });
    assert.equal(odd.status, 2);
    assert.ok(!existsSync(path.join(workspace, 'pwned')));
  });

  it('says what is wrong when the runner has no Node.js 20', () => {
    const r = spawnSync('/bin/bash', [path.join(ROOT, 'scripts', 'github-action.sh')], {
      env: { PATH: '/usr/bin/nonexistent', GITHUB_ACTION_PATH: ROOT, GITHUB_WORKSPACE: workspace },
      encoding: 'utf8',
    });
    assert.equal(r.status, 2);
    assert.match(r.stdout, /^::error title=dockerfile-hardener::Node\.js 20 or later is needed on the runner/m);
  });
});
