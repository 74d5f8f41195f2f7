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
import { DockerfileModel, type CommandArgs, type Instr } from '../model/model';
import { flagArgs, goEnv, goInstallOutput, goInvocations, goOutput, goWorkdir, lastFlag, type GoInvocation } from '../model/go';
import { resolvePath, basename } from '../model/paths';
import type { BuildContext } from '../model/context';
import { packageCommands } from '../model/packages';
import { addLdflags, mergeLdflags } from '../fixes/go';
import { commandStyle, deleteArgument } from '../fixes/shell';
import { execFormOf } from '../fixes/execForm';
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

export function convertToScratch(original: string, options: { buildContext?: BuildContext } = {}): ConvertResult {
  const ctx = options.buildContext;
  const model = new DockerfileModel(withoutBom(original));
  if (!model.stages.length || model.stages[0].implicit) return { ok: false, reason: 'the Dockerfile has no FROM' };
  if (model.stages.length > 1) {
    return {
      ok: false,
      reason:
        'the Dockerfile is already multi-stage: harden its shipped stage with the quick-fixes instead ("fix all", or dockerfile-hardener fix --unsafe)',
    };
  }
  const s = model.stages[0];
  if (s.isScratch) return { ok: false, reason: 'the Dockerfile is already a scratch image' };
  if (!s.imageSpan) return { ok: false, reason: 'the FROM line names no image' };
  const all = goInvocations(model);
  // go build, and go install where its binary is known ($GOBIN or $GOPATH/bin, and the package's name).
  const builds = all.filter((i) => i.sub === 'build' || (i.sub === 'install' && goInstallOutput(i)?.file !== undefined));
  for (const b of builds) {
    const cgo = goEnv(b, 'CGO_ENABLED');
    if (cgo.set && cgo.value?.trim() === '1') {
      return {
        ok: false,
        reason:
          'the build needs cgo (CGO_ENABLED=1 is set on purpose), and scratch has no C library: use gcr.io/distroless/base-debian12 as the runtime stage instead',
      };
    }
    if (commandStyle(b.run) === 'exec')
      return {
        ok: false,
        reason: 'the go build is an exec-form RUN ["go", …]: write it in shell form first so that CGO_ENABLED=0 can be set',
      };
    if (b.dynamicFlags)
      return { ok: false, reason: 'the go build takes its flags from a variable: the conversion cannot tell where the binary goes' };
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
  let entry = argsOf(entryInstr);
  let cmd = argsOf(cmdInstr);
  const shellProgram = (x: CommandWords | string | undefined, instr: Instr | undefined) =>
    typeof x === 'string' && instr
      ? s.commands
          .find((c) => c.instr === instr)
          ?.command?.shell?.text.trim()
          .split(/\s+/)[0]
      : undefined;
  if (!builds.length && (typeof entry === 'string' || typeof cmd === 'string')) {
    return { ok: false, reason: runtimeAdvice(s, shellProgram(entry, entryInstr) ?? shellProgram(cmd, cmdInstr)) };
  }
  if (typeof entry === 'string') return { ok: false, reason: entry };
  if (typeof cmd === 'string') return { ok: false, reason: cmd };
  let runner = entry ?? cmd;
  let program = runner?.words[0];
  if (!runner && builds.length && builds.every((b) => b.sub === 'install')) {
    return {
      ok: false,
      reason:
        'the image sets no command and only installs tools with go install: it is a build environment, not a program to move into scratch',
    };
  }

  // Without a go build: `go run` becomes one, and a prebuilt static binary moves as it is.
  let goRun: { packages: string[]; args: string[] } | undefined;
  let prebuilt: string | undefined;
  if (!builds.length) {
    goRun = runner ? goRunParts(runner.words) : undefined;
    if (!goRun) {
      const copied = program ? copiedProgram(s, program) : undefined;
      if (!copied) {
        if (all.some((i) => i.sub === 'install'))
          return {
            ok: false,
            reason:
              'the program is built with go install of a package whose binary the conversion cannot locate: change it to go build -o <path> first',
          };
        return { ok: false, reason: runtimeAdvice(s, program) };
      }
      const head = ctx?.head?.(copied.rel, 1 << 16);
      const linking = elfLinking(head);
      if (linking === 'dynamic')
        return {
          ok: false,
          reason: `${copied.rel} is linked dynamically (it needs a C library and its loader), and scratch has neither: use gcr.io/distroless/base-debian12 as the runtime stage instead`,
        };
      if (linking === 'not-elf') return { ok: false, reason: runtimeAdvice(s, program) };
      if (linking !== 'static')
        return {
          ok: false,
          reason: `the image runs ${copied.rel}, a prebuilt binary the tool cannot read here to check that it is static (scratch runs only static binaries): convert the saved file in its project`,
        };
      prebuilt = copied.path;
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
    return { ok: false, reason: `the command runs ${program}, which needs an interpreter or a shell at run time, and scratch has none` };
  }
  const build = builds.length ? pickBuild(builds, program, runner?.instr.workdir) : undefined;
  // With -o, the binary stays where the build puts it; go install writes its own; without either, /out/<name>.
  const out = build?.sub === 'install' ? goInstallOutput(build) : build && lastFlag(build, 'o') ? goOutput(build) : undefined;
  const workdirName = basename((build ? goWorkdir(build) : runner?.instr.workdir) ?? '');
  const name = (program && basename(program)) || (out?.file && basename(out.file)) || (workdirName !== '/' ? workdirName : '') || 'app';
  if (!/^[A-Za-z0-9._-]+$/.test(name) || name === '.' || name === '..')
    return { ok: false, reason: `cannot name the binary after "${name}"` };
  const binaryIn = prebuilt ?? out?.file ?? (out?.dir ? `${out.dir}/${name}` : `/out/${name}`);
  const binary = `/${name}`;
  if (goRun && runner) runner.words[0] = binary;

  // What the program reads at run time from where the Dockerfile put it: carried over, or refused.
  const found = runtimeFiles(s, ctx);
  if (typeof found === 'string') return { ok: false, reason: found };
  // (a prebuilt binary is copied as the program, not as one of its files)
  const files = found.filter((f, k) => f.path !== binaryIn && found.findIndex((g) => g.path === f.path) === k);

  // The runtime HEALTHCHECK must run the binary: there is nothing else in scratch.
  const health = last('HEALTHCHECK');
  let healthLine: string | undefined;
  if (health) {
    const hc = s.commands.find((x) => x.instr === health)?.command;
    if (hc) {
      const words = commandWords(model, health, hc);
      if (typeof words === 'string') return { ok: false, reason: words };
      if (basename(words.words[0] ?? '') !== name)
        return {
          ok: false,
          reason: `the HEALTHCHECK runs ${words.words[0]}, which scratch does not have: make the program answer its own health check (e.g. ${binary} -healthcheck)`,
        };
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
  if (build) {
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
    for (const e of (strip?.edits({}) ?? []) as TextEdit[])
      b.replace({ start: model.lines.offsetAt(e.range.start), end: model.lines.offsetAt(e.range.end) }, e.newText);
    if (!out) b.insert(build.command.argv[1].end, ` -o ${binaryIn}`);
    for (const f of build.flags) if (f.name === 'a' || f.name === 'installsuffix') deleteArgument(model, b, build.run, f.span);
  }
  for (const g of all.filter(
    (i) => i.sub === 'get' && (i.flags.some((f) => f.name === 'd') || i.args.every((a) => /^(\.|\.\/\.\.\.)$/.test(a.value))),
  )) {
    b.replace({ start: g.command.argv[0].start, end: g.command.command.end }, 'go mod download');
  }

  // 3. Runtime instructions leave the builder (with the comment lines right above them).
  const moved: string[] = [];
  const runtimeEnv: string[] = [];
  for (const instr of own) {
    if (instr.keyword === 'ENV') {
      const pairs = [...s.env.values()].filter(
        (e) => e.instr === instr && !BUILD_ENV.test(model.text.slice(e.nameSpan.start, e.nameSpan.end)),
      );
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
    b.deleteInstruction(instr);
    if (instr.keyword === 'CMD' || instr.keyword === 'ENTRYPOINT' || instr.keyword === 'HEALTHCHECK') {
      if (instr === entryInstr || instr === cmdInstr || instr === health)
        moved.push(...comments.map((c) => c.trim()), `\0${instr.keyword}`);
      continue; // earlier, overridden CMD/ENTRYPOINT/HEALTHCHECK instructions have no effect
    }
    moved.push(...comments.map((c) => c.trim()), model.text.slice(instr.span.start, instr.span.end));
  }

  // 4. The builder gets an unprivileged user and, when it lacks one, a CA bundle.
  const family = familyOf(s);
  const create =
    createUserCommands(family, USER_NAME, USER_ID) ??
    `useradd --uid ${USER_ID} --user-group --no-create-home --shell /usr/sbin/nologin ${USER_NAME} 2>/dev/null || adduser -D -H -u ${USER_ID} ${USER_NAME}`;
  const builderLines = [`${KW('RUN')} ${create}`];
  // `go run`: the build it did at every start, now once in the builder.
  if (goRun) builderLines.unshift(`${KW('RUN')} CGO_ENABLED=0 go build -ldflags="-s -w" -o ${binaryIn} ${goRun.packages.join(' ')}`);
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
    ...files.map((f) => `${KW('COPY')} --from=${builderName} ${f.path} ${f.path}`),
    // The program's working directory, where it finds its relative paths.
    ...(s.workdir && s.workdir !== '/' ? [`${KW('WORKDIR')} ${s.workdir}`] : []),
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
    if (e instanceof Error && e.message === 'overlapping edits')
      return {
        ok: false,
        reason: 'the file is written in a way the conversion cannot edit safely (its edits would overlap); convert it by hand',
      };
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
