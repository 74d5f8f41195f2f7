/**
 * What a container runs: the ENTRYPOINT and CMD a stage ends with (its own, inherited from the stages
 * it builds on, or its base image's), the program PID 1 executes (past init wrappers such as tini),
 * the script behind it where the build context or a heredoc holds it, and what that command or
 * script does that matters to who the process runs as: stepping down to another user (gosu, su-exec,
 * setpriv, s6-setuidgid, chpst, runuser, su, sudo -u), or steps that need root (chown, package
 * installs, writes under /etc).
 */
import type { CommandArgs, CopyInfo, Instr, Stage } from './model';
import { LogicalText } from './logical';
import { allCommands, parseShell, type SimpleCommand } from './shell';
import { basename, globMatch, hasGlob, isWithin, normalizePath, resolvePath } from './paths';
import { copyProvides } from './files';
import { imageEntrypoint, type ImageEntrypoint } from './knownImages';
import { programOf, scan, stepDownOf, unwrapProgram, wordsOf } from './stepDown';
import type { Span } from './text';

/** ENTRYPOINT or CMD as a stage ends with it. */
export interface CommandLine {
  instr: Instr;
  command: CommandArgs;
  /** The words, for the exec form; the shell form runs `/bin/sh -c <text>`. */
  words?: string[];
  /** The shell script the command runs (shell form, or exec form of `sh -c`). */
  script?: { commands: SimpleCommand[]; text: string };
}

/** A user a command or script switches to before running the program. */
export interface StepDown {
  /** gosu, su-exec, setpriv… */
  tool: string;
  /** `user[:group]` as written (variables substituted where the image's ENV fixes them); undefined when not known. */
  user?: string;
  /** Where it happens, for messages: `ENTRYPOINT`, `docker-entrypoint.sh line 12`, `the postgres image's entrypoint`. */
  where: string;
  /** In the base image's own entrypoint, not in the Dockerfile's command or a script it copies. */
  inImage?: boolean;
  span?: Span;
}

/** A step of a script or command that needs root. */
export interface RootStep {
  what: string;
  where: string;
}

export interface Script {
  /** Its path in the image. */
  path: string;
  /** Its text, when read; else why it could not be. */
  text?: string;
  unreadable?: string;
  /** Where it was read from: `the build context (docker-entrypoint.sh)`, `a heredoc`. */
  from?: string;
  /** No instruction of the Dockerfile puts it there: the base image has it. */
  fromBase?: boolean;
}

export interface Entrypoint {
  entrypoint?: CommandLine;
  cmd?: CommandLine;
  /** The base image's own entrypoint, kept (nothing in the chain sets ENTRYPOINT or CMD over it). */
  image?: ImageEntrypoint;
  /** Neither the file nor the tool's knowledge of the base says what runs. */
  unknown: boolean;
  /** The program PID 1 runs, past init wrappers (tini, dumb-init) and `exec`; undefined when unknown. */
  program?: string;
  /** The instruction that names the program. */
  programInstr?: Instr;
  /** The script the program is, where it is one the image gets from the Dockerfile. */
  script?: Script;
  /** The program's command line (its known words), from ENTRYPOINT or CMD. */
  argv?: string[];
  /** Every command PID 1 runs before and as the program, that the tool can read. */
  commands: string[][];
  stepDown?: StepDown;
  rootSteps: RootStep[];
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh']);
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The ENTRYPOINT and CMD the stage ends with: the nearest of each in its chain, as the builder resets them. */
function commandLines(stage: Stage): { entrypoint?: Instr; cmd?: Instr; ep?: CommandArgs; cm?: CommandArgs } {
  let entrypoint: { instr: Instr; command?: CommandArgs } | undefined;
  let cmd: { instr: Instr; command?: CommandArgs } | undefined;
  for (const s of stage.chain) {
    for (let k = s.commands.length - 1; k >= 0; k--) {
      const c = s.commands[k];
      if (c.instr.keyword === 'ENTRYPOINT' && !entrypoint) entrypoint = c;
      if (c.instr.keyword === 'CMD' && !cmd) cmd = c;
    }
  }
  // ENTRYPOINT clears a CMD the stage inherited (one set in the same stage stays).
  if (entrypoint && cmd && cmd.instr.stage !== entrypoint.instr.stage && cmd.instr.span.start < entrypoint.instr.span.start)
    cmd = undefined;
  return { entrypoint: entrypoint?.instr, cmd: cmd?.instr, ep: entrypoint?.command, cm: cmd?.command };
}

function line(instr: Instr, command: CommandArgs | undefined): CommandLine | undefined {
  if (!command) return undefined;
  if (command.form === 'exec') {
    const words = (command.exec ?? []).map((j) => j.value);
    const sh = shellScriptOf(words);
    return { instr, command, words, script: sh !== undefined ? readScript(sh) : undefined };
  }
  const text = command.shell?.text ?? '';
  return { instr, command, script: readScript(text) };
}

function readScript(text: string): { commands: SimpleCommand[]; text: string } {
  return { commands: allCommands(parseShell(LogicalText.plain(text))), text };
}

/** `["sh", "-c", "script", …]`: the script. */
function shellScriptOf(words: string[]): string | undefined {
  if (!words.length || !SHELLS.has(basename(words[0]))) return undefined;
  for (let k = 1; k < words.length; k++) {
    const w = words[k];
    if (/^-[a-z]*c[a-z]*$/.test(w)) return words[k + 1];
    if (w === '-o' || w === '+o') k++;
    else if (!w.startsWith('-') && !w.startsWith('+')) return undefined;
  }
  return undefined;
}

/** The line of a command in a script's text (1-based). */
function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/**
 * The body of one heredoc of an instruction (`COPY <<EOF /path`): the bodies follow the first line in
 * the order their delimiters are written there, each ending at a line that is its delimiter.
 */
function heredocBody(stage: Stage, instr: Instr, delimiters: string[], name: string): string | undefined {
  const lines = stage.model.text.slice(instr.span.start, instr.span.end).split(/\r?\n/);
  let k = 1;
  for (const d of delimiters) {
    const body: string[] = [];
    while (k < lines.length && lines[k].replace(/^\t+/, '') !== d) body.push(lines[k++]);
    k++; // the delimiter line
    if (d === name) return body.length ? body.join('\n') + '\n' : '';
  }
  return undefined;
}

/** The first COPY (from the nearest, last) of the stage's chain that gives `path`, and from where. */
function sourceOf(stage: Stage, path: string, depth = 0): Script {
  for (const s of stage.chain) {
    for (let k = s.copies.length - 1; k >= 0; k--) {
      const c = s.copies[k];
      if (copyProvides(stage.model, c, path) !== 'yes') continue;
      return read(stage, c, path, depth);
    }
  }
  // A COPY from the build context that may give it: a pattern (`COPY *.sh /`) or a directory
  // (`COPY rootfs/ /`). The file is the context's, at the matching name under that source.
  for (const s of stage.chain) {
    for (let k = s.copies.length - 1; k >= 0; k--) {
      const c = s.copies[k];
      if (c.from || !c.destPath || copyProvides(stage.model, c, path) !== 'maybe') continue;
      for (const src of c.sources) {
        if (src.value === undefined || /^[a-z]+:\/\//i.test(src.value)) continue;
        const dir = normalizePath(`/${src.value}`);
        let rel: string | undefined;
        if (
          hasGlob(src.value) &&
          c.destIsDir &&
          normalizePath(`${c.destPath}/${basename(path)}`) === path &&
          globMatch(basename(src.value), basename(path))
        ) {
          rel = normalizePath(`${dir.slice(0, dir.lastIndexOf('/'))}/${basename(path)}`);
        } else if (!hasGlob(src.value) && isWithin(path, c.destPath) && path !== c.destPath) {
          rel = normalizePath(`${dir}/${path.slice(c.destPath.length)}`);
        }
        if (!rel) continue;
        rel = rel.replace(/^\/+/, '');
        const line = stage.model.lines.positionAt(c.instr.span.start).line + 1;
        if (!stage.model.context)
          return {
            path,
            unreadable: `it is copied from the build context (${c.keyword} at line ${line}), which the tool cannot read here`,
          };
        const text = stage.model.context.readFile(rel);
        if (text !== undefined) return { path, text, from: `the build context (${rel})` };
        // Not in the context there: another source of the COPY, or the base image, may have it.
      }
    }
  }
  for (const s of stage.chain) {
    for (const r of s.runs) {
      const text = stage.model.text.slice(r.instr.span.start, r.instr.span.end);
      if (text.includes(path) || text.includes(basename(path)))
        return {
          path,
          unreadable: `it is written by a RUN instruction (line ${stage.model.lines.positionAt(r.instr.span.start).line + 1}), which the tool does not run`,
        };
    }
  }
  return { path, unreadable: 'no COPY or ADD in the Dockerfile puts it there (it comes from the base image)', fromBase: true };
}

function read(stage: Stage, c: CopyInfo, path: string, depth: number): Script {
  const model = stage.model;
  if (c.heredocs.length) {
    const name = c.destIsDir ? c.heredocs.find((h) => normalizePath(`${c.destPath}/${h}`) === path) : c.heredocs[0];
    if (name) {
      const body = heredocBody(stage, c.instr, c.heredocs, name);
      if (body !== undefined) return { path, text: body, from: 'a heredoc in the Dockerfile' };
    }
  }
  const src =
    c.sources.find((s) => s.value !== undefined && (c.destIsDir ? basename(s.value) === basename(path) : true)) ??
    (c.sources.length === 1 ? c.sources[0] : undefined);
  if (!src || src.value === undefined)
    return {
      path,
      unreadable: `the tool cannot tell which source of the COPY at line ${model.lines.positionAt(c.instr.span.start).line + 1} it is`,
    };
  const rel = normalizePath(src.value).replace(/^\/+/, '');
  if (c.from?.source.kind === 'stage') {
    const from = c.from.source.stage;
    if (depth >= 4) return { path, unreadable: 'it is copied through too many stages' };
    const there = sourceOf(from, normalizePath(`/${src.value}`), depth + 1);
    // Nothing in that stage puts it there: it is that stage's base image's file.
    if (there.text === undefined && there.fromBase)
      return { path, unreadable: `it is copied from stage ${from.name ?? from.index}, whose base image has it` };
    return { ...there, path };
  }
  if (c.from) return { path, unreadable: `it is copied from the image ${c.from.value ?? c.from.raw}` };
  if (/^(https?|git):\/\//i.test(src.value)) return { path, unreadable: `it is downloaded from ${src.value}` };
  if (!model.context) return { path, unreadable: `${src.value} is in the build context, which the tool cannot read here` };
  // A directory copied over the path's directory (`COPY rootfs/ /`): the file under it.
  const under =
    c.destPath && path !== c.destPath && isWithin(path, c.destPath) && (src.value.endsWith('/') || !!model.context.list?.(rel)?.length);
  const file = under ? normalizePath(`/${rel}/${path.slice(c.destPath!.length)}`).replace(/^\/+/, '') : rel;
  const text = model.context.readFile(file);
  // (The context reads at most 256 KB: a larger file is one it could not read.)
  if (text === undefined) return { path, unreadable: `${file} could not be read from the build context` };
  return { path, text, from: `the build context (${file})` };
}

/** Where a program named by a word is in the image: an absolute path, looked up on PATH if bare. */
function programPath(stage: Stage, word: string): string | undefined {
  if (word.includes('/')) return resolvePath(word, stage.workdir ?? '/');
  const pathVar = stage.env.get('PATH')?.value ?? DEFAULT_PATH;
  // Only a COPY or ADD, or a RUN that names it, can make a file there certain: look only there.
  const dests = stage.chain.flatMap((s) => s.copies.map((c) => c.destPath)).filter((d): d is string => d !== undefined);
  const named = stage.chain.some((s) =>
    s.runs.some((r) => stage.model.text.slice(r.instr.span.start, r.instr.span.end).includes(`/${word}`)),
  );
  for (const dir of pathVar.split(':')) {
    if (!dir.startsWith('/')) continue;
    const p = normalizePath(`${dir}/${word}`);
    if ((named || dests.some((d) => isWithin(p, d))) && stage.presence(p) === 'yes') return p;
  }
  return undefined;
}

/**
 * Whether a file is a script rather than a binary: a shebang where it can be read, else its name
 * (`.sh`, or named as an entrypoint or start script is, `docker-php-entrypoint`, `start`, `run`).
 */
function looksLikeScript(path: string, text: string | undefined): boolean {
  if (text !== undefined) return text.startsWith('#!') || /\.(sh|bash)$/.test(path);
  return /\.(sh|bash)$/.test(path) || /entrypoint|^(start|run|init|wrapper|boot)([-_.]|$)/i.test(basename(path));
}

/** What the stage's container runs, read once per stage. */
export function entrypointOf(stage: Stage): Entrypoint {
  return stage.model.cached(`entrypoint.${stage.index}`, () => {
    const { entrypoint: epInstr, cmd: cmdInstr, ep, cm } = commandLines(stage);
    const out: Entrypoint = { unknown: false, commands: [], rootSteps: [] };
    out.entrypoint = epInstr ? line(epInstr, ep) : undefined;
    out.cmd = cmdInstr ? line(cmdInstr, cm) : undefined;
    const env = new Map<string, string | undefined>();
    stage.env.forEach((e, k) => env.set(k, e.value));
    const base = stage.rootImage;
    if (!epInstr && base) out.image = imageEntrypoint(base);
    if (out.image) return baseEntrypoint(stage, out, out.image);
    // The command line PID 1 executes: ENTRYPOINT (with CMD as its arguments), else CMD.
    const first = out.entrypoint && (out.entrypoint.words?.length || out.entrypoint.script) ? out.entrypoint : out.cmd;
    if (!first) {
      out.unknown = true;
      return out;
    }
    readCommandLine(stage, out, first, env);
    out.programInstr = first.instr;
    if (out.program === undefined || out.stepDown) return out;
    readProgramScript(stage, out, out.program, env);
    return out;
  });
}

/**
 * The base's own entrypoint runs, with CMD (if any) as its arguments: it steps down for the image's
 * server (or for its options), not for a shell or another command someone asked for.
 */
function baseEntrypoint(stage: Stage, out: Entrypoint, image: ImageEntrypoint): Entrypoint {
  const args = out.cmd?.words ? unwrapProgram(out.cmd.words) : [];
  out.argv = args.filter((w): w is string => w !== undefined);
  if (args.length) out.commands.push(out.argv);
  const first = args[0];
  const servers = image.stepsDownTo?.commands;
  const forServer = first === undefined || first.startsWith('-') || !servers || servers.includes(basename(first));
  if (image.stepsDownTo && forServer)
    out.stepDown = {
      user: image.stepsDownTo.user,
      tool: image.stepsDownTo.tool,
      where: `the ${stage.rootImage ? stage.rootImage.shortName : 'base'} image's entrypoint`,
      inImage: true,
    };
  out.program = args[0];
  out.programInstr = out.cmd?.instr;
  return out;
}

/** The program, its words and what it does, from the command line PID 1 executes (and CMD's arguments). */
function readCommandLine(stage: Stage, out: Entrypoint, first: CommandLine, env: Map<string, string | undefined>): void {
  const where = `${first.instr.keyword} (line ${stage.model.lines.positionAt(first.instr.span.start).line + 1})`;
  if (first.script) {
    scan(first.script.commands, env, () => where, out);
    const last = first.script.commands[first.script.commands.length - 1];
    const words = last ? unwrapProgram(wordsOf(last, env)) : [];
    out.argv = words.filter((w): w is string => w !== undefined);
    out.program = programOf(words);
  } else {
    let words = unwrapProgram(first.words ?? []);
    // An entrypoint that only wraps (`ENTRYPOINT ["tini", "--"]`): the program is CMD's.
    const wrapsOnly = !words.length && first === out.entrypoint && !!out.cmd?.words;
    if (wrapsOnly) words = unwrapProgram(out.cmd!.words!);
    out.argv = words.filter((w): w is string => w !== undefined);
    out.commands.push(out.argv);
    const down = stepDownOf(words);
    if (down) out.stepDown = { ...down, where };
    out.program = programOf(words);
    if (wrapsOnly) out.cmd = undefined; // taken as the program's words above
  }
  // With an ENTRYPOINT, CMD gives its arguments: usually the command the entrypoint ends by running.
  if (first === out.entrypoint && out.cmd) {
    if (out.cmd.words) out.commands.push(unwrapProgram(out.cmd.words).filter((w): w is string => w !== undefined));
    else if (out.cmd.script)
      for (const c of out.cmd.script.commands)
        out.commands.push(unwrapProgram(wordsOf(c, env)).filter((w): w is string => w !== undefined));
  }
}

/**
 * The script behind the program, where the build context or a heredoc holds it, and what it does. A
 * script a COPY may bring (a pattern, a directory) is looked for too: it is the program's script if
 * the build context has it there.
 */
function readProgramScript(stage: Stage, out: Entrypoint, program: string, env: Map<string, string | undefined>): void {
  const path = programPath(stage, program);
  if (!path) return;
  const presence = stage.presence(path);
  const found = presence === 'yes' || (presence === 'maybe' && /\.(sh|bash)$/.test(path)) ? sourceOf(stage, path) : undefined;
  if (!found || (found.fromBase && presence !== 'yes')) return;
  if (found.text === undefined && !looksLikeScript(path, undefined)) return; // a program, not a script
  if (found.text !== undefined && !looksLikeScript(path, found.text)) return;
  out.script = found;
  if (found.text !== undefined) {
    const text = found.text;
    const commands = allCommands(parseShell(LogicalText.plain(text)));
    const name = basename(path);
    scan(commands, env, (c) => `${name} line ${lineOf(text, c.start)}`, out);
  }
}
