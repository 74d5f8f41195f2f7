/**
 * The per-rule precision sample of docs/precision.md: every finding the tool gives on
 * ../shared/corpus/realworld (each file linted under its path in its repository, with every rule on:
 * the ones off by default at their own severity, so that their figures are measured too), drawn at random per rule with a fixed seed, at most PER_RULE per rule (all of a
 * rule's findings where it has fewer). Each drawn finding is judged by hand, by reading the file,
 * in docs/precision/sample.tsv.
 *
 *   npx tsx test/support/sample.ts          writes the sample to docs/precision/sample.tsv, keeping
 *                                           the judgements of findings judged before, and lists those
 *                                           still to judge
 *   npx tsx test/support/sample.ts figures  prints the per-rule table from the judged sample
 */
import './clock';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { lint } from '../../server/src/linter/lint';
import { rules } from '../../server/src/rules';
import { CORPUS } from './corpus';
import { random } from './random';

/** The seed of the draw (the day the sample was first drawn). Changing it draws another sample. */
export const SEED = 20261207;
export const PER_RULE = 8;
export const SAMPLE_TABLE = path.resolve(__dirname, '../../docs/precision/sample.tsv');

const COLUMNS = ['rule', 'file', 'repo', 'path', 'line', 'severity', 'message', 'judgement', 'reason'] as const;
export type SampleRow = Record<(typeof COLUMNS)[number], string>;

/** owner__name__dir__file → owner/name and dir/file. */
export function repoOf(file: string): { repo: string; path: string } {
  const parts = file.split('__');
  return { repo: `${parts[0]}/${parts[1]}`, path: parts.slice(2).join('/') };
}

/** Every rule on: those off by default at their own severity. */
export const ALL_ON = Object.fromEntries(rules.filter((r) => r.enabled === false).map((r) => [r.id, r.severity]));

/** Every finding on the corpus, in file order, with every rule on. */
export function corpusFindings(dir = path.join(CORPUS, 'realworld')): SampleRow[] {
  const rows: SampleRow[] = [];
  for (const file of readdirSync(dir).sort()) {
    const { repo, path: p } = repoOf(file);
    for (const f of lint(readFileSync(path.join(dir, file), 'utf8'), { path: p, rules: ALL_ON }).findings) {
      rows.push({
        rule: f.rule,
        file,
        repo,
        path: p,
        line: String(f.range.start.line + 1),
        severity: f.severity,
        message: f.message,
        judgement: '',
        reason: '',
      });
    }
  }
  return rows;
}

/** A finding's identity: the same rule, file, line and message is the same claim. */
export const keyOf = (r: Pick<SampleRow, 'rule' | 'file' | 'line' | 'message'>): string => `${r.rule}\t${r.file}\t${r.line}\t${r.message}`;

/**
 * A finding's place in the draw: a pseudo-random number from the seed and the finding's rule, file and
 * line (FNV-1a, then mulberry32). Not its message: a rewording keeps a finding's place, and one that
 * a change of the tool removes leaves the others where they were (the next one moves up).
 */
function rank(r: SampleRow): number {
  let h = SEED ^ 0x811c9dc5;
  for (const ch of `${r.rule}\t${r.file}\t${r.line}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return random(h)();
}

/** PER_RULE findings of each rule: those of lowest rank (all of them where a rule has fewer). */
export function drawSample(findings: SampleRow[]): SampleRow[] {
  const out: SampleRow[] = [];
  for (const rule of rules.map((r) => r.id).sort()) {
    const mine = findings.filter((f) => f.rule === rule).map((f) => ({ f, k: rank(f) }));
    mine.sort((a, b) => a.k - b.k || keyOf(a.f).localeCompare(keyOf(b.f)));
    out.push(...mine.slice(0, PER_RULE).map((m) => m.f));
  }
  return out;
}

export function readSample(file = SAMPLE_TABLE): SampleRow[] {
  if (!existsSync(file)) return [];
  const [header, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
  const cols = header.split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v])) as SampleRow);
}

/**
 * Every judgement made so far: the sample's, and those of earlier rounds (docs/precision/
 * sample-round*.tsv, kept as they were judged). A finding judged once keeps its judgement while the
 * tool says exactly the same of the same line.
 */
export function judgedPool(): Map<string, SampleRow> {
  const dir = path.dirname(SAMPLE_TABLE);
  const files = [
    ...readdirSync(dir)
      .filter((f) => /^sample-round\d+\.tsv$/.test(f))
      .sort()
      .map((f) => path.join(dir, f)),
    SAMPLE_TABLE,
  ];
  const pool = new Map<string, SampleRow>();
  for (const f of files) for (const r of readSample(f)) if (r.judgement) pool.set(keyOf(r), r);
  return pool;
}

export function writeSample(rows: SampleRow[], file = SAMPLE_TABLE): void {
  const clean = (v: string) => v.replace(/[\t\n]/g, ' ');
  writeFileSync(file, [COLUMNS.join('\t'), ...rows.map((r) => COLUMNS.map((c) => clean(r[c] ?? '')).join('\t'))].join('\n') + '\n');
}

export interface RuleFigures {
  rule: string;
  findings: number;
  judged: number;
  right: number;
  wrong: number;
  arguable: number;
}

/** Per rule: findings on the corpus, and the judgements of its sample. */
export function figures(findings: SampleRow[], judged: SampleRow[]): RuleFigures[] {
  return rules
    .map((r) => r.id)
    .sort()
    .map((rule) => {
      const mine = judged.filter((j) => j.rule === rule);
      const n = (k: string) => mine.filter((j) => j.judgement === k).length;
      return {
        rule,
        findings: findings.filter((f) => f.rule === rule).length,
        judged: mine.length,
        right: n('right'),
        wrong: n('wrong'),
        arguable: n('arguable'),
      };
    });
}

export const percent = (right: number, wrong: number): string => (right + wrong ? `${((100 * right) / (right + wrong)).toFixed(1)}%` : '—');

/** The per-rule table of docs/precision.md. */
export function figuresTable(fig: RuleFigures[]): string {
  const on = (id: string) => rules.find((r) => r.id === id)?.enabled !== false;
  const lines = [
    '| rule | by default | findings on the corpus | judged | right | wrong | arguable | precision |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const f of fig) {
    lines.push(
      f.findings
        ? `| ${f.rule} | ${on(f.rule) ? 'on' : 'off'} | ${f.findings} | ${f.judged} | ${f.right} | ${f.wrong} | ${f.arguable} | ${percent(f.right, f.wrong)} |`
        : `| ${f.rule} | ${on(f.rule) ? 'on' : 'off'} | 0 | — | — | — | — | no finding on the corpus |`,
    );
  }
  const total = (fs: RuleFigures[], label: string) => {
    const t = fs.reduce(
      (a, f) => ({ judged: a.judged + f.judged, right: a.right + f.right, wrong: a.wrong + f.wrong, arguable: a.arguable + f.arguable }),
      { judged: 0, right: 0, wrong: 0, arguable: 0 },
    );
    return `| **${label}** | | ${fs.reduce((a, f) => a + f.findings, 0)} | ${t.judged} | ${t.right} | ${t.wrong} | ${t.arguable} | ${percent(t.right, t.wrong)} |`;
  };
  lines.push(
    total(
      fig.filter((f) => on(f.rule)),
      'the rules on by default',
    ),
    total(fig, 'every rule'),
  );
  return lines.join('\n');
}

if (require.main === module) {
  const findings = corpusFindings();
  const judged = judgedPool();
  const sample = drawSample(findings).map((r) => judged.get(keyOf(r)) ?? r);
  if (process.argv[2] === 'figures') {
    console.log(
      figuresTable(
        figures(
          findings,
          sample.filter((r) => r.judgement),
        ),
      ),
    );
  } else {
    writeSample(sample);
    const todo = sample.filter((r) => !r.judgement);
    for (const r of todo) console.log(`${r.rule}\t${r.file}:${r.line}\t${r.message}`);
    console.log(
      todo.length
        ? `${todo.length} of ${sample.length} sampled findings to judge (${path.relative(process.cwd(), SAMPLE_TABLE)})`
        : `all ${sample.length} sampled findings are judged`,
    );
  }
}
