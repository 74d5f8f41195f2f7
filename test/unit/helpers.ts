/**
 * Test helpers: spans drawn as carets under the text they cover, so that one string compare checks
 * where a span starts and ends, and rule cases run as caret pictures.
 */
import * as assert from 'node:assert/strict';
import { lint } from '../../server/src/linter/lint';
import { type LintOptions } from '../../server/src/engine/findings';
import { renderPicture, stripPicture } from '../../server/src/engine/pictures';
import { LineIndex, type Span } from '../../server/src/model/text';
import { applyEdits } from '../../server/src/engine/edits';
import type { BuildContext } from '../../server/src/model/context';
import { rules } from '../../server/src/rules';

/**
 * Every line of `text`, each followed by one caret line per span that covers part of it, in the order
 * of `spans`. A span that runs past the end of a line (over its line break) gets a `+` after its
 * carets; an empty span is drawn as `|`.
 *
 *     underline('RUN echo hi', [{ start: 9, end: 11 }])  ===  'RUN echo hi\n         ^^'
 *
 * `first` and `last` (0-based, inclusive) limit the picture to those source lines.
 */
export function underline(text: string, spans: (Span | undefined)[], first = 0, last = Infinity): string {
  const lines = new LineIndex(text);
  const out: string[] = [];
  for (let line = first; line < Math.min(lines.lineCount, last + 1); line++) {
    out.push(lines.lineText(line));
    const start = lines.lineStarts[line];
    const end = lines.lineEnd(line);
    for (const s of spans) {
      assert.ok(s, 'span expected');
      if (s.start === s.end) {
        if (s.start >= start && s.start <= end) out.push(' '.repeat(s.start - start) + '|');
        continue;
      }
      const a = Math.max(s.start, start);
      const b = Math.min(s.end, end);
      if (s.start > end || s.end <= start || (a === b && s.end <= end)) continue;
      out.push(' '.repeat(a - start) + '^'.repeat(b - a) + (s.end > end && line + 1 < lines.lineCount ? '+' : ''));
    }
  }
  return out.join('\n');
}

/** The text a span covers. */
export function slice(text: string, span: Span | undefined): string {
  assert.ok(span, 'span expected');
  return text.slice(span.start, span.end);
}

/** A rule's case: a Dockerfile with the caret picture of what `rule` reports (nothing for a valid one). */
export interface RuleCase {
  name: string;
  /** The Dockerfile, with caret annotation lines for an invalid case. */
  code: string;
  options?: Omit<LintOptions, 'only'>;
}

/**
 * A rule's tests are about the rule: one that is off by default is turned on at its own severity
 * (a case's own `rules` setting wins).
 */
export function enabling(rule: string, options: Omit<LintOptions, 'only'> = {}): Omit<LintOptions, 'only'> {
  const r = rules.find((x) => x.id === rule);
  if (!r || r.enabled !== false) return options;
  return { ...options, rules: { [rule]: r.severity, ...options.rules } };
}

/** Lints the picture's Dockerfile with `rule` alone and asserts that the findings draw the same picture. */
export function assertPicture(rule: string, picture: string, options: Omit<LintOptions, 'only'> = {}): void {
  const source = stripPicture(picture);
  const errors: unknown[] = [];
  const { findings } = lint(source, { ...enabling(rule, options), only: [rule], onRuleError: (_id, e) => errors.push(e) });
  assert.deepEqual(errors, []);
  assert.equal(renderPicture(source, findings), picture);
}

/** Registers one mocha test per case: `valid` cases must report nothing, `invalid` ones their picture. */
export function ruleCases(rule: string, cases: { valid: RuleCase[]; invalid: RuleCase[] }): void {
  describe('valid', () => {
    for (const c of cases.valid) {
      it(c.name, () => {
        assert.ok(!/\^ [a-z-]+/.test(c.code), 'a valid case has no carets');
        assertPicture(rule, c.code, c.options);
      });
    }
  });
  describe('invalid', () => {
    for (const c of cases.invalid) {
      it(c.name, () => {
        assert.ok(c.code !== stripPicture(c.code), 'an invalid case needs a caret picture');
        assertPicture(rule, c.code, c.options);
      });
    }
  });
}

/** The messages `rule` reports on `source`. */
export function messages(rule: string, source: string, options: Omit<LintOptions, 'only'> = {}): string[] {
  return lint(source, { ...enabling(rule, options), only: [rule] }).findings.map((f) => f.message);
}

/** `line:character severity` of each finding `rule` reports on `source` (1-based line, 0-based character). */
export function severities(rule: string, source: string, options: Omit<LintOptions, 'only'> = {}): string[] {
  return lint(source, { ...enabling(rule, options), only: [rule] }).findings.map(
    (f) => `${f.range.start.line + 1}:${f.range.start.character} ${f.severity}`,
  );
}

/**
 * A build context held in memory (paths relative to its root, as COPY names them): what the CLI and
 * the server read from disk next to a Dockerfile (engine/buildContext.ts, tested on disk in its own file).
 */
export function memoryContext(files: Record<string, string>): BuildContext {
  const norm = (p: string) => p.replace(/^\.?\/+/, '').replace(/\/+$/, '');
  const paths = Object.keys(files).map(norm);
  return {
    readFile: (p) => files[norm(p)] ?? files[`./${norm(p)}`],
    exists: (p) => paths.some((f) => f === norm(p) || f.startsWith(`${norm(p)}/`)),
    list: (p) => {
      const dir = norm(p) === '.' ? '' : norm(p);
      const under = paths.filter((f) => (dir ? f.startsWith(`${dir}/`) : true)).map((f) => f.slice(dir ? dir.length + 1 : 0).split('/')[0]);
      return under.length || !dir ? [...new Set(under)].sort() : undefined;
    },
    head: (p, max) => (files[norm(p)] === undefined ? undefined : Buffer.from(files[norm(p)], 'latin1').subarray(0, max)),
  };
}

/** The fixes of the first finding of `rule` on `text`, as titles, `*` marking the preferred one. */
export function fixTitles(rule: string, text: string, options: Omit<LintOptions, 'only'> = {}): string[] {
  const f = lint(text, { ...enabling(rule, options), only: [rule] }).findings.find((x) => x.rule === rule);
  assert.ok(f, `no ${rule} finding in:\n${text}`);
  return (f.fixes ?? []).map((x) => `${x.preferred ? '* ' : ''}${x.title}`);
}

/** Applies the fix of the first `rule` finding whose title starts with `title` (default: the preferred one). */
export async function applyFix(rule: string, text: string, title?: string, options: Omit<LintOptions, 'only'> = {}): Promise<string> {
  const f = lint(text, { ...enabling(rule, options), only: [rule] }).findings.find((x) => x.rule === rule);
  assert.ok(f, `no ${rule} finding in:\n${text}`);
  const fix = title ? f.fixes?.find((x) => x.title.startsWith(title)) : f.fixes?.find((x) => x.preferred);
  assert.ok(fix, `no fix ${title ?? '(preferred)'} among ${(f.fixes ?? []).map((x) => x.title).join(' | ')}`);
  return applyEdits(text, await fix.edits({}));
}
