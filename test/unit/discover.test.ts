import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discover } from '../../server/src/cli/files';

/** Discovery of the Dockerfiles under the paths given, on a real directory tree. */
describe('discovery: the Dockerfiles a directory holds', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'dh-discover-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const touch = (...rels: string[]) => {
    for (const rel of rels) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), rel.endsWith('.gitignore') ? '' : 'FROM scratch\n');
    }
  };
  const found = async (...paths: string[]) =>
    (await discover(paths.map((p) => path.join(dir, p)))).files.map((f) => path.relative(dir, f).split(path.sep).join('/'));

  it('files named like Dockerfiles, in name order, outside .git and node_modules', async () => {
    touch(
      'b/Dockerfile',
      'a/app.Dockerfile',
      'a/Containerfile.dev',
      'a/Dockerfile-windows',
      'a/notes.txt',
      'node_modules/x/Dockerfile',
      '.git/Dockerfile',
    );
    assert.deepEqual(await found('.'), ['a/Containerfile.dev', 'a/Dockerfile-windows', 'a/app.Dockerfile', 'b/Dockerfile']);
  });

  it("inside a Git repository, what its .gitignore files exclude is not searched, with Git's rules", async () => {
    mkdirSync(path.join(dir, '.git'));
    touch(
      'build/Dockerfile',
      'src/Dockerfile',
      'src/gen/Dockerfile',
      'src/keep/Dockerfile',
      'deep/a/b/tmp.Dockerfile',
      'deep/a/b/Dockerfile',
    );
    writeFileSync(path.join(dir, '.gitignore'), '# output\nbuild/\n*/gen/\ntmp.*\n');
    // A nested .gitignore excludes more and takes an exclusion back.
    writeFileSync(path.join(dir, 'src', '.gitignore'), 'keep/\n');
    writeFileSync(path.join(dir, 'deep', 'a', '.gitignore'), '!tmp.Dockerfile\n');
    assert.deepEqual(await found('.'), ['deep/a/b/Dockerfile', 'deep/a/b/tmp.Dockerfile', 'src/Dockerfile']);
    // The root's .gitignore applies to a directory below it that is given alone.
    assert.deepEqual(await found('src'), ['src/Dockerfile']);
    // A directory named on the command line is searched even where it is excluded; a file named, linted.
    assert.deepEqual(await found('build'), ['build/Dockerfile']);
    assert.deepEqual(await found('src/gen/Dockerfile'), ['src/gen/Dockerfile']);
  });

  it('repositories inside the walk: each with its own .gitignore files, not those of a directory around it', async () => {
    // A directory that is no repository, holding two; one of them holds a nested repository.
    touch('r1/out/Dockerfile', 'r1/Dockerfile', 'r2/tmp/Dockerfile', 'r2/nested/tmp/Dockerfile', 'r2/nested/out/Dockerfile');
    for (const r of ['r1', 'r2', 'r2/nested']) mkdirSync(path.join(dir, r, '.git'));
    writeFileSync(path.join(dir, 'r1', '.gitignore'), 'out/\n');
    writeFileSync(path.join(dir, 'r2', '.gitignore'), 'tmp/\n');
    writeFileSync(path.join(dir, 'r2', 'nested', '.gitignore'), 'out/\n');
    assert.deepEqual(await found('.'), ['r1/Dockerfile', 'r2/nested/tmp/Dockerfile']);
  });

  it('patterns match with case as Git does on this system', async () => {
    mkdirSync(path.join(dir, '.git'));
    touch('lo/Dockerfile.prod');
    writeFileSync(path.join(dir, '.gitignore'), 'dockerfile.prod\n');
    const insensitive = process.platform === 'win32' || process.platform === 'darwin';
    assert.deepEqual(await found('.'), insensitive ? [] : ['lo/Dockerfile.prod']);
  });

  it('outside a Git repository, .gitignore files do not apply (as in Git)', async () => {
    touch('build/Dockerfile');
    writeFileSync(path.join(dir, '.gitignore'), 'build/\n');
    assert.deepEqual(await found('.'), ['build/Dockerfile']);
  });

  it('a path that is not there is an error; the others are still found', async () => {
    touch('Dockerfile');
    const r = await discover([path.join(dir, 'missing'), dir]);
    assert.deepEqual(r.files, [path.join(dir, 'Dockerfile')]);
    assert.match(r.errors[0], /missing: no such file or directory/);
  });
});
