/**
 * The rules' pages, docs/rules/<id>.md (generated from each rule by scripts/generate.ts), read from
 * disk: the .vsix and the npm package ship them beside dist/, so a diagnostic's code opens the page
 * on this machine, the hover shows its parts and the CLI prints it, with no website. The server's
 * bundle leaves out the rules' rationale and examples (scripts/build.mjs): for it the page is the
 * only source.
 *
 * Where the pages are: beside the running bundle (dist/server.js, dist/cli.js → ../docs/rules), else
 * in the repository (running from sources: server/src/docs → ../../../docs/rules). No page: no link,
 * never an invented one.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The parts of a rule's page that the hover, SARIF and the CLI show. */
export interface RulePage {
  id: string;
  /** The page's absolute path. */
  file: string;
  /** The page as written, less its "generated from" comment. */
  text: string;
  /** The line under the title: what is wrong. */
  summary: string;
  /** The "Why" section (markdown). */
  why: string;
  /** The first Dockerfile the rule reports, with its caret picture; undefined when the page shows none. */
  example?: string;
  /** The fixes the page's examples show, in order: their titles and kinds. */
  fixes: { title: string; kind: 'safe' | 'suggestion' }[];
}

const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** The folders a page may be in, first found first: beside the bundle, then the repository's. */
export const DEFAULT_PAGE_DIRS = [path.resolve(__dirname, '..', 'docs', 'rules'), path.resolve(__dirname, '..', '..', '..', 'docs', 'rules')];

/** The pages of the folders given, each read and parsed once (they do not change while the program runs). */
export class RulePages {
  private readonly files = new Map<string, string | null>();
  private readonly pages = new Map<string, RulePage | null>();

  constructor(private readonly dirs: readonly string[] = DEFAULT_PAGE_DIRS) {}

  /** The page's absolute path, or undefined when no folder has it (or `id` is no rule id). */
  fileOf(id: string): string | undefined {
    let file = this.files.get(id);
    if (file === undefined) {
      file = (ID.test(id) && this.dirs.map((d) => path.join(d, `${id}.md`)).find((f) => existsSync(f))) || null;
      this.files.set(id, file);
    }
    return file ?? undefined;
  }

  /** The page as a file:// URI, for a diagnostic's codeDescription; undefined when there is no page. */
  href(id: string): string | undefined {
    const file = this.fileOf(id);
    return file && pathToFileURL(file).href;
  }

  /** The page, parsed; undefined when there is none or it cannot be read. */
  get(id: string): RulePage | undefined {
    let page = this.pages.get(id);
    if (page === undefined) {
      const file = this.fileOf(id);
      let text: string | undefined;
      try {
        text = file ? readFileSync(file, 'utf8') : undefined;
      } catch {
        text = undefined;
      }
      page = file && text !== undefined ? parseRulePage(id, file, text) : null;
      this.pages.set(id, page);
    }
    return page ?? undefined;
  }
}

/** The pages beside the running program. */
export const rulePages = new RulePages();

/** A page's sections by their `## ` heading ('' for what comes before the first), outside code blocks. */
function sections(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>([['', []]]);
  let current = out.get('')!;
  let fenced = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = !fenced && /^## (.+)$/.exec(line);
    if (heading) out.set(heading[1].trim(), (current = []));
    else current.push(line);
  }
  return out;
}

/** The contents of the code blocks of a section, with their language. */
function codeBlocks(lines: readonly string[]): { lang: string; code: string }[] {
  const out: { lang: string; code: string }[] = [];
  let open: { lang: string; lines: string[] } | undefined;
  for (const line of lines) {
    if (line.startsWith('```')) {
      if (open) out.push({ lang: open.lang, code: open.lines.join('\n') });
      open = open ? undefined : { lang: line.slice(3).trim(), lines: [] };
    } else open?.lines.push(line);
  }
  return out;
}

export function parseRulePage(id: string, file: string, raw: string): RulePage {
  const text = raw.replace(/\r\n/g, '\n').replace(/^<!--[^\n]*-->\n/, '');
  const parts = sections(text);
  const head = parts.get('')!;
  const title = head.findIndex((l) => l.startsWith('# '));
  const summary = head.slice(title + 1).find((l) => l.trim()) ?? '';
  const why = (parts.get('Why') ?? []).join('\n').trim();
  const example = codeBlocks(parts.get('Examples') ?? []).find((b) => b.lang === 'dockerfile')?.code;
  const fixes: RulePage['fixes'] = [];
  let fenced = false;
  for (const line of parts.get('Fixes') ?? []) {
    if (line.startsWith('```')) fenced = !fenced;
    const m = !fenced && /^\*\*(.+)\*\* \((safe|suggestion)\)$/.exec(line);
    if (m) fixes.push({ title: m[1], kind: m[2] as 'safe' | 'suggestion' });
  }
  return { id, file, text, summary: summary.trim(), why, example, fixes };
}

/**
 * Markdown for a place where the page's relative links lead nowhere (SARIF in code scanning): each
 * link to another page or file becomes its text; links with a scheme stay.
 */
export function withoutRelativeLinks(markdown: string): string {
  return markdown.replace(/(!?)\[([^\]]*)\]\(([^)\s]+)\)/g, (all, image: string, label: string, target: string) =>
    /^[a-z][a-z0-9+.-]*:/i.test(target) ? all : image ? '' : label,
  );
}

/** Plain text of page markdown (SARIF's `text` fields are shown as they are): no fences, links or emphasis marks. */
export function plainText(markdown: string): string {
  return withoutRelativeLinks(markdown)
    .split('\n')
    .filter((l) => !l.startsWith('```'))
    .join('\n')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
