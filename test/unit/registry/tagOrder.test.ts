/**
 * The order tag completion offers tags in (server/src/registry/tagOrder.ts): newest versions first,
 * variants after their version, words, then hashes and signature tags.
 */
import * as assert from 'node:assert/strict';
import { compareTags, sortTags } from '../../../server/src/registry/tagOrder';

describe('tag order', () => {
  it('compares versions numerically, part by part, more parts first on a tie', () => {
    assert.deepEqual(sortTags(['1.9', '1.26', '1.10', '1.26.1', '1', '2', '1.26.0']), [
      '2',
      '1.26.1',
      '1.26.0',
      '1.26',
      '1.10',
      '1.9',
      '1',
    ]);
  });

  it('groups variants after their version, by family, newest first within a family', () => {
    assert.deepEqual(
      sortTags(['1.26-bookworm', '1.26', '1.26-alpine3.20', '1.26.1-alpine', '1.26-alpine3.21', '1.26.1', '1.26-alpine', '1.9-alpine']),
      ['1.26.1', '1.26.1-alpine', '1.26', '1.26-alpine', '1.26-alpine3.21', '1.26-alpine3.20', '1.26-bookworm', '1.9-alpine'],
    );
  });

  it('puts a release before its pre-releases, and reads a v prefix as a version', () => {
    assert.deepEqual(sortTags(['3.13rc1', '3.12', '3.13', '3.13rc2', 'v3.14.0']), ['v3.14.0', '3.13', '3.13rc2', '3.13rc1', '3.12']);
  });

  it('puts words after versions (latest first), then commit hashes and signature tags', () => {
    const sig = `sha256-${'ab'.repeat(32)}.sig`;
    assert.deepEqual(sortTags([sig, 'edge', '3f2a9c1', 'latest', '1.0', 'bookworm', 'sha-deadbeef', 'stable']), [
      '1.0',
      'latest',
      'bookworm',
      'edge',
      'stable',
      '3f2a9c1',
      'sha-deadbeef',
      sig,
    ]);
  });

  it('is a total order: antisymmetric and the same whatever the input order', () => {
    const tags = ['latest', '1.26', '1.26-alpine', 'v1.26', '1.26rc1', 'edge', '20240101', 'abc1234', '0.1', '1.26.1-slim'];
    for (const a of tags) for (const b of tags) assert.equal(Math.sign(compareTags(a, b)), -Math.sign(compareTags(b, a)) || 0, `${a} ${b}`);
    assert.deepEqual(sortTags([...tags].reverse()), sortTags(tags));
  });
});
