/**
 * "Convert to multi-stage scratch build": a single-stage Dockerfile that builds a Go program becomes
 * a builder stage (every original build instruction, in order, plus an unprivileged user and a CA
 * bundle, and the go build made static and stripped into /out/<name>) and a `FROM scratch` stage
 * that copies /etc/passwd, /etc/group, the CA bundle and the binary, carries over the runtime
 * instructions, and runs the binary as appuser in exec form.
 *
 * Where scratch cannot work it refuses with the reason and changes nothing: a file that is already
 * multi-stage, a program that is not Go (with the runtime image that fits instead), a build that
 * needs cgo, a command that needs a shell at run time.
 *
 * One function any editor can call; the LSP refactor action, the VS Code command and the CLI all use it.
 */
import { EditBuilder, applyEdits, keyword, eolOf, type TextEdit } from '../engine/edits';
import { lint, withoutBom } from '../engine/lint';
import { DockerfileModel, type CommandArgs, type Instr, type Stage } from '../model/model';
import { flagArgs, goEnv, goInvocations, goOutput, goWorkdir, lastFlag, type GoInvocation } from '../model/go';
import { resolvePath, basename } from '../model/paths';
import { packageCommands } from '../model/packages';
import { addLdflags, mergeLdflags } from '../fixes/go';
import { commandStyle, deleteArgument } from '../fixes/shell';
import { execFormOf } from '../fixes/execForm';
import { familyOf, hasCaBundle } from '../model/images';
import { createUserCommands } from '../fixes/user';

export const USER_NAME = 'appuser';
export const USER_ID = 10001;

export type ConvertResult =
  | { ok: true; text: string; edits: TextEdit[]; binary: string; notes: string[] }
  | { ok: false; reason: string };

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

/** What to run instead when the program is not Go, by base image or installer. */
function runtimeAdvice(stage: Stage): string {
  const repo = stage.rootImage?.repository ?? '';
  const commands = stage.runs.flatMap((r) => r.commands.map((c) => c.argv[0]?.value ?? ''));
  const uses = (...names: string[]) => names.some((n) => repo.endsWith(`/${n}`) || repo === n || commands.includes(n));
  if (uses('node', 'npm', 'yarn', 'pnpm')) return 'this is a Node.js program: use gcr.io/distroless/nodejs22-debian12 (or node:22-slim) as the runtime stage instead';
  if (uses('python', 'pip', 'pip3', 'poetry', 'uv')) return 'this is a Python program: use gcr.io/distroless/python3-debian12 (or python:3.12-slim) as the runtime stage instead';
  if (uses('openjdk', 'eclipse-temurin', 'amazoncorretto', 'maven', 'gradle', 'mvn', 'java')) return 'this is a Java program: build the jar in a builder and run it on gcr.io/distroless/java21-debian12 (or eclipse-temurin:21-jre)';
  if (repo.startsWith('dotnet/') || uses('dotnet')) return 'this is a .NET program: publish in the SDK image and run on mcr.microsoft.com/dotnet/aspnet or runtime (or runtime-deps for a self-contained build)';
  if (uses('ruby', 'gem', 'bundle')) return 'this is a Ruby program: use ruby:3-slim as the runtime stage instead';
  if (uses('php', 'composer')) return 'this is a PHP program: scratch has no PHP runtime; use a php:*-fpm or *-cli slim image';
  if (uses('rust', 'cargo')) return 'this is a Rust program: build it for the musl target in a builder and copy the binary into scratch by hand, or use gcr.io/distroless/cc-debian12';
  return 'no go build was found: scratch only runs static binaries';
}

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

export function convertToScratch(original: string): ConvertResult {
  const model = new DockerfileModel(withoutBom(original));
  if (!model.stages.length || model.stages[0].implicit) return { ok: false, reason: 'the Dockerfile has no FROM' };
  if (model.stages.length > 1) {
    return { ok: false, reason: 'the Dockerfile is already multi-stage: harden its shipped stage with the quick-fixes instead ("fix all", or dockerfile-hardener fix --unsafe)' };
  }
  const s = model.stages[0];
  if (s.isScratch) return { ok: false, reason: 'the Dockerfile is already a scratch image' };
  if (!s.imageSpan) return { ok: false, reason: 'the FROM line names no image' };
  const all = goInvocations(model);
  const builds = all.filter((i) => i.sub === 'build');
  if (!builds.length) {
    if (all.some((i) => i.sub === 'install')) return { ok: false, reason: 'the program is built with go install: change it to go build -o <path> first, so that the binary can be found' };
    return { ok: false, reason: runtimeAdvice(s) };
  }
  for (const b of builds) {
    const cgo = goEnv(b, 'CGO_ENABLED');
    if (cgo.set && cgo.value?.trim() === '1') {
      return { ok: false, reason: 'the build needs cgo (CGO_ENABLED=1 is set on purpose), and scratch has no C library: use gcr.io/distroless/base-debian12 as the runtime stage instead' };
    }
    if (commandStyle(b.run) === 'exec') return { ok: false, reason: 'the go build is an exec-form RUN ["go", …]: write it in shell form first so that CGO_ENABLED=0 can be set' };
    if (b.dynamicFlags) return { ok: false, reason: 'the go build takes its flags from a variable: the conversion cannot tell where the binary goes' };
  }

  // What the container runs.
  const own = s.instructions;
  const last = (kw: string) => [...own].reverse().find((i) => i.keyword === kw);
  const entryInstr = last('ENTRYPOINT');
  const cmdInstr = last('CMD');
  const argsOf = (instr: Instr | undefined): CommandWords | string | undefined => {
    if (!instr) return undefined;
    const c = s.commands.find((x) => x.instr === instr)?.command;
    return c ? commandWords(model, instr, c) : undefined;
  };
  const entry = argsOf(entryInstr);
  const cmd = argsOf(cmdInstr);
  if (typeof entry === 'string') return { ok: false, reason: entry };
  if (typeof cmd === 'string') return { ok: false, reason: cmd };
  const runner = entry ?? cmd;
  const program = runner?.words[0];
  if (program && (SHELLS.has(basename(program)) || /\.(sh|bash|py|rb|pl|js)$/.test(program))) {
    return { ok: false, reason: `the command runs ${program}, which needs an interpreter or a shell at run time, and scratch has none` };
  }
  const build = pickBuild(builds, program, runner?.instr.workdir);
  // With -o, the binary stays where the build puts it; without, it goes to /out/<name>.
  const out = lastFlag(build, 'o') ? goOutput(build) : undefined;
  const name = (program && basename(program)) || (out?.file && basename(out.file)) || basename(goWorkdir(build) ?? '') || 'app';
  if (!/^[A-Za-z0-9._-]+$/.test(name) || name === '.' || name === '..') return { ok: false, reason: `cannot name the binary after "${name}"` };
  const binaryIn = out?.file ?? (out?.dir ? `${out.dir}/${name}` : `/out/${name}`);
  const binary = `/${name}`;

  // The runtime HEALTHCHECK must run the binary: there is nothing else in scratch.
  const health = last('HEALTHCHECK');
  let healthLine: string | undefined;
  if (health) {
    const hc = s.commands.find((x) => x.instr === health)?.command;
    if (hc) {
      const words = commandWords(model, health, hc);
      if (typeof words === 'string') return { ok: false, reason: words };
      if (basename(words.words[0] ?? '') !== name) return { ok: false, reason: `the HEALTHCHECK runs ${words.words[0]}, which scratch does not have: make the program answer its own health check (e.g. ${binary} -healthcheck)` };
      const flags = health.flags.map((f) => model.text.slice(f.span.start, f.span.end)).join(' ');
      healthLine = `${keyword(model, 'HEALTHCHECK')} ${flags ? `${flags} ` : ''}${keyword(model, 'CMD')} ${JSON.stringify([binary, ...words.words.slice(1)]).replace(/","/g, '", "')}`;
    } else healthLine = model.text.slice(health.span.start, health.span.end).trim(); // HEALTHCHECK NONE
  }

  const b = new EditBuilder(model);
  const eol = eolOf(model.text);
  const KW = (k: string) => keyword(model, k);
  const notes: string[] = [];

  // 1. FROM … AS builder (or its existing name).
  const builderName = s.name ?? 'builder';
  if (!s.name) b.insert(s.imageSpan.end, ` ${KW('AS')} builder`);

  // 2. The go build: static, stripped, into a known path; go get -d → go mod download.
  const cgo = goEnv(build, 'CGO_ENABLED');
  if (!(cgo.set && cgo.value?.trim() === '0')) {
    const own = [...build.command.assignments].reverse().find((w) => w.value.startsWith('CGO_ENABLED='));
    if (own) b.replace({ start: own.start, end: own.end }, 'CGO_ENABLED=0');
    else b.insert(build.command.argv[0].start, 'CGO_ENABLED=0 ');
  }
  const ld = lastFlag(build, 'ldflags');
  if (ld?.dynamic) notes.push('-ldflags comes from a variable: check that it has -s -w');
  const ldWords = ld?.value !== undefined ? flagArgs(ld.value) : [];
  const stripped = ldWords.includes('-s') && ldWords.includes('-w');
  const strip = !ld ? addLdflags(model, build) : ld.dynamic || stripped ? undefined : mergeLdflags(model, ld);
  for (const e of (strip?.edits({}) ?? []) as TextEdit[]) b.replace({ start: model.lines.offsetAt(e.range.start), end: model.lines.offsetAt(e.range.end) }, e.newText);
  if (!out) b.insert(build.command.argv[1].end, ` -o ${binaryIn}`);
  for (const f of build.flags) if (f.name === 'a' || f.name === 'installsuffix') deleteArgument(model, b, build.run, f.span);
  for (const g of all.filter((i) => i.sub === 'get' && (i.flags.some((f) => f.name === 'd') || i.args.every((a) => /^(\.|\.\/\.\.\.)$/.test(a.value))))) {
    b.replace({ start: g.command.argv[0].start, end: g.command.command.end }, 'go mod download');
  }

  // 3. Runtime instructions leave the builder (with the comment lines right above them).
  const moved: string[] = [];
  const runtimeEnv: string[] = [];
  for (const instr of own) {
    if (instr.keyword === 'ENV') {
      const pairs = [...s.env.values()].filter((e) => e.instr === instr && !BUILD_ENV.test(model.text.slice(e.nameSpan.start, e.nameSpan.end)));
      for (const e of pairs) {
        const name = model.text.slice(e.nameSpan.start, e.nameSpan.end);
        if (e.value !== undefined && !/[\s"'\\$]/.test(e.value)) runtimeEnv.push(`${name}=${e.value}`);
        else if (e.value !== undefined) runtimeEnv.push(`${name}=${JSON.stringify(e.value)}`);
        else notes.push(`ENV ${name} depends on a build argument: set it in the scratch stage by hand if the program reads it`);
      }
      if (runtimeEnv.length) {
        moved.push(`${KW('ENV')} ${runtimeEnv.join(' ')}`);
        runtimeEnv.length = 0;
      }
      continue;
    }
    if (!RUNTIME.has(instr.keyword)) continue;
    const lines = model.lines;
    const instrLine = lines.positionAt(instr.span.start).line;
    let first = instrLine;
    while (first > 0 && lines.lineText(first - 1).trim().startsWith('#') && !isDirectiveLine(model, first - 1)) first--;
    const comments: string[] = [];
    for (let l = first; l < instrLine; l++) comments.push(lines.lineText(l).trim());
    if (first < instrLine) b.delete({ start: lines.lineStarts[first], end: lines.lineStarts[instrLine] });
    b.deleteInstruction(instr);
    if (instr.keyword === 'CMD' || instr.keyword === 'ENTRYPOINT' || instr.keyword === 'HEALTHCHECK') {
      if (instr === entryInstr || instr === cmdInstr || instr === health) moved.push(...comments.map((c) => c.trim()), `\0${instr.keyword}`);
      continue; // earlier, overridden CMD/ENTRYPOINT/HEALTHCHECK instructions have no effect
    }
    moved.push(...comments.map((c) => c.trim()), model.text.slice(instr.span.start, instr.span.end));
  }

  // 4. The builder gets an unprivileged user and, when it lacks one, a CA bundle.
  const family = familyOf(s);
  const create = createUserCommands(family, USER_NAME, USER_ID) ?? `useradd --uid ${USER_ID} --user-group --no-create-home --shell /usr/sbin/nologin ${USER_NAME} 2>/dev/null || adduser -D -H -u ${USER_ID} ${USER_NAME}`;
  const builderLines = [`${KW('RUN')} ${create}`];
  if (!hasCaBundle(s) && family !== 'alpine') {
    const installs = packageCommands(model).filter((c) => c.stage === s && (c.manager === 'apt-get' || c.manager === 'apt') && c.sub === 'install');
    const has = installs.some((c) => c.packages.some((p) => p.value === 'ca-certificates'));
    const lastInstall = installs[installs.length - 1];
    if (!has && lastInstall?.packages.length) b.insert(lastInstall.packages[lastInstall.packages.length - 1].end, ' ca-certificates');
    else if (!has && family === 'debian') builderLines.push(`${KW('RUN')} apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*`);
    else if (!has) notes.push('the builder may lack /etc/ssl/certs/ca-certificates.crt: install your distribution\'s ca-certificates package there');
  }
  // They need root: after the last build instruction, unless a USER there has switched to another
  // user (useradd: Permission denied), then right before the stage's first USER.
  const lastBuild = [...own].reverse().find((i) => !RUNTIME.has(i.keyword)) ?? s.from;
  const usersBefore = s.users.filter((u) => u.instr && u.instr.span.start <= lastBuild.span.start);
  const firstUser = usersBefore[0]?.instr;
  const asRoot = !firstUser || usersBefore[usersBefore.length - 1].root === true ? lastBuild : (own[own.indexOf(firstUser) - 1] ?? s.from);
  b.insertLinesAfter(asRoot, builderLines);

  // 5. The scratch stage.
  const final: string[] = [
    '',
    `${KW('FROM')} scratch`,
    `${KW('COPY')} --from=${builderName} /etc/passwd /etc/passwd`,
    `${KW('COPY')} --from=${builderName} /etc/group /etc/group`,
    `${KW('COPY')} --from=${builderName} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/`,
    `${KW('COPY')} --from=${builderName} ${binaryIn} ${binary}`,
    `${KW('USER')} ${USER_NAME}:${USER_NAME}`,
  ];
  const json = (words: string[]) => `[${words.map((w) => JSON.stringify(w)).join(', ')}]`;
  let commandLines: string[] = [];
  for (const m of moved) {
    if (!m.startsWith('\0')) {
      final.push(m);
      continue;
    }
    const kw = m.slice(1);
    if (kw === 'HEALTHCHECK' && healthLine) final.push(healthLine);
    else if (kw === 'ENTRYPOINT' && entry) commandLines.push(`${KW('ENTRYPOINT')} ${json([binary, ...entry.words.slice(1)])}`);
    else if (kw === 'CMD' && cmd) commandLines.push(`${KW('CMD')} ${json(entry ? cmd.words : [binary, ...cmd.words.slice(1)])}`);
  }
  if (!entry && !cmd) commandLines = [`${KW('ENTRYPOINT')} ${json([binary])}`];
  final.push(...commandLines);
  const endsWithEol = /\r?\n$/.test(model.text);
  b.insert(model.text.length, (endsWithEol ? '' : eol) + final.join(eol) + eol);

  const edits = b.build();
  let text: string;
  try {
    text = applyEdits(original, edits);
  } catch (e) {
    // Two of the edits meet in the same place (text the model reads only in part, such as a line
    // continuation at the very end of the file): refused, never half applied.
    if (e instanceof Error && e.message === 'overlapping edits') return { ok: false, reason: 'the file is written in a way the conversion cannot edit safely (its edits would overlap); convert it by hand' };
    throw e;
  }

  // The result must be what the conversion promises; a conversion that is not is refused, not applied.
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
