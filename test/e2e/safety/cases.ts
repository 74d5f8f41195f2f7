/**
 * The cases of the image safety suite (test/e2e/safety.test.ts): small Dockerfiles of the shapes real
 * projects have, each with the files its build context needs and a probe of what the image does. The
 * suite builds each one, then every edit the tool offers on it, and runs them all.
 *
 * Programs (test/e2e/fixtures/safety): `report.sh` writes its state and prints
 * `ok uid=… user=… home=yes|no state=…`; `listen80.go` binds port 80 and prints `ok uid=… port=80
 * reply=pong`; `server.js` writes its state and prints `ok uid=… user=…`; `../whoami` prints
 * `whoami uid=… user=… certs=… loopback=true`.
 *
 * An edit must keep what the original does (the probe passes) and run as the uid the tool claims.
 * Where its title says what changes ("serves on 8080", "check: it binds port 80…", "HOME is /",
 * "check: the packages curl recommends are no longer installed"), the case declares that change and
 * the suite asserts exactly it.
 */

export type Probe =
  /** Run the image's command; it must exit 0 and print a line matching `expect`. */
  | { kind: 'output'; expect: RegExp; dockerPorts?: boolean }
  /** Run the image detached; `fetch` inside it must print something matching `expect`. */
  | { kind: 'http'; port: number; expect: RegExp; fetch: 'curl' | 'python' };

/** What an edit whose title declares a change does instead of what the original does. */
export type Declared =
  | { port: number } // serves on another port
  | { output: RegExp } // its output differs as the title says
  | 'start-fails' // builds, and cannot start (the title says what to check first)
  | 'build-fails' // the title says what it drops
  | 'needs-docker-ports'; // works where unprivileged ports start at 0 (Docker), not under Podman's and Kubernetes' defaults

export interface SafetyCase {
  name: string;
  /** The class of the issue this case stands for. */
  class: string;
  dockerfile: string;
  /** Files of the build context (text), by path. */
  files?: Record<string, string>;
  /** Fixtures to copy into the build context: context path → file under test/e2e/fixtures. */
  fixtures?: Record<string, string>;
  probe: Probe;
  /** The original itself does not start (the tool's fix is what makes it work). */
  originalFails?: RegExp;
  /** Edits whose titles declare a change, by a pattern of the title. */
  declared?: { title: RegExp; expect: Declared }[];
  /** Also try the multi-stage conversion ("Convert to multi-stage scratch build"). */
  convert?: boolean;
  /** Images built first from the same context, that the case's Dockerfile copies from. */
  images?: { tag: string; dockerfile: string }[];
}

const REPORT = { 'report.sh': 'safety/report.sh' };
const WHOAMI = { 'go.mod': 'whoami/go.mod', 'main.go': 'whoami/main.go' };
const LISTEN = { 'go.mod': 'safety/go.mod', 'main.go': 'safety/listen80.go' };
const OK = /^ok uid=\d+ user=\S+ home=(yes|no) state=\S+$/m;
/** A Debian image running report.sh, with `lines` before it: the shape of the service cases. */
const REPORT_IMAGE = (...lines: string[]) =>
  `FROM debian:bookworm-slim\n${lines.map((l) => `${l}\n`).join('')}COPY report.sh /usr/local/bin/report\nRUN chmod 755 /usr/local/bin/report\nCMD ["report"]\n`;
const GOSU = 'RUN apt-get update && apt-get install -y --no-install-recommends gosu && rm -rf /var/lib/apt/lists/*';
const ENTRY = (line: string) => `#!/bin/sh\nset -e\nif [ "$(id -u)" = 0 ]; then\n  chown -R app:app /data\nfi\n${line}\n`;
const STEP_DOWN = (line: string): Pick<SafetyCase, 'dockerfile' | 'files' | 'fixtures' | 'probe'> => ({
  dockerfile: `FROM debian:bookworm-slim
${GOSU}
RUN useradd --system --create-home app && mkdir /data && chown app:app /data
ENV STATE_DIR=/data
COPY report.sh /usr/local/bin/report
COPY entrypoint.sh /usr/local/bin/entrypoint.sh
RUN chmod 755 /usr/local/bin/report /usr/local/bin/entrypoint.sh
ENTRYPOINT ["entrypoint.sh"]
CMD ["report"]
`,
  files: { 'entrypoint.sh': ENTRY(line) },
  fixtures: REPORT,
  // setpriv keeps root's HOME: home=no is what the original does too.
  probe: { kind: 'output', expect: /^ok uid=\d+ user=app home=(yes|no) state=\/data\/state.txt$/m },
});
const GO_BUILD = (flags: string) => `FROM golang:1.19 AS build
WORKDIR /src
ENV GOPROXY=off
COPY go.mod main.go ./
RUN ${flags}go build -o /out/app .
`;

/** The variants that cannot start where Podman and Kubernetes keep ports below 1024 privileged. */
const PORT_80 = { title: /check: it binds port 80\b/, expect: 'needs-docker-ports' as const };

export const CASES: SafetyCase[] = [
  {
    name: 'service-workdir',
    class: 'service as root, writes to its WORKDIR',
    dockerfile: REPORT_IMAGE('WORKDIR /srv/app'),
    fixtures: REPORT,
    probe: { kind: 'output', expect: /^ok uid=\d+ user=\S+ home=(yes|no) state=\/srv\/app\/state.txt$/m },
  },
  {
    name: 'service-volume',
    class: 'data in a VOLUME, declared before the last RUN',
    dockerfile: REPORT_IMAGE('VOLUME /var/lib/app', 'ENV STATE_DIR=/var/lib/app'),
    fixtures: REPORT,
    probe: { kind: 'output', expect: /^ok .* state=\/var\/lib\/app\/state.txt$/m },
  },
  {
    name: 'overridden-cmd-maintainer',
    class: 'a CMD a later one replaces, and MAINTAINER',
    dockerfile: REPORT_IMAGE('MAINTAINER Jane Doe <jane@example.com>', 'CMD ["false"]', 'WORKDIR /srv/app'),
    fixtures: REPORT,
    probe: { kind: 'output', expect: OK },
  },
  {
    name: 'copy-many-to-dir',
    class: 'several sources copied to a destination without a trailing slash',
    dockerfile: REPORT_IMAGE('COPY a.txt b.txt /srv/app', 'WORKDIR /srv/app'),
    files: { 'a.txt': 'a\n', 'b.txt': 'b\n' },
    fixtures: REPORT,
    probe: { kind: 'output', expect: OK },
  },
  {
    name: 'redundant-target-platform',
    class: 'FROM --platform=$TARGETPLATFORM',
    dockerfile: REPORT_IMAGE('WORKDIR /srv/app').replace('FROM debian', 'FROM --platform=$TARGETPLATFORM debian'),
    fixtures: REPORT,
    probe: { kind: 'output', expect: OK },
  },
  {
    // Keyword case, a stage name in capitals, the legacy ENV/LABEL form and a blank line inside a
    // continued RUN: each fix rewrites how the file is written, and the image must stay the same.
    name: 'keyword-style',
    class: 'mixed keyword case, a capitalised stage name, legacy ENV and LABEL, an empty continuation line',
    dockerfile: `FROM debian:bookworm-slim AS Base
ENV GREETING hello world
LABEL org.example.note built by hand
run echo prepared > /prepared \\
\t
    && echo "$GREETING" > /greeting
FROM Base as final
CMD ["sh", "-c", "echo ok uid=$(id -u) greeting=$(cat /greeting) prepared=$(cat /prepared) env=$GREETING"]
`,
    probe: { kind: 'output', expect: /^ok uid=\d+ greeting=hello world prepared=prepared env=hello world$/m },
  },
  {
    // apt for apt-get, and an install without -y: gosu needs nothing more than libc, so the original
    // builds (apt-get asks only when it installs more than it was told), and both fixes must keep it so.
    name: 'apt-front-end-and-prompt',
    class: 'apt in a RUN, and apt-get install without -y',
    dockerfile: `FROM debian:bookworm-slim
RUN apt update && apt install -y gosu && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install --no-install-recommends gosu && rm -rf /var/lib/apt/lists/*
CMD ["sh", "-c", "echo ok uid=$(id -u) gosu=$(command -v gosu)"]
`,
    probe: { kind: 'output', expect: /^ok uid=\d+ gosu=\/usr\/(s?bin)\/gosu$/m },
  },
  {
    // pip's cache: --no-cache-dir must leave the install as it was (a local package, no index).
    name: 'pip-cache',
    class: 'pip install without --no-cache-dir',
    dockerfile: `FROM python:3.12-slim
COPY hello /src/hello
RUN pip install --no-index --no-build-isolation --break-system-packages /src/hello
CMD ["python3", "-c", "import os, hello; print('ok uid=%d name=%s' % (os.getuid(), hello.NAME))"]
`,
    files: {
      'hello/setup.py': "from setuptools import setup\nsetup(name='hello', version='1.0', py_modules=['hello'])\n",
      'hello/hello.py': "NAME = 'hello'\n",
    },
    probe: { kind: 'output', expect: /^ok uid=\d+ name=hello$/m },
  },
  {
    name: 'large-uid-expose-case',
    class: 'useradd with a large UID, and an upper-case EXPOSE protocol',
    dockerfile: REPORT_IMAGE('EXPOSE 8080/TCP', 'RUN useradd --uid 123456 big', 'WORKDIR /srv/app'),
    fixtures: REPORT,
    probe: { kind: 'output', expect: OK },
  },
  {
    name: 'service-data-dir',
    class: 'data in a directory the stage makes',
    dockerfile: REPORT_IMAGE('RUN mkdir -p /srv/data', 'ENV STATE_DIR=/srv/data'),
    fixtures: REPORT,
    probe: { kind: 'output', expect: /^ok .* state=\/srv\/data\/state.txt$/m },
  },
  {
    name: 'service-home',
    class: 'a program that needs a writable home',
    dockerfile: REPORT_IMAGE('WORKDIR /srv/app'),
    fixtures: REPORT,
    probe: { kind: 'output', expect: /^ok uid=\d+ user=\S+ home=yes state=/m },
    declared: [{ title: /HOME is \//, expect: { output: /^ok uid=10001 user=unknown home=no state=/m } }],
  },
  {
    name: 'service-workdir-root',
    class: 'WORKDIR under /root',
    dockerfile: REPORT_IMAGE('WORKDIR /root/app'),
    fixtures: REPORT,
    probe: { kind: 'output', expect: OK },
    declared: [{ title: /check: WORKDIR \/root\/app is under \/root/, expect: 'start-fails' }],
  },
  {
    name: 'service-existing-user',
    class: 'a user the file creates and never uses',
    dockerfile: REPORT_IMAGE('RUN useradd --uid 1500 --create-home app', 'WORKDIR /srv/app'),
    fixtures: REPORT,
    probe: { kind: 'output', expect: /^ok .* state=\/srv\/app\/state.txt$/m },
  },
  {
    name: 'service-arg-user',
    class: 'USER from a build argument that defaults to 0',
    dockerfile: `FROM debian:bookworm-slim
ARG USER_ID=0
RUN mkdir -p /data && chown "$USER_ID:$USER_ID" /data
ENV STATE_DIR=/data
COPY report.sh /usr/local/bin/report
RUN chmod 755 /usr/local/bin/report
USER "$USER_ID:$USER_ID"
CMD ["report"]
`,
    fixtures: REPORT,
    probe: { kind: 'output', expect: /^ok .* state=\/data\/state.txt$/m },
  },
  {
    name: 'service-unknown-base',
    class: 'a base image the tool does not know',
    dockerfile: REPORT_IMAGE('WORKDIR /srv/app').replace('FROM debian:bookworm-slim', 'FROM localhost/acme/base:1'),
    fixtures: REPORT,
    probe: { kind: 'output', expect: /^ok .* state=\/srv\/app\/state.txt$/m },
    declared: [{ title: /check: \/srv\/app stays owned by root/, expect: 'start-fails' }],
  },
  {
    name: 'service-port-80',
    class: 'a server on port 80',
    dockerfile: `FROM python:3.12-slim
RUN mkdir -p /srv/www && echo 'hello from port 80' >/srv/www/index.html
EXPOSE 80
CMD ["python3", "-m", "http.server", "80", "--directory", "/srv/www"]
`,
    probe: { kind: 'http', port: 80, expect: /hello from port 80/, fetch: 'python' },
    declared: [PORT_80],
  },
  {
    name: 'setcap-port-80',
    class: 'a non-root program given cap_net_bind_service',
    dockerfile: `${GO_BUILD('CGO_ENABLED=0 ')}
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libcap2-bin && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/app /usr/local/bin/listen80
RUN setcap cap_net_bind_service=+ep /usr/local/bin/listen80
USER 10001:10001
EXPOSE 80
CMD ["listen80"]
`,
    fixtures: LISTEN,
    // Without Docker's lowered port floor: the capability alone lets it bind.
    probe: { kind: 'output', expect: /^ok uid=10001 port=80 reply=pong$/m, dockerPorts: false },
  },
  { name: 'gosu-entrypoint', class: 'an entrypoint script that steps down (gosu)', ...STEP_DOWN('exec gosu app "$@"') },
  {
    name: 'setpriv-entrypoint',
    class: 'an entrypoint script that steps down (setpriv)',
    ...STEP_DOWN('exec setpriv --reuid=app --regid=app --init-groups "$@"'),
  },
  {
    name: 'su-entrypoint',
    class: 'an entrypoint script that steps down (su)',
    ...STEP_DOWN('exec su -s /bin/sh app -c \'exec "$0" "$@"\' "$@"'),
  },
  { name: 'runuser-entrypoint', class: 'an entrypoint script that steps down (runuser)', ...STEP_DOWN('exec runuser -u app -- "$@"') },
  {
    name: 'gosu-inline',
    class: 'a command that steps down (gosu in CMD)',
    dockerfile: `FROM debian:bookworm-slim
${GOSU}
RUN useradd --system --create-home app && mkdir /data && chown app:app /data
ENV STATE_DIR=/data
COPY report.sh /usr/local/bin/report
RUN chmod 755 /usr/local/bin/report
CMD ["gosu", "app", "report"]
`,
    fixtures: REPORT,
    probe: { kind: 'output', expect: /^ok uid=\d+ user=app home=yes state=\/data\/state.txt$/m },
  },
  {
    name: 'nginx-default',
    class: 'nginx serving on 80',
    dockerfile: `FROM nginx:1.27
RUN echo 'hello from nginx' >/usr/share/nginx/html/index.html
EXPOSE 80
`,
    probe: { kind: 'http', port: 80, expect: /hello from nginx/, fetch: 'curl' },
    declared: [{ title: /^Use nginxinc\/nginx-unprivileged.*serves on 8080/, expect: { port: 8080 } }],
  },
  {
    name: 'nginx-own-config',
    class: 'nginx with its own configuration',
    dockerfile: `FROM nginx:1.27
COPY default.conf /etc/nginx/conf.d/default.conf
RUN mkdir -p /srv/site && echo 'hello from the site' >/srv/site/index.html
EXPOSE 80
`,
    files: { 'default.conf': 'server {\n    listen 80;\n    location / { root /srv/site; }\n}\n' },
    probe: { kind: 'http', port: 80, expect: /hello from the site/, fetch: 'curl' },
  },
  {
    name: 'nginx-unprivileged',
    class: 'the unprivileged nginx image',
    dockerfile: `FROM nginxinc/nginx-unprivileged:1.27
COPY index.html /usr/share/nginx/html/index.html
EXPOSE 8080
`,
    files: { 'index.html': 'hello from 8080\n' },
    probe: { kind: 'http', port: 8080, expect: /hello from 8080/, fetch: 'curl' },
  },
  {
    name: 'node-service',
    class: "a Node.js service: the image's own user",
    dockerfile: `FROM node:22-bookworm-slim
WORKDIR /app
COPY server.js .
CMD ["node", "server.js"]
`,
    fixtures: { 'server.js': 'safety/server.js' },
    probe: { kind: 'output', expect: /^ok uid=\d+ user=\S+ state=\/app\/state.txt$/m },
  },
  ...(['latest', 'latest-amd64'] as const).map((tag): SafetyCase => ({
    name: `distroless-${tag}`,
    class: `distroless, root tag${tag === 'latest' ? '' : ' with an architecture'}`,
    dockerfile: `${GO_BUILD('CGO_ENABLED=0 ')}\nFROM gcr.io/distroless/static-debian12:${tag}\nCOPY --from=build /out/app /app\nCMD ["/app"]\n`,
    fixtures: WHOAMI,
    probe: { kind: 'output', expect: /^whoami uid=\d+ user=\S+ certs=[1-9]\d* loopback=true$/m },
  })),
  {
    name: 'distroless-nonroot-arg',
    class: 'distroless nonroot tag from a build argument',
    dockerfile: `ARG ARCH=amd64
${GO_BUILD('CGO_ENABLED=0 ')}
FROM gcr.io/distroless/static-debian12:nonroot-\${ARCH}
COPY --from=build /out/app /app
CMD ["/app"]
`,
    fixtures: WHOAMI,
    probe: { kind: 'output', expect: /^whoami uid=65532 user=nonroot certs=[1-9]\d* loopback=true$/m },
  },
  {
    name: 'scratch-binary-to-root',
    class: 'scratch, the binary copied to /',
    dockerfile: `${GO_BUILD('CGO_ENABLED=0 ')}
FROM scratch
COPY --from=build /out/app /
ENTRYPOINT ["/app"]
`,
    fixtures: WHOAMI,
    probe: { kind: 'output', expect: /^whoami uid=\d+ user=\S+ certs=\d+ loopback=true$/m },
  },
  {
    // A relative destination in scratch lands in /, its working directory: the fix writes it absolute.
    name: 'scratch-relative-destination',
    class: 'scratch, a COPY to a relative destination without WORKDIR',
    dockerfile: `${GO_BUILD('CGO_ENABLED=0 ')}
FROM scratch
COPY --from=build /out/app bin/app
ENTRYPOINT ["/bin/app"]
`,
    fixtures: WHOAMI,
    probe: { kind: 'output', expect: /^whoami uid=\d+ user=\S+ certs=\d+ loopback=true$/m },
  },
  {
    // No stage of the file has a CA bundle to give: the fix copies it from a pinned distroless image.
    name: 'scratch-prebuilt-no-certs',
    class: 'scratch, a binary another pipeline built, no builder stage to copy a CA bundle from',
    images: [{ tag: 'localhost/safety-prebuilt:1', dockerfile: GO_BUILD('CGO_ENABLED=0 ') }],
    dockerfile: `FROM scratch
COPY --from=localhost/safety-prebuilt:1 /out/app /app
ENV UPSTREAM=https://api.example.com
USER 65532:65532
ENTRYPOINT ["/app"]
`,
    fixtures: WHOAMI,
    probe: { kind: 'output', expect: /^whoami uid=65532 user=\S+ certs=\d+ loopback=true$/m },
    declared: [
      {
        title: /^Copy the CA bundle from gcr\.io\/distroless/,
        expect: { output: /^whoami uid=65532 user=\S+ certs=[1-9]\d* loopback=true$/m },
      },
    ],
  },
  {
    name: 'scratch-user-nobody',
    class: 'scratch, USER by name without /etc/passwd',
    dockerfile: `${GO_BUILD('CGO_ENABLED=0 ')}
FROM scratch
COPY --from=build /out/app /app
USER nobody
ENTRYPOINT ["/app"]
`,
    fixtures: WHOAMI,
    probe: { kind: 'output', expect: /^whoami uid=65534 user=\S+ certs=\d+ loopback=true$/m },
    originalFails: /unable to find user nobody/,
  },
  {
    name: 'scratch-cgo',
    class: 'scratch, a cgo binary',
    dockerfile: `${GO_BUILD('')}
FROM scratch
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
`,
    fixtures: WHOAMI,
    probe: { kind: 'output', expect: /^whoami uid=\d+ user=\S+ certs=\d+ loopback=true$/m },
    originalFails: /no such file or directory/,
  },
  {
    name: 'go-unstripped',
    class: 'go build without -ldflags="-s -w"',
    dockerfile: `${GO_BUILD('CGO_ENABLED=0 ')}
FROM debian:bookworm-slim
COPY --from=build /out/app /usr/local/bin/whoami
CMD ["whoami"]
`,
    fixtures: WHOAMI,
    probe: { kind: 'output', expect: /^whoami uid=\d+ user=\S+ certs=\d+ loopback=true$/m },
  },
  {
    name: 'apt-lists-later-install',
    class: 'apt lists a later RUN installs from',
    dockerfile: `FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl
RUN apt-get install -y --no-install-recommends gosu && rm -rf /var/lib/apt/lists/*
CMD ["sh", "-c", "gosu nobody sh -c 'echo step=$(id -un)' && curl --version | head -n 1 && echo uid=$(id -u)"]
`,
    probe: { kind: 'output', expect: /^step=nobody\ncurl \d[^\n]*\nuid=\d+$/m },
    // One step runs as nobody through gosu, which needs root to switch: a USER edit says to check that.
    declared: [{ title: /check: CMD \(line 4\) runs gosu/, expect: 'start-fails' }],
  },
  {
    name: 'apt-lists',
    class: 'apt lists left in the layer',
    dockerfile: `FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends gosu
CMD ["gosu", "nobody", "sh", "-c", "echo uid=$(id -u) user=$(id -un)"]
`,
    probe: { kind: 'output', expect: /^uid=65534 user=nobody$/m },
  },
  {
    name: 'apt-recommends',
    class: 'apt recommends another step needs',
    dockerfile: `FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
RUN update-ca-certificates
CMD ["sh", "-c", "echo uid=$(id -u); curl --version | head -n 1; ls /etc/ssl/certs/ca-certificates.crt"]
`,
    probe: { kind: 'output', expect: /^\/etc\/ssl\/certs\/ca-certificates.crt$/m },
    declared: [{ title: /^Add --no-install-recommends \(check: the packages curl recommends/, expect: 'build-fails' }],
  },
  {
    name: 'convert-go',
    class: 'a single-stage Go image converted to scratch',
    dockerfile: `FROM golang:1.19
WORKDIR /src
ENV GOPROXY=off
COPY go.mod main.go ./
RUN go build -o whoami .
CMD ["./whoami"]
`,
    fixtures: WHOAMI,
    probe: { kind: 'output', expect: /^whoami uid=\d+ user=\S+ certs=[1-9]\d* loopback=true$/m },
    convert: true,
  },
  {
    // The program reads ./app.env and ./web/index.html at start: the conversion must carry the
    // WORKDIR and both files (it once dropped them, and the image exited at start).
    name: 'convert-go-runtime-files',
    class: 'a single-stage Go image that reads files from its working directory, converted to scratch',
    dockerfile: `FROM golang:1.19
WORKDIR /srv/app
ENV GOPROXY=off
COPY . .
RUN go build -o /usr/local/bin/reader .
CMD ["reader"]
`,
    fixtures: { 'go.mod': 'safety/go.mod', 'main.go': 'safety/readfiles.go' },
    files: { 'app.env': 'PORT=8080\n', 'web/index.html': '<h1>hello</h1>\n' },
    probe: { kind: 'output', expect: /^ok uid=\d+ user=\S+ env=PORT=8080 template=<h1>hello<\/h1>$/m },
    convert: true,
  },
];
