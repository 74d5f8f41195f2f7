/**
 * "Convert to multi-stage scratch build": a single-stage Dockerfile that builds a Go program becomes
 * a builder stage (every original build instruction, in order, plus an unprivileged user and a CA
 * bundle, and the go build made static and stripped into /out/<name>) and a `FROM scratch` stage
 * that copies /etc/passwd, /etc/group, the CA bundle and the binary, carries over the runtime
 * instructions, and runs the binary as appuser in exec form.
 *
 * The program's working directory (WORKDIR) and the run-time files the Dockerfile copies from the
 * build context (templates, static directories, config and env files: everything but Go sources and
 * the project's own paperwork) go into the scratch stage at the same paths. A `go install` with a
 * known binary, a `go run` command, and a prebuilt static binary (checked by its ELF header) convert
 * too.
 *
 * Where scratch cannot work it refuses with the reason and changes nothing: a file that is already
 * multi-stage, a program that is not Go (with the runtime image that fits instead), a build that
 * needs cgo, a command that needs a shell at run time, run-time files it cannot see (`COPY . .` from
 * a build context it cannot list), a prebuilt binary it cannot read or that is linked dynamically.
 *
 * One function any editor can call; the LSP refactor action, the VS Code command and the CLI all use it.
 */
import { EditBuilder, applyEdits, keyword, eolOf, type TextEdit } from '../engine/edits';
import { lint } from '../linter/lint';
import { withoutBom } from '../engine/findings';
import { DockerfileModel, type CommandArgs, type Instr, type Stage } from '../model/model';
import { flagArgs, goEnv, goInstallOutput, goInvocations, goOutput, goWorkdir, lastFlag, type GoInvocation } from '../model/go';
import { resolvePath, basename } from '../model/paths';
import type { BuildContext } from '../model/context';
import { packageCommands } from '../model/packages';
import { addLdflags, disableCgo, ldflagsMerge } from '../fixes/go';
import { commandStyle, deleteArgument } from '../fixes/shell';
import { execFormOf, toJson } from '../fixes/execForm';
import { familyOf, hasCaBundle } from '../model/images';
import { createUserCommands } from '../fixes/user';
import { copiedProgram, elfLinking, runtimeAdvice, runtimeFiles } from './program';

export const USER_NAME = 'appuser';
export const USER_ID = 10001;

export type ConvertResult = { ok: true; text: string; edits: TextEdit[]; binary: string; notes: string[] } | { ok: false; reason: string };

/** Rules the converted file must not trigger (the conversion checks itself against them). */
export const CLEAN_OF = [
  'root-user',
  'toolchain-final-stage',
  'go-cgo-in-scratch',
  'go-build-unstripped',
  'scratch-user-unresolvable',
  'scratch-shell-form',
  'scratch-ca-certificates',
];

/** Instructions that only configure the running container: they move to the scratch stage. */
const RUNTIME = new Set(['CMD', 'ENTRYPOINT', 'EXPOSE', 'LABEL', 'VOLUME', 'STOPSIGNAL', 'HEALTHCHECK', 'MAINTAINER']);
/** ENV names that only matter to the build. */
const BUILD_ENV = /^(GO[A-Z0-9_]*|CGO_[A-Z0-9_]+|CC|CXX|PATH|HOME|DEBIAN_FRONTEND|GIT_[A-Z_]+)$/;
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh']);

interface CommandWords {
  instr: Instr;
  words: string[];
}

/** A CMD / ENTRYPOINT / HEALTHCHECK command as exec-form words, or a reason it needs a shell. */
function commandWords(model: DockerfileModel, instr: Instr, command: CommandArgs): CommandWords | string {
  if (command.form === 'exec') return { instr, words: (command.exec ?? []).map((j) => j.value) };
  const exec = execFormOf(model, command);
  if (!exec) {
    const text = command.shell?.text.trim() ?? '';
    return `the shell is needed at run time: ${instr.keyword} ${text} uses shell features (variables, pipes, &&, globs or redirections), and scratch has no shell`;
  }
  return { instr, words: JSON.parse(exec) as string[] };
}

/** The go build that produces the program the container runs (by -o or name), else the last one. */
function pickBuild(builds: GoInvocation[], program: string | undefined, programDir: string | undefined): GoInvocation {
  if (program) {
    const wanted = resolvePath(program, programDir);
    for (const b of [...builds].reverse()) {
      const out = goOutput(b);
      if (out?.file && (out.file === wanted || basename(out.file) === basename(program))) return b;
      if (out?.dir && wanted && wanted.startsWith(`${out.dir}/`)) return b;
    }
  }
  return builds[builds.length - 1];
}

/** `go run [flags] <package or files> [args]` → the package words and the program's own arguments. */
function goRunParts(words: string[]): { packages: string[]; args: string[] } | undefined {
  if (basename(words[0] ?? '') !== 'go' || words[1] !== 'run') return undefined;
  let k = 2;
  while (k < words.length && words[k].startsWith('-')) k++;
  const packages: string[] = [];
  while (k < words.length && (words[k].endsWith('.go') || (packages.length === 0 && !words[k].startsWith('-')))) {
    packages.push(words[k++]);
    if (!packages[packages.length - 1].endsWith('.go')) break;
  }
  return packages.length ? { packages, args: words.slice(k) } : undefined;
}

type Refusal = { reason: string };
type Output = { file?: string; dir?: string };

/** What the analysis found: everything the edits are made from. */
interface Analysis {
  model: DockerfileModel;
  stage: Stage;
  /** Every go invocation of the file. */
  all: GoInvocation[];
  /** The build that makes the program, and where its binary goes (undefined: /out/<name>). */
  build?: GoInvocation;
  out?: Output;
  entryInstr?: Instr;
  cmdInstr?: Instr;
  entry?: CommandWords;
  cmd?: CommandWords;
  /** A `go run` command: the build it did at every start, made once in the builder. */
  goRun?: { packages: string[]; args: string[] };
  health?: Instr;
  healthLine?: string;
  /** Where the binary is in the builder, and where it goes in scratch. */
  binaryIn: string;
  binary: string;
  files: { name: string; path: string }[];
}

/** The phases: analyse (may refuse), plan the edits, verify the result (may refuse). */
export function convertToScratch(original: string, options: { buildContext?: BuildContext } = {}): ConvertResult {
  return convertModel(new DockerfileModel(withoutBom(original)), original, options);
}

/** The conversion from a model already built of `original` (the language server's state). */
export function convertModel(model: DockerfileModel, original: string, options: { buildContext?: BuildContext } = {}): ConvertResult {
  const a = analyse(model, options.buildContext);
  if ('reason' in a) return { ok: false, reason: a.reason };
  const { edits, notes } = plan(a);
  return verify(original, edits, a.binary, notes);
}

/**
 * Whether the conversion can be tried, without making its edits: what an editor asks when it offers
 * the action (the edits are made when the action is chosen, and checked then).
 */
export function convertible(
  model: DockerfileModel,
  options: { buildContext?: BuildContext } = {},
): { ok: true } | { ok: false; reason: string } {
  const a = analyse(model, options.buildContext);
  return 'reason' in a ? { ok: false, reason: a.reason } : { ok: true };
}

// ---- analyse ------------------------------------------------------------------------------------

function analyse(model: DockerfileModel, ctx: BuildContext | undefined): Analysis | Refusal {
  const s = singleStage(model);
  if ('reason' in s) return s;
  const all = goInvocations(model);
  // go build, and go install where its binary is known ($GOBIN or $GOPATH/bin, and the package's name).
  const builds = all.filter((i) => i.sub === 'build' || (i.sub === 'install' && goInstallOutput(i)?.file !== undefined));
  const refused = refuseBuilds(builds);
  if (refused) return refused;
  const runs = whatRuns(model, s, builds);
  if ('reason' in runs) return runs;
  let { entry, cmd } = runs;
  let runner = entry ?? cmd;
  let program = runner?.words[0];

  // Without a go build: `go run` becomes one, and a prebuilt static binary moves as it is.
  let goRun: Analysis['goRun'];
  let prebuilt: string | undefined;
  if (!builds.length) {
    goRun = runner ? goRunParts(runner.words) : undefined;
    if (!goRun) {
      const found = prebuiltBinary(s, all, program, ctx);
      if (typeof found !== 'string') return found;
      prebuilt = found;
    }
    if (runner && goRun) {
      // The command becomes the built binary, with the program's own arguments.
      const words = [program!, ...goRun.args];
      if (entry && runner === entry) entry = { instr: entry.instr, words };
      else cmd = { instr: cmd!.instr, words };
      runner = entry ?? cmd;
      program = undefined;
    }
  }
  if (program && (SHELLS.has(basename(program)) || /\.(sh|bash|py|rb|pl|js)$/.test(program))) {
    return { reason: `the command runs ${program}, which needs an interpreter or a shell at run time, and scratch has none` };
  }
  const build = builds.length ? pickBuild(builds, program, runner?.instr.workdir) : undefined;
  // With -o, the binary stays where the build puts it; go install writes its own; without either, /out/<name>.
  const out = build?.sub === 'install' ? goInstallOutput(build) : build && lastFlag(build, 'o') ? goOutput(build) : undefined;
  const workdirName = basename((build ? goWorkdir(build) : runner?.instr.workdir) ?? '');
  const name = (program && basename(program)) || (out?.file && basename(out.file)) || (workdirName !== '/' ? workdirName : '') || 'app';
  if (!/^[A-Za-z0-9._-]+$/.test(name) || name === '.' || name === '..') return { reason: `cannot name the binary after "${name}"` };
  const binaryIn = prebuilt ?? out?.file ?? (out?.dir ? `${out.dir}/${name}` : `/out/${name}`);
  const binary = `/${name}`;
  if (goRun && runner) runner.words[0] = binary;

  // What the program reads at run time from where the Dockerfile put it: carried over, or refused.
  const found = runtimeFiles(s, ctx);
  if (typeof found === 'string') return { reason: found };
  // (a prebuilt binary is copied as the program, not as one of its files)
  const files = found.filter((f, k) => f.path !== binaryIn && found.findIndex((g) => g.path === f.path) === k);

  const health = lastOf(s, 'HEALTHCHECK');
  const healthLine = health ? healthcheck(model, s, health, name, binary) : undefined;
  if (healthLine && typeof healthLine !== 'string') return healthLine;
  return { model, stage: s, all, build, out, ...runs, entry, cmd, goRun, health, healthLine, binaryIn, binary, files };
}

/** The file's one stage, or why the conversion does not apply. */
function singleStage(model: DockerfileModel): Stage | Refusal {
  if (!model.stages.length || model.stages[0].implicit) return { reason: 'the Dockerfile has no FROM' };
  if (model.stages.length > 1) {
    return {
      reason:
        'the Dockerfile is already multi-stage: harden its shipped stage with the quick-fixes instead ("fix all", or dockerfile-hardener fix --unsafe)',
    };
  }
  const s = model.stages[0];
  if (s.isScratch) return { reason: 'the Dockerfile is already a scratch image' };
  if (!s.imageSpan) return { reason: 'the FROM line names no image' };
  return s;
}

/** A build the conversion cannot make static, or whose output it cannot find. */
function refuseBuilds(builds: GoInvocation[]): Refusal | undefined {
  for (const b of builds) {
    const cgo = goEnv(b, 'CGO_ENABLED');
    if (cgo.set && cgo.value?.trim() === '1') {
      return {
        reason:
          'the build needs cgo (CGO_ENABLED=1 is set on purpose), and scratch has no C library: use gcr.io/distroless/base-debian12 as the runtime stage instead',
      };
    }
    if (commandStyle(b.run) === 'exec')
      return { reason: 'the go build is an exec-form RUN ["go", …]: write it in shell form first so that CGO_ENABLED=0 can be set' };
    if (b.dynamicFlags) return { reason: 'the go build takes its flags from a variable: the conversion cannot tell where the binary goes' };
  }
  return undefined;
}

function lastOf(s: Stage, keyword: string): Instr | undefined {
  return [...s.instructions].reverse().find((i) => i.keyword === keyword);
}

/** What the container runs: its ENTRYPOINT and CMD as exec-form words, or why scratch cannot run them. */
function whatRuns(
  model: DockerfileModel,
  s: Stage,
  builds: GoInvocation[],
): { entryInstr?: Instr; cmdInstr?: Instr; entry?: CommandWords; cmd?: CommandWords } | Refusal {
  const entryInstr = lastOf(s, 'ENTRYPOINT');
  const cmdInstr = lastOf(s, 'CMD');
  const commandOf = (instr: Instr | undefined) => (instr ? s.commands.find((x) => x.instr === instr)?.command : undefined);
  const argsOf = (instr: Instr | undefined): CommandWords | string | undefined => {
    const c = commandOf(instr);
    return c && instr ? commandWords(model, instr, c) : undefined;
  };
  const entry = argsOf(entryInstr);
  const cmd = argsOf(cmdInstr);
  const shellProgram = (x: CommandWords | string | undefined, instr: Instr | undefined) =>
    typeof x === 'string' ? commandOf(instr)?.shell?.text.trim().split(/\s+/)[0] : undefined;
  if (!builds.length && (typeof entry === 'string' || typeof cmd === 'string')) {
    return { reason: runtimeAdvice(s, shellProgram(entry, entryInstr) ?? shellProgram(cmd, cmdInstr)) };
  }
  if (typeof entry === 'string') return { reason: entry };
  if (typeof cmd === 'string') return { reason: cmd };
  if (!entry && !cmd && builds.length && builds.every((b) => b.sub === 'install')) {
    return {
      reason:
        'the image sets no command and only installs tools with go install: it is a build environment, not a program to move into scratch',
    };
  }
  return { entryInstr, cmdInstr, entry, cmd };
}

/** The path of a prebuilt static binary the image runs, or why there is none to move. */
function prebuiltBinary(s: Stage, all: GoInvocation[], program: string | undefined, ctx: BuildContext | undefined): string | Refusal {
  const copied = program ? copiedProgram(s, program) : undefined;
  if (!copied) {
    if (all.some((i) => i.sub === 'install'))
      return {
        reason:
          'the program is built with go install of a package whose binary the conversion cannot locate: change it to go build -o <path> first',
      };
    return { reason: runtimeAdvice(s, program) };
  }
  const linking = elfLinking(ctx?.head?.(copied.rel, 1 << 16));
  if (linking === 'dynamic')
    return {
      reason: `${copied.rel} is linked dynamically (it needs a C library and its loader), and scratch has neither: use gcr.io/distroless/base-debian12 as the runtime stage instead`,
    };
  if (linking === 'not-elf') return { reason: runtimeAdvice(s, program) };
  if (linking !== 'static')
    return {
      reason: `the image runs ${copied.rel}, a prebuilt binary the tool cannot read here to check that it is static (scratch runs only static binaries): convert the saved file in its project`,
    };
  return copied.path;
}

/** The runtime HEALTHCHECK, which must run the binary: there is nothing else in scratch. */
function healthcheck(model: DockerfileModel, s: Stage, health: Instr, name: string, binary: string): string | Refusal {
  const hc = s.commands.find((x) => x.instr === health)?.command;
  if (!hc) return model.text.slice(health.span.start, health.span.end).trim(); // HEALTHCHECK NONE
  const words = commandWords(model, health, hc);
  if (typeof words === 'string') return { reason: words };
  if (basename(words.words[0] ?? '') !== name)
    return {
      reason: `the HEALTHCHECK runs ${words.words[0]}, which scratch does not have: make the program answer its own health check (e.g. ${binary} -healthcheck)`,
    };
  const flags = health.flags.map((f) => model.text.slice(f.span.start, f.span.end)).join(' ');
  return `${keyword(model, 'HEALTHCHECK')} ${flags ? `${flags} ` : ''}${keyword(model, 'CMD')} ${toJson([binary, ...words.words.slice(1)])}`;
}

// ---- plan ---------------------------------------------------------------------------------------

function plan(a: Analysis): { edits: TextEdit[]; notes: string[] } {
  const { model, stage: s } = a;
  const b = new EditBuilder(model);
  const notes: string[] = [];
  // 1. FROM … AS builder (or its existing name).
  if (!s.name) b.insert(s.imageSpan!.end, ` ${keyword(model, 'AS')} builder`);
  // 2. The go build: static, stripped, into a known path; go get -d → go mod download.
  editBuild(b, a, notes);
  // 3. Runtime instructions leave the builder (with the comment lines right above them).
  const moved = moveRuntime(b, a, notes);
  // 4. The builder gets an unprivileged user and, when it lacks one, a CA bundle.
  setUpBuilder(b, a, notes);
  // 5. The scratch stage.
  const eol = eolOf(model.text);
  const endsWithEol = /\r?\n$/.test(model.text);
  b.insert(model.text.length, (endsWithEol ? '' : eol) + scratchStage(a, moved).join(eol) + eol);
  return { edits: b.build(), notes };
}

function editBuild(b: EditBuilder, a: Analysis, notes: string[]): void {
  const { model, build, out, binaryIn } = a;
  if (build) {
    const cgo = goEnv(build, 'CGO_ENABLED');
    if (!(cgo.set && cgo.value?.trim() === '0')) disableCgo(b, build);
    const ld = lastFlag(build, 'ldflags');
    if (ld?.dynamic) notes.push('-ldflags comes from a variable: check that it has -s -w');
    const ldWords = ld?.value !== undefined ? flagArgs(ld.value) : [];
    const stripped = ldWords.includes('-s') && ldWords.includes('-w');
    if (!ld) addLdflags(b, build);
    else if (!ld.dynamic && !stripped) ldflagsMerge(model, ld)?.apply(b);
    if (!out) b.insert(build.command.argv[1].end, ` -o ${binaryIn}`);
    for (const f of build.flags) if (f.name === 'a' || f.name === 'installsuffix') deleteArgument(model, b, build.run, f.span);
  }
  const modDownload = (i: GoInvocation) =>
    i.sub === 'get' && (i.flags.some((f) => f.name === 'd') || i.args.every((w) => /^(\.|\.\/\.\.\.)$/.test(w.value)));
  for (const g of a.all.filter(modDownload)) b.replace({ start: g.command.argv[0].start, end: g.command.command.end }, 'go mod download');
}

/**
 * Deletes the runtime instructions from the builder, with the comments right above them; returns
 * the lines for the scratch stage (a `\0KEYWORD` line marks where the command or health check goes).
 */
function moveRuntime(b: EditBuilder, a: Analysis, notes: string[]): string[] {
  const { model, stage: s } = a;
  const moved: string[] = [];
  for (const instr of s.instructions) {
    if (instr.keyword === 'ENV') {
      const env = runtimeEnv(model, s, instr, notes);
      if (env.length) moved.push(`${keyword(model, 'ENV')} ${env.join(' ')}`);
      continue;
    }
    if (!RUNTIME.has(instr.keyword)) continue;
    const comments = commentsAbove(b, model, instr);
    b.deleteInstruction(instr);
    if (instr.keyword === 'CMD' || instr.keyword === 'ENTRYPOINT' || instr.keyword === 'HEALTHCHECK') {
      if (instr === a.entryInstr || instr === a.cmdInstr || instr === a.health) moved.push(...comments, `\0${instr.keyword}`);
      continue; // earlier, overridden CMD/ENTRYPOINT/HEALTHCHECK instructions have no effect
    }
    moved.push(...comments, model.text.slice(instr.span.start, instr.span.end));
  }
  return moved;
}

/** An ENV instruction's variables that matter at run time, as `NAME=value` words. */
function runtimeEnv(model: DockerfileModel, s: Stage, instr: Instr, notes: string[]): string[] {
  const words: string[] = [];
  for (const e of s.env.values()) {
    if (e.instr !== instr) continue;
    const name = model.text.slice(e.nameSpan.start, e.nameSpan.end);
    if (BUILD_ENV.test(name)) continue;
    if (e.value !== undefined && !/[\s"'\\$]/.test(e.value)) words.push(`${name}=${e.value}`);
    else if (e.value !== undefined) words.push(`${name}=${JSON.stringify(e.value)}`);
    else notes.push(`ENV ${name} depends on a build argument: set it in the scratch stage by hand if the program reads it`);
  }
  return words;
}

/** Deletes the comment lines right above an instruction and returns them, trimmed. */
function commentsAbove(b: EditBuilder, model: DockerfileModel, instr: Instr): string[] {
  const lines = model.lines;
  const instrLine = lines.positionAt(instr.span.start).line;
  let first = instrLine;
  while (
    first > 0 &&
    lines
      .lineText(first - 1)
      .trim()
      .startsWith('#') &&
    !isDirectiveLine(model, first - 1)
  )
    first--;
  const comments: string[] = [];
  for (let l = first; l < instrLine; l++) comments.push(lines.lineText(l).trim());
  if (first < instrLine) b.delete({ start: lines.lineStarts[first], end: lines.lineStarts[instrLine] });
  return comments;
}

function setUpBuilder(b: EditBuilder, a: Analysis, notes: string[]): void {
  const { model, stage: s, files } = a;
  const KW = (k: string) => keyword(model, k);
  const family = familyOf(s);
  const create =
    createUserCommands(family, USER_NAME, USER_ID) ??
    `useradd --uid ${USER_ID} --user-group --no-create-home --shell /usr/sbin/nologin ${USER_NAME} 2>/dev/null || adduser -D -H -u ${USER_ID} ${USER_NAME}`;
  const builderLines = [`${KW('RUN')} ${create}`];
  // `go run`: the build it did at every start, now once in the builder.
  if (a.goRun) builderLines.unshift(`${KW('RUN')} CGO_ENABLED=0 go build -ldflags="-s -w" -o ${a.binaryIn} ${a.goRun.packages.join(' ')}`);
  if (files.length)
    notes.push(`the scratch stage also gets the files the program may read at run time: ${files.map((f) => f.name).join(', ')}`);
  if (!hasCaBundle(s) && family !== 'alpine') {
    const installs = packageCommands(model).filter(
      (c) => c.stage === s && (c.manager === 'apt-get' || c.manager === 'apt') && c.sub === 'install',
    );
    const has = installs.some((c) => c.packages.some((p) => p.value === 'ca-certificates'));
    // An install that always runs: one inside `if`, a loop or after `||` may not run on this build.
    const lastInstall = installs.filter((c) => c.command.command.depth === 0 && c.command.command.after !== '||').pop();
    if (!has && lastInstall?.packages.length) b.insert(lastInstall.packages[lastInstall.packages.length - 1].end, ' ca-certificates');
    else if (!has && family === 'debian')
      builderLines.push(
        `${KW('RUN')} apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*`,
      );
    else if (!has)
      notes.push("the builder may lack /etc/ssl/certs/ca-certificates.crt: install your distribution's ca-certificates package there");
  }
  // They need root: after the last build instruction, unless a USER there has switched to another
  // user (useradd: Permission denied), then right before the stage's first USER.
  const own = s.instructions;
  const lastBuild = [...own].reverse().find((i) => !RUNTIME.has(i.keyword)) ?? s.from;
  const usersBefore = s.users.filter((u) => u.instr && u.instr.span.start <= lastBuild.span.start);
  const firstUser = usersBefore[0]?.instr;
  const asRoot = !firstUser || usersBefore[usersBefore.length - 1].root === true ? lastBuild : (own[own.indexOf(firstUser) - 1] ?? s.from);
  b.insertLinesAfter(asRoot, builderLines);
}

/** The lines of the scratch stage. */
function scratchStage(a: Analysis, moved: string[]): string[] {
  const { model, stage: s, binaryIn, binary, entry, cmd } = a;
  const KW = (k: string) => keyword(model, k);
  const builderName = s.name ?? 'builder';
  const final: string[] = [
    '',
    `${KW('FROM')} scratch`,
    `${KW('COPY')} --from=${builderName} /etc/passwd /etc/passwd`,
    `${KW('COPY')} --from=${builderName} /etc/group /etc/group`,
    `${KW('COPY')} --from=${builderName} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/`,
    `${KW('COPY')} --from=${builderName} ${binaryIn} ${binary}`,
    ...a.files.map((f) => `${KW('COPY')} --from=${builderName} ${f.path} ${f.path}`),
    // The program's working directory, where it finds its relative paths.
    ...(s.workdir && s.workdir !== '/' ? [`${KW('WORKDIR')} ${s.workdir}`] : []),
    `${KW('USER')} ${USER_NAME}:${USER_NAME}`,
  ];
  let commandLines: string[] = [];
  for (const m of moved) {
    if (!m.startsWith('\0')) {
      final.push(m);
      continue;
    }
    const kw = m.slice(1);
    if (kw === 'HEALTHCHECK' && a.healthLine) final.push(a.healthLine);
    else if (kw === 'ENTRYPOINT' && entry) commandLines.push(`${KW('ENTRYPOINT')} ${toJson([binary, ...entry.words.slice(1)])}`);
    else if (kw === 'CMD' && cmd) commandLines.push(`${KW('CMD')} ${toJson(entry ? cmd.words : [binary, ...cmd.words.slice(1)])}`);
  }
  if (!entry && !cmd) commandLines = [`${KW('ENTRYPOINT')} ${toJson([binary])}`];
  final.push(...commandLines);
  return final;
}

// ---- verify -------------------------------------------------------------------------------------

/** Applies the edits and checks that the result is what the conversion promises; refuses if not. */
function verify(original: string, edits: TextEdit[], binary: string, notes: string[]): ConvertResult {
  let text: string;
  try {
    text = applyEdits(original, edits);
  } catch (e) {
    // Two of the edits meet in the same place (text the model reads only in part, such as a line
    // continuation at the very end of the file): refused, never half applied.
    if (e instanceof Error && e.message === 'overlapping edits')
      return {
        ok: false,
        reason: 'the file is written in a way the conversion cannot edit safely (its edits would overlap); convert it by hand',
      };
    throw e;
  }
  const { findings } = lint(text, { only: CLEAN_OF });
  if (findings.length) {
    return { ok: false, reason: `the converted file would still have ${findings.map((f) => f.rule).join(', ')}; convert it by hand` };
  }
  return { ok: true, text, edits, binary, notes };
}

/** A line of the parser-directive block at the top (never moved). */
function isDirectiveLine(model: DockerfileModel, line: number): boolean {
  return model.ast.getDirectives().some((d) => d.getRange().start.line === line);
}
