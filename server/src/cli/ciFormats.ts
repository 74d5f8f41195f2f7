/**
 * The output formats that CI systems read: GitHub Actions workflow commands (annotations),
 * Checkstyle XML, GitLab's code quality report (Code Climate JSON), JUnit XML, and a markdown summary
 * for a pull request comment. Each is checked in test/cli against what consumes it (an XSD, a JSON
 * schema, the Actions toolkit's escaping).
 */
import { createHash } from 'node:crypto';
import type { Severity } from '../engine/rule';
import { toJsonFindings, type FileFindings, type JsonFinding } from './formats';

// GitHub Actions ----------------------------------------------------------------------------------

/** The message of a workflow command, escaped as @actions/core's `escapeData` does. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value of a workflow command, escaped as @actions/core's `escapeProperty` does. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const GITHUB_COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };

/**
 * One workflow command a finding (`::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`):
 * the Actions runner turns each into an annotation on the file and line. Info and hint are notices.
 */
export function formatGithub(results: FileFindings[]): string {
  return toJsonFindings(results)
    .map((f) => {
      const props: [string, string | number][] = [
        ['file', f.file],
        ['line', f.line],
        ['col', f.column],
        ['endLine', f.endLine],
        ['endColumn', f.endColumn],
        ['title', f.rule],
      ];
      const list = props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
      return `::${GITHUB_COMMAND[f.severity]} ${list}::${escapeData(f.message)}\n`;
    })
    .join('');
}

// XML ---------------------------------------------------------------------------------------------

/**
 * Text for an XML attribute or element: the five special characters as entities, line breaks and
 * tabs as character references (an attribute's raw line break would be read back as a space), and
 * the characters XML 1.0 cannot carry at all (other control characters, lone surrogates) as U+FFFD.
 */
export function xmlEscape(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('');
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** Checkstyle's severities: hint has none of its own and is `info`. */
const CHECKSTYLE_SEVERITY: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'info', hint: 'info' };

/**
 * Checkstyle XML, as read by Jenkins' warnings-ng, reviewdog and SonarQube's importers: a `<file>`
 * per file linted (clean ones included: an empty element), an `<error>` per finding, its `source`
 * the dotted rule id (`dockerfile-hardener.root-user`).
 */
export function formatCheckstyle(results: FileFindings[]): string {
  const lines = [XML_DECLARATION + '<checkstyle version="4.3">'];
  for (const r of results) {
    const findings = toJsonFindings([r]);
    if (!findings.length) {
      lines.push(`  <file${attrs({ name: r.file })}/>`);
      continue;
    }
    lines.push(`  <file${attrs({ name: r.file })}>`);
    for (const f of findings) {
      const a = { line: f.line, column: f.column, severity: CHECKSTYLE_SEVERITY[f.severity], message: f.message };
      lines.push(`    <error${attrs({ ...a, source: `dockerfile-hardener.${f.rule}` })}/>`);
    }
    lines.push('  </file>');
  }
  lines.push('</checkstyle>');
  return lines.join('\n') + '\n';
}

/**
 * JUnit XML, as GitLab, Jenkins and Azure Pipelines show test results: a test suite per file, a
 * failing test case per finding (named `rule at line:col`, class name the file), and a passing test
 * case for a clean file, so that the report lists it.
 */
export function formatJunit(results: FileFindings[]): string {
  const all = toJsonFindings(results);
  const clean = results.filter((r) => !r.findings.length).length;
  const total = { name: 'dockerfile-hardener', tests: all.length + clean, failures: all.length, errors: 0 };
  const lines = [XML_DECLARATION + `<testsuites${attrs(total)}>`];
  for (const r of results) {
    const findings = toJsonFindings([r]);
    const suite = { name: r.file, tests: findings.length || 1, failures: findings.length, errors: 0, skipped: 0 };
    lines.push(`  <testsuite${attrs(suite)}>`);
    if (!findings.length) lines.push(`    <testcase${attrs({ name: 'no findings', classname: r.file })}/>`);
    for (const f of findings) {
      lines.push(`    <testcase${attrs({ name: `${f.rule} at ${f.line}:${f.column}`, classname: r.file })}>`);
      const body = `${f.file}:${f.line}:${f.column} ${f.severity} ${f.rule}\n${f.message}`;
      lines.push(`      <failure${attrs({ message: f.message, type: f.severity })}>${xmlEscape(body)}</failure>`);
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}

// GitLab code quality -----------------------------------------------------------------------------

/**
 * GitLab's severities for ours. Four levels stay four: an error (a build that breaks, a secret that
 * ships) is `critical`; a warning, which fails the job by default, `major`; info `minor`; hint `info`.
 * `blocker` is left unused: whether a finding blocks a merge is the fail level's call.
 */
const CODECLIMATE_SEVERITY: Record<Severity, string> = { error: 'critical', warning: 'major', info: 'minor', hint: 'info' };

interface CodeQualityIssue {
  type: 'issue';
  check_name: string;
  description: string;
  severity: string;
  fingerprint: string;
  location: { path: string; lines: { begin: number; end: number } };
}

/**
 * The finding's fingerprint, which GitLab compares between the target branch's report and the merge
 * request's to say what is new and what was fixed: a hash of the path, the rule and the text of the
 * lines the finding covers (blanks trimmed), never its line number, so that lines added above it leave
 * it the same. Not the message either, which may name another line ("the ENTRYPOINT on line 4
 * replaces it"). Findings that would share one in a file are numbered in file order.
 */
function fingerprints(file: string, text: string | undefined, findings: JsonFinding[]): string[] {
  const lines = text?.split(/\r\n|\r|\n/) ?? [];
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const covered = lines
      .slice(f.line - 1, f.endLine)
      .map((l) => l.trim())
      .join('\n');
    const key = JSON.stringify([file, f.rule, covered]);
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return createHash('sha256')
      .update(n ? `${key}#${n}` : key)
      .digest('hex')
      .slice(0, 32);
  });
}

/** GitLab's code quality report: a JSON array of Code Climate issues, one a finding. */
export function formatCodeclimate(results: FileFindings[]): string {
  const issues: CodeQualityIssue[] = [];
  for (const r of results) {
    const findings = toJsonFindings([r]);
    const prints = fingerprints(r.file, r.text, findings);
    findings.forEach((f, i) =>
      issues.push({
        type: 'issue',
        check_name: f.rule,
        description: `${f.rule}: ${f.message}`,
        severity: CODECLIMATE_SEVERITY[f.severity],
        fingerprint: prints[i],
        location: { path: f.file, lines: { begin: f.line, end: f.endLine } },
      }),
    );
  }
  return JSON.stringify(issues, null, 2) + '\n';
}

// Markdown ----------------------------------------------------------------------------------------

/** What a GitHub comment may hold (65,536 characters); the table stops short of it. */
export const MARKDOWN_LIMIT = 65_536;

/**
 * Text for a markdown table cell, on one line: the characters that start emphasis, code, links, HTML
 * or strikethrough escaped with a backslash, pipes too (GitHub reads `\|` in a cell as a pipe), and `&`
 * as an entity (`&lt;` stays text).
 */
export function markdownCell(s: string): string {
  return s
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;');
}

const SEVERITY_ORDER: Severity[] = ['error', 'warning', 'info', 'hint'];

/**
 * A summary for a pull request comment: one line of counts by severity, and a table of the findings
 * (most severe first), cut short with a line saying how many were left out before the comment would
 * pass GitHub's limit. A clean run is one line.
 */
export function formatMarkdown(results: FileFindings[], limit = MARKDOWN_LIMIT): string {
  const all = toJsonFindings(results);
  const files = `${results.length} file${results.length === 1 ? '' : 's'}`;
  if (!all.length) return `**Dockerfile Hardener**: no findings in ${files}.\n`;
  const counts = SEVERITY_ORDER.map((s) => [s, all.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n)
    .map(([s, n]) => `${n} ${s}${n === 1 ? '' : s === 'error' || s === 'warning' || s === 'hint' ? 's' : ''}`);
  const withFindings = new Set(all.map((f) => f.file)).size;
  const head = [
    `**Dockerfile Hardener**: ${all.length} finding${all.length === 1 ? '' : 's'} (${counts.join(', ')}) in ${withFindings} of ${files}.`,
    '',
    '| Severity | Rule | File:Line | Message |',
    '| --- | --- | --- | --- |',
  ].join('\n');
  const sorted = [...all].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
  const rows: string[] = [];
  let size = head.length + 1;
  // Room for the closing line, whatever the count in it.
  const reserve = 120;
  for (const f of sorted) {
    const row = `| ${f.severity} | ${markdownCell(f.rule)} | ${markdownCell(`${f.file}:${f.line}`)} | ${markdownCell(f.message)} |`;
    if (size + row.length + 1 + reserve > limit) break;
    rows.push(row);
    size += row.length + 1;
  }
  const left = sorted.length - rows.length;
  const tail = left ? `\n\n…and ${left} more finding${left === 1 ? '' : 's'} left out to stay under the comment size limit.` : '';
  return `${head}\n${rows.join('\n')}${tail}\n`;
}
