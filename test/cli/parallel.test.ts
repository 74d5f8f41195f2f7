/**
 * `lint` of many files on several threads (cli/parallel.ts) says exactly what one thread says: the
 * same findings in the same order, the same lines on stderr (each once, in file order), the same
 * exit status, in every format that reads the files' text.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { CLI, runCli } from '../support/cli';

describe('CLI lint on several threads (--jobs)', function () {
  this.timeout(120_000);
  let dir: string;
  const files: string[] = [];
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dh-cli-jobs-'));
    // 320 files in 4 projects: enough for 3 threads of at least 100 files each.
    for (let p = 0; p < 4; p++) {
      const project = path.join(dir, `p${p}`);
      mkdirSync(project);
      // A config with a problem (said once per config, by whichever thread reads it first).
      if (p === 1) writeFileSync(path.join(project, '.dockerfile-hardener.yaml'), 'rules:\n  no-such-rule: off\n');
      // A Compose file that does not parse (said once).
      if (p === 2) writeFileSync(path.join(project, 'compose.yaml'), 'services: [broken');
      for (let i = 0; i < 80; i++) {
        const file = path.join(project, `${String(i).padStart(3, '0')}.Dockerfile`);
        const text =
          i % 5 === 0
            ? `FROM mcr.microsoft.com/powershell:7.4\nSHELL ["pwsh", "-Command"]\nRUN Write-Host ${i}\n`
            : `FROM alpine\nRUN apk add curl && cd /tmp${i % 3 ? '' : '; echo $HOME'}\nUSER ${i % 2 ? 'root' : '10001'}\n`;
        writeFileSync(file, text);
        files.push(file);
      }
    }
    // A path that is not there: an error (exit status 2), said once.
    files.splice(150, 0, path.join(dir, 'missing.Dockerfile'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('workers start through the bin, not through a program that loaded it as a module', () => {
    // A wrapper that requires the bin (as a tool that embeds the CLI may): its own code runs once.
    const wrapper = path.join(dir, 'wrapper.js');
    writeFileSync(wrapper, `process.stderr.write('wrapper ran\\n');\nrequire(${JSON.stringify(CLI)});\n`);
    const r = spawnSync(process.execPath, [wrapper, 'lint', '--format', 'json', '--jobs', '3', ...files], {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr.split('\n').filter((l) => l === 'wrapper ran').length, 1, r.stderr);
  });

  for (const format of ['json', 'text', 'sarif', 'codeclimate']) {
    it(`--format ${format}: the same as on one thread`, function () {
      const one = runCli(['lint', '--format', format, '--jobs', '1', ...files], { cwd: dir });
      const many = runCli(['lint', '--format', format, '--jobs', '3', ...files], {
        cwd: dir,
        env: { ...process.env, DOCKERFILE_HARDENER_TIMINGS: '1' },
      });
      assert.equal(one.status, 2, one.stderr);
      assert.equal(many.status, one.status);
      assert.equal(many.stdout, one.stdout);
      const timings = many.stderr.split('\n').filter((l) => l.startsWith('{"timings"'));
      assert.equal(timings.length, 1, many.stderr);
      // The run really used workers: this thread waited for them.
      assert.ok((JSON.parse(timings[0]) as { timings: { workers: number } }).timings.workers > 0, timings[0]);
      assert.equal(many.stderr.replace(/^\{"timings".*\n/m, ''), one.stderr);
      assert.match(one.stderr, /no-such-rule/);
      assert.match(one.stderr, /compose\.yaml: not read/);
      assert.match(one.stderr, /missing\.Dockerfile: no such file or directory/);
    });
  }

  it('a directory, as discovery finds the files: the same as on one thread', () => {
    const one = runCli(['lint', '--format', 'json', '--jobs', '1', dir], { cwd: dir });
    const many = runCli(['lint', '--format', 'json', '--jobs', '4', dir], { cwd: dir });
    assert.equal(many.status, one.status);
    assert.equal(many.stdout, one.stdout);
    assert.equal(many.stderr, one.stderr);
  });

  it('--jobs must be a whole number from 1', () => {
    const r = runCli(['lint', '--jobs', '0', files[0]]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--jobs must be a whole number from 1, not "0"/);
  });
});
