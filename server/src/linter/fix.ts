/**
 * Fix all: apply the fixes of a document's findings, pass after pass (lint, apply the fixes whose
 * edits do not touch each other, lint again) until nothing more applies. Safe fixes only, or with
 * `unsafe` also each finding's preferred suggestion. Every pass re-parses the text, so a fix always
 * sees the file as the previous ones left it.
 */
import { lint } from './lint';
import { type Finding, type LintOptions } from '../engine/findings';
import { applyEdits, type Edit } from '../engine/edits';
import type { Fix, FixContext } from '../engine/rule';

export interface AppliedFix {
  rule: string;
  title: string;
  /** 0-based line of the finding in the text the pass saw. */
  line: number;
}

export interface FixAllResult {
  text: string;
  applied: AppliedFix[];
  /** Findings left after the last pass. */
  remaining: Finding[];
  passes: number;
}

export interface FixAllOptions extends LintOptions {
  /** Also apply each finding's preferred suggestion. */
  unsafe?: boolean;
  /** Only these rules' fixes. */
  fixRules?: string[];
  context?: FixContext;
  maxPasses?: number;
}

/**
 * The fix fix-all applies to a finding: with `unsafe`, its preferred fix (safe or not); otherwise its
 * preferred fix if that is safe, else its first safe one. A suggestion that is not preferred (a port
 * remap, say) is never applied without the user picking it.
 */
export function chooseFix(f: Finding, unsafe: boolean): Fix | undefined {
  const fixes = f.fixes ?? [];
  const preferred = fixes.find((x) => x.preferred);
  if (preferred && (unsafe || preferred.kind === 'safe')) return preferred;
  return fixes.find((x) => x.kind === 'safe');
}

function touches(a: { start: number; end: number }[], b: { start: number; end: number }[]): boolean {
  return a.some((x) =>
    b.some((y) => (x.start < y.end && y.start < x.end) || x.start === y.start || x.end === y.end || x.start === y.end || x.end === y.start),
  );
}

function countByRule(findings: Finding[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of findings) m.set(f.rule, (m.get(f.rule) ?? 0) + 1);
  return m;
}

/**
 * A fix is applied only if, on its own, it leaves fewer findings of its rule: in text the model reads
 * only in part (an unterminated quote swallowing what a fix appends), a fix could otherwise repeat
 * forever. Such a fix is skipped; its finding stays for the user to look at.
 */
function removesItsFinding(text: string, f: Finding, edits: Edit[], options: LintOptions, before: Map<string, number>): boolean {
  let after: string;
  try {
    after = applyEdits(text, edits);
  } catch {
    return false; // the fix's own edits overlap: never apply half of it
  }
  const count = lint(after, { ...options, only: [f.rule] }).findings.length;
  return count < (before.get(f.rule) ?? 0);
}

export async function fixAll(text: string, options: FixAllOptions = {}): Promise<FixAllResult> {
  const applied: AppliedFix[] = [];
  const maxPasses = options.maxPasses ?? 10;
  // lint() reads a byte-order mark as a space, so offsets (and edits) are those of `text` itself.
  let current = text;
  let passes = 0;
  for (;;) {
    const { findings } = lint(current, options);
    const before = countByRule(findings);
    if (passes >= maxPasses) return { text: current, applied, remaining: findings, passes };
    const chosen: { finding: Finding; fix: Fix; edits: Edit[] }[] = [];
    for (const f of findings) {
      if (options.fixRules && !options.fixRules.includes(f.rule)) continue;
      const fix = chooseFix(f, !!options.unsafe);
      if (!fix) continue;
      let edits: Edit[];
      try {
        edits = await fix.edits(options.context ?? {});
      } catch {
        continue; // a fix that cannot be built here (e.g. no network) is skipped, not half-applied
      }
      if (!edits.length) continue;
      if (chosen.some((c) => touches(c.edits, edits))) continue; // next pass
      if (!removesItsFinding(current, f, edits, options, before)) continue;
      chosen.push({ finding: f, fix, edits });
    }
    if (!chosen.length) return { text: current, applied, remaining: findings, passes };
    current = applyEdits(
      current,
      chosen.flatMap((c) => c.edits),
    );
    for (const c of chosen) applied.push({ rule: c.finding.rule, title: c.fix.title, line: c.finding.range.start.line });
    passes++;
  }
}
