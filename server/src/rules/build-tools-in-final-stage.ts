import { defineRule } from '../engine/rule';
import { packageCommands } from '../model/packages';

/** Packages that compile or fetch sources: needed to build, not to run. */
const BUILD_TOOLS = new Set([
  'gcc', 'g++', 'gcc-c++', 'clang', 'llvm', 'make', 'cmake', 'ninja', 'ninja-build', 'autoconf', 'automake', 'libtool',
  'build-base', 'build-essential', 'alpine-sdk', 'musl-dev', 'libc6-dev', 'libc-dev', 'glibc-devel',
  'git', 'go', 'golang', 'cargo', 'rust', 'rustc', 'maven', 'gradle', 'nodejs-dev', 'python3-dev', 'python-dev',
]);

export default defineRule({
  id: 'build-tools-in-final-stage',
  severity: 'warning',
  summary: 'The shipped stage of a multi-stage build installs compilers or build tools.',
  rationale: `A multi-stage build exists so that compilers, headers and source tools stay in the
builder. Installing gcc, make, build-base, git, go or cargo in the shipped stage puts them back in
the image: more size, more packages to patch, and a ready-made toolchain for an attacker. Install
them in the builder stage and copy only the results.

Only multi-stage files are checked (a single-stage file is a different problem, see
toolchain-final-stage), and only the stages whose files ship.`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM golang:1.22 AS build
RUN go build -o /out/app .

FROM alpine:3.20
RUN apk add --no-cache ca-certificates git make
#                                      ^^^ build-tools-in-final-stage
#                                          ^^^^ build-tools-in-final-stage
COPY --from=build /out/app /app
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
    const commands = packageCommands(model);
    for (const cmd of commands) {
      if (!shipped.includes(cmd.stage)) continue;
      if (!['add', 'install', 'in'].includes(cmd.sub)) continue;
      // Removed again in the same RUN (apk del <virtual>, apt-get purge <pkg>): nothing ships.
      const virtualAt = cmd.options.findIndex((o) => o.value === '-t' || o.value === '--virtual');
      const virtual = virtualAt >= 0 ? cmd.options[virtualAt + 1]?.value : cmd.options.find((o) => o.value.startsWith('--virtual='))?.value.slice(10);
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
        report({ span: { start: p.start, end: p.end }, message: `${name} is a build tool installed in the shipped image of a multi-stage build: install it in the builder stage instead.` });
      }
    }
  },
});
