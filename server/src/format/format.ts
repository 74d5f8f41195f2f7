/**
 * Document formatting: the few edits that make a Dockerfile's layout regular, never a rewrite. The
 * model (its outline) says where each instruction, its keyword and its heredoc bodies are; the
 * formatter only changes blanks and the case of keywords, and only on the lines of an instruction
 * before its heredoc bodies (its "header"):
 *   - every keyword in the case most of the file's keywords use (upper case on a tie), as the rule
 *     instruction-casing counts them, and a FROM's `AS` in the same case;
 *   - one space between the keyword and what follows it on its line (the first argument, a flag,
 *     or the escape character of a continuation);
 *   - trailing blanks removed from the keyword line and the continuation lines (after an escape
 *     character too: the builder ends a continuation at an escape followed by blanks alike);
 *   - continuation lines indented by one unit beyond the instruction's line: the least indented
 *     continuation lines of an instruction get the unit, deeper ones keep what they have beyond those
 *     (nested `if … fi` blocks stay nested). The unit is the file's own when every continued
 *     instruction already indents by the same (non-empty) blanks, else 4 spaces;
 *   - a final line break (the file's own, as its first line break is written).
 * Left exactly as written: heredoc bodies and their delimiter lines, comment lines (inside
 * continuations too, indentation included: commented-out commands often sit at column 0), blank
 * lines, parser directives, line breaks (CRLF stays CRLF), the escape character, JSON arrays, ONBUILD's
 * trigger keyword, and the lines of an instruction whose keyword is not a Dockerfile keyword.
 *
 * A continuation line keeps its leading blanks in the arguments the builder reads (`echo "a \` then
 * `  b"` prints `a   b`; `PATH=/a:\` then `/b` is one word), so a line is re-indented only where its
 * leading blanks are separators: outside quotes and `${…}`, with an unescaped blank on one side of
 * the line break already, in an instruction whose arguments are separated by blanks (not WORKDIR,
 * USER, STOPSIGNAL, MAINTAINER, nor ENV and LABEL in their one-pair `key value` form, where blanks
 * are part of the value). A line where that is not certain keeps its indentation.
 */
import { INSTRUCTION_KEYWORDS } from '../model/instructionInfo';
import { DockerfileModel, type Instr } from '../model/model';
import { unfoldLine, type LogicalText } from '../model/logical';
import type { Span } from '../model/text';
import { eolOf, type Edit } from '../engine/edits';

export interface FormatOptions {
  /** Format only the instructions that intersect this span of the text (offsets). */
  range?: Span;
}

const KEYWORDS = new Set(INSTRUCTION_KEYWORDS);
/** Keywords whose arguments blanks outside quotes only separate (ENV and LABEL: in `key=value` form). */
const SEPARATED = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'RUN',
  'SHELL',
  'VOLUME',
]);
const DEFAULT_UNIT = '    ';

/** An instruction's lines, as the formatter sees them. */
interface Layout {
  instr: Instr;
  /** The keyword as written (letters only). */
  written: string;
  firstLine: number;
  /** The last line before the heredoc bodies (the last line of the instruction when it has none). */
  lastLine: number;
  /** The blanks before the keyword on its line. */
  indent: string;
  /** Continuation lines (not comments, not blank) whose leading blanks only separate arguments. */
  movable: number[];
  /** The indentation the movable lines share beyond `indent`; undefined when it cannot be told. */
  base?: string;
}

interface Context {
  model: DockerfileModel;
  text: string;
  lowerCase: boolean;
  unit: string;
}

const isBlank = (c: string | undefined) => c === ' ' || c === '\t';
const cased = (ctx: Context, w: string) => (ctx.lowerCase ? w.toLowerCase() : w.toUpperCase());

/** The edits that format `text` (or the instructions that intersect `options.range`). */
export function formatDockerfile(text: string, options: FormatOptions = {}): Edit[] {
  const model = new DockerfileModel(text);
  const layouts: Layout[] = [];
  let lower = 0;
  let upper = 0;
  for (const instr of model.instructions) {
    const w = text.slice(instr.keywordSpan.start, instr.keywordSpan.end);
    if (!/^[A-Za-z]+$/.test(w)) continue;
    if (w === w.toLowerCase()) lower++;
    else if (w === w.toUpperCase()) upper++;
    if (KEYWORDS.has(instr.keyword)) layouts.push(layoutOf(model, instr, w));
  }
  const ctx: Context = { model, text, lowerCase: lower > upper, unit: fileUnit(layouts) };
  const range = options.range;
  const edits: Edit[] = [];
  let lastFormatted = false;
  const lastLine = model.lines.lineCount - 1;
  for (const layout of layouts) {
    if (range && !intersects(layout.instr.span, range)) continue;
    edits.push(...instructionEdits(ctx, layout));
    if (layout.lastLine === lastLine) lastFormatted = true;
  }
  if (!range || lastFormatted || range.end >= model.lines.lineStarts[lastLine]) finalNewline(text, edits);
  return edits.sort((a, b) => a.start - b.start || a.end - b.end);
}

function intersects(span: Span, range: Span): boolean {
  if (range.start === range.end) return span.start <= range.start && range.start <= span.end;
  return span.start < range.end && span.end >= range.start;
}

/** Ends a text that has none with the file's line break (merged into an edit that ends there). */
function finalNewline(text: string, edits: Edit[]): void {
  if (!text.length || text.endsWith('\n') || text.endsWith('\r')) return;
  const eol = eolOf(text);
  const last = edits.find((e) => e.end === text.length);
  if (last) last.text += eol;
  else edits.push({ start: text.length, end: text.length, text: eol });
}

/** The indentation unit: the one every continued instruction shares, else 4 spaces. */
function fileUnit(layouts: Layout[]): string {
  let unit: string | undefined;
  for (const l of layouts) {
    if (!l.movable.length || l.base === undefined) continue;
    if (unit === undefined) unit = l.base;
    else if (unit !== l.base) return DEFAULT_UNIT;
  }
  return unit ? unit : DEFAULT_UNIT;
}

function layoutOf(model: DockerfileModel, instr: Instr, written: string): Layout {
  const { text, lines } = model;
  const firstLine = lines.positionAt(instr.span.start).line;
  const { logical, stop } = unfoldLine(text, instr.keywordSpan.end, instr.span.end, model.escapeChar);
  const lastLine = lines.positionAt(stop).line;
  const indent = text.slice(lines.lineStarts[firstLine], instr.span.start);
  const layout: Layout = { instr, written, firstLine, lastLine, indent, movable: [] };
  if (lastLine === firstLine || !separated(instr.keyword, logical.text)) return layout;
  const starts = new Set<number>();
  for (let line = firstLine + 1; line <= lastLine; line++) {
    const t = lines.lineText(line).trimStart();
    if (t && !t.startsWith('#')) starts.add(lines.lineStarts[line]);
  }
  const escapes = model.escapeChar === '\\' ? ['\\'] : ['\\' + model.escapeChar, model.escapeChar];
  let free: Set<number> | undefined;
  for (const e of escapes) {
    const found = freeJoins(logical, starts, e);
    free = free ? new Set([...free].filter((o) => found.has(o))) : found;
  }
  for (let line = firstLine + 1; line <= lastLine; line++) if (free!.has(lines.lineStarts[line])) layout.movable.push(line);
  layout.base = baseOf(model, layout);
  return layout;
}

/** Whether blanks outside quotes only separate the instruction's arguments. */
function separated(keyword: string, args: string): boolean {
  const first = /^\s*(\S*)/.exec(args)![1];
  if (keyword === 'ONBUILD')
    return first.toUpperCase() !== 'ONBUILD' && separated(first.toUpperCase(), args.slice(args.indexOf(first) + first.length));
  if (keyword === 'ENV' || keyword === 'LABEL') return first.includes('=');
  return SEPARATED.has(keyword);
}

/**
 * The offsets of `starts` (continuation lines' starts) where the logical text joins a line whose
 * leading blanks only separate words: outside quotes and `${…}`, not escaped, and with a blank on one
 * side of the join. `escapes`: the characters that escape the next one (a conservative guess at the
 * shell's: with a backtick escape directive, the scan is made with and without the backslash).
 */
function freeJoins(logical: LogicalText, starts: Set<number>, escapes: string): Set<number> {
  const out = new Set<number>();
  const t = logical.text;
  let quote = '';
  let escaped = false;
  let freeBlank = false;
  for (let k = 0; k <= t.length; k++) {
    if (k > 0) {
      const at = logical.at(k);
      if (starts.has(at) && !quote && !escaped && (freeBlank || isBlank(t[k]))) out.add(at);
    }
    if (k === t.length) break;
    const c = t[k];
    freeBlank = false;
    if (escaped) escaped = false;
    else if (quote === "'") quote = c === "'" ? '' : quote;
    else if (escapes.includes(c)) escaped = true;
    else if (quote) quote = c === quote ? '' : quote;
    else if (c === "'" || c === '"') quote = c;
    else if (c === '$' && t[k + 1] === '{') quote = '}';
    else freeBlank = isBlank(c);
  }
  return out;
}

/** The blanks the movable lines share beyond the instruction's own indentation. */
function baseOf(model: DockerfileModel, layout: Layout): string | undefined {
  if (!layout.movable.length || !/^[ \t]*$/.test(layout.indent)) return undefined;
  const indents = layout.movable.map((line) => /^[ \t]*/.exec(model.lines.lineText(line))![0]);
  let common = indents[0];
  for (const i of indents) {
    let n = 0;
    while (n < common.length && n < i.length && common[n] === i[n]) n++;
    common = common.slice(0, n);
  }
  if (!common.startsWith(layout.indent)) return undefined;
  const base = common.slice(layout.indent.length);
  // Tabs on some lines and spaces on others, with nothing in common: not a layout to guess at.
  if (!base && indents.every((i) => i.length > layout.indent.length)) return undefined;
  return base;
}

function instructionEdits(ctx: Context, layout: Layout): Edit[] {
  const { model, text } = ctx;
  const { instr, written } = layout;
  const edits: Edit[] = [];
  const replace = (start: number, end: number, to: string) => {
    if (text.slice(start, end) !== to) edits.push({ start, end, text: to });
  };
  replace(instr.keywordSpan.start, instr.keywordSpan.end, cased(ctx, written));
  const as = asWord(model, instr);
  if (as) replace(as.start, as.end, cased(ctx, text.slice(as.start, as.end)));
  const lines = model.lines;
  const firstEnd = lines.lineEnd(layout.firstLine);
  const gap = /^[ \t]*/.exec(text.slice(instr.keywordSpan.end, firstEnd))![0];
  const afterGap = instr.keywordSpan.end + gap.length;
  if (afterGap < firstEnd && gap) replace(instr.keywordSpan.end, afterGap, ' ');
  const unit = layout.base === undefined ? undefined : layout.indent + ctx.unit;
  const movable = new Set(layout.movable);
  for (let line = layout.firstLine; line <= layout.lastLine; line++) {
    const start = lines.lineStarts[line];
    const content = lines.lineText(line);
    const trimmed = content.trimStart();
    if (line > layout.firstLine && (!trimmed || trimmed.startsWith('#'))) continue; // blank and comment lines stay
    const trailing = /[ \t]+$/.exec(content);
    if (trailing && trailing.index > 0) replace(start + trailing.index, start + content.length, '');
    if (unit !== undefined && movable.has(line)) {
      const indent = /^[ \t]*/.exec(content)![0];
      replace(start, start + indent.length, unit + indent.slice(layout.indent.length + layout.base!.length));
    }
  }
  return edits;
}

/** The `AS` of `FROM image AS name`: the last word `as` between the image and the stage name. */
function asWord(model: DockerfileModel, instr: Instr): Span | undefined {
  if (instr.keyword !== 'FROM') return undefined;
  const stage = instr.stage?.from === instr ? instr.stage : model.stages.find((s) => s.from === instr);
  if (!stage?.nameSpan || !stage.imageSpan) return undefined;
  const between = model.text.slice(stage.imageSpan.end, stage.nameSpan.start);
  let found: Span | undefined;
  for (const m of between.matchAll(/(?<![^\s\\`])as(?![^\s\\`])/gi)) {
    const start = stage.imageSpan.end + m.index;
    found = { start, end: start + 2 };
  }
  return found;
}
