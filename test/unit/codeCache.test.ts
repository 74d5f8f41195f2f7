import * as assert from 'node:assert/strict';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checksum, runCached } from '../../server/src/cli/codeCache';
import { prepareDirectory } from '../../server/src/registry/cacheDir';

/**
 * The CLI's bundle run through V8's code cache (server/src/cli/codeCache.ts), on small CommonJS
 * files written here: each test's source is its own, so that V8's in-memory cache of compiled
 * scripts cannot answer for the file on disk.
 */
describe('the code cache of the CLI bundle', () => {
  let dir: string;
  let n = 0;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'dfh-codecache-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A bundle that records, on globalThis, what Node would give a module: its require, module, paths. */
  function bundle(extra = ''): { file: string; runs: () => unknown[] } {
    const key = `__codeCacheTest${n++}_${process.pid}`;
    const file = path.join(dir, 'lib', 'bundle.js');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(path.join(dir, 'lib', 'beside.js'), 'module.exports = 42;\n');
    writeFileSync(
      file,
      `(globalThis.${key} ??= []).push({ beside: require('./beside.js'), path: require('node:path').sep, file: __filename, dir: __dirname, self: module.exports === exports, answer: (function (x) { return x * 2; })(21) });\n${extra}`,
    );
    return { file, runs: () => (globalThis as unknown as Record<string, unknown[]>)[key] };
  }
  const cacheFiles = (cache: string) => readdirSync(cache).filter((f) => f.endsWith('.cache'));

  it('runs the file as Node runs a module, then writes the cache, which the next run takes', () => {
    const { file, runs } = bundle();
    const cache = path.join(dir, 'cache');
    const first = runCached(file, cache);
    assert.equal(first.accepted, false);
    first.save();
    assert.equal(cacheFiles(cache).length, 1);
    const second = runCached(file, cache);
    assert.equal(second.accepted, true);
    const expected = { beside: 42, path: path.sep, file, dir: path.dirname(file), self: true, answer: 42 };
    assert.deepEqual(runs(), [expected, expected]);
  });

  it('a damaged cache file is not handed to V8: the file compiles as without one, and the next save mends it', () => {
    const { file, runs } = bundle();
    const cache = path.join(dir, 'cache');
    runCached(file, cache).save();
    const cached = path.join(cache, cacheFiles(cache)[0]);
    const bytes = readFileSync(cached);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(cached, bytes);
    const damaged = runCached(file, cache);
    assert.equal(damaged.accepted, false);
    damaged.save();
    assert.equal(runCached(file, cache).accepted, true);
    writeFileSync(cached, 'abc');
    assert.equal(runCached(file, cache).accepted, false, 'a truncated file');
    assert.equal(runs().length, 4);
  });

  it('a checksum covers every byte, the last ones too', () => {
    const data = Buffer.from('0123456789');
    const sums = new Set([checksum(data)]);
    for (let i = 0; i < data.length; i++) {
      const changed = Buffer.from(data);
      changed[i] ^= 1;
      sums.add(checksum(changed));
    }
    assert.equal(sums.size, data.length + 1);
    // Where the bytes start in their buffer does not matter.
    const shifted = Buffer.from('x0123456789').subarray(1);
    assert.equal(checksum(shifted), checksum(data));
  });

  it('a cache file that others can write is not read', function () {
    if (typeof process.getuid !== 'function') this.skip(); // POSIX ownership and modes only
    const { file } = bundle();
    const cache = path.join(dir, 'cache');
    runCached(file, cache).save();
    const cached = path.join(cache, cacheFiles(cache)[0]);
    assert.equal(runCached(file, cache).accepted, true);
    chmodSync(cached, 0o666);
    assert.equal(runCached(file, cache).accepted, false);
  });

  it('another version of the bundle reads its own file, and saving it removes the old one', () => {
    const cache = path.join(dir, 'cache');
    const { file } = bundle();
    runCached(file, cache).save();
    const before = cacheFiles(cache);
    bundle('// a later build, longer\n');
    const later = runCached(file, cache);
    assert.equal(later.accepted, false);
    later.save();
    const after = cacheFiles(cache);
    assert.equal(after.length, 1);
    assert.notDeepEqual(after, before);
  });

  it('a bundle changed in place at the same size, with the same time and inode, does not take the old code', () => {
    const cache = path.join(dir, 'cache');
    const { file, runs } = bundle('module.exports.version = "0.1.0";\n');
    const first = runCached(file, cache);
    first.save();
    const { mtime, atime } = statSync(file);
    writeFileSync(file, readFileSync(file, 'utf8').replace('0.1.0', '9.9.9'));
    utimesSync(file, atime, mtime);
    const changed = runCached(file, cache);
    assert.equal(changed.accepted, false, 'the old cache was taken for new code');
    assert.equal(runs().length, 2);
  });

  it("another install's file and another Node's stay when a file is saved; this install's old version goes", () => {
    const cache = path.join(dir, 'cache');
    const { file } = bundle();
    runCached(file, cache).save();
    const [old] = cacheFiles(cache);
    const parts = (name: string) => name.replace(/\.cache$/, '').split('-');
    const otherInstall = [...parts(old).slice(0, -3), 'aaaaaaaa', ...parts(old).slice(-2)].join('-') + '.cache';
    writeFileSync(path.join(cache, otherInstall), 'x');
    bundle('// a later build\n');
    const later = runCached(file, cache);
    const otherNode = [...parts(path.basename(later.file!)).slice(0, -1), 'bbbbbbbb'].join('-') + '.cache';
    writeFileSync(path.join(cache, otherNode), 'x');
    later.save();
    assert.deepEqual(cacheFiles(cache).sort(), [path.basename(later.file!), otherInstall, otherNode].sort());
    assert.ok(!cacheFiles(cache).includes(old));
  });

  it("makes its directories only below one that is this user's", function () {
    if (process.getuid?.() !== 0) this.skip(); // handing a directory to another user takes root
    const home = path.join(dir, 'someone');
    mkdirSync(home);
    chownSync(home, 65534, 65534);
    assert.equal(prepareDirectory(path.join(home, '.cache', 'dockerfile-hardener', 'code-v1')), false);
    assert.equal(existsSync(path.join(home, '.cache')), false, 'a directory made as root in their home');
    const own = path.join(dir, 'own', '.cache', 'dockerfile-hardener', 'code-v1');
    assert.equal(prepareDirectory(own), true);
    assert.equal(statSync(own).mode & 0o777, 0o700);
  });

  it('without a cache directory, or with one that cannot be written, the file runs and nothing fails', () => {
    const { file, runs } = bundle();
    const none = runCached(file, undefined);
    assert.equal(none.accepted, false);
    none.save();
    const blocked = path.join(dir, 'a-file');
    writeFileSync(blocked, '');
    const unwritable = runCached(file, path.join(blocked, 'cache'));
    unwritable.save();
    assert.equal(runs().length, 2);
  });
});
