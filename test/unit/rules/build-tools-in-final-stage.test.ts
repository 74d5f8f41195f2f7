import * as assert from 'node:assert/strict';
import { messages, ruleCases, severities } from '../helpers';

describe('build-tools-in-final-stage', () => {
  ruleCases('build-tools-in-final-stage', {
    valid: [
      {
        // Reproduction (judged on the corpus): pi-hole clones its repositories and runs git on them.
        name: 'a clone kept as it is, with no build in its RUN, is there for the program',
        code: `FROM alpine:3.20 AS base
FROM alpine:3.20
RUN apk add --no-cache git
RUN git clone --depth 1 https://example.com/pi-hole.git /etc/.pihole && cd /etc/.pihole && git checkout -b master
CMD ["/start.sh"]
`,
      },
      {
        name: 'a git server ships git: installed, and no RUN uses it to build',
        code: `FROM golang:1.22-alpine AS build
RUN go build -o /gitserver .
FROM alpine:3.20
RUN apk add --no-cache git openssh
COPY --from=build /gitserver /usr/bin/gitserver
ENTRYPOINT ["/usr/bin/gitserver", "web"]
`,
      },
      {
        name: 'git set up for run time (a CI controller uses git and git-lfs)',
        code: `FROM eclipse-temurin:21-jdk AS jre
FROM debian:12
RUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*
RUN git lfs install --skip-repo --system && git clone https://example.com/plugins.git /plugins
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/controller.sh"]
`,
      },
      {
        name: 'a CI runner ships git (its command says what it is)',
        code: `FROM golang:1.22 AS build
RUN go build -o /gitlab-runner .
FROM ubuntu:24.04
RUN apt-get update && apt-get install -y git git-lfs make && rm -rf /var/lib/apt/lists/* && git clone https://example.com/x /x
COPY --from=build /gitlab-runner /usr/bin/gitlab-runner
ENTRYPOINT ["gitlab-runner"]
CMD ["run"]
`,
      },
      {
        name: 'a static-site generator runs git and go at run time',
        code: `FROM golang:1.22-alpine AS build
RUN go build -o /hugo .
FROM alpine:3.20
RUN apk add --no-cache git go && git clone https://example.com/theme /theme
COPY --from=build /hugo /usr/bin/hugo
ENTRYPOINT ["hugo"]
CMD ["server"]
`,
      },
      {
        name: 'a build environment that sets no command: one to build in',
        code: `FROM golang:1.22 AS go
FROM debian:12
COPY --from=go /usr/local/go /usr/local/go
RUN apt-get update && apt-get install -y build-essential git && rm -rf /var/lib/apt/lists/*
`,
      },
      {
        name: 'the shipped stage is a development stage',
        code: `FROM alpine:3.20 AS runtime
FROM runtime AS dev
RUN apk add --no-cache git make
CMD ["/app"]
`,
      },
      {
        name: 'build tools in the builder, runtime packages in the shipped stage',
        code: `FROM alpine:3.20 AS build
RUN apk add --no-cache build-base git cmake
FROM alpine:3.20
RUN apk add --no-cache ca-certificates tzdata
`,
      },
      {
        name: 'a single-stage file (toolchain-final-stage is about those)',
        code: `FROM alpine:3.20
RUN apk add --no-cache build-base git
`,
      },
      {
        name: 'an apk virtual package deleted in the same RUN',
        code: `FROM python:3.12-alpine AS base
FROM base
RUN apk add --no-cache --virtual .build-deps gcc musl-dev \\
 && pip install --no-cache-dir uwsgi \\
 && apk del .build-deps
RUN apk add --no-cache -t .bd g++ make && make -C /src && apk del --no-network .bd
RUN apk add --no-cache --virtual=.bd2 cmake && cmake --build /src && apk del .bd2
`,
      },
      {
        name: 'apt packages purged or removed in the same RUN',
        code: `FROM debian:12 AS base
FROM base
RUN apt-get update && apt-get install -y --no-install-recommends build-essential \\
 && make -C /src && apt-get purge -y --auto-remove build-essential
RUN apt-get install -y gcc=4:12.2.0-3 && cc -o /x /x.c && apt-get remove -y gcc=4:12.2.0-3
`,
      },
      {
        name: 'packages that merely start like a build tool',
        code: `FROM alpine:3.20 AS build
FROM alpine:3.20
RUN apk add --no-cache gcc-doc git-lfs make-doc libgcc gitea
`,
      },
      {
        name: 'package lists from variables are not guessed',
        code: `FROM alpine:3.20 AS build
FROM alpine:3.20
ARG BUILD_DEPS
RUN apk add --no-cache $BUILD_DEPS
`,
      },
      {
        name: 'a dry run installs nothing',
        code: `FROM debian:12 AS build
FROM debian:12
RUN apt-get install -s gcc
`,
      },
      {
        name: 'a shipped target stage without build tools',
        code: `FROM alpine:3.20 AS runtime
RUN apk add --no-cache ca-certificates
FROM runtime AS dev
RUN apk add --no-cache git make
`,
        options: { targetStage: 'runtime' },
      },
      {
        name: 'our ignore comment',
        code: `FROM golang:1.22 AS build
FROM alpine:3.20
# dockerfile-hardener ignore=build-tools-in-final-stage
RUN apk add --no-cache git
`,
      },
    ],
    invalid: [
      // Each build tool on its package word: the rule's own example (rules.examples.test.ts).
      {
        name: 'versioned and architecture-qualified package words',
        code: `FROM alpine:3.20 AS build
FROM debian:12
RUN apt-get install -y --no-install-recommends gcc=4:12.2.0-3 g++:arm64 make/bookworm-backports
#                                              ^^^^^^^^^^^^^^ build-tools-in-final-stage
#                                                             ^^^^^^^^^ build-tools-in-final-stage
#                                                                       ^^^^^^^^^^^^^^^^^^^^^^^ build-tools-in-final-stage
CMD ["/app"]
`,
      },
      {
        name: 'every package manager',
        code: `FROM alpine:3.20 AS build
FROM fedora:40
RUN dnf install -y gcc-c++ && yum install -y cmake && microdnf install golang && zypper in -y rust
#                  ^^^^^^^ build-tools-in-final-stage
#                                            ^^^^^ build-tools-in-final-stage
#                                                                      ^^^^^^ build-tools-in-final-stage
#                                                                                             ^^^^ build-tools-in-final-stage
CMD ["/app"]
`,
      },
      {
        name: 'a stage the shipped one inherits from',
        code: `FROM alpine:3.20 AS base
RUN apk add --no-cache git
#                      ^^^ build-tools-in-final-stage
RUN git clone --depth 1 https://example.com/lib.git /lib && make -C /lib install
FROM golang:1.22 AS build
RUN go build -o /out/app .
FROM base
COPY --from=build /out/app /app
CMD ["/app"]
`,
      },
      {
        name: 'removed in a later RUN: it is still in the earlier layer',
        code: `FROM alpine:3.20 AS build
FROM alpine:3.20
RUN apk add --no-cache gcc
#                      ^^^ build-tools-in-final-stage
RUN apk del gcc
CMD ["/app"]
`,
      },
      {
        name: 'a virtual package that is never deleted',
        code: `FROM alpine:3.20 AS build
FROM alpine:3.20
RUN apk add --no-cache --virtual .build-deps gcc && apk del other
#                                            ^^^ build-tools-in-final-stage
CMD ["/app"]
`,
      },
      {
        name: 'the target stage, not the last one',
        code: `FROM alpine:3.20 AS app
RUN apk add --no-cache build-base
#                      ^^^^^^^^^^ build-tools-in-final-stage
CMD ["/app"]
FROM alpine:3.20 AS prod
`,
        options: { targetStage: 'app' },
      },
    ],
  });

  it('is a warning that names the package', () => {
    const source =
      'FROM alpine:3.20 AS b\nFROM alpine:3.20\nRUN apk add --no-cache git=2.45.2-r0 make\nRUN git clone https://example.com/x /x && make -C /x\nCMD ["/x/app"]\n';
    assert.deepEqual(severities('build-tools-in-final-stage', source), ['3:23 warning', '3:37 warning']);
    assert.deepEqual(messages('build-tools-in-final-stage', source), [
      'git is installed in the shipped image of a multi-stage build and used there to build (line 4); the image is taken as a service (it runs /x/app): install it in the builder stage instead.',
      'make is a build tool installed in the shipped image of a multi-stage build; the image is taken as a service (it runs /x/app): install it in the builder stage instead.',
    ]);
  });
});
