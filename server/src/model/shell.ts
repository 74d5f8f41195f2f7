/**
 * A POSIX-shell tokenizer, enough to read Dockerfile RUN commands as a linter needs them: simple
 * commands with their `NAME=value` prefixes, words after quote removal with exact source offsets,
 * control operators (`&&`, `||`, `;`, `|`, `&`, newlines, subshells), redirections and heredocs
 * (whose bodies are read as scripts when a shell consumes them). Expansions are kept as written and
 * mark a word as dynamic: a linter must not guess their value.
 */
import type { LogicalText } from './logical';
import { Tokenizer, type Token } from './shellTokenizer';

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
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh', 'busybox']);

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
