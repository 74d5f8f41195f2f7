/**
 * The project's own rules (`customRules:` in .dockerfile-hardener.yaml, read by config/customRules.ts),
 * run after the built-in ones over the same model. Their findings carry the rule's id, so ignore
 * comments and `rules:` severities apply to them as to any rule.
 *
 * What a rule is matched against: each instruction in its scope (`shipped`: the stages of the shipped
 * stage's chain; `all`: every instruction, global ARGs included), an ONBUILD as its trigger
 * (`instruction: ONBUILD` matches the ONBUILD itself). `command` and `args` read RUN's simple commands
 * through wrappers (sudo, env, nohup…), as the rules do.
 */
import type { DockerfileModel } from '../model/model';
import type { Instr, RunInfo } from '../model/types';
import type { Span } from '../model/text';
import { endOffset, type LogicalText } from '../model/logical';
import { commandName, unwrap } from '../model/shell';
import type { IgnoreSet } from '../engine/ignores';
import type { CustomRule, Finding, LintOptions, RegexSource } from '../engine/findings';

/** The regular expressions read at most this much of an instruction or an argument. */
const MAX_SUBJECT_LENGTH = 64 * 1024;

/** What one instruction (or ONBUILD trigger) offers a custom rule. */
interface Subject {
  /** The instruction in the document (the ONBUILD, for a trigger): its ignore comments are above it. */
  host: Instr;
  keyword: string;
  /** Its arguments after the flags, continuations removed. */
  args: LogicalText;
  /** Where a finding goes when no command, argument or pattern match says more. */
  span: Span;
  run?: RunInfo;
  /** The ONBUILD instruction itself, matched only by `instruction: ONBUILD`. */
  onbuild?: boolean;
}

export function runCustomRules(model: DockerfileModel, options: LintOptions, ignores: IgnoreSet): Finding[] {
  const custom = options.customRules;
  if (!custom?.length) return [];
  const findings: Finding[] = [];
  const scopes = new Map<CustomRule['stages'], Subject[]>();
  for (const rule of custom) {
    if (options.only && !options.only.includes(rule.id)) continue;
    const severity = options.rules?.[rule.id] ?? rule.severity;
    if (severity === 'off' || ignores.global.has(rule.id)) continue;
    let subjects = scopes.get(rule.stages);
    if (!subjects) scopes.set(rule.stages, (subjects = subjectsOf(model, rule.stages)));
    const found: Finding[] = [];
    try {
      for (const s of subjects) {
        if (ignores.local.get(s.host.span.start)?.has(rule.id)) continue;
        for (const span of matches(rule, s)) found.push({ rule: rule.id, severity, message: rule.message, range: model.range(span) });
      }
    } catch (error) {
      options.onRuleError?.(rule.id, error);
      continue; // what the failing rule found so far is dropped
    }
    findings.push(...found);
  }
  return findings;
}

function subjectsOf(model: DockerfileModel, stages: CustomRule['stages']): Subject[] {
  const chain = stages === 'shipped' ? new Set(model.shipped?.chain ?? []) : undefined;
  const runs = new Map<Instr, RunInfo>();
  const triggers: RunInfo[] = [];
  for (const stage of model.stages) {
    for (const r of stage.runs) {
      if (r.instr.onbuild) triggers.push(r);
      else runs.set(r.instr, r);
    }
  }
  const out: Subject[] = [];
  for (const instr of model.instructions) {
    if (chain && !(instr.stage && chain.has(instr.stage))) continue;
    const args = model.argumentsOf(instr);
    if (instr.keyword !== 'ONBUILD') {
      out.push({ host: instr, keyword: instr.keyword, args, span: instr.span, run: runs.get(instr) });
      continue;
    }
    out.push({ host: instr, keyword: 'ONBUILD', args, span: instr.span, onbuild: true });
    const run = triggers.find((r) => r.instr.span.start >= instr.span.start && r.instr.span.start < instr.span.end);
    if (run) out.push({ host: instr, keyword: 'RUN', args: model.argumentsOf(run.instr), span: run.instr.span, run });
    else {
      const t = trigger(instr, args);
      if (t) out.push(t);
    }
  }
  return out;
}

/** An ONBUILD's trigger other than RUN, read from its arguments: `COPY --chown=app a /b` → COPY, `a /b`. */
function trigger(host: Instr, args: LogicalText): Subject | undefined {
  const m = /^(\s*)(\S+)(\s*(?:--\S+\s*)*)/.exec(args.text);
  if (!m) return undefined;
  const from = m[0].length;
  return {
    host,
    keyword: m[2].toUpperCase(),
    args: args.slice(from, args.text.length),
    span: { start: args.at(m[1].length), end: host.span.end },
  };
}

/** Where the rule matches the subject: one span per matching command, or one for the instruction. */
function matches(rule: CustomRule, s: Subject): Span[] {
  const m = rule.match;
  if (s.onbuild ? m.instruction !== 'ONBUILD' : m.instruction !== undefined && m.instruction !== s.keyword) return [];
  let at: Span | undefined;
  if (m.pattern) {
    const found = compile(m.pattern).exec(capped(s.args.text));
    if (!found) return [];
    if (found[0]) at = { start: s.args.at(found.index), end: endOffset(s.args, found.index + found[0].length) };
  }
  if (m.command === undefined && m.args === undefined) return [at ?? s.span];
  if (!s.run) return [];
  const args = m.args && compile(m.args);
  const out: Span[] = [];
  for (const c of s.run.commands) {
    const argv = unwrap(c).argv;
    if (m.command !== undefined && commandName(argv) !== m.command) continue;
    if (!args) out.push({ start: c.start, end: c.end });
    else {
      const word = argv.slice(1).find((w) => args.test(capped(w.value)));
      if (word) out.push({ start: word.start, end: word.end });
    }
  }
  return out;
}

function capped(text: string): string {
  return text.length > MAX_SUBJECT_LENGTH ? text.slice(0, MAX_SUBJECT_LENGTH) : text;
}

/** Compiled once per process and source (the options carry text, which compares as data). */
const compiled = new Map<string, RegExp>();

function compile(r: RegexSource): RegExp {
  const key = `${r.flags}/${r.source}`;
  let re = compiled.get(key);
  if (!re) {
    if (compiled.size >= 256) compiled.clear();
    re = new RegExp(r.source, r.flags.replace(/[gy]/g, ''));
    compiled.set(key, re);
  }
  return re;
}
