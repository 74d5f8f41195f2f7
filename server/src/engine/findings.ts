/**
 * What a lint run is given and gives back: its options, the findings and their order. The run
 * itself (linter/lint.ts) sits above the rules; this file is below them.
 */
import type { DockerfileModel, ModelOptions } from '../model/model';
import type { ImageFactsRecord } from '../model/imageFacts';
import type { BuildContext } from '../model/context';
import type { RoleKind } from '../model/runtime';
import type { Range } from '../model/text';
import { compareRanges } from '../model/text';
import { defaultSetting, type Fix, type LabelType, type Rule, type Severity, type SeveritySetting } from './rule';

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
  /** Labels the image must have → what their values must be (label-schema); undefined: no schema. */
  labelSchema?: Record<string, LabelType>;
  /** Labels outside `labelSchema` are reported (hadolint's `strict-labels`). */
  strictLabels?: boolean;
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
  /**
   * The build arguments the build is given, where known (a Compose or Bake file, a test of BuildKit's
   * cases). Read today: BUILDKIT_DOCKERFILE_CHECK, which overrides the file's `# check=` directive.
   */
  buildArgs?: Readonly<Record<string, string | undefined>>;
  /** The build's named contexts, where known (model/types.ts ModelOptions.namedContexts). */
  namedContexts?: Readonly<Record<string, string>>;
  /** The project's own rules (`customRules:` in .dockerfile-hardener.yaml), run after the built-in ones. */
  customRules?: CustomRule[];
  /** Called when a rule throws; its findings are dropped and the others still reported. */
  onRuleError?: (ruleId: string, error: unknown) => void;
  /** Today's date (YYYY-MM-DD) for rules that compare dates (eol-base-image); default the machine's clock; tests fix it. */
  today?: string;
  /**
   * What registries said about the images the file names (model/imageFacts.ts), from the disk cache
   * that hover, the pin actions and `--image-facts` fill. Linting never asks a registry itself.
   */
  imageFacts?: ImageFactsRecord;
  /** stale-base: a base created more than this many days ago is reported (default 180). */
  staleBaseDays?: number;
  /** The platforms the build targets (`--platform`, a Compose or Bake file), where known. */
  targetPlatforms?: string[];
}

/**
 * A regular expression as the configuration gives it: JavaScript syntax, and its flags (`i` or
 * none). Kept as text, not a RegExp, so that options compare and copy as data (linter/incremental.ts).
 */
export interface RegexSource {
  source: string;
  flags: string;
}

/**
 * A rule a project declares in its configuration (linter/customRules.ts runs them). Every condition
 * given must hold; `command` and `args` read RUN's simple commands through wrappers (sudo, env…).
 */
export interface CustomRule {
  /** Lower-case words and hyphens, none of the built-in rules' ids. */
  id: string;
  message: string;
  severity: Severity;
  /** `shipped`: the stage that ships and the stages it is built on; `all`: every instruction. */
  stages: 'shipped' | 'all';
  match: {
    /** Upper-case keyword; `RUN` when `command` or `args` is given. */
    instruction?: string;
    /** The name of a simple command (`curl`), as the shell model reads it. */
    command?: string;
    /** One argument of that command matches it. */
    args?: RegexSource;
    /** The instruction's arguments (after its flags, continuations removed) match it. */
    pattern?: RegexSource;
  };
}

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  range: Range;
  /** Fixes, built lazily (not part of the finding's identity or of any output format). */
  fixes?: Fix[];
  /** The peers' codes this finding stands for (not part of any output format; the peers' tests read them). */
  peerCodes?: { hadolint: string[]; buildkit: string[] };
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

/** What the model takes from the lint options. */
export function modelOptions(options: LintOptions): ModelOptions {
  return {
    targetStage: options.targetStage,
    path: options.path,
    context: options.buildContext,
    role: options.role,
    imageFacts: options.imageFacts,
    buildArgs: options.buildArgs,
    namedContexts: options.namedContexts,
  };
}

/**
 * By range, then by rule id. The ids are compared by code unit, not with `localeCompare`: they are
 * lower-case ASCII words and hyphens, for which both orders agree, and the first `localeCompare` of
 * a process sets up ICU's collator, a visible part of a one-file CLI run (bench/HISTORY.md).
 */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => compareRanges(a.range, b.range) || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
}
