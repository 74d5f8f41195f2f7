/**
 * Logical text: an instruction's arguments as the builder sees them, with line continuations and the
 * comment / blank lines inside continuations removed, and a map from every logical character back to
 * its offset in the document, so that anything found in the logical text gets an exact source range.
 *
 * The map is kept as runs (a logical index and the document offset it came from; the characters after
 * it follow one to one until the next run), not as one number per character: an instruction has one
 * run per continuation line, and a per-character array was the largest allocation of a lint.
 */
export class LogicalText {
  /**
   * @param runs pairs, flat: logical index, document offset. Indexes increase; the first is 0.
   */
  constructor(
    readonly text: string,
    private readonly runs: readonly number[],
  ) {}

  /** The document offset of text[i]; at(text.length) is the offset just past the end. */
  at(i: number): number {
    const runs = this.runs;
    // The last run that starts at or before i (a handful of runs: a linear scan from the end would
    // do, but a heredoc body or a long JSON array can have many).
    let lo = 0;
    let hi = runs.length / 2 - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (runs[mid * 2] <= i) lo = mid;
      else hi = mid - 1;
    }
    return runs[lo * 2 + 1] + (i - runs[lo * 2]);
  }

  /** A slice of the text, with its map (at(to - from) of the slice is at(to) of this). */
  slice(from: number, to: number): LogicalText {
    const runs = new RunBuilder();
    runs.run(0, this.at(from));
    for (let k = 0; k < this.runs.length; k += 2) {
      const index = this.runs[k];
      if (index > from && index <= to) runs.run(index - from, this.runs[k + 1]);
    }
    return new LogicalText(this.text.slice(from, to), runs.done());
  }

  /** A text mapped one to one onto the document from `offset` (tests, plain strings). */
  static plain(text: string, offset = 0): LogicalText {
    return new LogicalText(text, [0, offset]);
  }
}

/** Collects the runs of a map; a run that only continues the one before is not recorded. */
export class RunBuilder {
  private readonly runs: number[] = [];

  /** Logical character `index` (and those after it) comes from document offset `offset`. */
  run(index: number, offset: number): void {
    const runs = this.runs;
    const n = runs.length;
    if (n > 0) {
      if (runs[n - 2] === index) {
        // The run before had no characters: this one replaces it (and may then continue the one before).
        runs.length = n - 2;
        this.run(index, offset);
        return;
      }
      if (runs[n - 1] + (index - runs[n - 2]) === offset) return;
    }
    runs.push(index, offset);
  }

  done(): number[] {
    return this.runs;
  }
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** Index of the line break at or after `i` (or `end`), and the offset just past it. */
function lineBreakAt(doc: string, i: number, end: number): [number, number] {
  while (i < end) {
    const c = doc.charCodeAt(i);
    if (c === 10) return [i, i + 1];
    if (c === 13) return [i, doc.charCodeAt(i + 1) === 10 ? i + 2 : i + 1];
    i++;
  }
  return [end, end];
}

/**
 * If `i` is an escape character that starts a line continuation (escape, optional blanks, line break)
 * returns the offset of the next line's start, else -1.
 */
function continuationAt(doc: string, i: number, end: number, escape: number): number {
  if (doc.charCodeAt(i) !== escape) return -1;
  let j = i + 1;
  while (j < end && isBlank(doc.charCodeAt(j))) j++;
  if (j >= end) return j === i + 1 ? -1 : end; // escape + blanks at the very end: a dangling continuation
  const c = doc.charCodeAt(j);
  if (c === 10) return j + 1;
  if (c === 13) return doc.charCodeAt(j + 1) === 10 ? j + 2 : j + 1;
  return -1;
}

/** After a continuation: skip the blank lines and comment lines the builder drops. */
function skipDroppedLines(doc: string, i: number, end: number): number {
  for (;;) {
    let j = i;
    while (j < end && isBlank(doc.charCodeAt(j))) j++;
    if (j >= end) return i;
    const c = doc.charCodeAt(j);
    if (c === 10 || c === 13) {
      i = lineBreakAt(doc, j, end)[1];
      continue;
    }
    if (c === 35 /* # */) {
      i = lineBreakAt(doc, j, end)[1];
      continue;
    }
    return i;
  }
}

/**
 * Unfolds `doc[start, end)` up to the first line break that is not a continuation. Returns the
 * logical text and the offset where unfolding stopped (the line break, or `end`).
 */
export function unfoldLine(doc: string, start: number, end: number, escapeChar: string): { logical: LogicalText; stop: number } {
  const runs = new RunBuilder();
  const { text, stop } = unfold(doc, start, end, escapeChar, runs);
  return { logical: new LogicalText(text, runs.done()), stop };
}

/** unfoldLine's work: the logical text, its runs recorded in `runs` (the stop offset the last). */
function unfold(doc: string, start: number, end: number, escapeChar: string, runs: RunBuilder): { text: string; stop: number } {
  const escape = escapeChar.charCodeAt(0);
  let text = '';
  let i = start;
  let runStart = i;
  runs.run(0, start);
  while (i < end) {
    const c = doc.charCodeAt(i);
    if (c === 10 || c === 13) break;
    if (c === escape) {
      const next = continuationAt(doc, i, end, escape);
      if (next >= 0) {
        text += doc.slice(runStart, i);
        i = skipDroppedLines(doc, next, end);
        runStart = i;
        runs.run(text.length, i);
        continue;
      }
      // An escaped character: keep both (the shell or the instruction sees them).
      i += 2;
      continue;
    }
    i++;
  }
  if (i > end) i = end;
  // The stop offset is where the last run leads (an escaped character at `end` can take i past it).
  text += doc.slice(runStart, i);
  runs.run(text.length, i);
  return { text, stop: i };
}

/**
 * Where the first non-blank logical character of `doc[start, end)` is, or where unfolding stops when
 * there is none: `unfoldLine`'s answer for the first match of /\S/, without building the logical text
 * (the model asks this of every instruction, whose arguments may run for many lines).
 */
export function firstNonBlank(doc: string, start: number, end: number, escapeChar: string): number {
  const escape = escapeChar.charCodeAt(0);
  let i = start;
  while (i < end) {
    const c = doc.charCodeAt(i);
    if (c === 10 || c === 13) return i;
    if (c === escape) {
      const next = continuationAt(doc, i, end, escape);
      if (next < 0) return i; // kept, and not blank
      i = skipDroppedLines(doc, next, end);
      continue;
    }
    if (c === 32 || c === 9 || (c > 127 || c === 11 || c === 12 ? /\s/.test(doc[i]) : false)) {
      i++;
      continue;
    }
    return i;
  }
  return Math.min(i, end);
}

/**
 * The logical text of a whole instruction's arguments: the first line unfolded, then (for heredocs)
 * the rest of the instruction verbatim, since heredoc bodies are not subject to continuations.
 */
export function logicalArguments(doc: string, start: number, end: number, escapeChar: string): LogicalText {
  const runs = new RunBuilder();
  const { text, stop } = unfold(doc, start, end, escapeChar, runs);
  if (stop >= end) return new LogicalText(text, runs.done());
  // The rest follows from `stop`, where the unfolded line's map ended.
  return new LogicalText(text + doc.slice(stop, end), runs.done());
}

/**
 * The document offset just past logical character `i - 1`: where a token that ends before logical
 * index `i` ends in the document. Not `map[i]`, which for a token right before a line continuation
 * is the first character of the next line.
 */
export function endOffset(l: LogicalText, i: number): number {
  if (i <= 0) return l.at(0);
  return l.at(Math.min(i, l.text.length) - 1) + 1;
}
