/**
 * The table of docs/peers.md: every hadolint DL rule and every BuildKit check in the peers' own test
 * suites (../shared/corpus/peers), with the rule(s) here that stand for it (their `equivalents`) and
 * the agreement on the peer's cases, or that none does yet. test/peers/page.test.ts checks that the
 * page says what this computes;
 *
 *   npx tsx test/support/peersPage.ts      rewrites the table in docs/peers.md
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { rules } from '../../server/src/rules';
import { buildkitVerdicts, hadolintVerdicts, type Verdict } from '../peers/peers';
import { CORPUS } from './corpus';

export const PAGE = path.resolve(__dirname, '../../docs/peers.md');
const START = '<!-- peers:start -->';
const END = '<!-- peers:end -->';

/**
 * The rule codes of a peer's cases, with how many cases each has. One hadolint record's rule field
 * holds the Dockerfile's first line before the code (`FROM scratch\nDL3045`): its code is read from
 * the end of the field.
 */
function caseCounts(dir: string, files: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of files) {
    for (const line of readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean)) {
      const raw = String((JSON.parse(line) as { rule: unknown }).rule);
      const code = /(DL\d{4}|[A-Za-z]+)\s*$/.exec(raw)?.[1] ?? raw;
      counts.set(code, (counts.get(code) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * Peer rules that deliberately have no rule here, with the reason (the page's "not here" rows). A code
 * listed here that a rule takes up later fails test/peers/page.test.ts: the list stays true.
 */
export const DECISIONS: Record<string, string> = {};

function rows(peer: 'hadolint' | 'buildkit', counts: Map<string, number>, verdicts: Verdict[]): string[] {
  const out = [`| ${peer === 'hadolint' ? 'hadolint rule' : 'BuildKit check'} | Cases | Here | Agreement |`, '| --- | ---: | --- | ---: |'];
  for (const code of [...counts.keys()].sort()) {
    const here = rules.filter((r) => r.equivalents[peer]?.includes(code)).map((r) => `[${r.id}](rules/${r.id}.md)`);
    const v = verdicts.filter((x) => x.peer === peer && x.code === code);
    const agree = v.filter((x) => x.expected === x.actual).length;
    const none = DECISIONS[code] ? `not here: ${DECISIONS[code]}` : 'none yet';
    out.push(`| ${code} | ${counts.get(code)} | ${here.join(', ') || none} | ${here.length ? `${agree} of ${v.length}` : ''} |`);
  }
  return out;
}

/** The table, and the coverage figures above it. */
export function peersTable(corpus = CORPUS): string {
  const dir = path.join(corpus, 'peers');
  const hadolint = caseCounts(dir, ['hadolint-cases.jsonl', 'hadolint-cases-extra.jsonl']);
  const buildkit = caseCounts(dir, ['buildkit-cases.jsonl']);
  const verdicts = [...hadolintVerdicts(dir), ...buildkitVerdicts(dir)];
  const homed = (peer: 'hadolint' | 'buildkit', codes: Map<string, number>) =>
    [...codes.keys()].filter((c) => rules.some((r) => r.equivalents[peer]?.includes(c))).length;
  return [
    `hadolint: ${homed('hadolint', hadolint)} of ${hadolint.size} DL rules have a rule here; BuildKit: ${homed('buildkit', buildkit)} of ${buildkit.size} checks.`,
    '',
    ...rows('hadolint', hadolint, verdicts),
    '',
    ...rows('buildkit', buildkit, verdicts),
  ].join('\n');
}

/** The page's current table (between its markers). */
export function pageTable(): string {
  const page = readFileSync(PAGE, 'utf8');
  return page.slice(page.indexOf(START) + START.length, page.indexOf(END)).trim();
}

if (require.main === module) {
  const page = readFileSync(PAGE, 'utf8');
  const next = `${page.slice(0, page.indexOf(START) + START.length)}\n${peersTable()}\n${page.slice(page.indexOf(END))}`;
  writeFileSync(PAGE, next);
  console.log(`docs/peers.md: ${peersTable().split('\n')[0]}`);
}
