/**
 * The engine: one model per document version, every enabled rule run over it, ignores applied,
 * findings sorted. The language server and the CLI both call `lint`, so they agree by construction.
 */
import { DockerfileModel, type ModelOptions } from '../model/model';
import type { BuildContext } from '../model/context';
import type { RoleKind } from '../model/runtime';
import type { Range } from '../model/text';
import { compareRanges } from '../model/text';
import { rules, ruleById } from '../rules';
import { readIgnores } from './ignores';
import { defaultSetting, type Fix, type Rule, type Severity, type SeveritySetting } from './rule';

export interface LintOptions {
  /** The stage that ships (name or index); default the last. */
  targetStage?: string;
  /** Per-rule severity overrides; 'off' disables a rule. */
  rules?: Record<string, SeveritySetting | undefined>;
  /** Run only these rules (tests). */
  only?: string[];
  /** Per-code settings from a .hadolint.yaml, applied through the findings' hadolint codes. */
  hadolint?: { ignored: ReadonlySet<string>; override: ReadonlyMap<string, Severity> };
  /** Registries images may come from (untrusted-registry); undefined: no list configured. */
  trustedRegistries?: string[];
  /**
   * What image tags pointed at when a registry was last asked (`registry/repository:tag` → digest),
   * from an explicit check ("Check pinned digests", `pin --check`); stale-digest reads it. Linting
   * itself never asks a registry.
   */
  currentDigests?: Readonly<Record<string, string>>;
  /**
   * The Dockerfile's path in its repository (or its directory and name), where known: its name and
   * directories are evidence of the image's role (Dockerfile.dev, tests/). Never an absolute path:
   * /home/dev/… says nothing about the image.
   */
  path?: string;
  /** The build context, where it can be read (entrypoint scripts; engine/buildContext.ts). */
  buildContext?: BuildContext;
  /** The image's role as the configuration states it (`roles:` in .dockerfile-hardener.yaml). */
  role?: RoleKind;
  /** Called when a rule throws; its findings are dropped and the others still reported. */
  onRuleError?: (ruleId: string, error: unknown) => void;
}

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  range: Range;
  /** Fixes, built lazily (not part of the finding's identity or of any output format). */
  fixes?: Fix[];
}

export interface LintResult {
  findings: Finding[];
  model: DockerfileModel;
}

/** A byte-order mark is replaced by a space so that offsets stay those of the text given. */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
}

export function effectiveSeverity(rule: Rule, options: LintOptions): SeveritySetting {
  return options.rules?.[rule.id] ?? defaultSetting(rule);
}

export function lintModel(model: DockerfileModel, options: LintOptions = {}): Finding[] {
  const ignores = readIgnores(model);
  const skipAll = model.directives.checkSkipAll;
  const findings: Finding[] = [];
  const starts = model.instructions.map((i) => i.span.start);
  const instructionAt = (offset: number): number | undefined => {
    let lo = 0;
    let hi = starts.length - 1;
    let found: number | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= offset) {
        found = starts[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
  for (const rule of rules) {
    if (options.only && !options.only.includes(rule.id)) continue;
    let severity = effectiveSeverity(rule, options);
    // A rule off by default runs where a .hadolint.yaml overrides one of its codes: the project asked for it.
    if (severity === 'off' && rule.enabled === false && options.rules?.[rule.id] === undefined && rule.equivalents.hadolint?.some((c) => options.hadolint?.override.has(c))) {
      severity = rule.severity;
    }
    if (severity === 'off') continue;
    if (ignores.global.has(rule.id)) continue;
    if (rule.equivalents.buildkit?.some((b) => skipAll || model.directives.checkSkip.has(b))) continue;
    const buildkit = rule.equivalents.buildkit;
    const hadolintGlobal = (codes: string[] | undefined) => codes?.some((c) => ignores.global.has(`hadolint:${c}`));
    try {
      rule.check({
        model,
        options,
        report: (r) => {
          const codes = r.hadolint ?? rule.equivalents.hadolint;
          if (hadolintGlobal(codes)) return;
          const at = instructionAt(r.span.start);
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
          findings.push(finding);
        },
      });
    } catch (error) {
      options.onRuleError?.(rule.id, error);
      // Drop what the failing rule reported so far: a half-run rule is not evidence.
      for (let i = findings.length - 1; i >= 0; i--) if (findings[i].rule === rule.id) findings.splice(i, 1);
    }
  }
  return sortFindings(dedupe(findings));
}

export function lint(text: string, options: LintOptions = {}): LintResult {
  const model = new DockerfileModel(withoutBom(text), modelOptions(options));
  return { findings: lintModel(model, options), model };
}

/** What the model takes from the lint options. */
export function modelOptions(options: LintOptions): ModelOptions {
  return { targetStage: options.targetStage, path: options.path, context: options.buildContext, role: options.role };
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

/**
 * By range, then by rule id. The ids are compared by code unit, not with `localeCompare`: they are
 * lower-case ASCII words and hyphens, for which both orders agree, and the first `localeCompare` of
 * a process sets up ICU's collator, 13 ms of a one-file CLI run.
 */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => compareRanges(a.range, b.range) || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
}

export { rules, ruleById };
/** For the bench, which runs the engine as the CLI and the server do (bench/child.ts). */
export { tuneV8 } from './v8Tuning';
