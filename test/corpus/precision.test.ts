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
import { corpusFindings, drawSample, figures, figuresTable, keyOf, readSample } from '../support/sample';

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

describe('per-rule precision on the real-world corpus (docs/precision.md)', function () {
  this.timeout(120_000);
  before(function () {
    requireCorpus(this, 'realworld');
  });

  it('every finding the fixed-seed draw takes today is judged, and the page states the table the judgements give', () => {
    const findings = corpusFindings();
    const judged = new Map(
      readSample()
        .filter((r) => r.judgement)
        .map((r) => [keyOf(r), r]),
    );
    const sample = drawSample(findings);
    const unjudged = sample.filter((r) => !judged.has(keyOf(r))).map((r) => `${r.rule} ${r.file}:${r.line} ${r.message}`);
    assert.deepEqual(unjudged, [], 'judge these (npx tsx test/support/sample.ts writes them to docs/precision/sample.tsv)');
    for (const r of sample) assert.ok(['right', 'wrong', 'arguable'].includes(judged.get(keyOf(r))!.judgement), keyOf(r));
    const page = readFileSync(path.resolve(__dirname, '../../docs/precision.md'), 'utf8');
    const table = figuresTable(
      figures(
        findings,
        sample.map((r) => judged.get(keyOf(r))!),
      ),
    );
    assert.ok(page.includes(table), `docs/precision.md should hold the table:\n${table}`);
  });
});
