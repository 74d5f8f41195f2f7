/** `dockerfile-hardener convert FILE [--write]`: prints or writes the result; refuses with exit 2. */
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runCli } from '../support/cli';
import { convertToScratch } from '../../server/src/convert/convert';
import { fileBuildContext } from '../../server/src/engine/buildContext';

const SINGLE = 'FROM golang:1.26\nWORKDIR /src\nCOPY . .\nRUN go build -o app .\nCMD ["./app"]\n';

describe('CLI convert', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'dh-convert-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the converted file and leaves the file alone, carrying the run-time files of its build context', () => {
    writeFileSync(path.join(dir, 'Dockerfile'), SINGLE);
    writeFileSync(path.join(dir, 'main.go'), 'package main\n');
    writeFileSync(path.join(dir, 'app.env'), 'PORT=8080\n');
    const r = runCli(['convert', 'Dockerfile'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /\nCOPY --from=builder \/src\/app\.env \/src\/app\.env\nWORKDIR \/src\n/);
    assert.match(r.stderr, /note: the scratch stage also gets the files the program may read at run time: app\.env/);
    const expected = convertToScratch(SINGLE, { buildContext: fileBuildContext(path.join(dir, 'Dockerfile')) });
    assert.ok(expected.ok);
    assert.equal(r.stdout, expected.text);
    assert.equal(readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), SINGLE);
  });

  it('--write replaces the file', () => {
    writeFileSync(path.join(dir, 'Dockerfile'), SINGLE);
    const r = runCli(['convert', '--write', 'Dockerfile'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), /\nFROM scratch\n/);
    assert.match(r.stderr, /converted to a multi-stage build shipping \/app in scratch as appuser/);
  });

  it('refuses with the reason on stderr, exit 2, the file untouched', () => {
    const node = 'FROM node:22\nCOPY . .\nCMD ["node", "server.js"]\n';
    writeFileSync(path.join(dir, 'Dockerfile'), node);
    const r = runCli(['convert', '--write', 'Dockerfile'], { cwd: dir });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cannot convert Dockerfile: this is a Node\.js program/);
    assert.equal(r.stdout, '');
    assert.equal(readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), node);
  });

  it('usage errors exit 2', () => {
    for (const args of [['convert'], ['convert', 'a', 'b'], ['convert', '--bogus', 'a'], ['convert', '--write', '-']]) {
      assert.equal(runCli(args, { cwd: dir }).status, 2, JSON.stringify(args));
    }
    assert.equal(runCli(['convert', 'missing'], { cwd: dir }).status, 2);
  });
});
