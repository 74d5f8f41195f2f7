import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { runtimeOf } from '../../../server/src/model/runtime';
import { applyFix, fixTitles, memoryContext, messages, ruleCases, severities } from '../helpers';
import { config, digestOf, index, single } from '../../support/facts';

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
CMD ["/app"]
`,
      },
      {
        name: '.NET images other than chiseled and distroless run as root',
        code: `FROM mcr.microsoft.com/dotnet/aspnet:8.0
#    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ root-user
ENTRYPOINT ["dotnet", "app.dll"]
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
        code: `FROM alpine:3.20 AS admin
USER root
#    ^^^^ root-user
FROM admin AS runtime
USER app
`,
        options: { targetStage: 'ADMIN' },
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

  it('names the user in its message, or says that none is set and why it knows the base runs as root', () => {
    assert.deepEqual(messages('root-user', 'FROM alpine:3.20\nUSER 0:0\n'), [
      'The shipped image runs as root (USER 0:0). Switch to an unprivileged user.',
    ]);
    assert.deepEqual(messages('root-user', 'FROM alpine:3.20\nCMD ["/app"]\n'), [
      "The shipped image runs as root: no USER is set in this stage, and alpine:3.20 runs as root by default (the tool's offline list of well-known images). Add a non-root USER.",
    ]);
    assert.match(
      messages('root-user', 'FROM alpine:3.20 AS a\nFROM a\nCMD ["/app"]\n')[0],
      /no USER is set in this stage or in the stages it builds on/,
    );
  });

  it('says the default user is unknown, at info, for a base image it does not know', () => {
    const text = 'FROM registry.example.com/team/base:2.1\nCOPY app /app\nCMD ["/app"]\n';
    assert.deepEqual(severities('root-user', text), ['1:5 info']);
    assert.deepEqual(messages('root-user', text), [
      'The shipped image may run as root: no USER is set in this stage, and the tool does not know the default user of registry.example.com/team/base:2.1. If it is root, add a non-root USER.',
    ]);
    assert.ok(
      fixTitles('root-user', text).every((t) => !t.startsWith('*')),
      'nothing is preferred',
    );
  });

  describe('suggestions that keep the image working (the reproductions of the issue)', () => {
    it('scratch: a COPY of the binary to / brings no /etc/passwd, so the fix copies it', async () => {
      const text = `FROM golang:1.22 AS build
RUN CGO_ENABLED=0 go build -o /out/app .

FROM scratch
COPY --from=build /out/app /
ENTRYPOINT ["/app"]
`;
      const fixed = await applyFix('root-user', text);
      assert.match(fixed, /COPY --from=build \/etc\/passwd \/etc\/passwd\nCOPY --from=build \/etc\/group \/etc\/group\nUSER 10001:10001\n/);
      assert.deepEqual(lint(fixed, { only: ['root-user', 'scratch-user-unresolvable'] }).findings, []);
    });

    it('no USER edit where the entrypoint steps down (gosu in a script from the build context)', () => {
      const text = `FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends gosu && rm -rf /var/lib/apt/lists/*
RUN useradd -r app && mkdir -p /var/lib/app && chown -R app:app /var/lib/app
COPY entrypoint.sh /usr/local/bin/entrypoint.sh
ENTRYPOINT ["entrypoint.sh"]
CMD ["app-server"]
`;
      const buildContext = memoryContext({ 'entrypoint.sh': '#!/bin/sh\nchown -R app /var/lib/app\nexec gosu app "$@"\n' });
      assert.deepEqual(messages('root-user', text, { buildContext }), []);
      // Without the script but with gosu installed: that is what it is for, and nothing is reported.
      assert.deepEqual(messages('root-user', text), []);
      // Without the script and without gosu, the finding says it could not be read, at info, and prefers nothing.
      const bare = text.replace(/^RUN apt-get.*\n/m, '');
      assert.deepEqual(severities('root-user', bare), ['1:5 info']);
      assert.match(
        messages('root-user', bare)[0],
        /its entrypoint entrypoint.sh could not be read \(entrypoint.sh is in the build context, which the tool cannot read here\)/,
      );
      assert.ok(fixTitles('root-user', bare).every((t) => !t.startsWith('*')));
    });

    it('s6-overlay /init and supervisord run as root by design: info, no USER edit', () => {
      for (const ep of ['ENTRYPOINT ["/init"]', 'CMD ["/usr/bin/supervisord", "-n"]']) {
        const text = `FROM debian:12-slim\n${ep}\n`;
        assert.deepEqual(severities('root-user', text), ['1:5 info'], ep);
        assert.deepEqual(fixTitles('root-user', text), [], ep);
      }
    });

    it('nginx on 80: the unprivileged image (not preferred, its title says the port moves), never USER alone', () => {
      const text = 'FROM nginx:1.27-alpine\nCOPY site/ /usr/share/nginx/html/\nEXPOSE 80\n';
      assert.deepEqual(fixTitles('root-user', text), [
        'Use nginxinc/nginx-unprivileged:1.27-alpine (uid 101; serves on 8080, not 80: update your port mapping)',
      ]);
      assert.match(messages('root-user', text)[0], /nginx's master process runs as root to bind port 80 and start its workers as nginx/);
      // Its own configuration would still listen on 80: no edit at all.
      assert.deepEqual(fixTitles('root-user', text + 'COPY nginx.conf /etc/nginx/nginx.conf\n'), []);
    });

    it('USER "$USER_ID:$USER_ID" with a build argument defaulting to 0: the default changes, the argument stays', async () => {
      const text = `FROM debian:12-slim
ARG USER_ID=0
RUN mkdir /data && chown "$USER_ID:$USER_ID" /data
USER "$USER_ID:$USER_ID"
CMD ["/app"]
`;
      assert.deepEqual(fixTitles('root-user', text), [
        'Make ARG USER_ID default to 10001, keeping USER "$USER_ID:$USER_ID" (check what else the build does with it)',
      ]);
      assert.match(await applyFix('root-user', text, 'Make ARG'), /^ARG USER_ID=10001$/m);
    });

    it('the new user gets a home (go, npm, pip and git need one) and the numeric uid:gid', async () => {
      const fixed = await applyFix(
        'root-user',
        'FROM node:22\nWORKDIR /app\nCOPY . .\nCMD ["npm", "start"]\n'.replace('node:22', 'debian:12'),
      );
      assert.match(fixed, /useradd --uid 10001 --gid 10001 --create-home/);
      assert.match(fixed, /^USER 10001:10001$/m);
    });

    it('a reused user without a home, where the program needs one: the home is made and handed over', async () => {
      const text = 'FROM debian:12\nRUN useradd -M -u 1500 app\nWORKDIR /srv\nCOPY . .\nCMD ["npm", "start"]\n';
      const fixed = await applyFix('root-user', text);
      assert.match(fixed, /^RUN mkdir -p \/srv \/home\/app && chown -R 1500:1500 \/home\/app && chown 1500:1500 \/srv\nUSER 1500:1500$/m);
    });

    it('WORKDIR /root: the edit is not preferred and its title says why', () => {
      const titles = fixTitles('root-user', 'FROM debian:12\nWORKDIR /root/app\nCOPY . .\nCMD ["./app"]\n');
      assert.ok(
        titles.length && titles.every((t) => !t.startsWith('*') && t.includes('check: WORKDIR /root/app is under /root')),
        titles.join('\n'),
      );
    });

    it('data directories and VOLUME paths are handed to the user, before the VOLUME is declared', async () => {
      const text = 'FROM debian:12\nWORKDIR /app\nRUN mkdir -p /app/uploads\nVOLUME /data\nCOPY . .\nCMD ["./server"]\n';
      assert.equal(
        await applyFix('root-user', text),
        'FROM debian:12\nWORKDIR /app\nRUN mkdir -p /app/uploads\nRUN groupadd --gid 10001 appuser && useradd --uid 10001 --gid 10001 --create-home --shell /usr/sbin/nologin appuser && mkdir -p /app /data /app/uploads && chown -R 10001:10001 /data /app/uploads && chown 10001:10001 /app\nUSER 10001:10001\nVOLUME /data\nCOPY . .\nCMD ["./server"]\n',
      );
      // A VOLUME before the last RUN: the builder would drop a chown after it, so the RUN goes first.
      const late = 'FROM debian:12\nVOLUME /data\nRUN apt-get update\nCMD ["./server"]\n';
      assert.equal(
        await applyFix('root-user', late),
        'FROM debian:12\nRUN groupadd --gid 10001 appuser && useradd --uid 10001 --gid 10001 --create-home --shell /usr/sbin/nologin appuser && mkdir -p /data && chown -R 10001:10001 /data\nVOLUME /data\nRUN apt-get update\nUSER 10001:10001\nCMD ["./server"]\n',
      );
    });

    it('distroless: :nonroot-amd64 and nonroot-${ARCH} run as nonroot; latest-amd64 becomes nonroot-amd64', async () => {
      assert.deepEqual(messages('root-user', 'FROM gcr.io/distroless/static-debian12:nonroot-amd64\nCMD ["/app"]\n'), []);
      assert.deepEqual(messages('root-user', 'ARG ARCH=amd64\nFROM gcr.io/distroless/static-debian12:nonroot-${ARCH}\nCMD ["/app"]\n'), []);
      assert.deepEqual(messages('root-user', 'ARG ARCH\nFROM gcr.io/distroless/static-debian12:nonroot-${ARCH}\nCMD ["/app"]\n'), []);
      const fixed = await applyFix(
        'root-user',
        'FROM gcr.io/distroless/static-debian12:latest-amd64\nCMD ["/app"]\n',
        'Use the :nonroot-amd64 variant',
      );
      assert.equal(fixed, 'FROM gcr.io/distroless/static-debian12:nonroot-amd64\nCMD ["/app"]\n');
      assert.match(
        fixTitles('root-user', 'FROM gcr.io/distroless/base-debian12:debug\nCMD ["/app"]\n')[0],
        /^\* Use the :debug-nonroot variant/,
      );
    });

    it('a port below 1024 makes the edit a suggestion that says so', () => {
      const titles = fixTitles('root-user', 'FROM debian:12\nCOPY app /app\nEXPOSE 443\nCMD ["/app"]\n');
      assert.ok(
        titles.every((t) => !t.startsWith('*') && /check: it binds port 443/.test(t)),
        titles.join('\n'),
      );
      // …unless the binary gets the capability.
      const cap = fixTitles(
        'root-user',
        'FROM debian:12\nCOPY app /app\nRUN setcap cap_net_bind_service=+ep /app\nEXPOSE 443\nCMD ["/app"]\n',
      );
      assert.ok(cap[0].startsWith('* '), cap.join('\n'));
    });

    it('an entrypoint script that runs chown: the edit says to check it', () => {
      const text = 'FROM debian:12\nCOPY start.sh /start.sh\nCMD ["/start.sh"]\n';
      const titles = fixTitles('root-user', text, {
        buildContext: memoryContext({ 'start.sh': '#!/bin/sh\nchown -R www-data /var/www\nexec /app\n' }),
      });
      assert.ok(
        titles.every((t) => !t.startsWith('*') && /check: start.sh line 2 runs chown/.test(t)),
        titles.join('\n'),
      );
    });

    it('an image with no command of its own, on a shell or interpreter image, is one to build on: not reported', () => {
      assert.deepEqual(
        messages('root-user', 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n'),
        [],
      );
      assert.deepEqual(messages('root-user', 'FROM python:3.12\nRUN pip install poetry\nCMD ["python3"]\n'), []);
      // …unless the file says USER itself, or the base is a server that keeps its own command.
      assert.equal(messages('root-user', 'FROM debian:12\nUSER root\n').length, 1);
      assert.equal(messages('root-user', 'FROM nginx:1.27\nCOPY site/ /usr/share/nginx/html/\n').length, 1);
    });

    it('reads the role from the directories, the base image and the command an entrypoint wrapper is given', () => {
      const app = 'FROM debian:12\nCOPY app /app\nCMD ["/app"]\n';
      for (const path of [
        '/r/tests/fixture/Dockerfile',
        '/r/.github/actions/docs/Dockerfile',
        '/r/hack/dockerfiles/lint.Dockerfile',
        '/r/tools/devcontainer/Dockerfile',
        '/r/make/photon/core/Dockerfile.base',
      ]) {
        assert.deepEqual(messages('root-user', app, { path }), [], path);
      }
      // `build` in a name counts only for a build environment: build.Dockerfile may build the release image.
      assert.equal(messages('root-user', app, { path: '/r/build.Dockerfile' }).length, 1);
      assert.deepEqual(messages('root-user', 'FROM golang:1.22\nRUN make\n', { path: '/r/build.Dockerfile' }), []);
      assert.deepEqual(messages('root-user', 'FROM mcr.microsoft.com/devcontainers/go:1\nCMD ["/app"]\n'), []);
      // The command given to the official images' wrapper entrypoints, or to an entrypoint script.
      assert.deepEqual(
        messages(
          'root-user',
          'FROM alpine:3.20\nCOPY docker-php-entrypoint /usr/local/bin/\nENTRYPOINT ["docker-php-entrypoint"]\nCMD ["php", "-a"]\n',
        ),
        [],
      );
      assert.deepEqual(
        messages(
          'root-user',
          'FROM debian:12\nCOPY mvn-entrypoint.sh /usr/local/bin/\nENTRYPOINT ["/usr/local/bin/mvn-entrypoint.sh"]\nCMD ["mvn"]\n',
        ),
        [],
      );
      assert.deepEqual(
        messages('root-user', 'FROM ubuntu:24.04\nCOPY __cacert_entrypoint.sh /\nENTRYPOINT ["/__cacert_entrypoint.sh"]\n'),
        [],
      );
      assert.deepEqual(messages('root-user', 'FROM debian:12\nCMD ["perl5.38.5", "-de0"]\n'), []);
      assert.deepEqual(messages('root-user', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD ["pwsh.exe"]\n'), []);
    });

    it('knows more images: Windows Server Core runs as ContainerAdministrator, linuxserver.io steps down to abc', () => {
      assert.match(
        messages('root-user', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD ["app.exe"]\n')[0],
        /runs as ContainerAdministrator \(an administrator\) by default/,
      );
      assert.deepEqual(messages('root-user', 'FROM ghcr.io/linuxserver/baseimage-ubuntu:noble\nCOPY root/ /\n'), []);
      const lsio = lint('FROM ghcr.io/linuxserver/baseimage-ubuntu:noble\nCOPY root/ /\n', {}).model;
      assert.deepEqual(
        runtimeOf(lsio.shipped!).entry.stepDown && {
          user: runtimeOf(lsio.shipped!).entry.stepDown!.user,
          tool: runtimeOf(lsio.shipped!).entry.stepDown!.tool,
        },
        { user: 'abc', tool: 's6-setuidgid' },
      );
      assert.deepEqual(messages('root-user', 'FROM selenium/node-chrome:latest\nCOPY cert.pem /tmp/\n'), []);
    });

    it('builder, toolchain, development and CI images are not reported', () => {
      const app = 'FROM debian:12\nCOPY app /app\nCMD ["/app"]\n';
      assert.deepEqual(messages('root-user', app, { path: '/repo/Dockerfile.dev' }), []);
      assert.deepEqual(messages('root-user', app, { path: '/repo/.devcontainer/Dockerfile' }), []);
      assert.deepEqual(messages('root-user', app, { path: '/repo/ci.Dockerfile' }), []);
      assert.deepEqual(messages('root-user', app, { role: 'builder' }), []);
      assert.deepEqual(messages('root-user', `# dockerfile-hardener role=ci\n${app}`), []);
      assert.deepEqual(messages('root-user', 'FROM golang:1.22\nRUN apt-get update\n'), []);
      assert.deepEqual(messages('root-user', 'FROM golangci/golangci-lint:v1.59\nENTRYPOINT ["golangci-lint"]\n'), []);
      // A build tool that runs what it builds serves: `go run .` in a toolchain image is a service.
      assert.equal(messages('root-user', 'FROM golang:1.22\nCOPY . .\nCMD ["go", "run", "."]\n').length, 1);
      assert.deepEqual(messages('root-user', 'FROM golang:1.22\nCOPY . .\nCMD ["go", "test", "./..."]\n'), []);
      assert.deepEqual(messages('root-user', 'FROM node:22\nONBUILD COPY . /app\n'), []);
      // A service says nothing of its role: still reported.
      assert.equal(messages('root-user', app, { path: '/repo/Dockerfile' }).length, 1);
    });
  });

  describe('edits that keep the image working where the image is not the usual one (from review)', () => {
    it('only the program counts as needing root by design, not a check an entrypoint script runs first', () => {
      const text = 'FROM node:22\nCOPY start.sh /start.sh\nCMD ["/start.sh"]\n';
      const buildContext = memoryContext({ 'start.sh': '#!/bin/sh\nnginx -t\nexec node server.js\n' });
      assert.doesNotMatch(messages('root-user', text, { buildContext })[0], /as nginx needs|master process/);
    });

    it('Windows: ContainerUser by name, never preferred; Chainguard runs as nonroot; minimal Red Hat images get no useradd', () => {
      assert.deepEqual(fixTitles('root-user', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD ["app.exe"]\n'), [
        'Run as ContainerUser, the unprivileged Windows account (check: the program needs no administrator rights)',
      ]);
      assert.deepEqual(messages('root-user', 'FROM cgr.dev/chainguard/python:latest\nCMD ["python", "app.py"]\n'), []);
      for (const base of ['amazonlinux:2023', 'rockylinux:9-minimal', 'redhat/ubi9-minimal']) {
        const titles = fixTitles('root-user', `FROM ${base}\nCMD ["/app"]\n`);
        assert.ok(
          titles.every((t) => !t.startsWith('*') && !/useradd|Create appuser/.test(t)),
          `${base}: ${titles.join(' | ')}`,
        );
      }
    });

    it('nginx whose configuration a RUN writes: no unprivileged image', () => {
      assert.deepEqual(fixTitles('root-user', "FROM nginx:1.27\nRUN echo 'server { listen 80; }' >/etc/nginx/conf.d/default.conf\n"), []);
    });

    it('scratch: appuser is made in the builder as root (it may end as another user), and an appuser of its chain is reused', async () => {
      const asBuilder = await applyFix(
        'root-user',
        'FROM golang:1.22 AS build\nRUN useradd -u 1000 builder\nUSER builder\nRUN go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app"]\n',
      );
      assert.match(
        asBuilder,
        /\nRUN go build -o \/out\/app \.\nUSER root\nRUN groupadd --gid 10001 appuser && useradd [^\n]*\nUSER builder\nFROM scratch\n/,
      );
      const reused = await applyFix(
        'root-user',
        'FROM golang:1.22 AS base\nRUN useradd -u 12000 appuser\nFROM base AS build\nRUN go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app"]\n',
      );
      assert.equal((reused.match(/useradd/g) ?? []).length, 1);
      assert.match(reused, /\nUSER 12000:12000\n/);
    });

    it('a reused user whose group number is unknown runs as its uid alone (its primary group comes from /etc/passwd)', async () => {
      const fixed = await applyFix('root-user', 'FROM debian:12\nRUN useradd -u 1001 -g users app\nCMD ["/app"]\n');
      assert.match(fixed, /^USER 1001$/m);
    });
  });

  // Judged on the corpus: docker-library's images install gosu or su-exec "for easy step-down from
  // root" and call it from docker-entrypoint.sh, which the corpus does not hold.
  it('is silent when the entrypoint script cannot be read but the image installs gosu or su-exec', () => {
    const text =
      'FROM alpine:3.20\nRUN apk add --no-cache su-exec\nCOPY docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["redis-server"]\n';
    assert.deepEqual(messages('root-user', text), []);
    assert.match(messages('root-user', text.replace('RUN apk add --no-cache su-exec\n', ''))[0], /could not be read/);
  });

  // Judged on the corpus: nextcloud copies its entrypoint with `COPY *.sh upgrade.exclude /`; the
  // warning took the script for the base image's and said the image simply runs as root.
  it('an entrypoint copied by a pattern or a directory is read from the build context, or said unreadable', () => {
    const text = 'FROM php:8.3-fpm-alpine\nCOPY *.sh upgrade.exclude /\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["php-fpm"]\n';
    assert.match(
      messages('root-user', text)[0],
      /its entrypoint entrypoint\.sh could not be read \(it is copied from the build context \(COPY at line 2\), which the tool cannot read here\)/,
    );
    const steps = memoryContext({ 'entrypoint.sh': '#!/bin/sh\nexec su-exec www-data "$@"\n', 'cron.sh': '' });
    assert.deepEqual(messages('root-user', text, { buildContext: steps }), []);
    const dir = 'FROM alpine:3.20\nCOPY rootfs/ /\nENTRYPOINT ["/usr/local/bin/start"]\n';
    assert.deepEqual(
      messages('root-user', dir, {
        buildContext: memoryContext({ 'rootfs/usr/local/bin/start': '#!/bin/sh\nexec su-exec app /srv/app\n' }),
      }),
      [],
    );
  });

  // Judged on the corpus: loki's migrate image runs tail -f /dev/null; an operator execs into it.
  it('an image whose command only keeps it running is a toolbox, not a service', () => {
    assert.deepEqual(messages('root-user', 'FROM alpine:3.20\nCOPY migrate /usr/bin/\nCMD ["tail", "-f", "/dev/null"]\n'), []);
    assert.deepEqual(messages('root-user', 'FROM alpine:3.20\nCMD ["sleep", "infinity"]\n'), []);
  });

  describe('with what a registry said of the base image', () => {
    const serve = 'FROM ghcr.io/acme/base:2\nCOPY app /app\nCMD ["/app"]\n';
    it('an image the tool does not know: root by its config, and the message says so', () => {
      assert.deepEqual(messages('root-user', serve, { imageFacts: { 'ghcr.io/acme/base:2': single({ user: '' }) } }), [
        'The shipped image runs as root: no USER is set in this stage, and ghcr.io/acme/base:2 runs as root by default (its config on ghcr.io, read 2026-12-01). Add a non-root USER.',
      ]);
      assert.deepEqual(severities('root-user', serve, { imageFacts: { 'ghcr.io/acme/base:2': single({ user: '0:0' }) } }), ['1:5 warning']);
    });
    it('a named or numeric non-root user in the config: silent (offline it was "unknown", at info)', () => {
      assert.deepEqual(severities('root-user', serve), ['1:5 info']);
      for (const user of ['app', '10001:10001', 'nobody:nogroup'])
        assert.deepEqual(messages('root-user', serve, { imageFacts: { 'ghcr.io/acme/base:2': single({ user }) } }), [], user);
    });
    it('the registry wins over the offline list, and a pinned digest is answered by its own facts', () => {
      const pinned = `FROM alpine:3.23@${digestOf('7')}\nCMD ["/app"]\n`;
      assert.deepEqual(
        messages('root-user', pinned, { imageFacts: { [`docker.io/library/alpine@${digestOf('7')}`]: single({ user: 'app' }) } }),
        [],
      );
      // The tag's facts do not speak for a digest (the tag may have moved since).
      assert.equal(messages('root-user', pinned, { imageFacts: { 'docker.io/library/alpine:3.23': single({ user: 'app' }) } }).length, 1);
    });
    it('a Windows base with no User runs as ContainerAdministrator, by its config', () => {
      const text = 'FROM mcr.example.com/windows/base:ltsc2022\nCOPY app.exe C:/app/\nCMD ["C:/app/app.exe"]\n';
      const o = { imageFacts: { 'mcr.example.com/windows/base:ltsc2022': single({ user: '' }, { platform: 'windows/amd64' }) } };
      assert.deepEqual(messages('root-user', text, o), [
        'The shipped image runs as root: no USER is set in this stage, and mcr.example.com/windows/base:ltsc2022 runs as ContainerAdministrator (an administrator) by default (its config on mcr.example.com, read 2026-12-01). Add a non-root USER.',
      ]);
      const user = {
        imageFacts: { 'mcr.example.com/windows/base:ltsc2022': single({ user: 'ContainerUser' }, { platform: 'windows/amd64' }) },
      };
      assert.deepEqual(messages('root-user', text, user), []);
    });
    it('the platform the stage asks for', () => {
      const multi = index(digestOf('1'), [
        { platform: 'linux/amd64', digest: digestOf('a'), config: config({ user: 'app' }) },
        { platform: 'linux/arm64', digest: digestOf('b'), config: config({ user: '' }) },
      ]);
      const o = { imageFacts: { 'ghcr.io/acme/base:2': multi } };
      assert.deepEqual(messages('root-user', serve, o), []);
      assert.equal(messages('root-user', serve.replace('FROM ', 'FROM --platform=linux/arm64 '), o).length, 1);
    });
  });
});
