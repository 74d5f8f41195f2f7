/**
 * The peers' cases a rule here disagrees with, for the codes given (a tool for writing a rule: the
 * agreement test is the check).
 *
 *   npx tsx test/support/peerDiff.ts DL3008 UndefinedVar …
 */
import * as path from 'node:path';
import { buildkitVerdicts, hadolintVerdicts } from '../peers/peers';
import { CORPUS } from './corpus';

if (require.main === module) {
  const codes = new Set(process.argv.slice(2));
  const dir = path.join(CORPUS, 'peers');
  const verdicts = [...hadolintVerdicts(dir), ...buildkitVerdicts(dir)].filter((v) => codes.size === 0 || codes.has(v.code));
  const wrong = verdicts.filter((v) => v.expected !== v.actual);
  for (const v of wrong) console.log(`--- ${v.key}: expected ${v.expected}, got ${v.actual}\n${v.dockerfile}`);
  console.log(`${verdicts.length - wrong.length} of ${verdicts.length} agree`);
}
