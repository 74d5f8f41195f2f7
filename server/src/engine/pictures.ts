/**
 * Caret pictures: a Dockerfile with its findings drawn under the lines they start on.
 *
 *     FROM alpine
 *     USER root
 *     #    ^^^^ root-user
 *
 * An annotation line is `#` (or nothing, when the range starts in column 0), spaces up to the
 * range's first column, one caret per character, then the rule id. A range that ends on a later line
 * has carets to the end of its first line and ` ~+N:C` after the id (N lines down, character C).
 * Rule examples and tests are written this way: one string compare checks start, end and id together.
 */
import type { Finding } from './findings';

const ANNOTATION = /^#?\s*\^+ [a-z0-9-]+(?: ~\+\d+:\d+)?\s*$/;

export function isAnnotation(line: string): boolean {
  return ANNOTATION.test(line);
}

/** The Dockerfile without its annotation lines (line endings kept). */
export function stripPicture(picture: string): string {
  return picture
    .split(/(?<=\n)/)
    .filter((l) => !isAnnotation(l.replace(/\r?\n$/, '')))
    .join('');
}

/** Draws `findings` under the lines of `source`. */
export function renderPicture(source: string, findings: Pick<Finding, 'rule' | 'range'>[]): string {
  const lines = source.split(/\r?\n/);
  const byLine = new Map<number, string[]>();
  const sorted = [...findings].sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.rule.localeCompare(b.rule),
  );
  for (const f of sorted) {
    const { start, end } = f.range;
    const text = lines[start.line] ?? '';
    const endChar = end.line === start.line ? end.character : text.length;
    const width = Math.max(1, endChar - start.character);
    const lead = start.character === 0 ? '' : '#' + ' '.repeat(start.character - 1);
    const tail = end.line === start.line ? '' : ` ~+${end.line - start.line}:${end.character}`;
    const list = byLine.get(start.line) ?? [];
    list.push(`${lead}${'^'.repeat(width)} ${f.rule}${tail}`);
    byLine.set(start.line, list);
  }
  const out: string[] = [];
  lines.forEach((l, i) => {
    out.push(l);
    for (const a of byLine.get(i) ?? []) out.push(a);
  });
  // A finding past the last line (should not happen) is still shown.
  for (const [line, anns] of byLine) if (line >= lines.length) out.push(...anns);
  return out.join('\n');
}
