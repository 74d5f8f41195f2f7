import { defineRule } from '../engine/rule';
import type { RunInfo, Stage } from '../model/model';
import { packageCommands, type PackageCommand } from '../model/packages';
import { commandName, unwrap } from '../model/shell';
import { runtimeOf, serviceEvidence } from '../model/runtime';

/** Packages that compile or fetch sources: needed to build, not to run. */
const BUILD_TOOLS = new Set([
  'gcc',
  'g++',
  'gcc-c++',
  'clang',
  'llvm',
  'make',
  'cmake',
  'ninja',
  'ninja-build',
  'autoconf',
  'automake',
  'libtool',
  'build-base',
  'build-essential',
  'alpine-sdk',
  'musl-dev',
  'libc6-dev',
  'libc-dev',
  'glibc-devel',
  'git',
  'go',
  'golang',
  'cargo',
  'rust',
  'rustc',
  'maven',
  'gradle',
  'nodejs-dev',
  'python3-dev',
  'python-dev',
]);

/** git subcommands that fetch sources (build work); `git config` or `git lfs install` set git up for run time. */
const GIT_FETCHES = new Set(['clone', 'fetch', 'pull', 'checkout', 'submodule', 'archive', 'describe', 'rev-parse', 'log', 'apply']);
const GIT_SETUP = new Set(['config', 'lfs']);
/** Commands that build what a clone fetched (in the same RUN). */
const BUILDS = new Set([
  'make',
  'cmake',
  'ninja',
  'meson',
  'configure',
  'go',
  'cargo',
  'mvn',
  'gradle',
  'npm',
  'yarn',
  'pnpm',
  'pip',
  'pip3',
  'python',
  'python3',
  'bazel',
  'autoreconf',
  'scons',
  'gcc',
  'cc',
]);

/**
 * git is a build tool only where the shipped stages use it to build: a git clone or fetch, or a
 * `go get`/`go install` after the install. Installed and never used by a RUN, or set up with
 * `git config` or `git lfs install`, it is there for the program (a git server, a CI agent, a
 * GitOps controller).
 */
function gitUse(chain: readonly Stage[], install: PackageCommand): { build?: RunInfo; setup: boolean } {
  const out: { build?: RunInfo; setup: boolean } = { setup: false };
  for (const stage of [...chain].reverse()) {
    for (const run of stage.runs) {
      if (run.instr.span.start < install.run.instr.span.start) continue;
      // A clone counts as build work only where the same RUN builds (a clone kept as it is, .git and
      // all, is often there for the program: pi-hole runs git on its clones).
      const builds = run.commands.some((c) => {
        const name = commandName(unwrap(c).argv);
        return !!name && (BUILDS.has(name) || name === './configure');
      });
      run.commands.forEach((c, k) => {
        if (run === install.run && k <= install.index) return;
        const e = unwrap(c);
        const name = commandName(e.argv);
        const sub = e.argv[1]?.value ?? '';
        if (name === 'git' && GIT_SETUP.has(sub)) out.setup = true;
        if ((name === 'git' && GIT_FETCHES.has(sub) && builds) || (name === 'go' && ['get', 'install', 'mod'].includes(sub)))
          out.build ??= run;
      });
    }
  }
  return out;
}

export default defineRule({
  id: 'build-tools-in-final-stage',
  severity: 'warning',
  summary: 'The shipped stage of a multi-stage build installs compilers or build tools.',
  rationale: `A multi-stage build exists so that compilers, headers and source tools stay in the
builder. Installing gcc, make, build-base, git, go or cargo in the shipped stage puts them back in
the image: more size, more packages to patch, and a ready-made toolchain for an attacker. Install
them in the builder stage and copy only the results.

Only multi-stage files are checked (a single-stage file is a different problem, see
toolchain-final-stage), and only the stages whose files ship, and only when the shipped image is a
service: a builder, CI, development or toolchain image (a static-site generator that runs git and
go, a CI runner) needs its tools at run time. The role comes from the same evidence as root-user's;
state it with \`# dockerfile-hardener role=…\` where nothing in the file says so.

git is reported only where a RUN of the shipped stages uses it to build (a clone or fetch in a RUN
that builds, \`go get\` or \`go install\`) and none sets it up for run time (\`git config\`, \`git lfs install\`): installed
and never used by the build, it is there for the program (a git server, a CI agent, a GitOps
controller).`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM golang:1.22 AS build
RUN go build -o /out/app .

FROM alpine:3.20
RUN apk add --no-cache ca-certificates gcc make
#                                      ^^^ build-tools-in-final-stage
#                                          ^^^^ build-tools-in-final-stage
COPY --from=build /out/app /app
CMD ["/app"]
`,
    ],
    valid: [
      `FROM alpine:3.20 AS build
RUN apk add --no-cache build-base git

FROM alpine:3.20
RUN apk add --no-cache ca-certificates
`,
      `FROM alpine:3.20
RUN apk add --no-cache build-base
`,
      `FROM python:3.12-alpine AS base

FROM base
RUN apk add --no-cache --virtual .build-deps gcc musl-dev \
 && pip install --no-cache-dir uwsgi \
 && apk del .build-deps
`,
    ],
  },
  check({ model, report }) {
    if (model.stages.length < 2 || !model.shipped) return;
    const shipped = model.shipped.chain;
    const rt = runtimeOf(model.shipped);
    if (rt.role.kind !== 'service') return;
    const commands = packageCommands(model);
    for (const cmd of commands) {
      if (!shipped.includes(cmd.stage)) continue;
      if (!['add', 'install', 'in'].includes(cmd.sub)) continue;
      // Removed again in the same RUN (apk del <virtual>, apt-get purge <pkg>): nothing ships.
      const virtualAt = cmd.options.findIndex((o) => o.value === '-t' || o.value === '--virtual');
      const virtual =
        virtualAt >= 0 ? cmd.options[virtualAt + 1]?.value : cmd.options.find((o) => o.value.startsWith('--virtual='))?.value.slice(10);
      const removed = new Set<string>();
      for (const later of commands) {
        if (later.run !== cmd.run || later.index <= cmd.index) continue;
        if (['del', 'remove', 'purge', 'rm'].includes(later.sub)) for (const w of later.packages) removed.add(w.value);
      }
      if (virtual && removed.has(virtual)) continue;
      for (const p of cmd.packages) {
        // git=2.45.2-r0, git~2.45, gcc:arm64, gcc/bookworm-backports → the package name
        const name = p.value.replace(/[=<>~:/].*$/, '');
        if (p.dynamic || !BUILD_TOOLS.has(name) || removed.has(name) || removed.has(p.value)) continue;
        let usedBy = '';
        if (name === 'git') {
          const use = gitUse(shipped, cmd);
          if (!use.build || use.setup) continue;
          usedBy = ` and used there to build (line ${model.lines.positionAt(use.build.instr.span.start).line + 1})`;
        }
        report({
          span: { start: p.start, end: p.end },
          message: `${name} is ${usedBy ? 'installed' : 'a build tool installed'} in the shipped image of a multi-stage build${usedBy}; the image is taken as a service (${serviceEvidence(rt)}): install it in the builder stage instead.`,
        });
      }
    }
  },
});
