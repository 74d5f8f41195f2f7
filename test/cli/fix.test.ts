/**
 * `dockerfile-hardener fix`: safe fixes by default, suggestions with --unsafe, a unified diff with
 * --dry-run, atomic writes that keep the file's mode and line endings, and files it cannot write
 * left as they were.
 */
import * as assert from 'node:assert/strict';
import {
  mkdtempSync,
  mkdirSync,
  writeFileSync,
  readFileSync,
  rmSync,
  statSync,
  chmodSync,
  readdirSync,
  symlinkSync,
  lstatSync,
  linkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCli, CLI } from '../support/cli';

const BEFORE =
  'FROM golang:1.26 AS build\nRUN --mount=type=cache,target=/root/.cache/go-build go build -a -o /out/app .\n\nFROM alpine:3.23\nRUN apk update && apk add curl\nCOPY --from=build /out/app /app\nENTRYPOINT /app --serve\n';
const SAFE =
  'FROM golang:1.26 AS build\nRUN --mount=type=cache,target=/root/.cache/go-build go build -ldflags="-s -w" -o /out/app .\n\nFROM alpine:3.23\nRUN apk add --no-cache curl\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app", "--serve"]\n';
const UNSAFE =
  'FROM golang:1.26 AS build\nRUN --mount=type=cache,target=/root/.cache/go-build go build -ldflags="-s -w" -o /out/app .\n\nFROM alpine:3.23\nRUN apk add --no-cache curl\nRUN addgroup -g 10001 appuser && adduser -D -u 10001 -G appuser appuser\nUSER 10001:10001\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app", "--serve"]\n';

describe('CLI fix', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'dh-fix-'))));
  afterEach(() => {
    try {
      chmodSync(dir, 0o755);
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  });
  const put = (rel: string, text: string) => {
    const p = path.join(dir, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
    return p;
  };

  it('applies the safe fixes, writes the file and prints a summary', () => {
    const p = put('Dockerfile', BEFORE);
    chmodSync(p, 0o640);
    const r = runCli(['fix', 'Dockerfile'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(p, 'utf8'), SAFE);
    assert.equal(statSync(p).mode & 0o777, 0o640, 'the mode is kept');
    assert.match(r.stdout, /^Dockerfile: 4 fixes \(/m);
    assert.match(r.stderr, /1 file changed, 4 fixes, \d+ findings? left/);
    assert.deepEqual(readdirSync(dir), ['Dockerfile'], 'no temporary file is left behind');
    const again = runCli(['fix', 'Dockerfile'], { cwd: dir });
    assert.equal(again.status, 0);
    assert.equal(readFileSync(p, 'utf8'), SAFE, 'fixing again changes nothing');
    assert.match(again.stderr, /0 files changed/);
  });

  it('--unsafe also applies the preferred suggestions', () => {
    const p = put('Dockerfile', BEFORE);
    const r = runCli(['fix', '--unsafe', 'Dockerfile'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(p, 'utf8'), UNSAFE);
  });

  it('--dry-run prints a unified diff that git can apply, and writes nothing', () => {
    const p = put('Dockerfile', BEFORE);
    const r = runCli(['fix', '--dry-run', 'Dockerfile'], { cwd: dir });
    assert.equal(r.status, 0);
    assert.equal(readFileSync(p, 'utf8'), BEFORE);
    assert.match(r.stdout, /^--- a\/Dockerfile\n\+\+\+ b\/Dockerfile\n@@ /);
    writeFileSync(path.join(dir, 'fix.patch'), r.stdout);
    const git = spawnSync('git', ['apply', '--unsafe-paths', 'fix.patch'], { cwd: dir, encoding: 'utf8' });
    assert.equal(git.status, 0, git.stderr);
    assert.equal(readFileSync(p, 'utf8'), SAFE);
  });

  it('keeps CRLF line endings and a byte-order mark', () => {
    const crlf = '\uFEFF' + BEFORE.replace(/\n/g, '\r\n');
    const p = put('Dockerfile', crlf);
    assert.equal(runCli(['fix', 'Dockerfile'], { cwd: dir }).status, 0);
    assert.equal(readFileSync(p, 'utf8'), '\uFEFF' + SAFE.replace(/\n/g, '\r\n'));
  });

  it('a file it cannot write stays as it was, with an error and exit status 2', function () {
    const p = put('ro/Dockerfile', BEFORE);
    put('ok/Dockerfile', BEFORE);
    chmodSync(dir, 0o755);
    chmodSync(path.join(dir, 'ok'), 0o777);
    chmodSync(path.join(dir, 'ok', 'Dockerfile'), 0o666);
    chmodSync(path.join(dir, 'ro'), 0o555);
    // Permissions do not stop root: run the CLI as an unprivileged user (nobody) then.
    const asUser = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
    const r = spawnSync(
      asUser[0] ?? process.execPath,
      [...asUser.slice(1), ...(asUser.length ? [process.execPath] : []), CLI, 'fix', 'ro/Dockerfile', 'ok/Dockerfile'],
      { cwd: dir, encoding: 'utf8' },
    );
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /ro\/Dockerfile: cannot write \(EACCES\); left unchanged/);
    assert.equal(readFileSync(p, 'utf8'), BEFORE);
    assert.deepEqual(readdirSync(path.join(dir, 'ro')), ['Dockerfile'], 'no temporary file is left behind');
    assert.equal(readFileSync(path.join(dir, 'ok', 'Dockerfile'), 'utf8'), SAFE, 'the other file is still fixed');
  });

  it('fixes the file a symlink points to, and keeps the link', () => {
    const real = put('real/Dockerfile', BEFORE);
    mkdirSync(path.join(dir, 'app'));
    symlinkSync('../real/Dockerfile', path.join(dir, 'app', 'Dockerfile'));
    assert.equal(runCli(['fix', 'app/Dockerfile'], { cwd: dir }).status, 0);
    assert.ok(lstatSync(path.join(dir, 'app', 'Dockerfile')).isSymbolicLink());
    assert.equal(readFileSync(real, 'utf8'), SAFE);
  });

  // Reproduction: the atomic rename replaced a hard-linked Dockerfile by a new file, detaching the link.
  it('keeps hard links (the fixed content under every name), and the mode', () => {
    const p = put('Dockerfile', BEFORE);
    chmodSync(p, 0o640);
    const other = path.join(dir, 'Dockerfile.link');
    linkSync(p, other);
    assert.equal(runCli(['fix', 'Dockerfile'], { cwd: dir }).status, 0);
    assert.equal(readFileSync(other, 'utf8'), SAFE);
    assert.equal(statSync(p).ino, statSync(other).ino);
    assert.equal(statSync(p).nlink, 2);
    assert.equal(statSync(p).mode & 0o777, 0o640);
    assert.deepEqual(readdirSync(dir).sort(), ['Dockerfile', 'Dockerfile.link'], 'no temporary file is left behind');
  });

  it('keeps an executable mode through the atomic rename', () => {
    const p = put('Dockerfile', BEFORE);
    chmodSync(p, 0o751);
    assert.equal(runCli(['fix', 'Dockerfile'], { cwd: dir }).status, 0);
    assert.equal(statSync(p).mode & 0o777, 0o751);
    assert.equal(readFileSync(p, 'utf8'), SAFE);
  });

  // Reported: the summary glued to the last diff line (`+USER appuser1 file would change`).
  it('--dry-run ends each diff with a line break, so the summary starts a line of its own', () => {
    for (const [name, text] of [
      ['a', BEFORE],
      ['b', BEFORE.trimEnd()],
      ['c', BEFORE.replace(/\n/g, '\r\n').trimEnd()],
    ]) {
      put(`${name}/Dockerfile`, text);
    }
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" fix --dry-run --unsafe a/Dockerfile b/Dockerfile c/Dockerfile 2>&1`], {
      cwd: dir,
      encoding: 'utf8',
    });
    const lines = r.stdout.split('\n');
    assert.match(lines[lines.length - 2], /^3 files would change, \d+ fixes/, r.stdout);
    assert.equal(lines.filter((l) => /would change/.test(l)).length, 1, r.stdout);
  });

  it('reads the project config like lint: its problems are reported, and it exits 2', () => {
    put('.dockerfile-hardener.yaml', 'rules:\n  apk-cache: loud\n  go-build-unstripped: off\n');
    const p = put('Dockerfile', BEFORE);
    const r = runCli(['fix', 'Dockerfile'], { cwd: dir });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /\.dockerfile-hardener\.yaml:2:14: error: rule "apk-cache"/);
    assert.ok(!readFileSync(p, 'utf8').includes('-ldflags'), 'go-build-unstripped is off: not fixed');
    assert.ok(readFileSync(p, 'utf8').includes('apk add --no-cache'), 'the rest of the config and the fixes still apply');
  });

  it('rejects bad usage with exit status 2', () => {
    for (const args of [['fix'], ['fix', '--bogus', 'x'], ['fix', '-']]) {
      const r = runCli(args, { cwd: dir });
      assert.equal(r.status, 2, JSON.stringify(args));
      assert.match(r.stderr, /dockerfile-hardener: /);
    }
  });
});
