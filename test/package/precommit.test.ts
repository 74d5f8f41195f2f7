/**
 * The pre-commit hook (.pre-commit-hooks.yaml), run by the real pre-commit (Debian's package, which
 * scripts/setup-debian.sh installs) in a temporary repository: a commit with a bad Dockerfile is
 * refused with the findings, a clean one passes, a commit without Dockerfiles skips the hook.
 *
 * pre-commit installs a `language: node` hook from a git clone of the hook repository at `rev`:
 * `npm install` there (dev dependencies too: the build needs esbuild), `npm pack` (its prepack
 * script builds dist/), then `npm install -g` of that tarball into the hook's environment. The hook
 * repository here is a snapshot of this checkout's working tree (tracked and new files, as git
 * sees them), so what is tested is what would be committed. npm takes the dev dependencies from its
 * cache when it has them (`npm ci` filled it); pre-commit's own state goes to a temporary
 * PRE_COMMIT_HOME, and `language_version: system` uses this node rather than downloading one.
 */
import * as assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isDockerfileName } from '../../server/src/cli/files';

const ROOT = path.resolve(__dirname, '../..');
const HOOKS = readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8');
const BAD = 'FROM scratch\nCOPY app /app\nUSER root\nCMD /app\n';
const GOOD = 'FROM scratch\nCOPY app /app\nUSER 10001:10001\nENTRYPOINT ["/app"]\n';

/** The hook's `files:` pattern (a Python regex; this one reads the same in JavaScript). */
function filesPattern(): RegExp {
  const m = /^\s*files:\s*(\S+)\s*$/m.exec(HOOKS);
  assert.ok(m, '.pre-commit-hooks.yaml has no files: pattern');
  return new RegExp(m[1]!);
}

describe('the pre-commit hook', function () {
  this.timeout(300_000);

  it('declares the hook dockerfile-hardener, language node, running `dockerfile-hardener lint`', () => {
    assert.match(HOOKS, /^- id: dockerfile-hardener$/m);
    assert.match(HOOKS, /^\s+language: node$/m);
    assert.match(HOOKS, /^\s+entry: dockerfile-hardener lint$/m);
  });

  it('picks the files the CLI lints in a directory, at any depth, and no others', () => {
    const files = filesPattern();
    const names = [
      'Dockerfile',
      'Containerfile',
      'app.Dockerfile',
      'app.dockerfile',
      'Dockerfile.prod',
      'Containerfile.dev',
      'Dockerfile.',
      'Dockerfile-windows',
      'Dockerfile_dev',
      'Containerfile-arm64',
    ];
    const others = [
      'Dockerfile.dockerignore',
      'Dockerfile-windows.dockerignore',
      'dockerfile',
      'Dockerfiles',
      'MyDockerfile',
      'README.md',
      'docker-compose.yml',
      'Containerfiles',
    ];
    for (const name of [...names, ...others]) {
      assert.equal(isDockerfileName(name), names.includes(name), `the CLI on ${name}`);
      for (const p of [name, `services/api/${name}`]) assert.equal(files.test(p), names.includes(name), `files: on ${p}`);
    }
    for (const p of ['Dockerfile/README.md', 'Dockerfile.d/x']) assert.ok(!files.test(p), `files: on ${p}`);
  });

  describe('run by pre-commit on a temporary repository', () => {
    let tmp: string;
    let project: string;
    let env: NodeJS.ProcessEnv;
    const git = (...args: string[]) => run('git', args, project);
    const run = (command: string, args: string[], cwd: string): SpawnSyncReturns<string> => {
      const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 240_000 });
      if (r.error) throw r.error;
      return r;
    };

    before(function () {
      if (spawnSync('pre-commit', ['--version']).status !== 0) {
        if (process.env.CI)
          throw new Error('pre-commit is missing, and CI must run the pre-commit test (scripts/setup-debian.sh installs it)');
        console.log('      (skipped: pre-commit is not installed; scripts/setup-debian.sh installs Debian’s package)');
        this.skip();
      }
      tmp = mkdtempSync(path.join(os.tmpdir(), 'dfh-pre-commit-'));
      writeFileSync(path.join(tmp, 'gitconfig'), '[user]\n\tname = Test\n\temail = test@example.invalid\n[commit]\n\tgpgsign = false\n');
      // No git setting of this machine or of an outer git process (a hook running the tests) applies.
      env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GIT_') && !k.startsWith('PRE_COMMIT')));
      Object.assign(env, {
        GIT_CONFIG_GLOBAL: path.join(tmp, 'gitconfig'),
        GIT_CONFIG_NOSYSTEM: '1',
        PRE_COMMIT_HOME: path.join(tmp, 'pre-commit-home'),
        NO_COLOR: '1',
        npm_config_prefer_offline: 'true',
        npm_config_audit: 'false',
        npm_config_fund: 'false',
        npm_config_update_notifier: 'false',
      });

      // The hook repository: this working tree's files, committed in a repository of their own.
      const hooks = path.join(tmp, 'hooks');
      const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(listed.status, 0, listed.stderr);
      for (const rel of listed.stdout.split('\0').filter(Boolean)) {
        mkdirSync(path.dirname(path.join(hooks, rel)), { recursive: true });
        try {
          copyFileSync(path.join(ROOT, rel), path.join(hooks, rel));
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; // deleted in the working tree
        }
      }
      for (const args of [
        ['init', '-q'],
        ['add', '-A'],
        ['commit', '-qm', 'snapshot'],
      ]) {
        const r = run('git', args, hooks);
        assert.equal(r.status, 0, r.stderr);
      }
      const rev = run('git', ['rev-parse', 'HEAD'], hooks).stdout.trim();

      project = path.join(tmp, 'project');
      mkdirSync(project);
      assert.equal(git('init', '-q').status, 0);
      writeFileSync(
        path.join(project, '.pre-commit-config.yaml'),
        `repos:\n  - repo: ${hooks}\n    rev: ${rev}\n    hooks:\n      - id: dockerfile-hardener\n        language_version: system\n`,
      );
      const started = Date.now();
      const install = run('pre-commit', ['install', '--install-hooks'], project);
      assert.equal(install.status, 0, `pre-commit install failed:\n${install.stdout}\n${install.stderr}`);
      console.log(`      (pre-commit installed the hook in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    });

    after(() => {
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    });

    it('refuses a commit with a bad Dockerfile, showing the findings', () => {
      mkdirSync(path.join(project, 'api'));
      writeFileSync(path.join(project, 'api', 'Dockerfile'), BAD);
      assert.equal(git('add', '.pre-commit-config.yaml', 'api/Dockerfile').status, 0);
      const r = git('commit', '-m', 'bad');
      const out = r.stdout + r.stderr;
      assert.notEqual(r.status, 0, `the commit went through:\n${out}`);
      assert.match(out, /dockerfile-hardener\.+Failed/);
      assert.match(out, /^api\/Dockerfile:3:6 warning root-user /m);
      assert.match(out, /^api\/Dockerfile:4:5 error scratch-shell-form /m);
      assert.notEqual(git('rev-parse', '--verify', '-q', 'HEAD').status, 0, 'a commit was made');
    });

    it('lets the commit through once the Dockerfile is fixed', () => {
      writeFileSync(path.join(project, 'api', 'Dockerfile'), GOOD);
      assert.equal(git('add', 'api/Dockerfile').status, 0);
      const r = git('commit', '-m', 'good');
      const out = r.stdout + r.stderr;
      assert.equal(r.status, 0, out);
      assert.match(out, /dockerfile-hardener\.+Passed/);
    });

    it('skips the hook for a commit without Dockerfiles', () => {
      writeFileSync(path.join(project, 'README.md'), '# app\n');
      assert.equal(git('add', 'README.md').status, 0);
      const r = git('commit', '-m', 'readme');
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout + r.stderr, /dockerfile-hardener\.+\(no files to check\)Skipped/);
    });
  });
});
