/** docs/peers.md says where each peer rule went, as the rules' metadata and the peers' cases have it now. */
import * as assert from 'node:assert/strict';
import { requireCorpus } from '../support/corpus';
import { pageTable, peersTable } from '../support/peersPage';

describe('the Peers page', function () {
  this.timeout(60_000);

  it('lists every hadolint rule and BuildKit check of the peers’ cases, with its rule here and the agreement', function () {
    requireCorpus(this, 'peers');
    const table = peersTable();
    // The malformed record (`FROM scratch\nDL3045` in its rule field) counts as DL3045.
    assert.match(table, /^\| DL3045 \| \d+ \|/m);
    assert.doesNotMatch(table, /FROM scratch/);
    assert.equal(pageTable(), table, 'docs/peers.md is stale: run npx tsx test/support/peersPage.ts');
  });
});
