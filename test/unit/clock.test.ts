import { strict as assert } from 'node:assert';
import { todayOf } from '../../server/src/engine/clock';

describe('clock (todayOf)', () => {
  it('takes the lint option first, then DOCKERFILE_HARDENER_TODAY, then the machine clock', () => {
    assert.equal(todayOf({ today: '2025-01-31' }, { DOCKERFILE_HARDENER_TODAY: '2030-05-01' }), '2025-01-31');
    assert.equal(todayOf({}, { DOCKERFILE_HARDENER_TODAY: '2030-05-01' }), '2030-05-01');
    assert.equal(todayOf({}, {}), new Date().toISOString().slice(0, 10));
  });

  it('ignores what is not a real date', () => {
    for (const bad of ['2025-02-30', '2025-13-01', 'tomorrow', '2025-1-1', ''])
      assert.equal(todayOf({ today: bad }, { DOCKERFILE_HARDENER_TODAY: '2030-05-01' }), '2030-05-01', bad);
  });

  it('is fixed for the test suite (test/support/clock.ts)', () => {
    assert.equal(todayOf({}), '2026-12-07');
  });
});
