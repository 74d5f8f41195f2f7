/**
 * The rule registry checks itself: a rule file that `server/src/rules/index.ts` leaves out would
 * never run, be documented or be configurable, and nothing else would notice. Each step of the
 * README's "Adding a rule" section is asserted here, so that the section stays true.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { rules } from '../../server/src/rules';
import type { Rule } from '../../server/src/engine/rule';

const ROOT = path.resolve(__dirname, '../..');
const RULES_DIR = path.join(ROOT, 'server/src/rules');
const ruleFiles = readdirSync(RULES_DIR)
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

describe('the rule registry', () => {
  it('registers every file of server/src/rules, each once, under its file name', () => {
    const registered = rules.map((r) => r.id);
    assert.deepEqual([...registered].sort(), ruleFiles, 'server/src/rules/index.ts must list exactly the rule files');
    assert.equal(new Set(registered).size, registered.length, 'a rule is listed twice');
    for (const id of ruleFiles) {
      // The module's default export is the very object the registry holds.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- each rule file by its path
      const mod = require(path.join(RULES_DIR, id)) as { default: Rule };
      assert.equal(mod.default?.id, id, `server/src/rules/${id}.ts exports a rule whose id is not its file name`);
      assert.ok(rules.includes(mod.default), `server/src/rules/${id}.ts is not the module index.ts registers`);
    }
  });

  it('has a test file for every rule (test/unit/rules/<id>.test.ts) and none for a rule that is gone', () => {
    const tests = readdirSync(path.join(ROOT, 'test/unit/rules'))
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => f.replace(/\.test\.ts$/, ''))
      .sort();
    assert.deepEqual(tests, ruleFiles);
  });

  it('has generated docs for every rule (docs/rules/<id>.md; npm run generate writes them)', () => {
    for (const id of ruleFiles) assert.ok(existsSync(path.join(ROOT, 'docs/rules', `${id}.md`)), `docs/rules/${id}.md is missing`);
  });

  it('keeps no hand-written list of rule ids beside the registry (CHANGELOG, README prose)', () => {
    // Three or more ids in a row, comma-separated, is a hand-kept list that will drift.
    const ids = rules.map((r) => r.id.replace(/-/g, '\\-')).join('|');
    const id = `\`?(?:${ids})\`?`;
    const list = new RegExp(`(?:${id},\\s*){2,}${id}`);
    for (const file of ['CHANGELOG.md', 'README.md']) {
      const text = readFileSync(path.join(ROOT, file), 'utf8').replace(/<!-- rules:start -->[\s\S]*<!-- rules:end -->/, '');
      assert.doesNotMatch(text, list, `${file} lists rule ids by hand`);
    }
  });

  it('README describes adding a rule as the steps these tests check', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = /### Adding a rule\n([\s\S]*?)(\n#|$)/.exec(readme)?.[1];
    assert.ok(section, 'README.md has an "Adding a rule" section');
    for (const step of ['server/src/rules/<id>.ts', 'server/src/rules/index.ts', 'test/unit/rules/<id>.test.ts', 'npm run generate']) {
      assert.ok(section.includes(step), `the "Adding a rule" section names ${step}`);
    }
  });
});
