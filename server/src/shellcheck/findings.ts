/**
 * ShellCheck's comments on a document's RUN scripts as findings: rule id `SC2086` (the code), its
 * severity from ShellCheck's level (style is a hint), at the range the script maps back to, and
 * filtered as every finding is: our ignore comments (`# dockerfile-hardener ignore=SC2086`), hadolint's
 * (`# hadolint ignore=SC2086`, global or above the instruction), `.hadolint.yaml` `ignored` and
 * `override`, and per-code or `shellcheck` severities in `rules:` (`shellcheck: off` turns it off).
 */
import type { DockerfileModel } from '../model/model';
import { readIgnores, type IgnoreSet } from '../engine/ignores';
import { lastAtOrBefore, type Range, type Span } from '../model/text';
import type { Finding, LintOptions } from '../engine/findings';
import type { Severity } from '../engine/rule';
import type { ShellCheckComment, ShellCheckLevel } from './run';

const SEVERITY: Record<ShellCheckLevel, Severity> = { error: 'error', warning: 'warning', info: 'info', style: 'hint' };

/** Whether a finding's code is ShellCheck's (SC2086). */
export function isShellCheckCode(id: string): boolean {
  return /^SC\d{4}$/.test(id);
}

/** ShellCheck's own page for one of its codes, on its wiki (the project documents its codes there). */
export function shellcheckWikiUrl(code: string): string {
  return `https://www.shellcheck.net/wiki/${code}`;
}

/** Whether ShellCheck is to run at all with these options (`rules: { shellcheck: off }` turns it off). */
export function shellcheckEnabled(options: Pick<LintOptions, 'rules'>): boolean {
  return options.rules?.shellcheck !== 'off';
}

/**
 * What ShellCheck's comments on one document are placed and filtered by: its lines, its ignore
 * comments and where its instructions start. It keeps nothing else of the model, so the CLI holds
 * this, not a model, for each file until ShellCheck has answered for all of them.
 */
export interface ScriptPlaces {
  range(span: Span): Range;
  instructionStartAt(offset: number): number | undefined;
  readonly ignores: IgnoreSet;
}

export function placesOf(model: DockerfileModel): ScriptPlaces {
  const { lines, instructionStarts } = model;
  return {
    range: (span) => lines.range(span.start, span.end),
    instructionStartAt: (offset) => lastAtOrBefore(instructionStarts, offset),
    ignores: readIgnores(model),
  };
}

/** The findings of ShellCheck's `comments` on a document's scripts, ignores and settings applied. */
export function shellcheckFindings(
  places: ScriptPlaces,
  comments: readonly ShellCheckComment[],
  options: Pick<LintOptions, 'rules' | 'hadolint'> = {},
): Finding[] {
  if (!shellcheckEnabled(options)) return [];
  const { ignores } = places;
  const out: Finding[] = [];
  for (const c of comments) {
    const id = `SC${c.code}`;
    if (ignores.global.has(id.toLowerCase()) || ignores.global.has('shellcheck') || ignores.global.has(`hadolint:${id}`)) continue;
    const local = ignores.local.get(places.instructionStartAt(c.instr.span.start) ?? c.instr.span.start);
    if (local && (local.has(id.toLowerCase()) || local.has('shellcheck') || local.has(`hadolint:${id}`))) continue;
    if (options.hadolint?.ignored.has(id)) continue;
    const configured = options.rules?.[id] ?? options.rules?.shellcheck;
    if (configured === 'off') continue;
    const severity = configured ?? options.hadolint?.override.get(id) ?? SEVERITY[c.level];
    const finding: Finding = { rule: id, severity, message: c.message, range: places.range({ start: c.start, end: c.end }) };
    Object.defineProperty(finding, 'peerCodes', { value: { hadolint: [id], buildkit: [] }, enumerable: false });
    out.push(finding);
  }
  return out;
}
