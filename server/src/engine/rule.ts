/**
 * The rule format. A rule is one file holding its metadata (id, severity, summary, rationale, peer
 * equivalents, examples) beside its check, so that docs, settings and tests are generated from it.
 */
import type { BuildContext } from '../model/context';
import type { ImageFactsRecord } from '../model/imageFacts';
import type { LabelType } from '../model/labelValues';

export type { LabelType } from '../model/labelValues';
export { LABEL_TYPES } from '../model/labelValues';
import type { DockerfileModel } from '../model/model';
import type { Span } from '../model/text';
import type { Edit } from './edits';
import type { ImageRef } from '../model/imageRef';

export const SEVERITIES = ['error', 'warning', 'info', 'hint'] as const;
export type Severity = (typeof SEVERITIES)[number];
export type SeveritySetting = Severity | 'off';

export interface Equivalents {
  /** hadolint codes (DLxxxx) whose ignore comments silence this rule. */
  hadolint?: string[];
  /** BuildKit check names (`# check=skip=…`) that silence this rule. */
  buildkit?: string[];
}

export interface Examples {
  /**
   * Dockerfiles with caret pictures of the findings this rule reports, e.g.
   *
   *     FROM alpine
   *     USER root
   *     #    ^^^^ root-user
   */
  invalid: string[];
  /** Dockerfiles on which this rule reports nothing. */
  valid: string[];
  /**
   * Fixes as before/after pairs: applying the fix named `fix` (by title prefix; default the preferred
   * or only one) to the finding in `before` gives `after`. They run as tests and appear in the docs.
   */
  fixes?: { before: string; after: string; fix?: string }[];
  /** Lint options the examples assume (e.g. a trusted-registries list, or digests a registry check found). */
  options?: {
    trustedRegistries?: string[];
    currentDigests?: Readonly<Record<string, string>>;
    labelSchema?: Record<string, LabelType>;
    strictLabels?: boolean;
    /** The build context the examples are linted in (the ignore file copy-ignored-file reads). */
    buildContext?: BuildContext;
    /** Today's date (YYYY-MM-DD) for rules that compare dates (eol-base-image), so the examples stay stable. */
    today?: string;
    /** What a registry said about the examples' images (rules that read image facts). */
    imageFacts?: ImageFactsRecord;
    staleBaseDays?: number;
    targetPlatforms?: string[];
  };
}

/** What a fix may use while it builds its edits. */
export interface FixContext {
  /** Set when the request was cancelled (the editor moved on). */
  cancelled?: () => boolean;
  /**
   * Registry access for fixes that pin images: the digest an image's tag points at now (rejects with
   * a message for the user). Absent where fixes must not touch the network: fix-all, fix-on-save,
   * `dockerfile-hardener fix`. The caller owns timeouts and cancellation.
   */
  resolveDigest?: (ref: ImageRef) => Promise<string>;
  /** Why there is no registry access here, for the user (e.g. the workspace is not trusted). */
  offlineReason?: string;
  /**
   * Download access for fixes that add a checksum (download-without-checksum): the sha256 (lower-case
   * hex) of the body a URL serves now; rejects with a message for the user. Absent wherever
   * resolveDigest is; `followRedirects: false` for a command that does not follow them (curl without -L).
   */
  fetchSha256?: (url: string, options?: { followRedirects?: boolean }) => Promise<string>;
  /** Why there is no download access here, for the user (offlineReason when unset). */
  downloadOfflineReason?: string;
}

/**
 * A fix offered with a finding. Its edits are built only when asked for (LSP codeAction/resolve,
 * fix-all, the CLI), against the model the finding came from.
 */
export interface Fix {
  title: string;
  /**
   * `safe`: keeps what the image does (applied by "fix all" and `dockerfile-hardener fix`).
   * `suggestion`: changes what is built or run; applied only when the user picks it (or `--unsafe`).
   */
  kind: 'safe' | 'suggestion';
  /** The fix to apply when only one is (the editor's preferred quick-fix, `fix --unsafe`). */
  preferred?: boolean;
  /**
   * Its edits use the network, built only when the user picks it: `true` asks a registry
   * (`ctx.resolveDigest`), `'download'` downloads a URL (`ctx.fetchSha256`).
   */
  network?: boolean | 'download';
  /** Why it cannot be applied to this finding; the editor shows it as a disabled action. */
  unavailable?: string;
  edits(ctx: FixContext): Edit[] | Promise<Edit[]>;
  /** Edits to files other than the Dockerfile (an ignore file), applied with its edits. */
  fileEdits?(): FileEdit[];
}

/** Text appended to a file beside the Dockerfile, which is created when it is not there. */
export interface FileEdit {
  /** Absolute path. */
  file: string;
  /** The file is not there yet: the edit creates it. */
  create: boolean;
  /** Its text now ('' when it is to be created): the edit appends at its end. */
  text: string;
  append: string;
}

export interface Report {
  span: Span;
  message: string;
  /** A severity for this finding when it differs from the rule's (a configured severity wins). */
  severity?: Severity;
  /** hadolint codes for this finding when they differ from the rule's (e.g. DL3006 vs DL3007). */
  hadolint?: string[];
  /** BuildKit checks for this finding when they differ from the rule's (e.g. FromAsCasing vs ConsistentInstructionCasing). */
  buildkit?: string[];
  /** Fixes for this finding, best first. */
  fixes?: Fix[];
}

export interface RuleContext {
  model: DockerfileModel;
  /** Lint options rules may read: trustedRegistries, and the configured severities (a fix may
   * adapt to another rule being on, e.g. write a numeric USER when user-not-numeric is enabled). */
  options: {
    trustedRegistries?: string[];
    rules?: Record<string, SeveritySetting | undefined>;
    currentDigests?: Readonly<Record<string, string>>;
    /** Labels the image must have, and what their values must be (label-schema). */
    labelSchema?: Record<string, LabelType>;
    /** Labels outside `labelSchema` are reported (label-schema). */
    strictLabels?: boolean;
    /** Today's date (YYYY-MM-DD) for rules that compare dates (eol-base-image); default the machine's clock; tests fix it. */
    today?: string;
    /** What registries said about the file's images (model/imageFacts.ts); the model reads it too. */
    imageFacts?: ImageFactsRecord;
    /** stale-base's limit in days (default 180). */
    staleBaseDays?: number;
    /** The platforms the build targets, where known (platform-unavailable). */
    targetPlatforms?: string[];
  };
  report(r: Report): void;
}

export interface Rule {
  /** Stable public id: used in settings, ignore comments and CI. */
  id: string;
  /** The severity it reports at. */
  severity: Severity;
  /** false: off unless enabled in settings or a config file. Default true. */
  enabled?: boolean;
  /**
   * For a rule off by default: whether the configuration asks for it all the same (label-schema runs
   * when a label schema is configured). A severity set for the rule still wins.
   */
  configured?(options: RuleContext['options']): boolean;
  /** One line: what is wrong. */
  summary: string;
  /** Markdown: why it matters and what to do instead. */
  rationale: string;
  /** Where this rule deliberately differs from peers (markdown), if anywhere. */
  differences?: string;
  equivalents: Equivalents;
  examples: Examples;
  check(ctx: RuleContext): void;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}

/** The setting a rule has when nobody configured it. */
export function defaultSetting(rule: Rule): SeveritySetting {
  return rule.enabled === false ? 'off' : rule.severity;
}
