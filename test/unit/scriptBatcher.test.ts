import * as assert from 'node:assert/strict';
import { ScriptBatcher } from '../../server/src/lsp/scriptChecks';
import type { ScriptJob } from '../../server/src/shellcheck/scripts';
import type { ShellCheckComment } from '../../server/src/shellcheck/run';

/**
 * The editor's ShellCheck requests, batched (server/src/lsp/scriptChecks.ts). The run here stands in
 * for the shellcheck process (its own tests run the real one: test/unit/shellcheck/run.test.ts): it
 * answers each document with a comment naming it, so that every answer can be traced.
 */
describe('ShellCheck requests batched in the editor', () => {
  const job = (name: string) => ({ name }) as unknown as ScriptJob;
  const comment = (name: string) => ({ code: 1, message: name }) as unknown as ShellCheckComment;
  function batcher(options: { fail?: boolean; failOn?: string; hold?: Promise<void> } = {}) {
    const runs: { names: string[]; signal: AbortSignal }[] = [];
    const b = new ScriptBatcher(async (documents, signal) => {
      const names = documents.map((d) => (d[0] as unknown as { name: string }).name);
      runs.push({ names, signal });
      await options.hold;
      if (options.fail || (options.failOn && names.includes(options.failOn))) throw new Error('shellcheck broke');
      return names.map((n) => [comment(n)]);
    });
    return { b, runs };
  }
  const names = (cs: ShellCheckComment[] | undefined) => cs?.map((c) => c.message);

  it('requests made in one turn are one run, and each gets its own comments', async () => {
    const { b, runs } = batcher();
    const signal = new AbortController().signal;
    const answers = await Promise.all(['a', 'b', 'c'].map((n) => b.check([job(n)], signal)));
    assert.deepEqual(answers.map(names), [['a'], ['b'], ['c']]);
    assert.deepEqual(
      runs.map((r) => r.names),
      [['a', 'b', 'c']],
    );
  });

  it('requests made while a run is on wait, and go together in the next run', async () => {
    let release!: () => void;
    const { b, runs } = batcher({ hold: new Promise<void>((r) => (release = r)) });
    const signal = new AbortController().signal;
    const first = b.check([job('a')], signal);
    await new Promise((r) => setImmediate(r));
    const later = [b.check([job('b')], signal), b.check([job('c')], signal)];
    release();
    assert.deepEqual(names(await first), ['a']);
    assert.deepEqual((await Promise.all(later)).map(names), [['b'], ['c']]);
    assert.deepEqual(
      runs.map((r) => r.names),
      [['a'], ['b', 'c']],
    );
  });

  it('a request cancelled before its run is left out; the run stops only when all its parts are cancelled', async () => {
    let release!: () => void;
    const { b, runs } = batcher({ hold: new Promise<void>((r) => (release = r)) });
    const gone = new AbortController();
    const one = new AbortController();
    const two = new AbortController();
    const left = b.check([job('gone')], gone.signal);
    gone.abort();
    const a = b.check([job('a')], one.signal);
    const c = b.check([job('c')], two.signal);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(runs[0].names, ['a', 'c']);
    one.abort();
    assert.equal(runs[0].signal.aborted, false, 'one part is still wanted');
    two.abort();
    assert.equal(runs[0].signal.aborted, true);
    release();
    assert.equal(await left, undefined);
    assert.equal(await a, undefined);
    assert.equal(await c, undefined);
  });

  it('a run that fails: each of its documents is run again alone, so that only the one that fails loses its comments', async () => {
    const one = batcher({ failOn: 'bad' });
    const signal = new AbortController().signal;
    const results = await Promise.allSettled(['a', 'bad', 'c'].map((n) => one.b.check([job(n)], signal)));
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? names(r.value) : 'rejected')),
      [['a'], 'rejected', ['c']],
    );
    assert.deepEqual(
      one.runs.map((r) => r.names),
      [['a', 'bad', 'c'], ['a'], ['bad'], ['c']],
    );
    // Every run failing: each request fails, and the next run still happens.
    const failing = batcher({ fail: true });
    const all = await Promise.allSettled([failing.b.check([job('a')], signal), failing.b.check([job('b')], signal)]);
    assert.deepEqual(
      all.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    await assert.rejects(failing.b.check([job('c')], signal), /shellcheck broke/);
  });
});
