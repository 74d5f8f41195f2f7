/**
 * The code checks `npm test` runs (`npm run check`: layers, lint, format, unused exports) pass on the
 * tree, and each fails on a violation planted in a copy of it: a check that cannot fail guards
 * nothing. The copy holds the tracked sources and configs, with node_modules linked, so that each
 * check runs exactly as its npm script does.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

function npmRun(cwd: string, script: string): { status: number | null; output: string } {
  const r = spawnSync('npm', ['run', '-s', script], { cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

/** A copy of the tracked files (sources, tests, configs) with node_modules linked. */
function copyOfTree(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'hardener-checks-'));
  const files = spawnSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
  for (const f of files) {
    if (f.startsWith('test/') && /\/fixtures\//.test(f)) continue;
    try {
      cpSync(path.join(ROOT, f), path.join(dir, f));
    } catch {
      // deleted in the working tree but still tracked
    }
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

describe('code checks', function () {
  this.timeout(300_000);
  let tree: string;

  before(function () {
    if (spawnSync('git', ['rev-parse'], { cwd: ROOT }).status !== 0) {
      if (process.env.CI) assert.fail('the code checks need the git checkout');
      this.skip();
    }
    tree = copyOfTree();
  });
  after(() => {
    if (tree) rmSync(tree, { recursive: true, force: true });
  });

  const cases: { script: string; plant: (dir: string) => void; says: RegExp }[] = [
    {
      script: 'check:layers',
      // The model, at the bottom, importing a rule.
      plant: (dir) =>
        appendFileSync(path.join(dir, 'server/src/model/paths.ts'), "\nexport { default as planted } from '../rules/root-user';\n"),
      says: /model-at-the-bottom/,
    },
    {
      script: 'check:lint',
      plant: (dir) =>
        writeFileSync(
          path.join(dir, 'server/src/engine/planted.ts'),
          'export function planted(): number {\n  let x = 1;\n  return x;\n}\n',
        ),
      says: /prefer-const/,
    },
    {
      script: 'check:format',
      plant: (dir) => writeFileSync(path.join(dir, 'server/src/engine/planted.ts'), 'export const planted   =   [1,2,3]\n'),
      says: /planted\.ts/,
    },
    {
      script: 'check:exports',
      plant: (dir) =>
        appendFileSync(path.join(dir, 'server/src/model/paths.ts'), '\nexport function plantedNeverUsed(): number {\n  return 1;\n}\n'),
      says: /plantedNeverUsed/,
    },
  ];

  for (const c of cases) {
    it(`${c.script} passes on the tree and fails on a planted violation`, () => {
      const clean = npmRun(tree, c.script);
      assert.equal(clean.status, 0, `${c.script} fails on the tree itself:\n${clean.output}`);
      const dir = copyOfTree();
      try {
        c.plant(dir);
        const dirty = npmRun(dir, c.script);
        assert.notEqual(dirty.status, 0, `${c.script} passed a planted violation:\n${dirty.output}`);
        assert.match(dirty.output, c.says);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
