/**
 * ShellCheck inside RUN, through the built CLI with the real shellcheck: its findings join the rules',
 * at the script's place in the Dockerfile, ignores and config apply, and without the binary one line
 * says so and the verdict is the rules' alone.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../support/cli';

const DOCKERFILE = `FROM debian:12
RUN apt-get update \\
    && echo $HOME/x
`;

function haveShellCheck(ctx: Mocha.Context): void {
  if (spawnSync('shellcheck', ['--version']).status === 0) return;
  if (process.env.CI) throw new Error('shellcheck is missing, and CI must run the ShellCheck tests (.ci/run installs it)');
  ctx.skip();
}

interface JsonFinding {
  rule: string;
  severity: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

describe('CLI: ShellCheck on RUN scripts', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(function () {
    haveShellCheck(this);
    dir = mkdtempSync(path.join(os.tmpdir(), 'dh-shellcheck-'));
  });
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  const sc = (args: string[]) => {
    const r = runCli(['lint', '--format', 'json', '--fail-level', 'none', ...args], { cwd: dir });
    return { ...r, findings: (JSON.parse(r.stdout) as JsonFinding[]).filter((f) => f.rule.startsWith('SC')) };
  };

  it('reports SC2086 where $HOME is, on the continuation line', () => {
    writeFileSync(path.join(dir, 'Dockerfile'), DOCKERFILE);
    const r = sc(['Dockerfile']);
    assert.equal(r.status, 0);
    assert.deepEqual(
      r.findings.map((f) => `${f.rule} ${f.severity} ${f.line}:${f.column}-${f.endLine}:${f.endColumn}`),
      ['SC2086 info 3:13-3:18'],
    );
  });

  it('is silenced by # hadolint ignore=SC2086, our ignore, and rules: { shellcheck: off }', () => {
    writeFileSync(path.join(dir, 'Dockerfile'), DOCKERFILE.replace('RUN', '# hadolint ignore=SC2086\nRUN'));
    assert.deepEqual(sc(['Dockerfile']).findings, []);
    writeFileSync(path.join(dir, 'Dockerfile'), DOCKERFILE.replace('RUN', '# dockerfile-hardener ignore=SC2086\nRUN'));
    assert.deepEqual(sc(['Dockerfile']).findings, []);
    writeFileSync(path.join(dir, 'Dockerfile'), DOCKERFILE);
    writeFileSync(path.join(dir, '.dockerfile-hardener.yaml'), 'rules:\n  shellcheck: off\n');
    assert.deepEqual(sc(['Dockerfile']).findings, []);
  });

  it('without the binary: one line on stderr, and the rules alone decide', () => {
    writeFileSync(path.join(dir, 'Dockerfile'), DOCKERFILE);
    writeFileSync(path.join(dir, 'Dockerfile.two'), DOCKERFILE);
    const r = sc(['--shellcheck', path.join(dir, 'no-such-shellcheck'), 'Dockerfile', 'Dockerfile.two']);
    assert.equal(r.status, 0);
    assert.deepEqual(r.findings, []);
    assert.equal(r.stderr.match(/not an executable shellcheck/g)?.length, 1, r.stderr);
  });
});
