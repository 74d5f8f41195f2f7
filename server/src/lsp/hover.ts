/**
 * Hover (textDocument/hover) as plain LSP markdown, for any editor. On a finding the server published:
 * its rule's summary, why it matters, one example of what it reports and what its fixes do, read from
 * the rule's page (docs/rules/<id>.md, shipped beside the server: its bundle holds no rationale or
 * examples). A rule whose page is missing gets its summary only.
 *
 * `hoverAt` gathers what each source has to say at a position; the findings are one source
 * (`findingsHover`), and others (what is known of an image) join it there.
 */
import { MarkupKind, type Hover, type Position, type Range } from 'vscode-languageserver/node';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding } from '../engine/findings';
import type { Fix } from '../engine/rule';
import { rulePages, type RulePage, type RulePages } from '../docs/rulePages';
import { ruleById } from '../rules';

/**
 * What hover keeps of a published finding: where it is, its rule and its fixes' titles and kinds.
 * Not the finding itself: its fixes hold the document's model, which the server keeps for a few
 * documents only (documents.ts, KEPT_STATES).
 */
export interface PublishedFinding {
  rule: string;
  range: Finding['range'];
  fixes?: readonly { title: string; kind: Fix['kind'] }[];
}

export function published(f: Finding): PublishedFinding {
  return { rule: f.rule, range: f.range, ...(f.fixes?.length ? { fixes: f.fixes.map((x) => ({ title: x.title, kind: x.kind })) } : {}) };
}

/** What hover reads of a document. */
export interface HoverSources {
  /** The findings last published for the document. */
  findings: readonly PublishedFinding[];
  /** Where the rules' pages are read from (default: beside the server). */
  pages?: RulePages;
}

/** The hover at a position, or null when nothing there has anything to say. */
export function hoverAt(sources: HoverSources, position: Position): Hover | null {
  if (!Number.isInteger(position?.line) || !Number.isInteger(position?.character)) return null;
  const findings = findingsHover(sources.findings, position, sources.pages ?? rulePages);
  const parts = findings ? [findings.markdown] : [];
  if (!parts.length) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n---\n\n') },
    ...(findings?.range ? { range: findings.range } : {}),
  };
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

/** Whether a position is in a range, both ends included (the cursor right after a word is on it). */
export function contains(range: Range, p: Position): boolean {
  return before(range.start, p) && before(p, range.end);
}

/**
 * The markdown for the findings of built-in rules whose range holds the position (one section each,
 * one per rule), and the range to highlight (the narrowest of them); undefined when there is none.
 */
export function findingsHover(
  findings: readonly PublishedFinding[],
  position: Position,
  pages: RulePages,
): { markdown: string; range: Range } | undefined {
  const seen = new Set<string>();
  const here = findings.filter((f) => contains(f.range, position) && ruleById(f.rule) && !seen.has(f.rule) && seen.add(f.rule));
  if (!here.length) return undefined;
  const range = here.map((f) => f.range).reduce((a, b) => (before(a.start, b.start) && before(b.end, a.end) ? b : a));
  return { markdown: here.map((f) => findingSection(f, pages.get(f.rule))).join('\n\n---\n\n'), range };
}

const KIND: Record<Fix['kind'], string> = {
  safe: 'safe: keeps what the image does; "fix all" and `dockerfile-hardener fix` apply it',
  suggestion: 'suggestion: changes what is built or run; applied only when you pick it',
};

/** One finding's section: from its rule's page, or its summary alone when there is no page. */
function findingSection(f: PublishedFinding, page: RulePage | undefined): string {
  const rule = ruleById(f.rule)!;
  const out = [`**${f.rule}**: ${page?.summary || rule.summary}`];
  if (!page) return out.join('\n\n');
  const why = firstParagraph(page.why);
  if (why) out.push(`**Why.** ${linked(why, page.file)}`);
  if (page.example) out.push('Reported, for example:', '```dockerfile\n' + page.example + '\n```');
  // The fixes this finding carries are what the quick-fix menu offers; without them, the page's.
  const fixes = f.fixes?.length ? f.fixes : page.fixes;
  const shown = [...new Map(fixes.map((x) => [x.title, x])).values()].slice(0, 3);
  if (shown.length) {
    const label = f.fixes?.length ? 'Quick fixes' : 'Fixes it offers (from its page)';
    out.push(`**${label}:**\n${shown.map((x) => `- ${escape(x.title)} (${KIND[x.kind]})`).join('\n')}`);
  } else out.push('No quick fix: the page says what to change.');
  out.push(`[The rule's page](${pathToFileURL(page.file).href})`);
  return out.join('\n\n');
}

/** The first paragraph of a section (a hover is no place for the whole page). */
function firstParagraph(markdown: string): string {
  return (markdown.split(/\n\s*\n/)[0] ?? '').replace(/\s*\n\s*/g, ' ').trim();
}

/** Relative links of a page resolved beside it where the file is there, else left as their text. */
function linked(markdown: string, file: string): string {
  return markdown.replace(/\[([^\]]*)\]\(([^)\s]+)\)/g, (all, label: string, target: string) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return all;
    const to = path.resolve(path.dirname(file), target.split('#')[0]);
    return target.split('#')[0] && existsSync(to) ? `[${label}](${pathToFileURL(to).href})` : label;
  });
}

/** A fix title as markdown text (titles quote Dockerfile text, which may hold `*` or `_`). */
function escape(text: string): string {
  return text.replace(/[\\`*_[\]<>]/g, '\\$&');
}
