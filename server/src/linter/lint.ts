/**
 * The run: one model per document version, every enabled rule run over it, ignores applied,
 * findings sorted. The language server and the CLI both call `lint`, so they agree by construction.
 */
import { DockerfileModel, readCheckSetting } from '../model/model';
import { rules } from '../rules';
import { readIgnores } from '../engine/ignores';
import { runCustomRules } from './customRules';
import {
  effectiveSeverity,
  modelOptions,
  sortFindings,
  withoutBom,
  type Finding,
  type LintOptions,
  type LintResult,
} from '../engine/findings';

export function lintModel(model: DockerfileModel, options: LintOptions = {}): Finding[] {
  const ignores = readIgnores(model);
  // The BUILDKIT_DOCKERFILE_CHECK build argument overrides the file's `# check=` directive, as in BuildKit.
  const fromArg = options.buildArgs?.BUILDKIT_DOCKERFILE_CHECK;
  const check = fromArg === undefined ? model.directives : readCheckSetting(fromArg);
  const skipAll = check.checkSkipAll;
  const findings: Finding[] = [];
  for (const rule of rules) {
    if (options.only && !options.only.includes(rule.id)) continue;
    let severity = effectiveSeverity(rule, options);
    let onlyOverridden = false;
    // Off by default, but the configuration asks for it (a label schema): it runs at its severity.
    if (severity === 'off' && options.rules?.[rule.id] === undefined && rule.configured?.(options)) severity = rule.severity;
    // A rule off by default runs where a .hadolint.yaml overrides one of its codes: the project asked for it.
    if (
      severity === 'off' &&
      rule.enabled === false &&
      options.rules?.[rule.id] === undefined &&
      rule.equivalents.hadolint?.some((c) => options.hadolint?.override.has(c))
    ) {
      severity = rule.severity;
      onlyOverridden = true;
    }
    if (severity === 'off') continue;
    if (ignores.global.has(rule.id)) continue;
    const skipped = (b: string) => skipAll || check.checkSkip.has(b);
    if (rule.equivalents.buildkit?.length && rule.equivalents.buildkit.every(skipped)) continue;
    const hadolintGlobal = (codes: string[] | undefined) => codes?.some((c) => ignores.global.has(`hadolint:${c}`));
    try {
      rule.check({
        model,
        options,
        report: (r) => {
          const codes = r.hadolint ?? rule.equivalents.hadolint;
          const buildkit = r.buildkit ?? rule.equivalents.buildkit;
          if (hadolintGlobal(codes) || buildkit?.some(skipped)) return;
          // Switched on by a .hadolint.yaml override of some of its codes: only those codes' findings.
          if (onlyOverridden && !codes?.some((c) => options.hadolint!.override.has(c))) return;
          const at = model.instructionStartAt(r.span.start);
          const local = at === undefined ? undefined : ignores.local.get(at);
          if (local && (local.has(rule.id) || codes?.some((c) => local.has(`hadolint:${c}`)))) return;
          if (local && buildkit?.length && (local.has('buildkit:all') || buildkit.some((b) => local.has(`buildkit:${b}`)))) return;
          let sev = options.rules?.[rule.id] === undefined ? (r.severity ?? severity) : severity;
          if (options.hadolint && codes && options.rules?.[rule.id] === undefined) {
            if (codes.some((c) => options.hadolint!.ignored.has(c))) return;
            const o = codes.map((c) => options.hadolint!.override.get(c)).find((x) => x !== undefined);
            if (o) sev = o;
          }
          const finding: Finding = { rule: rule.id, severity: sev, message: r.message, range: model.range(r.span) };
          if (r.fixes?.length) Object.defineProperty(finding, 'fixes', { value: r.fixes, enumerable: false });
          Object.defineProperty(finding, 'peerCodes', { value: { hadolint: codes ?? [], buildkit: buildkit ?? [] }, enumerable: false });
          findings.push(finding);
        },
      });
    } catch (error) {
      options.onRuleError?.(rule.id, error);
      // Drop what the failing rule reported so far: a half-run rule is not evidence.
      for (let i = findings.length - 1; i >= 0; i--) if (findings[i].rule === rule.id) findings.splice(i, 1);
    }
  }
  findings.push(...runCustomRules(model, options, ignores));
  return sortFindings(dedupe(findings));
}

export function lint(text: string, options: LintOptions = {}): LintResult {
  const model = new DockerfileModel(withoutBom(text), modelOptions(options));
  return { findings: lintModel(model, options), model };
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.rule}|${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}|${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
