/**
 * The build context as the CLI and the server read it from disk (engine/buildContext.ts): files next
 * to the Dockerfile and in the directories above it up to the repository's root, nothing outside,
 * nothing large.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileBuildContext, pathInRepository } from '../../server/src/engine/buildContext';

describe('the build context on disk', () => {
  let dir: string;
  const put = (rel: string, text: string) => {
    const p = path.join(dir, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
  };
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dh-context-'));
    put('repo/.git/HEAD', 'ref: refs/heads/main\n');
    put('repo/docker/Dockerfile', 'FROM scratch\n');
    put('repo/docker/entrypoint.sh', '#!/bin/sh\n');
    put('repo/scripts/start.sh', '#!/bin/sh\nexec app\n');
    put('secret.txt', 'outside the repository\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads next to the Dockerfile first, then up to the repository root', () => {
    const c = fileBuildContext(path.join(dir, 'repo/docker/Dockerfile'));
    assert.equal(c.readFile('entrypoint.sh'), '#!/bin/sh\n');
    assert.equal(c.readFile('./scripts/start.sh'), '#!/bin/sh\nexec app\n');
    assert.equal(c.exists('scripts'), true);
    assert.equal(c.exists('nope.sh'), false);
    assert.equal(c.readFile('nope.sh'), undefined);
  });

  it('never leaves the repository: no .., no absolute path, no symbolic link out, no directory read as a file', () => {
    symlinkSync(path.join(dir, 'secret.txt'), path.join(dir, 'repo/docker/link.txt'));
    const c = fileBuildContext(path.join(dir, 'repo/docker/Dockerfile'));
    assert.equal(c.readFile('../../secret.txt'), undefined);
    assert.equal(c.readFile(path.join(dir, 'secret.txt')), undefined);
    assert.equal(c.readFile('link.txt'), undefined);
    assert.equal(c.exists('link.txt'), false);
    assert.equal(c.readFile('scripts'), undefined);
  });

  it('reads at most 256 KB of a file', () => {
    put('repo/docker/big.sh', 'x'.repeat(256 * 1024 + 1));
    put('repo/docker/fits.sh', 'x'.repeat(256 * 1024));
    const c = fileBuildContext(path.join(dir, 'repo/docker/Dockerfile'));
    assert.equal(c.readFile('big.sh'), undefined);
    assert.equal(c.readFile('fits.sh')?.length, 256 * 1024);
  });

  it('outside a repository, only the directory of the Dockerfile: never the directories above it', () => {
    put('loose/a/b/Dockerfile', 'FROM scratch\n');
    put('loose/a/up.sh', '#!/bin/sh\n');
    const c = fileBuildContext(path.join(dir, 'loose/a/b/Dockerfile'));
    assert.equal(c.readFile('up.sh'), undefined);
    assert.equal(c.exists('secret.txt'), false);
  });

  it('a path through a file is no file, not an error', () => {
    const c = fileBuildContext(path.join(dir, 'repo/docker/Dockerfile'));
    assert.equal(c.exists('entrypoint.sh/entrypoint.sh'), false);
    assert.equal(c.readFile('entrypoint.sh/x'), undefined);
  });

  it('names a Dockerfile by its path in its repository, else by its directory and name', () => {
    assert.equal(pathInRepository(path.join(dir, 'repo/docker/Dockerfile')), 'docker/Dockerfile');
    put('loose/a/b/Dockerfile', 'FROM scratch\n');
    assert.equal(pathInRepository(path.join(dir, 'loose/a/b/Dockerfile')), 'b/Dockerfile');
  });

  it('a Dockerfile in a directory that does not exist has an empty context, and a name', () => {
    const gone = path.join(dir, 'nowhere/app/Dockerfile');
    assert.equal(fileBuildContext(gone).exists('x'), false);
    assert.equal(pathInRepository(gone), 'app/Dockerfile');
  });
});
