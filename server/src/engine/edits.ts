/**
 * Text edits that keep a Dockerfile's style: its line endings, the indentation of the lines around,
 * the case of its instruction keywords, its escape character and continuation layout. Fixes build
 * their edits with these helpers and never rewrite lines they do not change.
 */
import type { DockerfileModel, Instr } from '../model/model';
import type { Span } from '../model/text';

/**
 * A replacement of the text between two offsets of the document (UTF-16 code units). Every edit the
 * engine, the fixes, pinning and the conversion make is one of these; only the language server turns
 * them into LSP ranges (lsp/docState.ts `workspaceEdit`).
 */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** The file's line break, as its first line break is written. */
export function eolOf(text: string): string {
  const lf = text.indexOf('\n');
  return lf > 0 && text[lf - 1] === '\r' ? '\r\n' : '\n';
}

/** A keyword written the way the file writes its keywords (lower case when most are). */
export function keyword(model: DockerfileModel, kw: string): string {
  let lower = 0;
  let upper = 0;
  for (const i of model.instructions) {
    const written = model.text.slice(i.keywordSpan.start, i.keywordSpan.end);
    if (written === written.toLowerCase()) lower++;
    else upper++;
  }
  return lower > upper ? kw.toLowerCase() : kw.toUpperCase();
}

/** Leading blanks of the line an offset is on. */
export function indentAt(model: DockerfileModel, offset: number): string {
  const line = model.lines.positionAt(offset).line;
  return /^[ \t]*/.exec(model.lines.lineText(line))![0];
}

/** Applies non-overlapping edits to a text. Throws when two edits overlap. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const spans = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const s of spans) {
    if (s.start < at) throw new Error('overlapping edits');
    out += text.slice(at, s.start) + s.text;
    at = s.end;
  }
  return out + text.slice(at);
}

/** Collects edits against one model, in its offsets. */
export class EditBuilder {
  private readonly edits: Edit[] = [];
  readonly eol: string;

  constructor(readonly model: DockerfileModel) {
    this.eol = eolOf(model.text);
  }

  replace(span: Span, text: string): this {
    this.edits.push({ start: span.start, end: span.end, text });
    return this;
  }

  insert(offset: number, text: string): this {
    return this.replace({ start: offset, end: offset }, text);
  }

  delete(span: Span): this {
    return this.replace(span, '');
  }

  /** Inserts whole lines before the line `offset` is on, indented like that line. */
  insertLinesBefore(offset: number, lines: string[]): this {
    const line = this.model.lines.positionAt(offset).line;
    const start = this.model.lines.lineStarts[line];
    const indent = indentAt(this.model, start);
    return this.insert(start, lines.map((l) => indent + l + this.eol).join(''));
  }

  /** Inserts whole lines after the instruction (after its last line), indented like its first line. */
  insertLinesAfter(instr: Instr, lines: string[]): this {
    const endLine = this.model.lines.positionAt(instr.span.end).line;
    const indent = indentAt(this.model, instr.span.start);
    const lineEnd = this.model.lines.lineEnd(endLine);
    return this.insert(lineEnd, lines.map((l) => this.eol + indent + l).join(''));
  }

  /** Deletes an instruction's whole lines (the comment lines above it stay). */
  deleteInstruction(instr: Instr): this {
    const lines = this.model.lines;
    const first = lines.positionAt(instr.span.start).line;
    const last = lines.positionAt(instr.span.end).line;
    const start = lines.lineStarts[first];
    const end = last + 1 < lines.lineCount ? lines.lineStarts[last + 1] : lines.lineEnd(last);
    return this.delete({ start, end });
  }

  build(): Edit[] {
    return this.edits;
  }
}
