/**
 * The shared corpus (real-world Dockerfiles, stress files, peers' test cases) lives beside the
 * checkout in ../shared/corpus. It comes from other projects and is never copied into this one: when
 * it is absent (a user's clone), the tests that need it skip with a message; under CI they fail.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';

export const CORPUS = process.env.DOCKERFILE_HARDENER_CORPUS ?? path.resolve(__dirname, '../../../shared/corpus');

export function requireCorpus(ctx: Mocha.Context, sub: string): string {
  const dir = path.join(CORPUS, sub);
  if (existsSync(dir)) return dir;
  if (process.env.CI) throw new Error(`${dir} is missing, and CI must run the corpus tests`);
  console.log(`      (skipped: ${dir} is not here; the shared corpus sits beside the checkout in CI)`);
  ctx.skip();
}
