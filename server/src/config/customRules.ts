/**
 * `customRules:` in .dockerfile-hardener.yaml: rules a project declares without forking.
 *
 *     customRules:
 *       - id: no-curl-bash              # lower-case words and hyphens; not a built-in rule's id
 *         message: "Do not pipe curl into bash."
 *         severity: warning             # error, warning (default), info, hint
 *         stages: shipped               # shipped (default: the stage that ships and its bases) or all
 *         ignoreCase: false             # the regular expressions ignore case (or start one with (?i))
 *         match:                        # every condition given must hold; at least one
 *           instruction: RUN            # a keyword
 *           command: curl               # RUN: a simple command of this name (through sudo, env…)
 *           args: "-k|--insecure"       # RUN: one argument of that command matches
 *           pattern: "latest$"          # the instruction's arguments match
 *
 * Each problem is reported at its line; a rule with a problem is dropped and the others apply.
 */
import { INSTRUCTION_KEYWORDS } from '../model/instructionInfo';
import type { Node, Pair } from 'yaml';
import type { CustomRule, RegexSource } from '../engine/findings';
import { SEVERITIES, type Severity } from '../engine/rule';
import { isSettingId } from '../rules';
import type { Reader } from './projectConfig';

/** Longer patterns are refused: a configuration is read by every run, in the editor too. */
const MAX_PATTERN_LENGTH = 500;

const ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const RULE_KEYS = ['id', 'message', 'severity', 'stages', 'ignoreCase', 'match'];
const MATCH_KEYS = ['instruction', 'command', 'args', 'pattern'];
const STAGES = ['shipped', 'all'];
const KEYWORDS = INSTRUCTION_KEYWORDS;

/**
 * The custom rules of a `customRules:` list. Every id declared (even of a rule dropped for a
 * problem) is added to `declared`, so that `rules:` may set its severity without a second problem.
 */
export function readCustomRules(r: Reader, value: Node | null, pair: Pair, declared: Set<string>): CustomRule[] {
  const { y } = r;
  if (!y.isSeq(value)) {
    r.problem(value ?? pair, 'customRules must be a list of rules (id, message, match…)');
    return [];
  }
  const out: CustomRule[] = [];
  for (const item of value.items) {
    const rule = readRule(r, item as Node | null, declared);
    if (rule) out.push(rule);
  }
  return out;
}

function readRule(r: Reader, node: Node | null, declared: Set<string>): CustomRule | undefined {
  const entries = r.entries(node, node, 'customRules: each rule must be a mapping (id, message, match…)');
  if (!entries) return undefined;
  const at = (key: string) => entries.find(([k]) => k === key);
  const problems = r.config.problems.length;
  const id = readId(r, at('id'), node, declared);
  const where = id ? `custom rule "${id}"` : 'custom rule';
  for (const [k, , p] of entries)
    if (!RULE_KEYS.includes(k)) r.problem(p.key, `${where}: unknown key "${k}" (known: ${RULE_KEYS.join(', ')})`);
  const message = text(r, at('message'));
  if (message === undefined) r.problem(at('message')?.[1] ?? node, `${where}: message must be a non-empty string`);
  const severity = choice(r, at('severity'), SEVERITIES, 'warning', `${where}: severity`) as Severity | undefined;
  const stages = choice(r, at('stages'), STAGES, 'shipped', `${where}: stages`) as CustomRule['stages'] | undefined;
  const ignoreCaseEntry = at('ignoreCase');
  const ignoreCase = ignoreCaseEntry ? r.boolean(ignoreCaseEntry[1], ignoreCaseEntry[2], `${where}: ignoreCase`) : false;
  const matchEntry = at('match');
  if (!matchEntry) r.problem(node, `${where}: match is missing (instruction, command, args or pattern)`);
  const match = matchEntry && readMatch(r, matchEntry, where, ignoreCase === true);
  // A rule with any problem is dropped: a typo must not make it report more (or less) than meant.
  if (r.config.problems.length > problems || !id || !message || !severity || !stages || !match) return undefined;
  return { id, message, severity, stages, match };
}

function readId(r: Reader, entry: Entry | undefined, node: Node | null, declared: Set<string>): string | undefined {
  const id = text(r, entry);
  if (id === undefined) r.problem(entry?.[1] ?? node, 'custom rule: id is missing (lower-case words and hyphens)');
  else if (!ID.test(id)) r.problem(entry![1], `custom rule: id "${id}" must be lower-case words and hyphens (no-curl-bash)`);
  else if (isSettingId(id)) r.problem(entry![1], `custom rule: id "${id}" is a built-in rule's; choose another`);
  else if (declared.has(id)) r.problem(entry![1], `custom rule: id "${id}" is declared more than once`);
  else {
    declared.add(id);
    return id;
  }
  return undefined;
}

type Entry = [string, Node | null, Pair];

/** A non-empty string scalar (numbers too, as written), trimmed; undefined otherwise. */
function text(r: Reader, entry: Entry | undefined): string | undefined {
  const v = entry?.[1];
  if (!r.y.isScalar(v) || (typeof v.value !== 'string' && typeof v.value !== 'number')) return undefined;
  return String(v.value).trim() || undefined;
}

function choice(r: Reader, entry: Entry | undefined, values: readonly string[], fallback: string, what: string): string | undefined {
  if (!entry) return fallback;
  const v = text(r, entry);
  if (v !== undefined && values.includes(v)) return v;
  r.problem(entry[1] ?? entry[2], `${what} must be one of ${values.join(', ')}`);
  return undefined;
}

function readMatch(r: Reader, [, node, pair]: Entry, where: string, ignoreCase: boolean): CustomRule['match'] | undefined {
  const entries = r.entries(node, pair, `${where}: match must be a mapping of ${MATCH_KEYS.join(', ')}`);
  if (!entries) return undefined;
  const at = (key: string) => entries.find(([k]) => k === key);
  for (const [k, , p] of entries)
    if (!MATCH_KEYS.includes(k)) r.problem(p.key, `${where}: unknown match key "${k}" (known: ${MATCH_KEYS.join(', ')})`);
  if (!entries.some(([k]) => MATCH_KEYS.includes(k)))
    r.problem(node ?? pair, `${where}: match needs at least one of ${MATCH_KEYS.join(', ')}`);
  const match: CustomRule['match'] = {};
  const instruction = at('instruction');
  if (instruction) {
    const keyword = text(r, instruction)?.toUpperCase();
    if (keyword && KEYWORDS.includes(keyword)) match.instruction = keyword;
    else r.problem(instruction[1] ?? instruction[2], `${where}: instruction must be a keyword (${KEYWORDS.join(', ')})`);
  }
  const command = at('command');
  if (command) {
    const name = text(r, command);
    if (name && !/[\s/]/.test(name)) match.command = name;
    else r.problem(command[1] ?? command[2], `${where}: command must be a command name (curl), without a path or spaces`);
  }
  const args = at('args');
  if (args) match.args = regex(r, args, `${where}: args`, ignoreCase);
  const pattern = at('pattern');
  if (pattern) match.pattern = regex(r, pattern, `${where}: pattern`, ignoreCase);
  if (command || args) {
    if (match.instruction && match.instruction !== 'RUN')
      r.problem(instruction![1], `${where}: command and args read RUN commands, not ${match.instruction}`);
    match.instruction = 'RUN';
  }
  return match;
}

/**
 * A regular expression in JavaScript syntax, compiled here so that a mistake is reported at its
 * line. A leading `(?i)` (the inline flag other tools use) makes it ignore case; no other inline flag exists in JavaScript.
 */
function regex(r: Reader, [, node, pair]: Entry, what: string, ignoreCase: boolean): RegexSource | undefined {
  const v = r.y.isScalar(node) ? node.value : undefined;
  if (typeof v !== 'string' || !v) {
    r.problem(node ?? pair, `${what} must be a non-empty regular expression (a string)`);
    return undefined;
  }
  if (v.length > MAX_PATTERN_LENGTH) {
    r.problem(node, `${what} is ${v.length} characters long; at most ${MAX_PATTERN_LENGTH} are allowed`);
    return undefined;
  }
  const inline = /^\(\?([a-zA-Z]+)\)/.exec(v);
  if (inline && inline[1] !== 'i') {
    r.problem(node, `${what}: "(?${inline[1]})" is not supported: only a leading (?i), or ignoreCase: true`);
    return undefined;
  }
  const source = inline ? v.slice(inline[0].length) : v;
  if (!source) {
    r.problem(node, `${what} must be a non-empty regular expression (a string)`);
    return undefined;
  }
  const flags = inline || ignoreCase ? 'i' : '';
  try {
    new RegExp(source, flags);
  } catch (e) {
    r.problem(node, `${what} is not a valid regular expression: ${(e as Error).message}`);
    return undefined;
  }
  return { source, flags };
}
