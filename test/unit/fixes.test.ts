/**
 * Every fix, as users get it: applied to the finding it belongs to, its output re-parses, that finding
 * is gone, no new finding appears (of any rule), and fixing again changes nothing. The rules'
 * before/after fix examples run here too (they are also rendered into the docs).
 */
import * as assert from 'node:assert/strict';
import { lint } from '../../server/src/linter/lint';
import { type Finding, type LintOptions } from '../../server/src/engine/findings';
import { applyEdits } from '../../server/src/engine/edits';
import { fixAll } from '../../server/src/linter/fix';
import { stripPicture } from '../../server/src/engine/pictures';
import { rules } from '../../server/src/rules';
import type { Fix, Rule } from '../../server/src/engine/rule';

/** Every rule enabled at its severity, so that "no new finding" covers off-by-default rules too. */
const ALL = { rules: Object.fromEntries(rules.map((r) => [r.id, r.severity])) };

function counts(findings: Finding[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of findings) m.set(f.rule, (m.get(f.rule) ?? 0) + 1);
  return m;
}

/**
 * Applies one fix of one finding and checks what every fix must satisfy, under the options the fix
 * was built with (a fix may adapt to them); returns the new text.
 */
export async function checkFix(text: string, rule: Rule, fix: Fix, options: LintOptions): Promise<string> {
  const where = `${rule.id} "${fix.title}" on:\n${text}`;
  // A fix that edits another file (an ignore file) is checked on disk by its rule's tests; here: it is one.
  if (fix.fileEdits && !(await fix.edits({})).length) {
    assert.ok(fix.fileEdits().length > 0 && fix.kind === 'suggestion', `no edits: ${where}`);
    return text;
  }
  const before = lint(text, options);
  const edits = await fix.edits({});
  assert.ok(edits.length > 0, `no edits: ${where}`);
  const after = applyEdits(text, edits);
  assert.notEqual(after, text, where);
  const errors: string[] = [];
  const result = lint(after, { ...options, onRuleError: (id, e) => errors.push(`${id}: ${String(e)}`) });
  assert.deepEqual(errors, [], where);
  const b = counts(before.findings);
  const a = counts(result.findings);
  assert.ok((a.get(rule.id) ?? 0) < (b.get(rule.id) ?? 0), `the finding is still there after ${where}\n---\n${after}`);
  for (const [id, n] of a)
    assert.ok(
      n <= (b.get(id) ?? 0),
      `new ${id} finding after ${where}\n---\n${after}\n${JSON.stringify(result.findings.filter((f) => f.rule === id))}`,
    );
  // Fixing again until nothing changes, then once more: stable.
  const settled = await fixAll(after, { ...options, unsafe: true, fixRules: [rule.id] });
  const again = await fixAll(settled.text, { ...options, unsafe: true, fixRules: [rule.id] });
  assert.equal(again.text, settled.text, `not idempotent: ${where}`);
  assert.equal(again.applied.length, 0, `fixes keep applying: ${where}`);
  return after;
}

function pick(f: Finding, title: string | undefined): Fix {
  const fixes = f.fixes ?? [];
  const fix = title ? fixes.find((x) => x.title.startsWith(title)) : (fixes.find((x) => x.preferred) ?? fixes[0]);
  assert.ok(fix, `no fix ${title ?? '(preferred)'} among ${fixes.map((x) => x.title).join(', ')}`);
  return fix;
}

describe('fixes', () => {
  for (const rule of rules) {
    // The examples' own options with the rule on (some are off by default), and all rules on.
    const defaults: LintOptions = { ...rule.examples.options, rules: { [rule.id]: rule.severity } };
    const everything: LintOptions = { ...rule.examples.options, ...ALL };
    for (const [i, ex] of (rule.examples.fixes ?? []).entries()) {
      it(`${rule.id}: fix example ${i + 1}${ex.fix ? ` (${ex.fix})` : ''} turns before into after`, async () => {
        const { findings } = lint(ex.before, { ...defaults, only: [rule.id] });
        const finding = findings.find((f) => f.fixes?.length);
        assert.ok(finding, `no finding with a fix in:\n${ex.before}`);
        const fix = pick(finding, ex.fix);
        const after = await checkFix(ex.before, rule, fix, defaults);
        assert.equal(after, ex.after);
      });
    }
    // Every fix offered on the rule's examples satisfies the contract, with default settings and
    // with every rule enabled.
    const texts = [...rule.examples.invalid.map(stripPicture), ...(rule.examples.fixes ?? []).map((f) => f.before)];
    for (const [label, options] of [
      ['default settings', defaults],
      ['every rule enabled', everything],
    ] as const) {
      it(`${rule.id}: every fix offered on its examples is sound (${label})`, async () => {
        for (const text of texts) {
          for (const f of lint(text, { ...options, only: [rule.id] }).findings)
            for (const fix of f.fixes ?? []) await checkFix(text, rule, fix, options);
        }
      });
    }
  }

  it('every fix says whether it is safe, and at most one per finding is preferred', () => {
    for (const rule of rules) {
      for (const ex of [...rule.examples.invalid.map(stripPicture), ...(rule.examples.fixes ?? []).map((f) => f.before)]) {
        for (const f of lint(ex, { ...ALL, ...rule.examples.options, only: [rule.id] }).findings) {
          const fixes = f.fixes ?? [];
          assert.ok(fixes.every((x) => x.kind === 'safe' || x.kind === 'suggestion'));
          assert.ok(fixes.filter((x) => x.preferred).length <= 1, `${rule.id}: several preferred fixes`);
        }
      }
    }
  });
});
