/**
 * The root-user figures in docs/precision.md stay true: every verdict judged by hand there is what
 * the tool says of that file today (a change to the rule that changes a verdict fails here, and the
 * file is judged again: `npx tsx test/support/precision.ts` lists them), and the figures the page
 * states are counted from the table.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { requireCorpus } from '../support/corpus';
import { readTable, verdictOf } from '../support/precision';

describe('root-user precision on the real-world corpus (docs/precision.md)', function () {
  this.timeout(60_000);
  let dir: string;
  before(function () {
    dir = requireCorpus(this, 'realworld');
  });

  it('every judged verdict is what the tool says today', () => {
    const stale = readTable()
      .map((j) => ({ j, now: verdictOf(readFileSync(path.join(dir, j.file), 'utf8'), j.path) }))
      .filter(({ j, now }) => now !== j.verdict)
      .map(({ j, now }) => `${j.file}\n  judged: ${j.verdict}\n  now:    ${now}`);
    assert.deepEqual(stale, [], 'judge these again (npx tsx test/support/precision.ts)');
  });

  it('the page states the figures the table counts', () => {
    const table = readTable();
    const count = (rows: typeof table) => {
      const right = rows.filter((r) => r.judgement === 'right').length;
      return `${right} of ${rows.length} right (${((100 * right) / rows.length).toFixed(1)}%)`;
    };
    const page = readFileSync(path.resolve(__dirname, '../../docs/precision.md'), 'utf8');
    for (const [what, rows] of [
      ['all', table],
      ['changed', table.filter((r) => r.kind === 'changed')],
      ['sample', table.filter((r) => r.kind === 'sample')],
    ] as const) {
      const line = `${what}: ${count(rows)}`;
      assert.ok(page.includes(line), `docs/precision.md should say: ${line}`);
    }
  });
});
