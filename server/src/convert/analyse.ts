/**
 * The conversion's first phase: what the single-stage file builds and runs, and whether scratch can
 * run it. Makes no edits; refuses with the reason where scratch cannot work. Cheap enough to answer
 * when an editor offers the conversion (convert.ts `convertible`).
 */
import { keyword } from '../engine/edits';
import type { DockerfileModel, CommandArgs, Instr, Stage } from '../model/model';
import { goEnv, goInvocations, goWorkdir, lastFlag, type GoInvocation } from '../model/go';
import { goInstallOutput, goOutput } from '../model/goOutput';
import { resolvePath, basename } from '../model/paths';
import type { BuildContext } from '../model/context';
import { commandStyle } from '../fixes/shell';
import { execFormOf, toJson } from '../fixes/execForm';
import { copiedProgram, elfLinking, runtimeAdvice, runtimeFiles } from './program';

/** Instructions that only configure the running container: they move to the scratch stage. */
export const RUNTIME = new Set(['CMD', 'ENTRYPOINT', 'EXPOSE', 'LABEL', 'VOLUME', 'STOPSIGNAL', 'HEALTHCHECK', 'MAINTAINER']);
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh']);

export interface CommandWords {
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

export type Refusal = { reason: string };
type Output = { file?: string; dir?: string };

/** What the analysis found: everything the edits are made from. */
export interface Analysis {
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

export function analyse(model: DockerfileModel, ctx: BuildContext | undefined): Analysis | Refusal {
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
