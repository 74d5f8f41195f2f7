/** The CLI's output formats: text (one finding a line), JSON, and SARIF 2.1.0 for code scanning. */
import * as path from 'node:path';
import type * as Sarif from 'sarif';
import { pathToFileURL } from 'node:url';
import { rules } from '../rules';
import type { Rule, Severity } from '../engine/rule';
import { plainText, rulePages, withoutRelativeLinks } from '../docs/rulePages';
import { isShellCheckCode, shellcheckWikiUrl } from '../shellcheck/findings';
import type { Finding } from '../engine/findings';
import { version } from '../../../package.json';

export interface FileFindings {
  /** The path as shown to the user (relative to the working directory when inside it). */
  file: string;
  findings: Finding[];
  /** The file's text, where the format reads the lines a finding covers (codeclimate's fingerprints). */
  text?: string;
}

export interface JsonFinding {
  file: string;
  rule: string;
  severity: Severity;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export function toJsonFindings(results: FileFindings[]): JsonFinding[] {
  const out: JsonFinding[] = [];
  for (const r of results) {
    for (const f of r.findings) {
      out.push({
        file: r.file,
        rule: f.rule,
        severity: f.severity,
        message: f.message,
        line: f.range.start.line + 1,
        column: f.range.start.character + 1,
        endLine: f.range.end.line + 1,
        endColumn: f.range.end.character + 1,
      });
    }
  }
  return out;
}

export function formatText(results: FileFindings[]): string {
  return toJsonFindings(results)
    .map((f) => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.rule} ${f.message}`)
    .map((l) => l + '\n')
    .join('');
}

export function formatJson(results: FileFindings[]): string {
  return JSON.stringify(toJsonFindings(results), null, 2) + '\n';
}

const SARIF_LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
  hint: 'note',
};

/**
 * SARIF has three levels of problem (error, warning, note) for our four severities, and its fourth
 * level, `none`, is for results that are no problem at all (a `kind` other than `fail`), which code
 * scanning does not show as alerts. So info and hint are both `note`, and kept apart by `rank`
 * (SARIF's priority, 0 to 100) and by our severity in the result's properties.
 */
const SARIF_RANK: Record<Severity, number> = { error: 90, warning: 60, info: 30, hint: 10 };

/** Plain text of a rule's markdown rationale on one line (SARIF `text` fields are not rendered). */
function plain(markdown: string): string {
  return plainText(markdown).replace(/\s*\n\s*/g, ' ');
}

/**
 * A rule's help for code scanning, which shows it without any website: its page (why, examples,
 * fixes) as shipped in docs/rules, less its title (the alert names the rule) and the links to other
 * pages, which lead nowhere there. Without the page (a dist/cli.js copied alone), the rule's own
 * summary and rationale, which the CLI's bundle keeps.
 */
function ruleHelp(rule: Rule): string {
  const page = rulePages.get(rule.id);
  const markdown = page ? page.text.replace(/^# [^\n]*\n+/, '') : `${rule.summary}\n\n## Why\n\n${rule.rationale}\n`;
  return withoutRelativeLinks(markdown).trimEnd() + '\n';
}

function sarifRule(rule: Rule): Sarif.ReportingDescriptor {
  const help = ruleHelp(rule);
  // SARIF wants `name` to differ from `id` (SARIF1001): PascalCase, omitted for one-word ids.
  const name = rule.id.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());
  return {
    id: rule.id,
    ...(name.toLowerCase() === rule.id.toLowerCase() ? {} : { name }),
    shortDescription: { text: rule.summary },
    fullDescription: { text: plain(rule.rationale) },
    help: { text: plainText(help), markdown: help },
    defaultConfiguration: { level: SARIF_LEVEL[rule.severity], rank: SARIF_RANK[rule.severity], enabled: rule.enabled !== false },
    properties: {
      tags: ['dockerfile', 'security'],
      precision: 'high',
      'problem.severity': rule.severity === 'error' ? 'error' : rule.severity === 'warning' ? 'warning' : 'recommendation',
    },
  };
}

/**
 * Where a result is, in SARIF: a file inside the working directory by a relative URI against
 * `%SRCROOT%` (what code scanning resolves against the checkout), with `/` separators; any other
 * file by its absolute `file://` URI (a relative URI may not climb out of its base: GitHub's
 * ingestion rules reject `../x` and an absolute path given as a relative URI).
 */
export function artifactLocation(file: string, cwd = process.cwd()): Sarif.ArtifactLocation & { uri: string } {
  if (file !== '-') {
    const abs = path.resolve(cwd, file);
    const rel = path.relative(cwd, abs);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return { uri: pathToFileURL(abs).href };
    file = rel;
  }
  return { uri: file.split(/[\\/]/).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

/** A ShellCheck code's descriptor (SC2086): its wiki page; the messages say what each finding is. */
function shellcheckRule(id: string, message: string): Sarif.ReportingDescriptor {
  return {
    id,
    shortDescription: { text: `ShellCheck ${id}: ${message}` },
    helpUri: shellcheckWikiUrl(id),
    properties: { tags: ['dockerfile', 'shellcheck'] },
  };
}

/** A custom rule's descriptor (`customRules:` in the project's config): its message is all it says of itself. */
function customRule(id: string, message: string): Sarif.ReportingDescriptor {
  return { id, shortDescription: { text: message }, properties: { tags: ['dockerfile', 'custom'] } };
}

export function formatSarif(results: FileFindings[]): string {
  const descriptors = rules.map(sarifRule);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  for (const f of results.flatMap((r) => r.findings)) {
    if (index.has(f.rule)) continue;
    index.set(f.rule, descriptors.length);
    descriptors.push(isShellCheckCode(f.rule) ? shellcheckRule(f.rule, f.message) : customRule(f.rule, f.message));
  }
  const sarif: Sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'dockerfile-hardener',
            version,
            semanticVersion: version,
            rules: descriptors,
          },
        },
        columnKind: 'utf16CodeUnits',
        results: toJsonFindings(results).map((f): Sarif.Result => ({
          ruleId: f.rule,
          ruleIndex: index.get(f.rule),
          level: SARIF_LEVEL[f.severity],
          rank: SARIF_RANK[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: artifactLocation(f.file),
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
          properties: { severity: f.severity },
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
