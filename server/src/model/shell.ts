/**
 * A POSIX-shell tokenizer, enough to read Dockerfile RUN commands as a linter needs them: simple
 * commands with their `NAME=value` prefixes, words after quote removal with exact source offsets,
 * control operators (`&&`, `||`, `;`, `|`, `&`, newlines, subshells), redirections and heredocs
 * (whose bodies are read as scripts when a shell consumes them). Expansions are kept as written and
 * mark a word as dynamic: a linter must not guess their value.
 */
import { endOffset, type LogicalText } from './logical';

export interface Word {
  /** The word after quote removal; expansions (`$X`, `${X}`, `$(…)`, backquotes) are kept as written. */
  value: string;
  /** Document offsets of the word as written. */
  start: number;
  end: number;
  /** Contains an expansion, so its value at build time is not known from the text. */
  dynamic: boolean;
  /** Some part of the word was quoted or escaped. */
  quoted: boolean;
}

export interface Heredoc {
  delimiter: string;
  /** `<<-`: leading tabs are stripped from body lines. */
  stripTabs: boolean;
  /** The delimiter was quoted: the body is not expanded. */
  quoted: boolean;
  /** Document offsets of the body (may be empty), or undefined when the body is missing. */
  body?: { start: number; end: number };
  /** The body read as a script, when the command that reads it is a shell. */
  script?: ShellScript;
  /** Logical slice of the body, used to read it as a script. */
  logical?: LogicalText;
}

export interface Redirect {
  op: string;
  /** The file descriptor written before the operator (`2>&1`, `3<<EOF`), if any. */
  fd?: number;
  /** Document offsets of the operator (with its io number). */
  start: number;
  end: number;
  target?: Word;
  heredoc?: Heredoc;
}

export interface SimpleCommand {
  /** `NAME=value` words before the command name. */
  assignments: Word[];
  /** The command name and its arguments. */
  argv: Word[];
  redirects: Redirect[];
  /** The control operator before this command: '' for the first, else `&&`, `||`, `;`, `|`, `&`, `\n`, `(`. */
  after: string;
  /**
   * How many if/while/until/for/case blocks enclose the command: 0 where it runs whenever the
   * commands before it succeed, more where a condition or a loop decides.
   */
  depth: number;
  /** Document offsets spanning the command's words. */
  start: number;
  end: number;
}

export interface ShellScript {
  commands: SimpleCommand[];
}

const RESERVED_SKIP = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', 'esac', '!', '{', '}']);
/** Reserved words that open and close a block whose commands run on a condition or in a loop. */
const OPENS = new Set(['if', 'while', 'until']);
const CLOSES = new Set(['fi', 'done', 'esac']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const ASSIGNMENT_AT = /[A-Za-z_][A-Za-z0-9_]*=/y;

/**
 * Whether the word that starts at `start` is an assignment (NAME=…). Its name and `=` are characters
 * readWord takes into the word, so a match can not run past the word's end.
 */
function isAssignmentAt(s: string, start: number): boolean {
  ASSIGNMENT_AT.lastIndex = start;
  return ASSIGNMENT_AT.test(s);
}
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh', 'busybox']);

type Token =
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

class Tokenizer {
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

function basename(p: string): string {
  const k = p.lastIndexOf('/');
  return k >= 0 ? p.slice(k + 1) : p;
}

/**
 * Whether the body of heredoc `r` of `cmd` is run as a shell script. `bare`: the whole RUN is just
 * `<<EOF`, which the builder runs as the script itself (through the interpreter of its shebang line,
 * if it has one). Otherwise the body is stdin of `cmd`, a script only when `cmd` is a shell that reads
 * its script from stdin (`sh`, `bash -e`, `sh -s arg`; not `sh -c '…'` or `sh file.sh`).
 */
function readsScript(cmd: SimpleCommand, r: Redirect, body: string, bare: boolean): boolean {
  if (r.op !== '<<' && r.op !== '<<-') return false;
  if (r.fd !== undefined && r.fd !== 0) return false;
  if (cmd.argv.length === 0) {
    // `RUN <<A <<B` or `RUN <<EOF > /x` is a command with redirections and nothing to run.
    if (!bare) return false;
    const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(body);
    if (!shebang) return true;
    const interp = basename(shebang[1]) === 'env' && shebang[2] ? shebang[2] : basename(shebang[1]);
    return SHELLS.has(interp);
  }
  // A shell reading stdin ignores a shebang line (it is a comment).
  if (cmd.argv[0].dynamic || !SHELLS.has(basename(cmd.argv[0].value))) return false;
  const args = cmd.argv.slice(1);
  for (let k = 0; k < args.length; k++) {
    const v = args[k].value;
    if (v === '-s') return true;
    if (/^-[A-Za-z]*c[A-Za-z]*$/.test(v)) return false; // -c, -ec, -xc: the script is an argument
    if (v === '-o' || v === '+o') {
      k++; // -o pipefail
      continue;
    }
    if (v === '--') return k + 1 >= args.length;
    if (!/^[-+]/.test(v)) return false; // a script file
  }
  return true;
}

function group(tokens: Token[]): SimpleCommand[] {
  const commands: SimpleCommand[] = [];
  let cur: SimpleCommand | undefined;
  let after = '';
  let depth = 0;
  const finish = () => {
    if (cur && (cur.argv.length || cur.assignments.length || cur.redirects.length)) commands.push(cur);
    cur = undefined;
  };
  for (const t of tokens) {
    if (t.kind === 'op') {
      finish();
      after = t.op;
      continue;
    }
    if (!cur) cur = { assignments: [], argv: [], redirects: [], after, depth, start: -1, end: -1 };
    const c = cur;
    if (t.kind === 'redirect') {
      c.redirects.push(t.redirect);
      const end = t.redirect.target ? t.redirect.target.end : t.redirect.end;
      if (c.start < 0) c.start = t.redirect.start;
      c.end = Math.max(c.end, end);
      continue;
    }
    const w = t.word;
    if (c.argv.length === 0) {
      if (!w.quoted && RESERVED_SKIP.has(w.value) && c.assignments.length === 0) {
        after = w.value;
        c.after = w.value;
        if (OPENS.has(w.value)) depth++;
        else if (CLOSES.has(w.value)) depth = Math.max(0, depth - 1);
        c.depth = depth;
        continue;
      }
      // `for x in …; do`, `case $x in`: a command word that opens a block (closed by done, esac).
      if (!w.quoted && (w.value === 'for' || w.value === 'case') && c.assignments.length === 0) {
        c.argv.push(w);
        if (c.start < 0) c.start = w.start;
        c.end = Math.max(c.end, w.end);
        depth++;
        continue;
      }
      if (t.assignment) {
        c.assignments.push(w);
        if (c.start < 0) c.start = w.start;
        c.end = w.end;
        continue;
      }
    }
    c.argv.push(w);
    if (c.start < 0) c.start = w.start;
    c.end = Math.max(c.end, w.end);
  }
  finish();
  return commands;
}

/** Tokenizes a logical text as a shell script. Heredoc bodies read by a shell are parsed too. */
export function parseShell(src: LogicalText, depth = 0): ShellScript {
  const t = new Tokenizer(src);
  t.run();
  const commands = group(t.tokens);
  if (depth < 4) {
    const only = commands.length === 1 ? commands[0] : undefined;
    const bare = depth === 0 && !!only && !only.argv.length && !only.assignments.length && only.redirects.length === 1;
    for (const cmd of commands) {
      for (const r of cmd.redirects) {
        const h = r.heredoc;
        if (!h || !h.logical) continue;
        if (readsScript(cmd, r, h.logical.text, bare)) h.script = parseShell(h.logical, depth + 1);
      }
    }
  }
  return { commands };
}

/**
 * Every simple command of a script in execution order, including the commands of heredoc scripts
 * (placed where the command that reads them runs).
 */
export function allCommands(script: ShellScript): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  const walk = (s: ShellScript) => {
    for (const c of s.commands) {
      out.push(c);
      for (const r of c.redirects) if (r.heredoc?.script) walk(r.heredoc.script);
    }
  };
  walk(script);
  return out;
}

const WRAPPERS: Record<string, { valueFlags: string[] }> = {
  env: { valueFlags: ['-u', '--unset', '-C', '--chdir', '-S', '--split-string'] },
  sudo: { valueFlags: ['-u', '--user', '-g', '--group', '-h', '--host', '-p', '--prompt', '-C', '-r', '-t', '-U', '-D', '--chdir'] },
  exec: { valueFlags: ['-a'] },
  nohup: { valueFlags: [] },
  time: { valueFlags: ['-f', '--format', '-o', '--output'] },
  nice: { valueFlags: ['-n', '--adjustment'] },
  command: { valueFlags: [] },
  builtin: { valueFlags: [] },
  xargs: { valueFlags: ['-I', '-n', '-P', '-d', '-E', '-L', '-s', '-a'] },
  timeout: { valueFlags: ['-s', '--signal', '-k', '--kill-after'] },
  'su-exec': { valueFlags: [] },
  gosu: { valueFlags: [] },
  chroot: { valueFlags: [] },
};

/** A command with wrappers (`env A=1`, `sudo -u x`, `exec`, `nohup`, …) unwrapped. */
export interface EffectiveCommand {
  command: SimpleCommand;
  /** Assignments from the prefix and from `env NAME=value`. */
  assignments: Word[];
  /** The wrapped command name and its arguments. */
  argv: Word[];
  /** The wrapper names that were removed, outermost first. */
  wrappers: string[];
}

/**
 * unwrap's answer, kept on the command: many rules unwrap the same commands, which do not change once
 * parsed. A non-enumerable property rather than a WeakMap, whose lookups cost more (bench/HISTORY.md,
 * "Measurements behind the code"); not enumerable, so that comparing or printing a command stays as it was.
 */
const EFFECTIVE = Symbol('effective');

export function unwrap(command: SimpleCommand): EffectiveCommand {
  let e = (command as { [EFFECTIVE]?: EffectiveCommand })[EFFECTIVE];
  if (!e) Object.defineProperty(command, EFFECTIVE, { value: (e = unwrapOnce(command)) });
  return e;
}

function unwrapOnce(command: SimpleCommand): EffectiveCommand {
  const assignments = [...command.assignments];
  const wrappers: string[] = [];
  let argv = command.argv;
  for (let guard = 0; guard < 8 && argv.length; guard++) {
    const name = basename(argv[0].value);
    const spec = WRAPPERS[name];
    if (!spec || argv[0].dynamic) break;
    let k = 1;
    // timeout DURATION, su-exec/gosu USER, chroot DIR take one positional before the command.
    const positional = name === 'timeout' || name === 'su-exec' || name === 'gosu' || name === 'chroot' ? 1 : 0;
    let positionalsLeft = positional;
    while (k < argv.length) {
      const v = argv[k].value;
      if (name === 'env' && ASSIGNMENT.test(v)) {
        assignments.push(argv[k]);
        k++;
        continue;
      }
      if (v === '--') {
        k++;
        break;
      }
      if (v.startsWith('-') && v.length > 1) {
        k += spec.valueFlags.includes(v) ? 2 : 1;
        continue;
      }
      if (positionalsLeft > 0) {
        positionalsLeft--;
        k++;
        continue;
      }
      break;
    }
    wrappers.push(name);
    argv = argv.slice(k);
  }
  return { command, assignments, argv, wrappers };
}

export function commandName(argv: Word[]): string | undefined {
  return argv.length && !argv[0].dynamic ? basename(argv[0].value) : undefined;
}
