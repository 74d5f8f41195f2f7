import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI, runCli } from '../support/cli';

/**
 * The built CLI through V8's code cache (server/src/cli/codeCache.ts), across processes as users
 * run it: the first run writes the cache, later runs take it, and neither a damaged cache nor none
 * changes a byte of what the CLI says.
 */
describe('the CLI with its code cache', () => {
  it('the bundle the bin runs has no import() left: vm runs none without an experimental loader', () => {
    const bundle = readFileSync(path.join(path.dirname(CLI), 'cli-main.js'), 'utf8');
    assert.deepEqual(bundle.match(/\bimport\(/g) ?? [], []);
  });

  let dir: string;
  before(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'dfh-cli-codecache-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes it on the first run, and every run after says the same', () => {
    const cache = path.join(dir, 'cache');
    const file = path.join(dir, 'Dockerfile');
    writeFileSync(file, 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\nUSER root\n');
    const env = { ...process.env, DOCKERFILE_HARDENER_CACHE_DIR: cache };
    const run = (extra: NodeJS.ProcessEnv = {}) =>
      runCli(['lint', '--shellcheck', 'off', '--format', 'json', file], { env: { ...env, ...extra } });
    const code = path.join(cache, 'code-v1');
    const files = () => (existsSync(code) ? readdirSync(code) : []);

    const off = run({ DOCKERFILE_HARDENER_CODE_CACHE: 'off' });
    assert.deepEqual(files(), [], 'turned off: nothing written');
    assert.equal(off.status, 1, off.stderr);
    assert.ok(JSON.parse(off.stdout).length > 0);

    // A command that runs no rules writes none: the lint after it writes what linting compiles.
    const version = runCli(['--version'], { env });
    assert.equal(version.status, 0, version.stderr);
    assert.deepEqual(files(), [], 'written by --version');

    const first = run();
    assert.deepEqual(first, off);
    assert.equal(files().length, 1);
    const written = readFileSync(path.join(code, files()[0]));
    assert.ok(written.length > 100_000, `the cache holds the compiled bundle (${written.length} bytes)`);

    // Taken, not written again.
    assert.deepEqual(run(), off);
    assert.deepEqual(readFileSync(path.join(code, files()[0])), written);

    // Damaged: ignored, the same output, and written whole again, then taken.
    const damaged = Buffer.from(written);
    damaged[damaged.length >> 1] ^= 0xff;
    writeFileSync(path.join(code, files()[0]), damaged);
    assert.deepEqual(run(), off);
    const mended = readFileSync(path.join(code, files()[0]));
    assert.notDeepEqual(mended, damaged);
    assert.deepEqual(run(), off);
    assert.deepEqual(readFileSync(path.join(code, files()[0])), mended);
  });

  it('with an empty HOME, writes nothing in the working directory (nor anywhere)', () => {
    const cwd = path.join(dir, 'project');
    mkdirSync(cwd);
    writeFileSync(path.join(cwd, 'Dockerfile'), 'FROM debian:12\n');
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: '' };
    delete env.DOCKERFILE_HARDENER_CACHE_DIR;
    delete env.XDG_CACHE_HOME;
    const r = runCli(['lint', '--shellcheck', 'off', 'Dockerfile'], { cwd, env });
    assert.notEqual(r.status, 2, r.stderr);
    assert.deepEqual(readdirSync(cwd), ['Dockerfile']);
  });
});
