/**
 * Go commands in RUN instructions, read the way the go tool reads them: subcommand, flags (with
 * `-flag=value`, `-flag value`, `--flag`), packages, the environment the command sees (prefix
 * assignments, `env`, `export`, ENV, ARG, `go env -w`), its working directory and its output path.
 * Shared by the go-* rules.
 */
import type { DockerfileModel, RunInfo, Stage } from './model';
import { unwrap, commandName, type EffectiveCommand, type Word } from './shell';
import { resolvePath } from './paths';
import type { Span } from './text';
import { isGoAlpine } from './knownImages';

/** Build flags that take a value as the next argument when written without `=`. */
const VALUE_FLAGS = new Set([
  'o',
  'p',
  'C',
  'asmflags',
  'buildmode',
  'compiler',
  'gccgoflags',
  'gcflags',
  'installsuffix',
  'ldflags',
  'mod',
  'modfile',
  'overlay',
  'pgo',
  'pkgdir',
  'tags',
  'toolexec',
  'covermode',
  'coverpkg',
  'exec',
  'run',
  'bench',
  'count',
  'timeout',
]);

export interface GoFlag {
  name: string;
  /** The value (inline or next word); undefined for boolean flags. */
  value?: string;
  /** The value contains an expansion: unknown. */
  dynamic: boolean;
  /** The flag and its value as written. */
  span: Span;
  words: Word[];
}

export interface GoInvocation {
  stage: Stage;
  run: RunInfo;
  /** Index in run.commands. */
  index: number;
  command: EffectiveCommand;
  /** `build`, `get`, `install`, `mod`… */
  sub: string;
  /** From `go` to the subcommand. */
  span: Span;
  flags: GoFlag[];
  /** A flag position held a dynamic word (`go build $FLAGS …`): the flags are not fully known. */
  dynamicFlags: boolean;
  args: Word[];
}

function parseFlags(words: Word[]): { flags: GoFlag[]; args: Word[]; dynamicFlags: boolean } {
  const flags: GoFlag[] = [];
  let dynamicFlags = false;
  let k = 0;
  while (k < words.length) {
    const w = words[k];
    if (w.dynamic && !w.value.startsWith('-')) {
      dynamicFlags = true;
      k++;
      continue;
    }
    if (!w.value.startsWith('-') || w.value === '-') break;
    if (w.value === '--') {
      k++;
      break;
    }
    const body = w.value.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    if (eq >= 0) {
      flags.push({ name, value: body.slice(eq + 1), dynamic: w.dynamic, span: { start: w.start, end: w.end }, words: [w] });
      k++;
    } else if (VALUE_FLAGS.has(name) && k + 1 < words.length) {
      const v = words[k + 1];
      flags.push({ name, value: v.value, dynamic: v.dynamic, span: { start: w.start, end: v.end }, words: [w, v] });
      k += 2;
    } else {
      flags.push({ name, dynamic: false, span: { start: w.start, end: w.end }, words: [w] });
      k++;
    }
  }
  return { flags, args: words.slice(k), dynamicFlags };
}

/** Every `go <sub>` command in every RUN of the file. */
export function goInvocations(model: DockerfileModel): GoInvocation[] {
  return model.cached('go.invocations', () => {
    const out: GoInvocation[] = [];
    for (const stage of model.stages) {
      for (const run of stage.runs) {
        run.commands.forEach((c, index) => {
          const command = unwrap(c);
          if (commandName(command.argv) !== 'go' || command.argv.length < 2) return;
          const subWord = command.argv[1];
          if (subWord.dynamic) return;
          const { flags, args, dynamicFlags } = parseFlags(command.argv.slice(2));
          out.push({
            stage,
            run,
            index,
            command,
            sub: subWord.value,
            flags,
            args,
            dynamicFlags,
            span: { start: command.argv[0].start, end: subWord.end },
          });
        });
      }
    }
    return out;
  });
}

/** The last occurrence of a flag (the go tool keeps the last). */
export function lastFlag(inv: GoInvocation, name: string): GoFlag | undefined {
  for (let i = inv.flags.length - 1; i >= 0; i--) if (inv.flags[i].name === name) return inv.flags[i];
  return undefined;
}

/**
 * The value of an environment variable as the go command sees it: set on the command, exported or
 * assigned earlier in the same RUN, written with `go env -w`, or from ENV / ARG.
 * Returns `{ set: false }` when nothing sets it, `{ set: true, value: undefined }` when it is unknown.
 */
export function goEnv(inv: GoInvocation, name: string): { set: boolean; value?: string } {
  const fromWord = (w: Word) => {
    const v = w.value.slice(w.value.indexOf('=') + 1);
    return { set: true, value: w.dynamic ? undefined : v };
  };
  for (let i = inv.command.assignments.length - 1; i >= 0; i--) {
    const w = inv.command.assignments[i];
    if (w.value.startsWith(`${name}=`)) return fromWord(w);
  }
  const inScope = inv.run.scope.has(name);
  // Earlier commands of the same RUN, nearest first: an export, or an assignment to a variable that
  // is already in the environment (ENV or ARG), both of which the go command inherits.
  for (let i = inv.index - 1; i >= 0; i--) {
    const c = inv.run.commands[i];
    const e = unwrap(c);
    const cmd = commandName(e.argv);
    if (cmd === 'export' || cmd === 'declare' || cmd === 'typeset') {
      for (const w of e.argv.slice(1)) if (w.value.startsWith(`${name}=`)) return fromWord(w);
    } else if (!e.argv.length && inScope) {
      for (const w of c.assignments) if (w.value.startsWith(`${name}=`)) return fromWord(w);
    }
  }
  if (inScope) {
    const v = inv.run.scope.get(name);
    return { set: true, value: v };
  }
  // `go env -w` (the go tool's own settings, which the environment overrides): earlier in this RUN,
  // then in earlier RUNs of this stage and the stages it inherits from.
  for (let i = inv.index - 1; i >= 0; i--) {
    const e = unwrap(inv.run.commands[i]);
    const found = commandName(e.argv) === 'go' ? goEnvWrite(e, name) : undefined;
    if (found) return found;
  }
  for (const stage of inv.stage.chain) {
    for (let r = stage.runs.length - 1; r >= 0; r--) {
      const run = stage.runs[r];
      if (stage === inv.stage && run.instr.span.start >= inv.run.instr.span.start) continue;
      for (let i = run.commands.length - 1; i >= 0; i--) {
        const e = unwrap(run.commands[i]);
        if (commandName(e.argv) === 'go') {
          const found = goEnvWrite(e, name);
          if (found) return found;
        }
      }
    }
  }
  return { set: false };
}

function goEnvWrite(e: EffectiveCommand, name: string): { set: boolean; value?: string } | undefined {
  if (e.argv[1]?.value !== 'env' || !e.argv.some((w) => w.value === '-w')) return undefined;
  for (const w of e.argv.slice(2)) {
    if (w.value.startsWith(`${name}=`)) return { set: true, value: w.dynamic ? undefined : w.value.slice(name.length + 1) };
  }
  return undefined;
}

/** The directory the go command runs in: WORKDIR, then `cd` earlier in the RUN, then `-C`. */
export function goWorkdir(inv: GoInvocation): string | undefined {
  let cwd = inv.run.instr.workdir;
  for (let i = 0; i < inv.index; i++) {
    const c = inv.run.commands[i];
    const e = unwrap(c);
    if (commandName(e.argv) !== 'cd') continue;
    const target = e.argv.slice(1).find((w) => !w.value.startsWith('-'));
    if (!target || target.dynamic) cwd = undefined;
    else cwd = resolvePath(target.value, cwd);
  }
  const C = lastFlag(inv, 'C');
  if (C) cwd = C.dynamic || C.value === undefined ? undefined : resolvePath(C.value, cwd);
  return cwd;
}

/**
 * Whether cgo is on for this go command: 'on', 'off', or 'unknown'. Without CGO_ENABLED, cgo is on
 * when a C compiler is present: off in the Alpine Go images unless one is installed.
 */
export function cgoState(inv: GoInvocation): 'on' | 'off' | 'unknown' {
  const env = goEnv(inv, 'CGO_ENABLED');
  if (env.set) {
    if (env.value === undefined) return 'unknown';
    return env.value.trim() === '0' ? 'off' : 'on';
  }
  const img = inv.stage.rootImage;
  if (img && isGoAlpine(img) && !installsCCompiler(inv)) return 'off';
  if (!img) return inv.stage.root.kind === 'unknown' ? 'unknown' : 'on';
  return 'on';
}

const C_COMPILERS = new Set(['gcc', 'clang', 'build-base', 'musl-dev', 'alpine-sdk', 'g++', 'cc']);

function installsCCompiler(inv: GoInvocation): boolean {
  for (const stage of inv.stage.chain) {
    for (const run of stage.runs) {
      for (const c of run.commands) {
        const e = unwrap(c);
        if (commandName(e.argv) === 'apk' && e.argv.some((w) => C_COMPILERS.has(w.value))) return true;
      }
    }
  }
  return false;
}

/**
 * The argument list of a per-package flag value (`-ldflags`, `-gcflags`), split into words, without
 * its package pattern (`-ldflags=all=-s -w` applies `-s -w` to all packages).
 */
export function flagArgs(value: string): string[] {
  let v = value.trim();
  const eq = v.indexOf('=');
  if (v !== '' && !v.startsWith('-') && eq > 0) v = v.slice(eq + 1);
  return v.split(/\s+/).filter(Boolean);
}

/**
 * The words of a flag value that holds expansions (`-X main.v=$(git describe --tags)`), with each
 * `$(…)`, `${…}` and backquoted command kept inside its word; undefined when a whole word comes from
 * an expansion that is not the value of `-X` (`$LDFLAGS`, `$(extra_flags)`), which may add any flag.
 */
export function expandedFlagArgs(value: string): string[] | undefined {
  const words: string[] = [];
  let cur = '';
  let depth = 0;
  let quote = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (quote) {
      if (ch === quote) quote = '';
      cur += ch;
    } else if (ch === '"' || ch === "'" || ch === '`') {
      quote = ch;
      cur += ch;
    } else if (ch === '$' && (value[i + 1] === '(' || value[i + 1] === '{')) {
      depth++;
      cur += ch + value[++i];
    } else if ((ch === ')' || ch === '}') && depth > 0) {
      depth--;
      cur += ch;
    } else if (/\s/.test(ch) && depth === 0) {
      if (cur) words.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur) words.push(cur);
  // A package pattern (`all=…`) on the first word.
  if (words[0] && !words[0].startsWith('-') && !words[0].startsWith('$') && words[0].indexOf('=') > 0) {
    words[0] = words[0].slice(words[0].indexOf('=') + 1);
    if (!words[0]) words.shift();
  }
  const whole = /^["']?(\$\w+|\$\{[^}]*\}|\$\([^)]*\)|`[^`]*`)["']?$/;
  for (let k = 0; k < words.length; k++) if (whole.test(words[k]) && words[k - 1] !== '-X' && words[k - 1] !== '--X') return undefined;
  return words;
}

/** Flags that make a cgo build static anyway (`-extldflags -static`, or pure-Go `netgo,osusergo`). */
export function isStaticCgoBuild(inv: GoInvocation): boolean {
  const ld = lastFlag(inv, 'ldflags');
  if (ld?.value && /-extldflags[= ]+['"]?[^'"]*-static\b/.test(ld.value)) return true;
  const tags = lastFlag(inv, 'tags');
  if (tags?.value) {
    const t = new Set(tags.value.split(/[\s,]+/));
    if (t.has('netgo') && t.has('osusergo')) return true;
  }
  return false;
}
