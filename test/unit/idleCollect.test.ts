/**
 * The server's idle collection (server/src/lsp/idleCollect.ts): when it collects, how often, and that
 * what it calls is V8's real full collection. How much memory that gives back is a benchmark figure
 * (bench/HISTORY.md), not a test.
 */
import * as assert from 'node:assert/strict';
import { fullCollection, hasSlack, IdleCollector, type HeapSize } from '../../server/src/lsp/idleCollect';

const MB = 1024 * 1024;

/** Timers run by hand, and a heap whose size the collections shrink as scripted. */
function harness(sizes: HeapSize[]) {
  const timers = new Map<number, { run: () => void; ms: number }>();
  let next = 0;
  let heap = sizes[0];
  let collections = 0;
  const collector = new IdleCollector({
    collect: () => {
      collections++;
      heap = sizes[Math.min(collections, sizes.length - 1)];
    },
    idleMs: 2000,
    intervalMs: 1500,
    maxRounds: 3,
    heap: () => heap,
    setTimer: (run, ms) => {
      timers.set(++next, { run, ms });
      return next;
    },
    clearTimer: (t) => timers.delete(t as number),
  });
  return {
    collector,
    /** The heap grows (work happened), as V8 reports it. */
    setHeap: (h: HeapSize) => (heap = h),
    collections: () => collections,
    /** The pending timers' delays. */
    pending: () => [...timers.values()].map((t) => t.ms),
    /** Fires the one pending timer. */
    fire: () => {
      assert.equal(timers.size, 1, 'one timer pending');
      const [id, t] = [...timers.entries()][0];
      timers.delete(id);
      t.run();
    },
  };
}

const grown = { total: 60 * MB, used: 14 * MB };
const tight = { total: 17 * MB, used: 14 * MB };

describe('idle collection', () => {
  it('waits for a quiet spell: new work restarts the wait, and nothing is collected before it ends', () => {
    const h = harness([grown, tight]);
    h.collector.busy();
    h.collector.busy();
    h.collector.busy();
    assert.deepEqual(h.pending(), [2000]);
    assert.equal(h.collections(), 0);
    h.fire();
    assert.equal(h.collections(), 1);
    assert.deepEqual(h.pending(), [], 'the heap is down to what it holds: no more rounds');
  });

  it('collects again while the heap stays much larger than what it holds, at most maxRounds times', () => {
    const h = harness([grown, { total: 50 * MB, used: 14 * MB }, { total: 50 * MB, used: 14 * MB }, { total: 50 * MB, used: 14 * MB }]);
    h.collector.busy();
    h.fire();
    assert.deepEqual(h.pending(), [1500]);
    h.fire();
    h.fire();
    assert.equal(h.collections(), 3);
    assert.deepEqual(h.pending(), [], 'stops after maxRounds');
  });

  it('work during the rounds cancels them and starts the wait again', () => {
    const h = harness([grown, { total: 50 * MB, used: 14 * MB }, tight]);
    h.collector.busy();
    h.fire();
    assert.deepEqual(h.pending(), [1500]);
    h.collector.busy();
    assert.deepEqual(h.pending(), [2000]);
    h.fire();
    assert.equal(h.collections(), 2);
  });

  it('does not collect a heap that has nothing to give back, nor after dispose', () => {
    const quiet = harness([tight]);
    quiet.collector.busy();
    quiet.fire();
    assert.equal(quiet.collections(), 0);
    const disposed = harness([grown]);
    disposed.collector.busy();
    disposed.collector.dispose();
    assert.deepEqual(disposed.pending(), []);
    disposed.collector.busy();
    assert.deepEqual(disposed.pending(), []);
  });

  it('collects once after a heap that grew, even where its used size shows no slack (garbage counts as used until a collection)', () => {
    // The heap grew from 30 to 160 MB and all of it counts as used: one collection finds 20 MB live.
    const burst = harness([
      { total: 30 * MB, used: 20 * MB },
      { total: 60 * MB, used: 20 * MB },
    ]);
    burst.setHeap({ total: 160 * MB, used: 150 * MB });
    burst.collector.busy();
    burst.fire();
    assert.equal(burst.collections(), 1);
    // Memory held outside the heap (Buffers) that grew since: collected; memory that stays held (the
    // HCL parser's WebAssembly), not again at every pause.
    const outside = harness([
      { total: 24 * MB, used: 20 * MB, external: 2 * MB },
      { total: 24 * MB, used: 20 * MB, external: 36 * MB },
    ]);
    outside.setHeap({ total: 24 * MB, used: 20 * MB, external: 36 * MB });
    outside.collector.busy();
    outside.fire();
    assert.equal(outside.collections(), 1);
    outside.collector.busy();
    outside.fire();
    assert.equal(outside.collections(), 1);
  });

  it('counts slack as more than a quarter over what is in use, plus 4 MB', () => {
    assert.equal(hasSlack({ total: 22 * MB, used: 14 * MB }), true);
    assert.equal(hasSlack({ total: 21 * MB, used: 14 * MB }), false);
    assert.equal(hasSlack({ total: 4 * MB, used: 0 }), false);
  });

  it("calls V8's real full collection: an object nothing holds is gone after it", async () => {
    const gc = fullCollection();
    assert.equal(typeof gc, 'function', 'this Node lets the server collect');
    let target: object | undefined = { payload: new Array(1000).fill(1) };
    const ref = new WeakRef(target);
    target = undefined;
    // A WeakRef keeps its target alive until the current job ends.
    await new Promise((resolve) => setImmediate(resolve));
    gc!();
    assert.equal(ref.deref(), undefined);
  });
});
