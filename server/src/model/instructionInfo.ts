/**
 * What the model reads from USER, RUN, COPY and ADD instructions: who runs, the shell commands, where
 * files come from and go. Each reads the instruction's text through the model, with the variables
 * its scope has at that point.
 */
import type { DockerfileModel } from './model';
import type { CopyInfo, Instr, PathArg, RunInfo, UserInfo } from './types';
import { endOffset, unfoldLine } from './logical';
import { allCommands, parseShell, type ShellScript, type SimpleCommand } from './shell';
import { expandWord, type Scope } from './variables';
import { resolvePath } from './paths';
import { decodeJsonArray, execCommand, shellScriptArgument } from './json';

/** A USER instruction: who, and where each part is written. */
export function userInfo(model: DockerfileModel, instr: Instr, scope: Scope): UserInfo {
  const logical = model.argumentsOf(instr);
  const raw = logical.text.trim();
  const lead = logical.text.length - logical.text.trimStart().length;
  const text = expandWord(raw, scope, model.escapeChar);
  const info: UserInfo = { instr, text, root: undefined };
  if (text === undefined || raw === '') return info;
  const colon = text.indexOf(':');
  info.user = colon >= 0 ? text.slice(0, colon) : text;
  info.group = colon >= 0 ? text.slice(colon + 1) : undefined;
  // uid 0 however written (`0`, `00`): the runtime parses a numeric user that passwd lacks.
  info.root = info.user === 'root' || /^0+$/.test(info.user);
  // Spans of the parts, exact when the text is written as it is (no variables, no quotes).
  const base = logical.at(lead);
  if (text === raw) {
    const userLen = colon >= 0 ? colon : raw.length;
    info.userSpan = { start: base, end: endOffset(logical, lead + userLen) };
    if (colon >= 0) info.groupSpan = { start: logical.at(lead + colon + 1), end: endOffset(logical, lead + raw.length) };
  } else {
    info.userSpan = { start: base, end: endOffset(logical, lead + raw.length) };
    if (info.group !== undefined) info.groupSpan = info.userSpan;
  }
  return info;
}

/** A RUN instruction: its command, read as a shell script (or exec-form words), and its mounts. */
export function runInfo(model: DockerfileModel, instr: Instr, scope: Scope): RunInfo {
  const command = model.commandArgs(instr);
  let script: ShellScript | undefined;
  let commands: SimpleCommand[] = [];
  if (command.form === 'shell' && command.shell) script = parseShell(command.shell);
  else if (command.exec?.length) {
    const inline = shellScriptArgument(command.exec);
    if (inline) script = parseShell(inline.logical);
    // `RUN ["go", "build", "."]` runs one program, without a shell: its words are the JSON strings.
    else commands = [execCommand(command.exec)];
  }
  const mounts = instr.flags.filter((f) => f.name.toLowerCase() === 'mount');
  return { instr, command, script, commands: script ? allCommands(script) : commands, mounts, scope };
}

/** A COPY or ADD: where from (`--from`), its sources and heredocs, and its destination. */
export function copyInfo(model: DockerfileModel, instr: Instr, scope: Scope): CopyInfo {
  const keyword = instr.keyword === 'ADD' ? 'ADD' : 'COPY';
  const info: CopyInfo = { instr, keyword, sources: [], heredocs: [], destIsDir: false };
  const fromFlag = instr.flags.find((f) => f.name.toLowerCase() === 'from');
  if (fromFlag && fromFlag.value !== null && fromFlag.valueSpan) {
    const value = expandWord(fromFlag.value, scope, model.escapeChar);
    info.from = {
      raw: fromFlag.value,
      value,
      span: fromFlag.valueSpan,
      source: model.copySource(value, fromFlag.valueSpan, fromFlag.value),
    };
  }
  const { logical } = unfoldLine(model.text, instr.argsStart, instr.span.end, model.escapeChar);
  const args: PathArg[] = [];
  if (logical.text.trimStart().startsWith('[')) {
    const json = decodeJsonArray(logical);
    if (json) for (const j of json) args.push({ raw: j.value, span: j.span });
  }
  if (!args.length) {
    const re = /\S+/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(logical.text)))
      args.push({ raw: m[0], span: { start: logical.at(m.index), end: endOffset(logical, m.index + m[0].length) } });
  }
  for (const a of args) a.value = expandWord(a.raw, scope, model.escapeChar);
  if (args.length >= 1) {
    const dest = args[args.length - 1];
    info.dest = dest;
    for (const a of args.slice(0, -1)) {
      const h = /^<<-?["']?([^"']+)["']?$/.exec(a.raw);
      if (h) info.heredocs.push(h[1]);
      else info.sources.push(a);
    }
    if (dest.value !== undefined) {
      info.destPath = resolvePath(dest.value, instr.workdir);
      // A directory: written as one (`dir/`, `.`), several sources, or a directory known to exist
      // (`/`, the working directory, which WORKDIR created).
      info.destIsDir =
        /(^|\/)\.{0,2}$/.test(dest.value) ||
        info.sources.length + info.heredocs.length > 1 ||
        info.destPath === '/' ||
        info.destPath === instr.workdir;
    }
  }
  return info;
}

/** Every Dockerfile instruction keyword, upper case. */
export const INSTRUCTION_KEYWORDS: readonly string[] = [
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
];
