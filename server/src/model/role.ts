/**
 * What an image is for, from explicit statements or evidence in the file: a shipped service, or a
 * builder, toolchain, development or CI image. A role comment or the config states it; otherwise the
 * file's name and directories, the shipped stage's name, its environment, ONBUILD triggers, a
 * development-environment base, and the command it runs (a build or CI tool, a command-line tool, a
 * shell or interpreter with nothing to run, an idle command) are evidence. Read once per model
 * through runtimeOf (runtime.ts); rules that judge what ships say why they stay silent.
 */
import type { Stage } from './model';
import type { Entrypoint } from './entrypoint';
import { basename } from './paths';
import { toolchainOf } from './knownImages';
import { isInteractiveImage } from './interactiveImages';

export const ROLES = ['service', 'builder', 'toolchain', 'dev', 'ci'] as const;
export type RoleKind = (typeof ROLES)[number];

export interface Role {
  kind: RoleKind;
  /** Why the tool thinks so, for messages: `the file is named Dockerfile.dev`. */
  evidence: string;
  /** Stated by the user (an inline comment or the config), not inferred. */
  explicit: boolean;
}

/** Build and CI programs: an image whose command is one of them is a toolchain or CI image. */
const TOOL_PROGRAMS = new Set([
  'go',
  'make',
  'cmake',
  'ninja',
  'bazel',
  'bazelisk',
  'cargo',
  'rustc',
  'gcc',
  'g++',
  'clang',
  'mvn',
  'gradle',
  'sbt',
  'ant',
  'dotnet-sdk',
  'golangci-lint',
  'staticcheck',
  'hugo',
  'jekyll',
  'protoc',
  'buf',
  'goreleaser',
  'ko',
  'xcaddy',
  'tinygo',
]);
/** The interactive programs that are shells (for messages: a shell, not an interpreter). */
const INTERACTIVE_SHELLS = new Set(['bash', 'sh', 'zsh', 'ash', 'fish', 'pwsh', 'pwsh-preview', 'powershell', 'cmd']);
/** Subcommands and goals with which a build tool runs the program it builds. */
const RUNS_PROGRAM = /^(run|bootRun|spring-boot:run|quarkus:dev|exec:java|serve|server)$/;
/** Command-line tools an image wraps to run one-shot (`docker run --rm -i image args`), not services. */
const CLI_TOOLS = new Set([
  'jq',
  'yq',
  'curl',
  'wget',
  'git',
  'kubectl',
  'helm',
  'kustomize',
  'terraform',
  'tofu',
  'terragrunt',
  'aws',
  'gcloud',
  'az',
  'psql',
  'mysql',
  'redis-cli',
  'mongosh',
  'mc',
  'skopeo',
  'crane',
  'cosign',
  'trivy',
  'grype',
  'syft',
  'hadolint',
  'shellcheck',
  'yamllint',
  'markdownlint',
  'ffmpeg',
  'pandoc',
  'openssl',
  'gh',
  'glab',
  'logcli',
  'promtool',
  'amtool',
  'etcdctl',
  'velero',
  'rclone',
  'restic',
]);
const CI_PROGRAMS = new Set([
  'gitlab-runner',
  'buildkite-agent',
  'jenkins-agent',
  'jenkins-slave',
  'drone-runner-docker',
  'woodpecker-agent',
  'act_runner',
  'forgejo-runner',
]);
/** Shells and interpreters that, run without a script, wait for a user at a prompt. */
const INTERACTIVE = new Set([
  'bash',
  'sh',
  'zsh',
  'ash',
  'fish',
  'pwsh',
  'pwsh-preview',
  'powershell',
  'cmd',
  'python',
  'python3',
  'node',
  'irb',
  'jshell',
  'ghci',
  'iex',
  'erl',
  'julia',
  'R',
  'php',
  'perl',
  'ruby',
  'lua',
  'csi',
  'scala',
  'clj',
  'dotnet-script',
]);

const ROLE_COMMENT = /^#\s*dockerfile-hardener\s+role\s*=\s*([a-z]+)\s*$/im;

/** Words of a name (`Dockerfile.dev` → dev; `dev-toolkit` → dev, toolkit). */
function nameWords(name: string): string[] {
  return name
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w && w !== 'dockerfile' && w !== 'containerfile');
}

const DEV_WORDS = ['devcontainer', 'devcontainers', 'dev', 'develop', 'development', 'debug', 'tilt'];
/** Directories of examples and documentation: images to read and try, not deployed ones. */
const EXAMPLE_WORDS = ['example', 'examples', 'sample', 'samples', 'demo', 'demos', 'recipes', 'recipe_code', 'tutorial', 'tutorials'];
const CI_WORDS = ['ci', 'test', 'tests', 'testing', 'e2e', 'integration', 'lint', 'cypress', 'playwright'];
const BUILDER_WORDS = ['builder', 'buildenv', 'toolchain', 'sdk'];

/**
 * What a file or stage name says: `Dockerfile.dev`, `ci.Dockerfile`, stage `builder`. `build` counts
 * only where the image is also a build environment (`build.Dockerfile` may well build the release
 * image): that is for the caller to check. `base` (`Dockerfile.base`) is a base for other images.
 */
function roleFromName(name: string, file: boolean): { kind: RoleKind; weak?: boolean } | undefined {
  const words = nameWords(name);
  const has = (ws: string[]) => words.some((w) => ws.includes(w));
  if (has(DEV_WORDS) || words.includes('local')) return { kind: 'dev' };
  if (has(CI_WORDS) || words.includes('check')) return { kind: 'ci' };
  if (has(BUILDER_WORDS)) return { kind: 'builder' };
  if (words.includes('build') || words.includes('cross')) return { kind: 'builder', weak: true };
  if (file && words.includes('base')) return { kind: 'builder' };
  return undefined;
}

/** What the directories a Dockerfile is in say: tests/, .github/, .devcontainer/, dev-toolkit/, hack/. */
function roleFromDirectories(dirs: string[]): { kind: RoleKind; dir: string; weak?: boolean } | undefined {
  let weak: { kind: RoleKind; dir: string; weak: boolean } | undefined;
  for (const dir of [...dirs].reverse()) {
    const words = nameWords(dir);
    const has = (ws: string[]) => words.some((w) => ws.includes(w));
    if (has(DEV_WORDS) || has(EXAMPLE_WORDS)) return { kind: 'dev', dir };
    if (has(CI_WORDS) || has(['testdata', 'fixtures', 'github', 'circleci', 'benchmarks', 'hack'])) return { kind: 'ci', dir };
    if (has(BUILDER_WORDS)) return { kind: 'builder', dir };
    // build/, cross/: a build environment's directory only where the image is one (see roleFromName).
    if (has(['build', 'cross'])) weak ??= { kind: 'builder', dir, weak: true };
  }
  return weak;
}

/** A program's name without a Windows extension or an interpreter's version (`pwsh.exe`, `perl5.38.5`, `python3.12`). */
function programName(path: string): string {
  const name = basename(path.replace(/\\/g, '/')).replace(/\.exe$/i, '');
  return /^(python|perl|ruby|php|lua|node)[\d.]+$/.test(name) ? name.replace(/[\d.]+$/, name.startsWith('python') ? '3' : '') : name;
}

/** What the shipped stage is for, from the strongest evidence down to "nothing says otherwise". */
export function roleOf(stage: Stage, entry: Entrypoint): Role {
  const model = stage.model;
  const stated = model.role ?? (ROLE_COMMENT.exec(model.text)?.[1] as RoleKind | undefined);
  if (stated && (ROLES as readonly string[]).includes(stated))
    return { kind: stated, evidence: model.role ? 'the configuration says so' : 'the role comment says so', explicit: true };
  const program = entry.program === undefined ? undefined : programName(entry.program);
  const toolchain = stage.rootImage ? toolchainOf(stage.rootImage) : undefined;
  // A command of its own: one the file sets that is more than a wrapper (`ENTRYPOINT ["tini", "--"]` alone is none).
  const ownCommand = !!entry.argv?.length || !!entry.script;
  // A build environment: a toolchain base, a build tool as its command, or no command of its own.
  const buildEnv = !!toolchain || (program !== undefined && TOOL_PROGRAMS.has(program)) || !ownCommand;
  const named = (r: { kind: RoleKind; weak?: boolean } | undefined) => r && (!r.weak || buildEnv);
  const byDir = model.path ? roleFromDirectories(model.path.split(/[\\/]/).filter(Boolean).slice(0, -1)) : undefined;
  const byName = roleFromNames(stage, byDir, named);
  if (byName) return byName;
  const byImage = roleFromImage(stage);
  if (byImage) return byImage;
  const byCommand = roleFromCommand(entry, program) ?? roleFromNoCommand(stage, entry, ownCommand, toolchain);
  if (byCommand) return byCommand;
  // Last, as the weakest evidence: a build environment in a build/ or cross/ directory.
  if (named(byDir)) return { kind: byDir!.kind, evidence: `the file is in ${byDir!.dir}/`, explicit: false };
  return { kind: 'service', evidence: 'nothing says otherwise', explicit: false };
}

/** The file's name and directories, and the shipped stage's name. */
function roleFromNames(
  stage: Stage,
  byDir: ReturnType<typeof roleFromDirectories>,
  named: (r: { kind: RoleKind; weak?: boolean } | undefined) => unknown,
): Role | undefined {
  const model = stage.model;
  if (model.path) {
    const parts = model.path.split(/[\\/]/).filter(Boolean);
    const file = parts[parts.length - 1];
    const byFile = roleFromName(file, true);
    // A development or CI directory says more than a file named base or build (.devcontainer/base.Dockerfile).
    if (byDir && !byDir.weak && (byDir.kind === 'dev' || byDir.kind === 'ci') && byFile?.kind === 'builder')
      return { kind: byDir.kind, evidence: `the file is in ${byDir.dir}/`, explicit: false };
    if (named(byFile)) return { kind: byFile!.kind, evidence: `the file is named ${file}`, explicit: false };
    if (byDir && !byDir.weak) return { kind: byDir.kind, evidence: `the file is in ${byDir.dir}/`, explicit: false };
  }
  if (stage.name) {
    const byStage = roleFromName(stage.name, false);
    if (named(byStage)) return { kind: byStage!.kind, evidence: `the shipped stage is named ${stage.name}`, explicit: false };
  }
  return undefined;
}

/** What the image says of itself: a development ENV, a development base, ONBUILD triggers. */
function roleFromImage(stage: Stage): Role | undefined {
  // The image says so in its environment: NODE_ENV=development, TF_DEV=true.
  for (const [name, e] of stage.env) {
    const v = (e.value ?? '').toLowerCase();
    if (
      (/^(NODE|RAILS|RACK|FLASK|APP|ASPNETCORE|DOTNET|SPRING_PROFILES)_(ENV|ENVIRONMENT|ACTIVE)$|^ENVIRONMENT$/.test(name) &&
        /^(dev|development|local)$/.test(v)) ||
      (/(^|_)DEV$/.test(name) && /^(1|true|yes|on)$/.test(v))
    ) {
      return { kind: 'dev', evidence: `its ENV sets ${name}=${e.value}`, explicit: false };
    }
  }
  const base = stage.rootImage;
  if (base && /(^|[/-])(devcontainers?|workstations?)([/-]|$)/.test(base.repository))
    return { kind: 'dev', evidence: `it is built on ${base.name}, a development environment image`, explicit: false };
  if (stage.chain.some((s) => s.instructions.some((i) => i.keyword === 'ONBUILD')))
    return { kind: 'toolchain', evidence: 'it has ONBUILD triggers: an image for other builds to build on', explicit: false };
  return undefined;
}

/** The program it runs: a CI runner, a one-shot tool, a build tool, a command that only idles, a prompt. */
function roleFromCommand(entry: Entrypoint, program: string | undefined): Role | undefined {
  // The program, and the command an entrypoint script is given (`mvn-entrypoint.sh` + CMD mvn). A
  // build tool that runs the program it builds (`go run .`, `cargo run`, `gradle bootRun`) is how
  // that image serves, not a toolchain's command.
  const given = entry.entrypoint && entry.script && entry.cmd?.words?.[0] ? entry.cmd.words : undefined;
  for (const words of [entry.argv ?? [], given ?? []]) {
    const p = words[0] === undefined ? undefined : programName(words[0]);
    if (p && CI_PROGRAMS.has(p)) return { kind: 'ci', evidence: `it runs ${p}`, explicit: false };
    if (p && CLI_TOOLS.has(p) && !words.slice(1).some((w) => RUNS_PROGRAM.test(w) || /^(agent|daemon|proxy|web)$/.test(w))) {
      return { kind: 'toolchain', evidence: `it runs ${p}, a command-line tool run one-shot`, explicit: false };
    }
    if (p && TOOL_PROGRAMS.has(p) && !words.slice(1).some((w) => RUNS_PROGRAM.test(w)))
      return { kind: 'toolchain', evidence: `it runs ${p}`, explicit: false };
  }
  // A command that only keeps the container alive (tail -f /dev/null, sleep infinity): a toolbox one
  // execs into, not a service.
  const argv = entry.argv ?? [];
  if (
    (program === 'tail' && argv.includes('/dev/null')) ||
    (program === 'sleep' && /^(infinity|inf|\d{5,})$/.test(argv[argv.length - 1] ?? ''))
  ) {
    return {
      kind: 'toolchain',
      evidence: `its command (${argv.join(' ')}) only keeps it running: a toolbox to exec into`,
      explicit: false,
    };
  }
  // A shell or an interpreter with nothing to run (options at most), as the command, or as the CMD an
  // entrypoint script is given: the image waits for someone at a prompt.
  for (const words of [entry.argv ?? [], entry.entrypoint && entry.script && entry.cmd?.words ? entry.cmd.words : []]) {
    const name = words[0] === undefined ? undefined : programName(words[0]);
    if (
      name &&
      INTERACTIVE.has(name) &&
      (words === entry.argv ? !entry.script : true) &&
      words.slice(1).every((w) => /^--?[A-Za-z0-9][\w-]*$/.test(w))
    ) {
      const what = INTERACTIVE_SHELLS.has(name) ? 'shell' : 'interpreter';
      return { kind: 'toolchain', evidence: `its command is ${words.join(' ')}, an interactive ${what}`, explicit: false };
    }
  }
  return undefined;
}

/**
 * No command of its own: the image runs its base's shell or interpreter. It is an image to build on
 * (docker-library's language images are such Dockerfiles) or a toolchain to run commands in. (A USER
 * written in the file is a statement about the image itself: then it is judged as a service.)
 */
function roleFromNoCommand(stage: Stage, entry: Entrypoint, ownCommand: boolean, toolchain: string | undefined): Role | undefined {
  if (ownCommand || entry.image || stage.chain.some((s) => s.users.length)) return undefined;
  if (!toolchain && !(stage.rootImage && isInteractiveImage(stage.rootImage))) return undefined;
  return {
    kind: 'toolchain',
    evidence: `it sets no command, so it runs ${toolchain ?? `the shell of ${stage.rootImage!.shortName}`}: an image to build on or to run commands in`,
    explicit: false,
  };
}
