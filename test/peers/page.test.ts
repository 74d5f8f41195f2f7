/** docs/peers.md says where each peer rule went, as the rules' metadata and the peers' cases have it now. */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { requireCorpus } from '../support/corpus';
import { DECISIONS, pageTable, peersTable } from '../support/peersPage';
import { rules } from '../../server/src/rules';

describe('the Peers page', function () {
  this.timeout(60_000);

  it('lists every hadolint rule and BuildKit check of the peers’ cases, with its rule here and the agreement', function () {
    requireCorpus(this, 'peers');
    const table = peersTable();
    // The malformed record (`FROM scratch\nDL3045` in its rule field) counts as DL3045.
    assert.match(table, /^\| DL3045 \| \d+ \|/m);
    assert.doesNotMatch(table, /FROM scratch/);
    assert.equal(pageTable(), table, 'docs/peers.md is stale: run npx tsx test/support/peersPage.ts');
    // The README states the same coverage.
    const [, h, ht, b, bt] = /hadolint: (\d+) of (\d+) DL rules have a rule here; BuildKit: (\d+) of (\d+) checks/.exec(table)!;
    const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8').replace(/\s+/g, ' ');
    const line = `${h} of hadolint's ${ht} DL rules and ${b} of BuildKit's ${bt} checks have a rule here`;
    assert.ok(readme.includes(line), `README.md should say: ${line}`);
  });

  it('gives a reason for each peer rule with no rule here, and none for one that has a rule', () => {
    for (const code of Object.keys(DECISIONS)) {
      const homed = rules.some((r) => r.equivalents.hadolint?.includes(code) || r.equivalents.buildkit?.includes(code));
      assert.ok(!homed, `${code} has a rule here now: drop its decision`);
      assert.ok(DECISIONS[code].length > 20, `${code}: say why`);
    }
  });
});
