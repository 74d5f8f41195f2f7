/**
 * What a rule is, for people and scripts (`dockerfile-hardener rules --format json`): its id, the
 * severity it reports at by default (`off` for rules off by default), its summary, its peers'
 * equivalents, the kinds of fix it offers, and its docs page.
 */
import type { Rule, SeveritySetting } from '../engine/rule';
import { lint } from './lint';

export interface RuleInfo {
  id: string;
  severity: SeveritySetting;
  summary: string;
  /** The peers' names for what it checks, spelled as they spell them (empty lists where none). */
  equivalents: { hadolint: string[]; buildkit: string[] };
  /** The kinds of fix it offers (`safe`, `suggestion`), as its examples show them; empty: no fix. */
  fixes: ('safe' | 'suggestion')[];
  /** Its documentation, relative to the repository. */
  docs: string;
}

/**
 * The kinds of fix a rule's findings carry on its own examples (the Dockerfiles its docs and tests
 * show): what a user of the rule meets, without a second list to keep in step by hand.
 */
export function fixKinds(rule: Rule): ('safe' | 'suggestion')[] {
  const kinds = new Set<'safe' | 'suggestion'>();
  const texts = [...rule.examples.invalid, ...(rule.examples.fixes ?? []).map((f) => f.before)];
  for (const text of texts) {
    const options = { ...rule.examples.options, only: [rule.id], rules: { [rule.id]: rule.severity } };
    for (const f of lint(text, options).findings) for (const fix of f.fixes ?? []) kinds.add(fix.kind);
  }
  return (['safe', 'suggestion'] as const).filter((k) => kinds.has(k));
}

export function ruleInfo(rule: Rule): RuleInfo {
  return {
    id: rule.id,
    severity: rule.enabled === false ? 'off' : rule.severity,
    summary: rule.summary,
    equivalents: { hadolint: [...(rule.equivalents.hadolint ?? [])], buildkit: [...(rule.equivalents.buildkit ?? [])] },
    fixes: fixKinds(rule),
    docs: `docs/rules/${rule.id}.md`,
  };
}
