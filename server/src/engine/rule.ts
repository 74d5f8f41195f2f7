/**
 * The rule format. A rule is one file holding its metadata (id, severity, summary, rationale, peer
 * equivalents, examples) beside its check, so that docs, settings and tests are generated from it.
 */
import type { DockerfileModel } from '../model/model';
import type { Span } from '../model/text';

export const SEVERITIES = ['error', 'warning', 'info', 'hint'] as const;
export type Severity = (typeof SEVERITIES)[number];
export type SeveritySetting = Severity | 'off';

/** Where the project's docs live; each rule has `docs/rules/<id>.md` there. */
export const REPOSITORY_URL = 'https://github.com/dockerfile-hardener/dockerfile-hardener';
export function docsUrl(id: string): string {
  return `${REPOSITORY_URL}/blob/main/docs/rules/${id}.md`;
}

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
  /** Lint options the examples assume (e.g. a trusted-registries list). */
  options?: { trustedRegistries?: string[] };
}

export interface Report {
  span: Span;
  message: string;
  /** A severity for this finding when it differs from the rule's (a configured severity wins). */
  severity?: Severity;
  /** hadolint codes for this finding when they differ from the rule's (e.g. DL3006 vs DL3007). */
  hadolint?: string[];
}

export interface RuleContext {
  model: DockerfileModel;
  /** Lint options rules may read (e.g. trustedRegistries). */
  options: { trustedRegistries?: string[] };
  report(r: Report): void;
}

export interface Rule {
  /** Stable public id: used in settings, ignore comments and CI. */
  id: string;
  /** The severity it reports at. */
  severity: Severity;
  /** false: off unless enabled in settings or a config file. Default true. */
  enabled?: boolean;
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
