/**
 * The root-user verdicts judged by hand on ../shared/corpus/realworld (docs/precision.md): what the
 * tool says of a file, as one line, so that a judged line can be compared with what the tool says
 * today. A verdict is the rule and severity and the finding's first sentence (the claim that was
 * judged), or `silent` with the reason the model gives.
 *
 *   npx tsx test/support/precision.ts    lists the corpus files whose verdict differs from the
 *                                        judged one (to judge again), or says that none does
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { lint } from '../../server/src/linter/lint';
import { installedStepDownTool, runtimeOf } from '../../server/src/model/runtime';
import { CORPUS } from './corpus';

export const TABLE = path.resolve(__dirname, '../../docs/precision/root-user.tsv');

export interface Judged {
  file: string;
  repo: string;
  path: string;
  kind: 'changed' | 'sample';
  verdict: string;
  judgement: 'right' | 'wrong' | 'arguable';
  reason: string;
}

export function readTable(): Judged[] {
  const [header, ...lines] = readFileSync(TABLE, 'utf8').trimEnd().split('\n');
  const cols = header.split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v])) as unknown as Judged);
}

/** What the tool says of a corpus file linted under its path in its repository. */
export function verdictOf(text: string, repoPath: string): string {
  const { findings, model } = lint(text, { only: ['root-user', 'root-entrypoint'], path: repoPath });
  const first = (m: string) => m.slice(0, m.search(/\.(\s|$)/) + 1 || m.length);
  const f = findings.find((x) => x.rule === 'root-user') ?? findings.find((x) => x.rule === 'root-entrypoint');
  if (f) return `${f.rule} ${f.severity}: ${first(f.message)}`;
  const s = model.shipped;
  if (!s || !s.isRunnable) return 'silent (no stage that runs)';
  const rt = runtimeOf(s);
  if (rt.role.kind !== 'service') return `silent (${rt.role.kind}: ${rt.role.evidence})`;
  if (rt.user.root === false) return 'silent (runs as a non-root user)';
  if (rt.entry.script?.unreadable && installedStepDownTool(s))
    return `silent (its entrypoint ${rt.entry.script.path} could not be read, and the image installs ${installedStepDownTool(s)})`;
  if (rt.entry.stepDown) return `silent (${rt.entry.stepDown.where} steps down to ${rt.entry.stepDown.user ?? 'a user from a variable'})`;
  return 'silent (the user is not known from the text)';
}

if (require.main === module) {
  const dir = path.join(CORPUS, 'realworld');
  let stale = 0;
  for (const j of readTable()) {
    const now = verdictOf(readFileSync(path.join(dir, j.file), 'utf8'), j.path);
    if (now !== j.verdict) {
      stale++;
      console.log(`${j.file}\n  judged: ${j.verdict} (${j.judgement})\n  now:    ${now}`);
    }
  }
  console.log(stale ? `${stale} verdicts to judge again` : 'every judged verdict is what the tool says today');
}
