/**
 * `dockerfile-hardener explain RULE`: a rule's page (docs/rules/<id>.md, shipped with the CLI), on
 * standard output as the markdown it is, which reads as text in a terminal. RULE is a rule id, or a
 * peer's name for it (a hadolint code, a BuildKit check), as ignore comments and config files take
 * them. An unknown RULE is a usage error (exit 2) that names the ids closest to it, without the whole usage text.
 */
import { rules, ruleById } from '../rules';
import type { Rule } from '../engine/rule';
import { rulePages } from '../docs/rulePages';
import { parseArgs, UsageError } from './args';
import type { Io } from './io';

export function parseExplainArgs(argv: string[]): { rule: string } {
  const { positional } = parseArgs(argv, {});
  if (positional.length !== 1) throw new UsageError('explain takes one RULE (an id from `dockerfile-hardener rules`)');
  return { rule: positional[0] };
}

/** The rules a peer's name stands for (hadolint DL3002, BuildKit SecretsUsedInArgOrEnv), in any case. */
function byPeerName(name: string): Rule[] {
  const n = name.toLowerCase();
  return rules.filter((r) => [...(r.equivalents.hadolint ?? []), ...(r.equivalents.buildkit ?? [])].some((c) => c.toLowerCase() === n));
}

/** Edit distance (insertions, deletions, substitutions), for naming close matches. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/** The rule ids closest to a name that is none: a few edits away, or holding it (or held in it). */
export function closeMatches(name: string, ids: readonly string[] = rules.map((r) => r.id)): string[] {
  const n = name.toLowerCase();
  return ids
    .map((id) => ({ id, d: distance(n, id) }))
    .filter(({ id, d }) => d <= Math.max(2, Math.floor(id.length / 4)) || (n.length >= 3 && (id.includes(n) || n.includes(id))))
    .sort((a, b) => a.d - b.d || a.id.localeCompare(b.id))
    .slice(0, 5)
    .map((x) => x.id);
}

/** A rule's page as the CLI prints it; from its summary and rationale when the page is not there. */
function page(rule: Rule): string {
  const found = rulePages.get(rule.id);
  if (found) return found.text.trimEnd() + '\n';
  return `# ${rule.id}\n\n${rule.summary}\n\n## Why\n\n${rule.rationale.trimEnd()}\n`;
}

export function runExplain(args: { rule: string }, io: Io): number {
  const rule = ruleById(args.rule);
  if (rule) {
    io.out(page(rule));
    return 0;
  }
  const peers = byPeerName(args.rule);
  if (peers.length) {
    const ids = peers.map((r) => r.id).join(', ');
    io.err(`${args.rule} is ${peers.length === 1 ? 'checked here by' : 'checked here by the rules'} ${ids}\n`);
    io.out(peers.map(page).join('\n'));
    return 0;
  }
  // A usage error (exit 2), said in one line: the whole usage text would bury the names.
  const close = closeMatches(args.rule);
  io.err(
    `dockerfile-hardener: no rule "${args.rule}"${close.length ? `; did you mean ${close.join(', ')}?` : ''} (dockerfile-hardener rules lists them)\n`,
  );
  return 2;
}
