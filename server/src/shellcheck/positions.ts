/**
 * ShellCheck's positions (json1: 1-based lines and columns, a column counting characters, a tab as
 * one) as indexes into the script text, and from there document offsets.
 */
import { endOffset, type LogicalText } from '../model/logical';

/** Converts `line`/`column` pairs of one script to indexes into its text. */
export class ScriptPositions {
  private lineStarts?: number[];

  constructor(private readonly script: LogicalText) {}

  /**
   * The index of a 1-based line and column. ShellCheck counts code points (a character outside the
   * BMP is one column, two UTF-16 units here); a column past the line's end is its end (the line
   * break), a line past the last is the text's end.
   */
  index(line: number, column: number): number {
    const text = this.script.text;
    const starts = (this.lineStarts ??= lineStartsOf(text));
    if (!(line >= 1)) return 0;
    if (line > starts.length) return text.length;
    let i = starts[line - 1];
    const lineEnd = line < starts.length ? starts[line] - 1 : text.length;
    for (let c = 1; c < column && i < lineEnd; c++) {
      const code = text.charCodeAt(i);
      i += code >= 0xd800 && code <= 0xdbff && i + 1 < lineEnd ? 2 : 1;
    }
    return i;
  }

  /** Document offsets of a range: its first character's, and just past its last one. */
  span(line: number, column: number, endLine: number, endColumn: number): { start: number; end: number } {
    const s = this.index(line, column);
    const e = Math.max(s, this.index(endLine, endColumn));
    const start = this.script.at(s);
    return { start, end: e > s ? endOffset(this.script, e) : start };
  }
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
