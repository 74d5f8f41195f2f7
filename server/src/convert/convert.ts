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
import { EditBuilder, applyEdits, keyword, eolOf, type Edit } from '../engine/edits';
import { lint } from '../linter/lint';
import { withoutBom } from '../engine/findings';
import { DockerfileModel, type Instr, type Stage } from '../model/model';
import { flagArgs, goEnv, lastFlag, type GoInvocation } from '../model/go';
import type { BuildContext } from '../model/context';
import { packageCommands } from '../model/packages';
import { addLdflags, disableCgo, ldflagsMerge } from '../fixes/go';
import { deleteArgument } from '../fixes/shell';
import { toJson } from '../fixes/execForm';
import { familyOf, hasCaBundle } from '../model/images';
import { createUserCommands } from '../fixes/userEdits';
import { analyse, RUNTIME, type Analysis } from './analyse';

export const USER_NAME = 'appuser';
export const USER_ID = 10001;

export type ConvertResult = { ok: true; text: string; edits: Edit[]; binary: string; notes: string[] } | { ok: false; reason: string };

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

/** ENV names that only matter to the build. */
const BUILD_ENV = /^(GO[A-Z0-9_]*|CGO_[A-Z0-9_]+|CC|CXX|PATH|HOME|DEBIAN_FRONTEND|GIT_[A-Z_]+)$/;
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

// ---- plan ---------------------------------------------------------------------------------------

function plan(a: Analysis): { edits: Edit[]; notes: string[] } {
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
function verify(original: string, edits: Edit[], binary: string, notes: string[]): ConvertResult {
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
  const { findings, model } = lint(text, { only: CLEAN_OF });
  // What was appended must read as its own stage: text the file leaves open at its end (a heredoc
  // without its closing line) would take the scratch stage in as its own content.
  if (model.stages.length !== 2 || !model.stages[1].isScratch) {
    return {
      ok: false,
      reason:
        'the converted file would not read as a builder stage and a scratch stage (the file ends inside a heredoc or an instruction that takes in what follows); convert it by hand',
    };
  }
  if (findings.length) {
    return { ok: false, reason: `the converted file would still have ${findings.map((f) => f.rule).join(', ')}; convert it by hand` };
  }
  return { ok: true, text, edits, binary, notes };
}

/** A line of the parser-directive block at the top (never moved). */
function isDirectiveLine(model: DockerfileModel, line: number): boolean {
  return model.ast.getDirectives().some((d) => d.getRange().start.line === line);
}
