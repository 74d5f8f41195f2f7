/**
 * `dockerfile-hardener format`: formats files in place (atomically, keeping the mode and the line
 * breaks), prints the files it changed; --check writes nothing and exits 1 when a file would change.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync, statSync, chmodSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runCli } from '../support/cli';

const MESSY = 'from alpine:3.23 as base\nrun   apk add --no-cache \\\ncurl  \nRUN <<EOF\n  keep  \nEOF\nCOPY a b';
const TIDY = 'FROM alpine:3.23 AS base\nRUN apk add --no-cache \\\n    curl\nRUN <<EOF\n  keep  \nEOF\nCOPY a b\n';

describe('CLI format', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'dh-format-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const put = (rel: string, text: string) => {
    const p = path.join(dir, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
    return p;
  };

  it('formats the files in place and prints the ones it changed', () => {
    const messy = put('Dockerfile', MESSY);
    chmodSync(messy, 0o640);
    const tidy = put('svc/Dockerfile', TIDY);
    const r = runCli(['format', '.'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(messy, 'utf8'), TIDY);
    assert.equal(readFileSync(tidy, 'utf8'), TIDY);
    assert.equal(r.stdout, 'Dockerfile\n');
    assert.match(r.stderr, /1 file formatted, 1 file already formatted/);
    assert.equal(statSync(messy).mode & 0o777, 0o640, 'the mode is kept');
    assert.deepEqual(readdirSync(dir).sort(), ['Dockerfile', 'svc'], 'no temporary file is left behind');
    const again = runCli(['format', '--check', '.'], { cwd: dir });
    assert.equal(again.status, 0, again.stderr);
    assert.equal(again.stdout, '');
  });

  it('keeps CRLF line breaks', () => {
    const p = put('Dockerfile', MESSY.replace(/\n/g, '\r\n'));
    assert.equal(runCli(['format', p]).status, 0);
    assert.equal(readFileSync(p, 'utf8'), TIDY.replace(/\n/g, '\r\n'));
  });

  it('--check writes nothing, lists the files that would change and exits 1', () => {
    const p = put('Dockerfile', MESSY);
    put('ok/Dockerfile', TIDY);
    const r = runCli(['format', '--check', 'Dockerfile', 'ok/Dockerfile'], { cwd: dir });
    assert.equal(r.status, 1);
    assert.equal(r.stdout, 'Dockerfile\n');
    assert.match(r.stderr, /1 file would be formatted, 1 file already formatted/);
    assert.equal(readFileSync(p, 'utf8'), MESSY);
  });

  it('exits 2 on a missing file or a usage error', () => {
    assert.equal(runCli(['format', path.join(dir, 'nope')]).status, 2);
    assert.equal(runCli(['format']).status, 2);
    assert.equal(runCli(['format', '-'], { input: MESSY }).status, 2);
    assert.equal(runCli(['format', '--write', 'x']).status, 2);
  });

  it('is listed in the usage', () => {
    assert.match(runCli(['--help']).stdout, /dockerfile-hardener format \[--check\] PATH/);
  });
});
