/**
 * Line diffs (Myers' O(ND) algorithm): the minimal edits that turn one text into another, used to
 * send "fix all" as small edits rather than a rewritten file, and unified diffs for `fix --dry-run`.
 */
import type { Edit } from './edits';

/** Lines with their line breaks kept, so that joining them gives the text back. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

type Op = { kind: 'same' | 'del' | 'add'; line: string };

function myers(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  trace.push(v.slice());
  // Walk back through the trace.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 2; d >= 0 && (x > 0 || y > 0); d--) {
    const vd = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1] < vd[offset + k + 1]) ? k + 1 : k - 1;
    const prevX = vd[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: 'same', line: a[--x] });
      y--;
    }
    if (d === 0) break;
    if (x === prevX) ops.push({ kind: 'add', line: b[--y] });
    else ops.push({ kind: 'del', line: a[--x] });
  }
  while (x > 0 && y > 0) {
    ops.push({ kind: 'same', line: a[--x] });
    y--;
  }
  return ops.reverse();
}

export function diffLines(a: string, b: string): Op[] {
  return myers(splitLines(a), splitLines(b));
}

/** The smallest line-granular edits that turn `a` into `b`, in offsets of `a`. */
export function minimalEdits(a: string, b: string): Edit[] {
  const ops = diffLines(a, b);
  const aLines = splitLines(a);
  // Where each line of `a` starts; past the last line, the end of the text.
  const starts = [0];
  for (const l of aLines) starts.push(starts[starts.length - 1] + l.length);
  const startOf = (line: number) => starts[Math.min(line, aLines.length)];
  const edits: Edit[] = [];
  let line = 0; // line in a
  let i = 0;
  while (i < ops.length) {
    if (ops[i].kind === 'same') {
      line++;
      i++;
      continue;
    }
    const start = line;
    let text = '';
    while (i < ops.length && ops[i].kind !== 'same') {
      if (ops[i].kind === 'del') line++;
      else text += ops[i].line;
      i++;
    }
    edits.push({ start: startOf(start), end: startOf(line), text });
  }
  return edits;
}

/** A unified diff (3 lines of context) of `a` → `b`, or '' when they are equal. */
export function unifiedDiff(a: string, b: string, nameA: string, nameB: string): string {
  if (a === b) return '';
  const ops = diffLines(a, b);
  const out: string[] = [`--- ${nameA}`, `+++ ${nameB}`];
  const context = 3;
  let i = 0;
  let aLine = 0;
  let bLine = 0;
  const show = (line: string) => (line.endsWith('\n') ? line.slice(0, -1).replace(/\r$/, '') : `${line}\n\\ No newline at end of file`);
  while (i < ops.length) {
    // Find the next change.
    let j = i;
    while (j < ops.length && ops[j].kind === 'same') j++;
    if (j >= ops.length) break;
    const skip = Math.max(0, j - i - context);
    aLine += skip;
    bLine += skip;
    let start = i + skip;
    // Extend the hunk while changes are within 2*context lines of each other.
    let end = j;
    for (;;) {
      while (end < ops.length && ops[end].kind !== 'same') end++;
      let next = end;
      while (next < ops.length && ops[next].kind === 'same') next++;
      if (next < ops.length && next - end <= 2 * context) {
        end = next;
        continue;
      }
      end = Math.min(ops.length, end + context);
      break;
    }
    const hunk = ops.slice(start, end);
    const aCount = hunk.filter((o) => o.kind !== 'add').length;
    const bCount = hunk.filter((o) => o.kind !== 'del').length;
    out.push(`@@ -${aCount ? aLine + 1 : aLine},${aCount} +${bCount ? bLine + 1 : bLine},${bCount} @@`);
    for (const o of hunk) {
      out.push((o.kind === 'same' ? ' ' : o.kind === 'del' ? '-' : '+') + show(o.line));
      if (o.kind !== 'add') aLine++;
      if (o.kind !== 'del') bLine++;
    }
    i = end;
    start = end;
  }
  return out.join('\n') + '\n';
}
