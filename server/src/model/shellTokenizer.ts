/**
 * The shell tokenizer under shell.ts: words after quote removal with their exact document offsets
 * (expansions kept as written, marking a word dynamic), control operators, redirections, and heredoc
 * bodies attached to their operators. shell.ts groups the tokens into simple commands.
 */
import { endOffset, type LogicalText } from './logical';
import type { Redirect, Word } from './shell';

const ASSIGNMENT_AT = /[A-Za-z_][A-Za-z0-9_]*=/y;

/**
 * Whether the word that starts at `start` is an assignment (NAME=…). Its name and `=` are characters
 * readWord takes into the word, so a match can not run past the word's end.
 */
function isAssignmentAt(s: string, start: number): boolean {
  ASSIGNMENT_AT.lastIndex = start;
  return ASSIGNMENT_AT.test(s);
}

export type Token =
  | { kind: 'word'; word: Word; assignment: boolean }
  | { kind: 'op'; op: string; start: number; end: number }
  | { kind: 'redirect'; redirect: Redirect };

function isBlank(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r';
}
function isMeta(c: string): boolean {
  return c === '|' || c === '&' || c === ';' || c === '(' || c === ')' || c === '<' || c === '>' || c === '\n';
}
/**
 * A character that readWord copies as it is, outside quotes: not a blank, a line break, an operator,
 * a quote, an escape or the start of an expansion. Unquoted text is read in runs of these.
 */
function isPlain(c: string): boolean {
  return !(isBlank(c) || isMeta(c) || c === '\\' || c === "'" || c === '"' || c === '$' || c === '`');
}
/** Inside double quotes: what is copied as it is (not the closing quote, an escape or an expansion). */
function isPlainQuoted(c: string): boolean {
  return c !== '"' && c !== '\\' && c !== '$' && c !== '`';
}

/**
 * isPlain and isPlainQuoted as tables of ASCII codes (1: not copied as it is; codes from 128 up all
 * are), for the loops that copy runs of plain characters: a table load per character instead of a
 * call, which matters while those loops still run in the interpreter (a fresh process).
 */
const NOT_PLAIN = new Uint8Array(128);
const NOT_PLAIN_QUOTED = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  const c = String.fromCharCode(code);
  NOT_PLAIN[code] = isPlain(c) ? 0 : 1;
  NOT_PLAIN_QUOTED[code] = isPlainQuoted(c) ? 0 : 1;
}

/** The end of the run of characters of `s` from `k` that `table` lets be copied as they are. */
function plainRun(s: string, k: number, table: Uint8Array): number {
  const n = s.length;
  while (k < n) {
    const code = s.charCodeAt(k);
    if (code < 128 && table[code] === 1) break;
    k++;
  }
  return k;
}
function isNameChar(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_';
}

export class Tokenizer {
  private i = 0;
  private readonly s: string;
  private readonly pending: Redirect[] = [];
  readonly tokens: Token[] = [];

  constructor(private readonly src: LogicalText) {
    this.s = src.text;
  }

  /** Document offset of the logical character at `i` (where a token starting there starts). */
  private off(i: number): number {
    return this.src.at(Math.min(i, this.s.length));
  }

  /** Document offset where a token ending before logical index `i` ends. */
  private offEnd(i: number): number {
    return endOffset(this.src, i);
  }

  run(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i];
      if (isBlank(c)) {
        this.i++;
        continue;
      }
      if (c === '\\' && s[this.i + 1] === '\n') {
        this.i += 2; // shell line continuation (inside heredoc scripts)
        continue;
      }
      if (c === '#') {
        while (this.i < s.length && s[this.i] !== '\n') this.i++;
        continue;
      }
      if (c === '\n') {
        this.pushOp('\n', this.i, this.i + 1);
        this.i++;
        if (this.pending.length) this.readHeredocBodies();
        continue;
      }
      const redirect = this.tryRedirect();
      if (redirect) continue;
      const processSubstitution = (c === '<' || c === '>') && s[this.i + 1] === '(';
      if (isMeta(c) && !processSubstitution) {
        const two = s.slice(this.i, this.i + 2);
        const op = two === '&&' || two === '||' || two === ';;' || two === '|&' ? two : c;
        this.pushOp(op, this.i, this.i + op.length);
        this.i += op.length;
        continue;
      }
      const w = this.readWord();
      if (w) this.tokens.push({ kind: 'word', word: w.word, assignment: isAssignmentAt(s, w.rawStart) });
      else this.i++;
    }
    // Heredocs whose body never came: keep them, without a body.
    this.pending.length = 0;
  }

  private pushOp(op: string, from: number, to: number): void {
    this.tokens.push({ kind: 'op', op, start: this.off(from), end: this.offEnd(to) });
  }

  private tryRedirect(): boolean {
    const s = this.s;
    // Most tokens are words: only a digit, `<`, `>` or `&` can start a redirection.
    const c = s.charCodeAt(this.i);
    if (c !== 60 && c !== 62 && c !== 38 && !(c >= 48 && c <= 57)) return false;
    let j = this.i;
    while (j < s.length && s[j] >= '0' && s[j] <= '9') j++;
    let op: string | undefined;
    const rest = s.slice(j, j + 3);
    if (j === this.i && (rest.startsWith('&>>') || rest.startsWith('&>'))) op = rest.startsWith('&>>') ? '&>>' : '&>';
    else if (rest.startsWith('<<<')) op = '<<<';
    else if (rest.startsWith('<<-')) op = '<<-';
    else if (rest.startsWith('<<')) op = '<<';
    else if (rest.startsWith('>>')) op = '>>';
    else if (rest.startsWith('<&') || rest.startsWith('>&') || rest.startsWith('<>') || rest.startsWith('>|')) op = rest.slice(0, 2);
    else if (rest[0] === '<' || rest[0] === '>') op = rest[0];
    if (!op) return false;
    if (j > this.i && (op === '&>' || op === '&>>')) return false;
    // Process substitution `<(…)` / `>(…)` is a word, not a redirection.
    if ((op === '<' || op === '>') && s[j + 1] === '(') return false;
    const start = this.i;
    this.i = j + op.length;
    while (this.i < s.length && isBlank(s[this.i])) this.i++;
    const redirect: Redirect = { op, start: this.off(start), end: this.offEnd(j + op.length) };
    if (j > start) redirect.fd = Number(s.slice(start, j));
    const target = this.i < s.length && !isMeta(s[this.i]) ? this.readWord() : undefined;
    if (target) redirect.target = target.word;
    if ((op === '<<' || op === '<<-') && target) {
      const raw = s.slice(target.rawStart, this.i);
      redirect.heredoc = {
        delimiter: target.word.value,
        stripTabs: op === '<<-',
        quoted: /['"\\]/.test(raw),
      };
      this.pending.push(redirect);
    }
    this.tokens.push({ kind: 'redirect', redirect });
    return true;
  }

  /** Reads the bodies of pending heredocs, starting at the line after their operator. */
  private readHeredocBodies(): void {
    const s = this.s;
    for (const r of this.pending) {
      const h = r.heredoc!;
      const bodyStart = this.i;
      let bodyEnd = -1;
      while (this.i < s.length) {
        const lineStart = this.i;
        let lineEnd = s.indexOf('\n', lineStart);
        if (lineEnd < 0) lineEnd = s.length;
        let line = s.slice(lineStart, lineEnd);
        if (line.endsWith('\r')) line = line.slice(0, -1);
        if (h.stripTabs) line = line.replace(/^\t+/, '');
        this.i = Math.min(lineEnd + 1, s.length);
        if (line === h.delimiter) {
          bodyEnd = lineStart;
          break;
        }
      }
      if (bodyEnd < 0) bodyEnd = s.length; // unterminated: the body runs to the end
      h.body = { start: this.off(bodyStart), end: this.off(bodyEnd) };
      h.logical = this.src.slice(bodyStart, bodyEnd);
    }
    this.pending.length = 0;
  }

  /** Reads one word at `this.i`; returns undefined when nothing word-like is there. */
  private readWord(): { word: Word; rawStart: number } | undefined {
    const s = this.s;
    const rawStart = this.i;
    let value = '';
    let dynamic = false;
    let quoted = false;
    while (this.i < s.length) {
      const c = s[this.i];
      if (isBlank(c) || c === '\n') break;
      if (isMeta(c)) {
        // `<(` / `>(` inside a word is process substitution.
        if ((c === '<' || c === '>') && s[this.i + 1] === '(') {
          const end = this.skipBalanced(this.i + 1, '(', ')');
          value += s.slice(this.i, end);
          dynamic = true;
          this.i = end;
          continue;
        }
        break;
      }
      if (c === '\\') {
        quoted = true;
        if (s[this.i + 1] === '\n') {
          this.i += 2;
          continue;
        }
        if (this.i + 1 < s.length) value += s[this.i + 1];
        this.i += 2;
        continue;
      }
      if (c === "'") {
        quoted = true;
        const end = s.indexOf("'", this.i + 1);
        const stop = end < 0 ? s.length : end;
        value += s.slice(this.i + 1, stop);
        this.i = stop + 1;
        continue;
      }
      if (c === '$' && s[this.i + 1] === "'") {
        // ANSI-C quoting: close enough to single quotes for a linter.
        quoted = true;
        let j = this.i + 2;
        while (j < s.length && s[j] !== "'") j += s[j] === '\\' ? 2 : 1;
        value += s.slice(this.i + 2, Math.min(j, s.length));
        this.i = j + 1;
        continue;
      }
      if (c === '"') {
        quoted = true;
        const part = this.readDoubleQuoted(this.i + 1);
        value += part.value;
        dynamic ||= part.dynamic;
        this.i = Math.min(part.end + 1, s.length);
        continue;
      }
      if (c === '$' || c === '`') {
        const end = this.skipExpansion(this.i);
        if (end > this.i + 1) {
          value += s.slice(this.i, end);
          dynamic = true;
          this.i = end;
          continue;
        }
      }
      const k = plainRun(s, this.i + 1, NOT_PLAIN);
      value += s.slice(this.i, k);
      this.i = k;
    }
    if (this.i === rawStart) return undefined;
    return {
      word: { value, start: this.off(rawStart), end: this.offEnd(this.i), dynamic, quoted },
      rawStart,
    };
  }

  /** The inside of a double-quoted string from `j`, to its closing quote (`end`) or the end. */
  private readDoubleQuoted(j: number): { value: string; dynamic: boolean; end: number } {
    const s = this.s;
    let value = '';
    let dynamic = false;
    while (j < s.length && s[j] !== '"') {
      const d = s[j];
      if (d === '\\' && j + 1 < s.length) {
        const e = s[j + 1];
        if (e === '$' || e === '`' || e === '"' || e === '\\') value += e;
        else if (e !== '\n') value += d + e;
        j += 2;
        continue;
      }
      if (d === '$' || d === '`') {
        const end = this.skipExpansion(j);
        if (end > j + 1) {
          value += s.slice(j, end);
          dynamic = true;
          j = end;
          continue;
        }
      }
      const k = plainRun(s, j + 1, NOT_PLAIN_QUOTED);
      value += s.slice(j, k);
      j = k;
    }
    return { value, dynamic, end: j };
  }

  /** End index of the expansion starting at `i` (`$…` or a backquote), or i+1 for a lone `$`. */
  private skipExpansion(i: number): number {
    const s = this.s;
    if (s[i] === '`') {
      let j = i + 1;
      while (j < s.length && s[j] !== '`') j += s[j] === '\\' ? 2 : 1;
      return Math.min(j + 1, s.length);
    }
    const n = s[i + 1];
    if (n === '(') return this.skipBalanced(i + 1, '(', ')');
    if (n === '{') return this.skipBalanced(i + 1, '{', '}');
    if (n !== undefined && (isNameChar(n) || '@*#?$!-'.includes(n))) {
      if (!isNameChar(n) || (n >= '0' && n <= '9')) return i + 2;
      let j = i + 1;
      while (j < s.length && isNameChar(s[j])) j++;
      return j;
    }
    return i + 1;
  }

  /** Skips a balanced group starting with `open` at index i, honouring quotes inside. */
  private skipBalanced(i: number, open: string, close: string): number {
    const s = this.s;
    let depth = 0;
    let j = i;
    while (j < s.length) {
      const c = s[j];
      if (c === '\\') {
        j += 2;
        continue;
      }
      if (c === "'" && open === '(') {
        const end = s.indexOf("'", j + 1);
        j = end < 0 ? s.length : end + 1;
        continue;
      }
      if (c === '"') {
        j++;
        while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
        j++;
        continue;
      }
      if (c === open) depth++;
      else if (c === close) {
        depth--;
        if (depth === 0) return j + 1;
      }
      j++;
    }
    return s.length;
  }
}
