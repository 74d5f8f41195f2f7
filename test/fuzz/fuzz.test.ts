/**
 * Fuzzing with a bounded budget (bench/fuzz.ts runs 100,000 inputs): mutated real-world files,
 * Dockerfile-like piece soup, and arbitrary UTF-16 (lone surrogates, NULs, BOMs). Any failure prints
 * fast-check's seed and the shrunk input.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { check, pieceText, anyText, mutated } from './properties';
import { CORPUS } from '../support/corpus';
import { existsSync } from 'node:fs';

// CI spends about a minute here (30,000 inputs); a developer's `npm test` a second. FUZZ_RUNS overrides.
const RUNS = Number(process.env.FUZZ_RUNS ?? (process.env.CI ? 10_000 : 300));
// CI draws the same inputs every run, so that its verdict is the commit's and not the draw's; a
// developer's run draws new ones each time, and `npm run bench:fuzz` explores 100,000 with any seed.
// FUZZ_SEED replays a draw (fast-check prints the seed of a failure).
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : process.env.CI ? 20261207 : undefined;

async function property(arb: fc.Arbitrary<string>): Promise<void> {
  await fc.assert(
    fc.asyncProperty(arb, async (text) => {
      const v = await check(text);
      if (!v.ok) throw new Error(`${v.kind}: ${v.detail}\ninput: ${JSON.stringify(text)}`);
    }),
    { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
  );
}

describe('fuzzing', function () {
  this.timeout(600_000);

  it(`mutated real-world Dockerfiles (${RUNS} inputs)`, async function () {
    const dir = path.join(CORPUS, 'realworld');
    if (!existsSync(dir)) {
      if (process.env.CI) assert.fail(`${dir} is missing under CI`);
      this.skip();
    }
    const seeds = readdirSync(dir)
      .filter((f) => f !== 'MANIFEST.tsv')
      .map((f) => readFileSync(path.join(dir, f), 'utf8'))
      .filter((t) => t.length < 20_000);
    await property(mutated(seeds));
  });

  it(`Dockerfile-like piece soup (${RUNS} inputs)`, async () => {
    await property(pieceText);
  });

  it(`arbitrary UTF-16 text (${RUNS} inputs)`, async () => {
    await property(anyText);
  });
});
