import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';

describe('root-user', () => {
  ruleCases('root-user', {
    valid: [
      {
        name: 'a non-root USER at the end',
        code: `FROM alpine:3.20
RUN adduser -D app
USER app
CMD ["/app"]
`,
      },
      {
        name: 'a numeric uid:gid',
        code: `FROM debian:12
USER 10001:10001
`,
      },
      {
        name: 'root for the build steps, then an unprivileged user',
        code: `FROM alpine:3.20
USER root
RUN apk add --no-cache curl
USER nobody
`,
      },
      {
        name: 'a non-root USER inherited from the stage it builds on',
        code: `FROM alpine:3.20 AS base
USER app
FROM base
COPY app /app
`,
      },
      {
        name: 'root in a builder stage only',
        code: `FROM golang:1.22 AS build
USER root
RUN go build -o /app .
FROM alpine:3.20
USER 65532
`,
      },
      {
        name: 'distroless nonroot tags',
        code: `FROM gcr.io/distroless/static-debian12:nonroot AS a
FROM gcr.io/distroless/base-debian12:debug-nonroot AS b
FROM gcr.io/distroless/static:nonroot
`,
      },
      {
        name: 'images known to run unprivileged',
        code: `FROM cgr.dev/chainguard/static:latest AS a
FROM quay.io/jupyter/scipy-notebook:2024-07-29 AS b
FROM mcr.microsoft.com/dotnet/runtime-deps:8.0-jammy-chiseled AS c
FROM mcr.microsoft.com/dotnet/aspnet:9.0-azurelinux3.0-distroless AS d
FROM nginxinc/nginx-unprivileged:1.27
`,
      },
      {
        name: 'a build-argument default that names a non-root image',
        code: `ARG BASE_IMAGE=quay.io/jupyter/base-notebook
FROM $BASE_IMAGE
RUN pip install --no-cache-dir requests
`,
      },
      {
        name: 'a scratch export stage (no CMD/ENTRYPOINT): nothing runs',
        code: `FROM golang:1.22 AS build
RUN go build -o /out/app .
FROM scratch
COPY --from=build /out/app /
`,
      },
      {
        name: 'a base image from an unknown build argument',
        code: `ARG BASE
FROM \${BASE}
CMD ["/app"]
`,
      },
      {
        name: 'a USER from an unknown build argument',
        code: `FROM alpine:3.20
ARG APP_USER
USER \${APP_USER}
`,
      },
      {
        name: 'a USER from a build argument with a non-root default',
        code: `ARG APP_UID=10001
FROM alpine:3.20
ARG APP_UID
USER \${APP_UID}:\${APP_UID}
`,
      },
      {
        name: 'a target stage that is not root, whatever the last stage does',
        code: `FROM alpine:3.20 AS runtime
USER app
FROM runtime AS debug
USER root
`,
        options: { targetStage: 'runtime' },
      },
      {
        name: 'a dockerfile-hardener ignore comment above the USER',
        code: `FROM alpine:3.20
# dockerfile-hardener ignore=root-user
USER root
`,
      },
      {
        name: "hadolint's DL3002 ignore comment, in a comment block above the USER",
        code: `FROM alpine:3.20
# the init system drops privileges itself
# hadolint ignore=DL3002
USER root
`,
      },
      {
        name: 'an ignore comment above FROM when the finding is on FROM',
        code: `# hadolint ignore=DL3007,DL3002
FROM node:22-alpine
`,
      },
    ],
    invalid: [
      {
        name: 'USER root',
        code: `FROM alpine:3.20
USER root
#    ^^^^ root-user
`,
      },
      {
        name: 'USER 0:0: only the user part',
        code: `FROM alpine:3.20
USER 0:0
#    ^ root-user
`,
      },
      {
        name: 'USER root:somegroup',
        code: `FROM alpine:3.20
USER root:x
#    ^^^^ root-user
`,
      },
      {
        name: 'uid 0 written with leading zeros',
        code: `FROM alpine:3.20
USER 000
#    ^^^ root-user
`,
      },
      {
        name: 'lowercase instructions',
        code: `from alpine:3.20
user root
#    ^^^^ root-user
`,
      },
      {
        name: 'no USER on a base that runs as root: the FROM image',
        code: `FROM python:3.12-slim
#    ^^^^^^^^^^^^^^^^ root-user
COPY . /app
CMD ["python", "/app/main.py"]
`,
      },
      {
        name: 'a later USER root undoes an earlier non-root USER',
        code: `FROM alpine:3.20
USER app
RUN id
USER root
#    ^^^^ root-user
`,
      },
      {
        name: 'root inherited from the USER of the stage it builds on',
        code: `FROM alpine:3.20 AS base
USER root
#    ^^^^ root-user
FROM base
CMD ["/app"]
`,
      },
      {
        name: 'no USER in the stage or the stages it builds on: its FROM',
        code: `FROM debian:12 AS base
RUN useradd app
FROM base AS final
#    ^^^^ root-user
`,
      },
      {
        name: '.NET images other than chiseled and distroless run as root',
        code: `FROM mcr.microsoft.com/dotnet/aspnet:8.0
#    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ root-user
`,
      },
      {
        name: 'a distroless image without a nonroot tag',
        code: `FROM gcr.io/distroless/static-debian12
#    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ root-user
`,
      },
      {
        name: 'a nonroot distroless image switched back to root',
        code: `FROM gcr.io/distroless/static-debian12:nonroot
USER 0
#    ^ root-user
`,
      },
      {
        name: 'USER root in a scratch stage without CMD: a USER means it is meant to run',
        code: `FROM scratch
COPY app /app
USER root
#    ^^^^ root-user
`,
      },
      {
        name: 'a scratch stage that runs, with no USER',
        code: `FROM scratch
#    ^^^^^^^ root-user
COPY app /app
ENTRYPOINT ["/app"]
`,
      },
      {
        name: 'a USER from a build argument whose default is root: the whole argument',
        code: `FROM alpine:3.20
ARG RUN_AS=root
USER \${RUN_AS}
#    ^^^^^^^^^ root-user
`,
      },
      {
        name: 'the target stage, not the last one',
        code: `FROM alpine:3.20 AS debug
USER root
#    ^^^^ root-user
FROM debug AS runtime
USER app
`,
        options: { targetStage: 'DEBUG' },
      },
      {
        name: 'an ignore comment for another rule does not silence it',
        code: `FROM alpine:3.20
# dockerfile-hardener ignore=latest-tag
# hadolint ignore=DL3007
USER root
#    ^^^^ root-user
`,
      },
      {
        name: 'an ignore comment separated from the instruction by a blank line does not apply',
        code: `FROM alpine:3.20
# dockerfile-hardener ignore=root-user

USER root
#    ^^^^ root-user
`,
      },
    ],
  });

  it('names the user in its message, or says that none is set', () => {
    assert.deepEqual(messages('root-user', 'FROM alpine:3.20\nUSER 0:0\n'), [
      'The shipped image runs as root (USER 0:0). Switch to an unprivileged user, e.g. USER 10001:10001.',
    ]);
    assert.match(messages('root-user', 'FROM alpine:3.20\n')[0], /no USER is set in this stage, and the base image's default user is root/);
    assert.match(messages('root-user', 'FROM alpine:3.20 AS a\nFROM a\n')[0], /no USER is set in this stage or in the stages it builds on/);
  });
});
