/**
 * The shell scripts of a Dockerfile's RUN instructions, as ShellCheck should read them: the text the
 * shell runs (line continuations removed, heredoc scripts on their own), the dialect it runs in, and
 * a map back to the document. RUNs whose shell ShellCheck cannot read (cmd, PowerShell, zsh, a
 * Windows stage) are listed with that shell's name instead.
 */
import type { DockerfileModel, Instr, RunInfo, Stage } from '../model/model';
import { LogicalText, RunBuilder } from '../model/logical';
import type { Heredoc, ShellScript } from '../model/shell';
import { shellScriptArgument } from '../model/json';
import { familyOf } from '../model/images';

export type Dialect = 'sh' | 'bash' | 'dash' | 'ksh';

/** What a script's comments need of its RUN instruction (where it is; an ONBUILD trigger or not). */
export type ScriptOwner = Pick<Instr, 'span' | 'onbuild'>;

export interface ScriptJob {
  /** The RUN instruction (an ONBUILD RUN trigger too) the script belongs to. */
  instr: ScriptOwner;
  dialect: Dialect;
  /** The script as the shell reads it (continuations removed), and its map back to document offsets. */
  script: LogicalText;
}

/** Shells ShellCheck reads, by program name, and the dialect it reads them as. */
const DIALECTS: Record<string, Dialect> = {
  sh: 'sh',
  ash: 'sh', // BusyBox ash: POSIX sh plus a few extensions
  bash: 'bash',
  dash: 'dash',
  ksh: 'ksh',
  ksh93: 'ksh',
  mksh: 'ksh',
  pdksh: 'ksh',
};

/** Exec-form programs that are shells of another family: their RUNs are listed as skipped. */
const FOREIGN_SHELLS = new Set(['cmd', 'powershell', 'pwsh', 'zsh', 'fish', 'csh', 'tcsh']);

type Shell = { dialect: Dialect } | { skip: string };

/** A program's name: the last part of its path, lower case, without `.exe`. */
function programName(word: string): string {
  const name = word.replace(/\\/g, '/').split('/').pop() ?? '';
  return name.toLowerCase().replace(/\.exe$/, '');
}

/** The shell a command line runs (`/bin/bash -o pipefail -c`, `/usr/bin/env bash -c`). */
function shellOf(argv: string[]): Shell {
  let name = argv.length ? programName(argv[0]) : '';
  if (name === 'env') name = programName(argv.slice(1).find((a) => !a.startsWith('-') && !a.includes('=')) ?? '');
  const dialect = DIALECTS[name];
  return dialect ? { dialect } : { skip: name || 'unknown' };
}

/** The interpreter a `#!` line names, or undefined without one. */
function shebangOf(text: string): string[] | undefined {
  const m = /^#!\s*(\S+)(?:[ \t]+(\S+))?/.exec(text);
  return m ? m.slice(1).filter((x): x is string => x !== undefined) : undefined;
}

/** A file or directory name that says Windows: `Dockerfile.windows`, `Dockerfile-nanoserver`, `win/Dockerfile`. */
const WINDOWS_NAME = /(^|[^a-z0-9])(windows|win|nanoserver|servercore|ltsc\d*)([^a-z0-9]|$)/i;

/**
 * A Windows stage: a Windows base image; or a base that is not a known image (`FROM $BASE`) in a file
 * written with the backtick escape (the Windows convention), or whose name or directory says Windows.
 */
function isWindows(model: DockerfileModel, stage: Stage): boolean {
  const family = familyOf(stage);
  if (family === 'windows') return true;
  if (family !== 'unknown') return false;
  if (model.escapeChar === '`') return true;
  const parts = (model.path ?? '').split(/[\\/]/).slice(-2);
  return parts.some((p) => WINDOWS_NAME.test(p));
}

/** The SHELL instruction in effect for a RUN of the stage (a trigger: the stage's last one). */
function shellInstrAt(stage: Stage, instr: Instr): Instr | undefined {
  if (instr.onbuild) return stage.shellInstr;
  let shell = stage.parent?.shellInstr;
  for (const i of stage.instructions) {
    if (i.span.start >= instr.span.start) break;
    if (i.keyword === 'SHELL') shell = i;
  }
  return shell;
}

/** The shell a shell-form RUN runs in: its SHELL's (cmd on Windows without one), else /bin/sh. */
function stageShell(model: DockerfileModel, stage: Stage, instr: Instr): Shell {
  const shellInstr = shellInstrAt(stage, instr);
  const windows = isWindows(model, stage);
  if (!shellInstr) return windows ? { skip: 'cmd' } : { dialect: 'sh' };
  const args = model.commandArgs(shellInstr);
  // A SHELL not in JSON form fails the build; its RUNs are read as the default shell's.
  if (args.form !== 'exec' || !args.exec?.length) return windows ? { skip: 'cmd' } : { dialect: 'sh' };
  const shell = shellOf(args.exec.map((j) => j.value));
  return windows && 'dialect' in shell ? { skip: programName(args.exec[0].value) } : shell;
}

/**
 * The text without the carriage returns of CRLF line breaks (the builder reads a CRLF file's lines
 * without them; ShellCheck would report each), mapped to the same document offsets.
 */
function withoutCarriageReturns(l: LogicalText): LogicalText {
  const s = l.text;
  if (!s.includes('\r\n')) return l;
  const runs = new RunBuilder();
  runs.run(0, l.at(0));
  let text = '';
  let from = 0;
  for (let i = s.indexOf('\r\n'); i >= 0; i = s.indexOf('\r\n', i + 2)) {
    for (let k = from; k < i; k++) runs.run(text.length + k - from, l.at(k));
    text += s.slice(from, i);
    from = i + 1; // the \n stays
  }
  for (let k = from; k < s.length; k++) runs.run(text.length + k - from, l.at(k));
  text += s.slice(from);
  return new LogicalText(text, runs.done());
}

/** Collects a RUN's jobs and skips. */
class Collector {
  readonly jobs: ScriptJob[] = [];
  readonly skipped: { instr: Instr; shell: string }[] = [];
  /** The stage's /bin/sh is dash (Debian, Ubuntu and the images built on them): read sh as dash, which has `local`. */
  debianSh = false;

  add(instr: Instr, shell: Shell, script: LogicalText): void {
    if ('skip' in shell) this.skipped.push({ instr, shell: shell.skip });
    else if (script.text.trim() !== '') {
      const dialect = shell.dialect === 'sh' && this.debianSh ? 'dash' : shell.dialect;
      this.jobs.push({ instr, dialect, script: withoutCarriageReturns(script) });
    }
  }

  /** The heredocs of a script that a shell command reads as its script (`bash <<EOF`), and theirs. */
  heredocScripts(instr: Instr, script: ShellScript): void {
    for (const cmd of script.commands) {
      for (const r of cmd.redirects) {
        const h = r.heredoc;
        if (!h?.script || !h.logical || !cmd.argv.length) continue;
        const shell = shellOf(cmd.argv.map((w) => w.value));
        // A body another shell reads (zsh) is left out; the RUN's own script is still checked.
        if ('dialect' in shell) this.add(instr, shell, h.logical);
        this.heredocScripts(instr, h.script);
      }
    }
  }
}

/** `RUN <<EOF` alone: the heredoc the builder runs as the script itself. */
function bareHeredoc(script: ShellScript): Heredoc | undefined {
  const only = script.commands.length === 1 ? script.commands[0] : undefined;
  if (!only || only.argv.length || only.assignments.length || only.redirects.length !== 1) return undefined;
  const h = only.redirects[0].heredoc;
  return h?.logical && (only.redirects[0].op === '<<' || only.redirects[0].op === '<<-') ? h : undefined;
}

function execForm(c: Collector, run: RunInfo, windows: boolean): void {
  const exec = run.command.exec;
  if (!exec?.length) return;
  const program = programName(exec[0].value);
  const inline = shellScriptArgument(exec);
  if (windows) {
    if (inline || FOREIGN_SHELLS.has(program)) c.skipped.push({ instr: run.instr, shell: program });
    return;
  }
  if (inline) c.add(run.instr, shellOf([exec[0].value]), inline.logical);
  else if (FOREIGN_SHELLS.has(program)) c.skipped.push({ instr: run.instr, shell: program });
}

function shellForm(c: Collector, model: DockerfileModel, stage: Stage, run: RunInfo): void {
  const text = run.command.shell;
  if (!text) return;
  const shell = stageShell(model, stage, run.instr);
  const bare = run.script && 'dialect' in shell ? bareHeredoc(run.script) : undefined;
  if (!bare || !run.script) {
    c.add(run.instr, shell, text);
    if (run.script && 'dialect' in shell) c.heredocScripts(run.instr, run.script);
    return;
  }
  // The heredoc is the script: run by the interpreter of its `#!` line, else by the shell.
  const body = bare.logical!;
  const shebang = shebangOf(bare.stripTabs ? body.text.replace(/^\t+/, '') : body.text);
  if (!bare.script) {
    c.skipped.push({ instr: run.instr, shell: shebang ? programName(skipName(shebang)) : 'unknown' });
    return;
  }
  c.add(run.instr, shebang ? shellOf(shebang) : shell, body);
  c.heredocScripts(run.instr, bare.script);
}

/** The interpreter a `#!` line runs (`/usr/bin/env python3`: python3). */
function skipName(shebang: string[]): string {
  return programName(shebang[0]) === 'env' && shebang[1] ? shebang[1] : shebang[0];
}

/**
 * Every script of the model's RUNs that ShellCheck can read, and the RUNs skipped because their shell
 * is not a POSIX-family one (pwsh, cmd, powershell…), with that shell's name.
 */
export function scriptJobs(model: DockerfileModel): { jobs: ScriptJob[]; skipped: { instr: Instr; shell: string }[] } {
  const c = new Collector();
  for (const stage of model.stages) {
    const windows = isWindows(model, stage);
    c.debianSh = familyOf(stage) === 'debian';
    for (const run of stage.runs) {
      if (run.command.form === 'exec') execForm(c, run, windows);
      else shellForm(c, model, stage, run);
    }
  }
  return { jobs: c.jobs, skipped: c.skipped };
}
