/**
 * Logical text: an instruction's arguments as the builder sees them, with line continuations and the
 * comment / blank lines inside continuations removed, and a map from every logical character back to
 * its offset in the document, so that anything found in the logical text gets an exact source range.
 */

export interface LogicalText {
  text: string;
  /** map[i] is the document offset of text[i]; map[text.length] is the offset just past the end. */
  map: number[];
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
  const escape = escapeChar.charCodeAt(0);
  const out: string[] = [];
  const map: number[] = [];
  let i = start;
  let runStart = i;
  const flush = (to: number) => {
    if (to > runStart) {
      out.push(doc.slice(runStart, to));
      for (let k = runStart; k < to; k++) map.push(k);
    }
  };
  while (i < end) {
    const c = doc.charCodeAt(i);
    if (c === 10 || c === 13) break;
    if (c === escape) {
      const next = continuationAt(doc, i, end, escape);
      if (next >= 0) {
        flush(i);
        i = skipDroppedLines(doc, next, end);
        runStart = i;
        continue;
      }
      // An escaped character: keep both (the shell or the instruction sees them).
      i += 2;
      continue;
    }
    i++;
  }
  if (i > end) i = end;
  flush(i);
  map.push(i);
  return { logical: { text: out.join(''), map }, stop: i };
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
  const { logical, stop } = unfoldLine(doc, start, end, escapeChar);
  if (stop >= end) return logical;
  const rest = doc.slice(stop, end);
  logical.map.pop();
  for (let k = stop; k < end; k++) logical.map.push(k);
  logical.map.push(end);
  logical.text += rest;
  return logical;
}

/**
 * The document offset just past logical character `i - 1`: where a token that ends before logical
 * index `i` ends in the document. Not `map[i]`, which for a token right before a line continuation
 * is the first character of the next line.
 */
export function endOffset(l: LogicalText, i: number): number {
  if (i <= 0) return l.map[0];
  return l.map[Math.min(i, l.text.length) - 1] + 1;
}

/** A slice of a logical text, with its map. */
export function sliceLogical(l: LogicalText, from: number, to: number): LogicalText {
  return { text: l.text.slice(from, to), map: l.map.slice(from, to + 1) };
}
