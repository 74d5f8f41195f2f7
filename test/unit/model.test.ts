/**
 * The Dockerfile model, read the way the builder reads a Dockerfile: stages and what they inherit,
 * build arguments, parser directives, heredocs, line continuations, CRLF and BOM, RUN commands as
 * shell words with exact ranges. Ranges are drawn with `underline` (carets under the text they cover).
 */
import * as assert from 'node:assert/strict';
import { lint } from '../../server/src/linter/lint';
import { DockerfileModel, type Stage } from '../../server/src/model/model';
import { unwrap, type SimpleCommand } from '../../server/src/model/shell';
import { slice, underline } from './helpers';

function model(text: string, targetStage?: string): DockerfileModel {
  return new DockerfileModel(text, { targetStage });
}

function stage(m: DockerfileModel, i: number): Stage {
  const s = m.stages[i];
  assert.ok(s, `stage ${i}`);
  return s;
}

/** Every simple command of every RUN of the file, in order. */
function commands(m: DockerfileModel): SimpleCommand[] {
  return m.stages.flatMap((s) => s.runs.flatMap((r) => r.commands));
}

/** `argv` of every command, joined, with `A=1` prefixes and the operator before it: `&& A=1 go build`. */
function shape(m: DockerfileModel): string[] {
  return commands(m).map((c) =>
    [c.after === '\n' ? '\\n' : c.after, ...c.assignments.map((a) => a.value), ...c.argv.map((w) => w.value)].filter(Boolean).join(' '),
  );
}

/** The words of every command, underlined in the document. */
function wordPicture(m: DockerfileModel, first?: number, last?: number): string {
  return underline(
    m.text,
    commands(m).flatMap((c) => [...c.assignments, ...c.argv]),
    first,
    last,
  );
}

describe('model', () => {
  describe('stages and inheritance', () => {
    it('resolves FROM <stage> by name, case-insensitively, to the latest earlier stage of that name', () => {
      const m = model(`FROM alpine:3.20 AS Build
FROM debian:12 AS other
FROM BUILD AS final
COPY --from=bUiLd /a /a
`);
      const final = stage(m, 2);
      assert.equal(final.base.kind, 'stage');
      assert.equal(final.parent, stage(m, 0));
      assert.deepEqual(stage(m, 0).children, [final]);
      assert.deepEqual(
        final.chain.map((s) => s.index),
        [2, 0],
      );
      const from = final.copies[0].from;
      assert.equal(from?.source.kind === 'stage' && from.source.stage, stage(m, 0));
    });

    it('tells scratch, images, stages and unknown bases apart', () => {
      const m = model(`ARG UNKNOWN
FROM scratch AS a
FROM a AS b
FROM golang:1.22 AS c
FROM \${UNKNOWN} AS d
FROM d
`);
      assert.deepEqual(
        m.stages.map((s) => `${s.base.kind} root=${s.root.kind} scratch=${s.isScratch}`),
        [
          'scratch root=scratch scratch=true',
          'stage root=scratch scratch=true',
          'image root=image scratch=false',
          'unknown root=unknown scratch=false',
          'stage root=unknown scratch=false',
        ],
      );
      assert.equal(stage(m, 2).rootImage?.repository, 'library/golang');
    });

    it('inherits USER through FROM <stage>, and a later USER overrides it', () => {
      const m = model(`FROM alpine:3.20 AS base
USER app:staff
FROM base AS mid
FROM mid AS root
USER root
FROM base
`);
      const mid = stage(m, 1);
      assert.equal(mid.user.text, 'app:staff');
      assert.equal(mid.user.instr, stage(m, 0).users[0].instr, 'the USER instruction of the parent');
      assert.equal(mid.user.root, false);
      assert.equal(stage(m, 2).user.root, true);
      assert.equal(stage(m, 3).user.user, 'app');
    });

    it('takes the default user from the base image when no stage sets one', () => {
      const m = model(`FROM alpine:3.20 AS a
FROM a AS b
FROM gcr.io/distroless/static-debian12:nonroot AS c
FROM c AS d
FROM scratch AS e
ARG IMG
FROM \${IMG} AS f
`);
      assert.deepEqual(
        m.stages.map((s) => s.user.root),
        [true, true, false, false, true, undefined],
      );
      assert.equal(stage(m, 1).user.instr, undefined);
    });

    it('inherits ENV through FROM <stage>; a child overrides it without changing the parent', () => {
      const m = model(`FROM alpine:3.20 AS base
ENV A=1 B=2
FROM base AS child
ENV B=3 C=\${A}\${B}
`);
      const env = (s: Stage) => Object.fromEntries([...s.env].map(([k, v]) => [k, v.value]));
      assert.deepEqual(env(stage(m, 0)), { A: '1', B: '2' });
      assert.deepEqual(env(stage(m, 1)), { A: '1', B: '3', C: '12' }, 'one ENV sees the values from before it');
    });

    it('inherits SHELL and WORKDIR; a relative WORKDIR resolves against the inherited one', () => {
      const m = model(`FROM alpine:3.20 AS base
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
WORKDIR /src
FROM base AS child
WORKDIR app/../cmd
RUN pwd
FROM node:22 AS other
WORKDIR rel
FROM scratch
WORKDIR bin
`);
      assert.equal(stage(m, 1).shellInstr, stage(m, 0).shellInstr);
      assert.ok(stage(m, 1).shellInstr);
      assert.equal(stage(m, 1).workdir, '/src/cmd');
      assert.equal(stage(m, 1).runs[0].instr.workdir, '/src/cmd');
      assert.equal(stage(m, 2).workdir, undefined, "relative to the image's WORKDIR, which the text does not tell");
      assert.equal(stage(m, 3).workdir, '/bin', 'scratch starts at /');
    });

    it('starts golang images in /go', () => {
      const m = model(`FROM golang:1.22
RUN go build -o app .
`);
      assert.equal(stage(m, 0).runs[0].instr.workdir, '/go');
    });

    it('knows which files a stage has, through the stages it inherits from', () => {
      const m = model(`FROM scratch AS base
COPY --from=build /etc/passwd /etc/passwd
FROM base AS child
COPY --from=build /etc/group /etc/
COPY --from=build /out/ /opt/
WORKDIR /usr/local
COPY bin ./
FROM alpine:3.20
`);
      const base = stage(m, 0);
      const child = stage(m, 1);
      assert.equal(base.presence('/etc/passwd'), 'yes');
      assert.equal(base.presence('/etc/group'), 'no');
      assert.equal(child.presence('/etc/passwd'), 'yes', 'inherited');
      assert.equal(child.presence('/etc/group'), 'yes', 'copied into a directory under its own name');
      assert.equal(child.presence('/opt/app'), 'maybe', 'a directory copied in may hold it');
      assert.equal(child.presence('/usr/local/bin/sh'), 'maybe', 'relative to WORKDIR');
      assert.equal(child.presence('/bin/sh'), 'no');
      assert.equal(stage(m, 2).presence('/bin/sh'), 'maybe', 'an image holds files the text does not list');
    });

    it('reads COPY sources and destinations against WORKDIR, and --from by name, index or image', () => {
      const m = model(`FROM golang:1.22 AS build
FROM scratch
WORKDIR /app
COPY --from=build /out/app ./bin/server
COPY --from=0 a b ./
COPY --from=alpine:3.20 /etc/ssl/certs/ /etc/ssl/certs/
COPY --from=nope:x:y a /a
`);
      const copies = stage(m, 1).copies;
      assert.deepEqual(
        copies.map((c) => [c.from?.source.kind, c.sources.map((s) => s.value).join(','), c.destPath, c.destIsDir]),
        [
          ['stage', '/out/app', '/app/bin/server', false],
          ['stage', 'a,b', '/app', true],
          ['image', '/etc/ssl/certs/', '/etc/ssl/certs', true],
          ['unknown', 'a', '/a', false],
        ],
      );
      assert.equal(
        underline(m.text, [copies[0].from?.span, copies[0].sources[0].span, copies[0].dest?.span], 3, 3),
        `COPY --from=build /out/app ./bin/server
            ^^^^^
                  ^^^^^^^^
                           ^^^^^^^^^^^^`,
      );
    });

    it('runs a scratch stage only when it (or a stage it inherits from) sets what a container uses', () => {
      const m = model(`FROM scratch AS export
COPY app /app
ENV A=1
LABEL x=y
WORKDIR /w
FROM scratch AS runs
ENTRYPOINT ["/app"]
FROM runs AS child
FROM scratch AS user
USER 10001
FROM scratch AS port
EXPOSE 8080
FROM alpine:3.20
`);
      assert.deepEqual(
        m.stages.map((s) => `${s.name ?? s.index} ${s.isRunnable}`),
        ['export false', 'runs true', 'child true', 'user true', 'port true', '5 true'],
      );
    });
  });

  describe('the shipped stage', () => {
    const text = `FROM golang:1.22 AS Build
FROM scratch AS release
FROM alpine:3.20 AS debug
`;
    it('is the last stage by default', () => {
      const m = model(text);
      assert.equal(m.shipped, stage(m, 2));
      assert.equal(m.targetMissing, false);
    });
    it('is the target stage, named case-insensitively or by index', () => {
      assert.equal(model(text, 'RELEASE').shipped?.name, 'release');
      assert.equal(model(text, 'build').shipped?.name, 'Build');
      assert.equal(model(text, '1').shipped?.name, 'release');
    });
    it('stays the last stage when the target does not exist, and says so', () => {
      const m = model(text, 'nope');
      assert.equal(m.shipped, stage(m, 2));
      assert.equal(m.targetMissing, true);
    });
    it('is what lint checks when given targetStage', () => {
      const text2 = `FROM alpine:3.20 AS runtime
USER 10001
FROM runtime AS admin
USER root
`;
      assert.deepEqual(
        lint(text2, { only: ['root-user'] }).findings.map((f) => f.range.start.line),
        [3],
      );
      assert.deepEqual(lint(text2, { only: ['root-user'], targetStage: 'runtime' }).findings, []);
    });
    it('does not exist in a file without FROM', () => {
      const m = model(`ARG A=1
`);
      assert.equal(m.shipped, undefined);
      assert.deepEqual(lint(`ARG A=1\n`).findings, []);
    });
  });

  describe('build arguments', () => {
    it('substitutes global ARG defaults in FROM, and spans the whole reference as written', () => {
      const m = model(`ARG REGISTRY=docker.io
ARG TAG=3.20
FROM \${REGISTRY}/library/alpine:$TAG
`);
      const s = stage(m, 0);
      assert.equal(s.base.kind, 'image');
      const ref = s.base.kind === 'image' ? s.base.ref : undefined;
      assert.equal(ref?.text, 'docker.io/library/alpine:3.20');
      assert.equal(ref?.repository, 'library/alpine');
      assert.equal(ref?.tag, '3.20');
      assert.equal(ref?.substituted, true);
      assert.equal(
        underline(m.text, [ref?.nameSpan, ref?.tagSpan], 2, 2),
        `FROM \${REGISTRY}/library/alpine:$TAG
     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^`,
      );
      assert.deepEqual(
        m.globalArgs.map((a) => [a.name, a.value, slice(m.text, a.nameSpan)]),
        [
          ['REGISTRY', 'docker.io', 'REGISTRY'],
          ['TAG', '3.20', 'TAG'],
        ],
      );
    });

    it('locates name, tag and digest of a reference written without variables', () => {
      const m = model(`FROM --platform=linux/amd64 ghcr.io/org/app:1.2@sha256:${'a'.repeat(64)} AS x
`);
      const s = stage(m, 0);
      const ref = s.base.kind === 'image' ? s.base.ref : undefined;
      assert.equal(ref?.registry, 'ghcr.io');
      assert.equal(ref?.explicitRegistry, true);
      assert.equal(slice(m.text, ref?.nameSpan), 'ghcr.io/org/app');
      assert.equal(slice(m.text, ref?.tagSpan), '1.2');
      assert.equal(slice(m.text, ref?.digestSpan), `sha256:${'a'.repeat(64)}`);
      assert.equal(s.platform?.value, 'linux/amd64');
      assert.equal(slice(m.text, s.nameSpan), 'x');
    });

    it('applies ${X:-default}, ${X-default} and ${X:+alt} like the builder', () => {
      const m = model(`ARG EMPTY=
ARG SET=1.22
ARG NONE
FROM golang:\${EMPTY:-1.21} AS a
FROM golang:\${EMPTY-1.20}x AS b
FROM golang:\${SET:+1.19} AS c
FROM golang:\${UNDECLARED:-1.18} AS d
FROM golang:\${NONE:-1.17} AS e
`);
      assert.deepEqual(
        m.stages.map((s) => (s.base.kind === 'image' ? s.base.ref.tag : s.base.kind)),
        // EMPTY is set (to ''): `-` keeps it, `:-` does not.
        ['1.21', 'x', '1.19', '1.18', 'unknown'],
      );
    });

    it('gives an ARG redeclared in a stage without a value the global default', () => {
      const m = model(`ARG GO=1.22
ARG USERNAME=app
FROM golang:\${GO}
ARG GO
ARG USERNAME
USER $USERNAME
RUN echo $GO
`);
      const s = stage(m, 0);
      assert.equal(s.runs[0].scope.get('GO'), '1.22');
      assert.equal(s.user.text, 'app');
      assert.equal(s.user.root, false);
    });

    it('declares several build arguments in one ARG, with or without values', () => {
      const m = model(`ARG GO=1.22 DISTRO
FROM golang:\${GO}
ARG GO DISTRO
RUN echo $GO
`);
      assert.deepEqual(
        m.globalArgs.map((a) => [a.name, a.value, slice(m.text, a.nameSpan)]),
        [
          ['GO', '1.22', 'GO'],
          ['DISTRO', undefined, 'DISTRO'],
        ],
      );
      const scope = stage(m, 0).runs[0].scope;
      assert.deepEqual([scope.get('GO'), scope.has('DISTRO'), scope.get('DISTRO')], ['1.22', true, undefined]);
    });

    it('does not see a global ARG in a stage that does not redeclare it', () => {
      const m = model(`ARG NAME=root
FROM alpine:3.20
USER $NAME
`);
      const u = stage(m, 0).user;
      assert.equal(u.text, undefined);
      assert.equal(u.root, undefined);
      assert.equal(slice(m.text, u.userSpan ?? u.instr?.span), 'USER $NAME');
    });

    it('treats build arguments without a value, and predefined platform arguments, as unknown', () => {
      const m = model(`ARG TAG
FROM alpine:\${TAG} AS a
FROM --platform=$BUILDPLATFORM golang:1.22 AS b
ARG TARGETARCH
ARG VERSION
ENV ARCH=$TARGETARCH
RUN echo $VERSION
FROM \${TARGETARCH}/alpine:3.20
`);
      assert.equal(stage(m, 0).base.kind, 'unknown');
      assert.equal(stage(m, 1).base.kind, 'image');
      assert.equal(stage(m, 1).env.get('ARCH')?.value, undefined);
      assert.equal(stage(m, 1).runs[0].scope.has('VERSION'), true);
      assert.equal(stage(m, 1).runs[0].scope.get('VERSION'), undefined);
      assert.equal(stage(m, 2).base.kind, 'unknown');
    });

    it('never turns an unknown build argument into a finding', () => {
      const text = `ARG BASE
ARG TAG
ARG USER
FROM \${BASE} AS a
FROM alpine:\${TAG} AS b
FROM \${BASE}:latest AS c
FROM scratch
COPY --from=\${BASE} /etc/passwd /etc/passwd
USER \${USER}
ENV UPSTREAM=https://api.example.com
CMD ["/app"]
`;
      const rules = lint(text).findings.map((f) => `${f.range.start.line + 1} ${f.rule}`);
      // Only what does not depend on a variable: the scratch image that calls an https URL has no CA bundle.
      assert.deepEqual(rules, ['7 scratch-ca-certificates']);
    });

    it('lets ENV override an ARG of the same name', () => {
      const m = model(`FROM alpine:3.20
ARG MODE=arg
ENV MODE=env
ARG MODE=again
RUN echo $MODE
`);
      assert.equal(stage(m, 0).runs[0].scope.get('MODE'), 'env');
    });

    it('reads ENV and ARG values as the builder does: quotes removed, single quotes literal', () => {
      const m = model(`ARG B=b
FROM alpine:3.20
ARG B
ENV PLAIN=a\\ b DOUBLE="x $B" SINGLE='x $B' ESCAPED=\\$B DEFAULT=\${NOPE:-"d d"}
ENV LEGACY "two words"
ENV EMPTY=
`);
      const env = Object.fromEntries([...stage(m, 0).env].map(([k, v]) => [k, v.value]));
      assert.deepEqual(env, { PLAIN: 'a b', DOUBLE: 'x b', SINGLE: 'x $B', ESCAPED: '$B', DEFAULT: 'd d', LEGACY: 'two words', EMPTY: '' });
    });

    it('removes quotes from FROM, WORKDIR, USER and COPY arguments', () => {
      const m = model(`FROM "gcr.io/distroless/static-debian12:nonroot" AS a
WORKDIR "/src"
USER "app"
COPY "bin/app" './'
`);
      const s = stage(m, 0);
      assert.equal(s.rootImage?.repository, 'distroless/static-debian12');
      assert.equal(s.rootImage?.tag, 'nonroot');
      assert.equal(slice(m.text, s.rootImage?.span), '"gcr.io/distroless/static-debian12:nonroot"');
      assert.equal(
        slice(m.text, s.rootImage?.tagSpan),
        '"gcr.io/distroless/static-debian12:nonroot"',
        'the parts are not located separately',
      );
      assert.equal(s.workdir, '/src');
      assert.equal(s.user.user, 'app');
      assert.equal(slice(m.text, s.user.userSpan), '"app"');
      assert.equal(s.copies[0].sources[0].value, 'bin/app');
      assert.equal(s.copies[0].destPath, '/src');
    });

    it('does not take an invalid reference (a template placeholder) for an image', () => {
      const m = model(`FROM BASEIMAGE AS a
FROM REPLACE-ME AS b
FROM registry.example.com:5000/Team/app:1 AS c
FROM alpine:bad:tag AS d
FROM localhost:5000/app AS e
`);
      assert.deepEqual(
        m.stages.map((s) => s.base.kind),
        ['unknown', 'unknown', 'unknown', 'unknown', 'image'],
      );
      assert.deepEqual(
        lint(m.text, { only: ['latest-tag'], rules: { 'latest-tag': 'warning' } }).findings.map((f) => f.range.start.line),
        [4],
      );
    });
  });

  describe('parser directives', () => {
    it('reads syntax, escape and check directives', () => {
      const m = model(`# syntax=docker/dockerfile:1.7
# escape=\`
# check=skip=JSONArgsRecommended,StageNameCasing
FROM alpine:3.20
`);
      assert.equal(m.directives.syntax?.value, 'docker/dockerfile:1.7');
      assert.equal(slice(m.text, m.directives.syntax?.span), 'docker/dockerfile:1.7');
      assert.equal(m.escapeChar, '`');
      assert.deepEqual([...m.directives.checkSkip], ['JSONArgsRecommended', 'StageNameCasing']);
      assert.equal(m.directives.checkSkipAll, false);
      assert.equal(model(`# check=skip=all\nFROM alpine:3.20\n`).directives.checkSkipAll, true);
    });

    it('continues lines with a backtick under escape=`, and keeps backslashes literal', () => {
      const m = model(`# escape=\`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
WORKDIR C:\\app
RUN echo a \`
    && go get x
COPY bin\\ C:\\app\\
`);
      assert.equal(m.escapeChar, '`');
      assert.deepEqual(shape(m), ['echo a', '&& go get x']);
      assert.equal(
        wordPicture(m, 3, 4),
        `RUN echo a \`
    ^^^^
         ^
    && go get x
       ^^
          ^^^
              ^`,
      );
      const copy = stage(m, 0).copies[0];
      assert.deepEqual([copy.sources[0].value, copy.dest?.value], ['bin\\', 'C:\\app\\']);
    });

    it('accepts an explicit escape=\\ (the default)', () => {
      const m = model(`# escape=\\
FROM alpine:3.20
RUN echo a \\
  && echo b
`);
      assert.equal(m.escapeChar, '\\');
      assert.equal(m.directives.escape?.value, '\\');
      assert.deepEqual(shape(m), ['echo a', '&& echo b']);
    });

    it('does not continue a line with a backslash under escape=`', () => {
      const m = model(`# escape=\`
FROM alpine:3.20
RUN echo a \\
USER root
`);
      assert.deepEqual(
        m.instructions.map((i) => i.keyword),
        ['FROM', 'RUN', 'USER'],
      );
      assert.equal(stage(m, 0).user.root, true);
    });
  });

  describe('line continuations', () => {
    it('drops comment lines and blank lines inside a continuation, keeping exact word ranges', () => {
      const m = model(`FROM alpine:3.20
RUN apk add \\
    # the compiler
    gcc \\

    musl-dev \\
  # trailing comment
  && go build
`);
      assert.deepEqual(shape(m), ['apk add gcc musl-dev', '&& go build']);
      assert.equal(
        wordPicture(m),
        `FROM alpine:3.20
RUN apk add \\
    ^^^
        ^^^
    # the compiler
    gcc \\
    ^^^

    musl-dev \\
    ^^^^^^^^
  # trailing comment
  && go build
     ^^
        ^^^^^
`,
      );
    });

    it('ends a word right before a continuation on its own line', () => {
      const m = model(`FROM alpine:3.20
RUN echo hi\\
  && ls
`);
      assert.equal(
        wordPicture(m, 1, 2),
        `RUN echo hi\\
    ^^^^
         ^^
  && ls
     ^^`,
      );
    });

    it('joins the parts of a word split by a continuation into one word, spanning both lines', () => {
      const m = model(`FROM alpine:3.20
RUN go bu\\
ild -o /app
`);
      assert.deepEqual(shape(m), ['go build -o /app']);
      assert.equal(
        underline(m.text, [commands(m)[0].argv[1]], 1, 2),
        `RUN go bu\\
       ^^^+
ild -o /app
^^^`,
      );
    });

    it('reads lowercase and mixed-case instructions', () => {
      const m = model(`from golang:1.22 as build
Run CGO_ENABLED=0 go build -o /app .
from scratch
copy --from=build /app /app
user 10001
entrypoint ["/app"]
`);
      assert.deepEqual(
        m.instructions.map((i) => i.keyword),
        ['FROM', 'RUN', 'FROM', 'COPY', 'USER', 'ENTRYPOINT'],
      );
      assert.equal(stage(m, 0).name, 'build');
      assert.equal(stage(m, 1).copies[0].from?.source.kind, 'stage');
      assert.equal(stage(m, 1).user.text, '10001');
      assert.equal(stage(m, 1).commands[0].command?.form, 'exec');
      assert.deepEqual(shape(m), ['CGO_ENABLED=0 go build -o /app .']);
    });
  });

  describe('heredocs', () => {
    it('runs the body of RUN <<EOF as a shell script, with exact word ranges', () => {
      const m = model(`FROM alpine:3.20
RUN <<EOF
set -e
CGO_ENABLED=0 go build \\
  -o /app .
EOF
USER root
`);
      assert.deepEqual(shape(m), ['', 'set -e', '\\n CGO_ENABLED=0 go build -o /app .']);
      assert.equal(
        wordPicture(m, 2, 4),
        `set -e
^^^
    ^^
CGO_ENABLED=0 go build \\
^^^^^^^^^^^^^
              ^^
                 ^^^^^
  -o /app .
  ^^
     ^^^^
          ^`,
      );
      assert.deepEqual(
        m.instructions.map((i) => i.keyword),
        ['FROM', 'RUN', 'USER'],
        'the body is part of the RUN, and the next instruction follows the delimiter',
      );
      const h = stage(m, 0).runs[0].script?.commands[0].redirects[0].heredoc;
      assert.equal(h?.delimiter, 'EOF');
      assert.equal(slice(m.text, h?.body), 'set -e\nCGO_ENABLED=0 go build \\\n  -o /app .\n');
    });

    it('strips leading tabs with <<- (body and delimiter)', () => {
      const m = model(`FROM alpine:3.20
RUN <<-EOT
\tgo get x
\tEOT
RUN echo after
`);
      assert.deepEqual(shape(m), ['', 'go get x', 'echo after']);
      const h = stage(m, 0).runs[0].script?.commands[0].redirects[0].heredoc;
      assert.equal(h?.stripTabs, true);
    });

    it('accepts quoted delimiters, and marks them quoted (the body is not expanded)', () => {
      const m = model(`FROM alpine:3.20
RUN <<'EOF'
echo $HOME
EOF
RUN <<"END"
echo two
END
RUN <<EOF
echo three
EOF
`);
      const docs = stage(m, 0).runs.map((r) => r.script?.commands[0].redirects[0].heredoc);
      assert.deepEqual(
        docs.map((h) => [h?.delimiter, h?.quoted]),
        [
          ['EOF', true],
          ['END', true],
          ['EOF', false],
        ],
      );
      assert.deepEqual(shape(m), ['', 'echo $HOME', '', 'echo two', '', 'echo three']);
    });

    it('reads several heredocs of one RUN in order, and parses only those a shell reads', () => {
      const m = model(`FROM alpine:3.20
RUN cat <<A > /etc/a.conf && sh <<B && bash -s -- arg <<C
go get not-a-command
A
go get one
B
go get two
C
`);
      assert.deepEqual(shape(m), ['cat', '&& sh', 'go get one', '&& bash -s -- arg', 'go get two']);
      const redirects = commands(m).flatMap((c) => c.redirects.filter((r) => r.heredoc));
      assert.deepEqual(
        redirects.map((r) => slice(m.text, r.heredoc?.body)),
        ['go get not-a-command\n', 'go get one\n', 'go get two\n'],
      );
    });

    it('does not parse a heredoc read by another interpreter, or not read at all, as shell', () => {
      const cases = [
        `RUN python3 <<EOF\nimport os\nEOF\n`,
        `RUN <<EOF\n#!/usr/bin/env python3\nprint("go get x")\nEOF\n`,
        `RUN <<EOF\n#!/usr/bin/python3\nprint("go get x")\nEOF\n`,
        `RUN sh -c 'cat' <<EOF\ngo get x\nEOF\n`,
        `RUN sh ./script.sh <<EOF\ngo get x\nEOF\n`,
        `RUN sh 3<<EOF\ngo get x\nEOF\n`,
        `RUN <<A <<B\ngo get x\nA\ngo get y\nB\n`,
        `RUN <<EOF > /dev/null\ngo get x\nEOF\n`,
      ];
      for (const c of cases) {
        const m = model(`FROM alpine:3.20\n${c}`);
        assert.ok(!shape(m).some((s) => s.includes('go')), c);
        assert.deepEqual(lint(m.text, { only: ['go-get-deprecated'] }).findings, [], c);
      }
    });

    it('parses a heredoc as shell when its shebang names a shell, or a shell reads it on stdin', () => {
      const cases = [
        `RUN <<EOF\n#!/bin/bash\ngo get x\nEOF\n`,
        `RUN <<EOF\n#!/usr/bin/env sh\ngo get x\nEOF\n`,
        `RUN bash <<EOF\n#!/usr/bin/env python3\ngo get x\nEOF\n`,
        `RUN set -e; sh -eux <<EOF\ngo get x\nEOF\n`,
        `RUN /bin/sh -o pipefail <<EOF\ngo get x\nEOF\n`,
      ];
      for (const c of cases) {
        const m = model(`FROM alpine:3.20\n${c}`);
        assert.ok(
          shape(m).some((s) => s.endsWith('go get x')),
          c,
        );
      }
    });

    it('takes a COPY heredoc for a file at its destination', () => {
      const m = model(`FROM scratch
COPY <<EOF /etc/passwd
app:x:10001:10001::/:/app
EOF
COPY <<A <<B /etc/
A
B
`);
      const s = stage(m, 0);
      assert.deepEqual(
        s.copies.map((c) => c.heredocs),
        [['EOF'], ['A', 'B']],
      );
      assert.equal(s.presence('/etc/passwd'), 'yes');
      assert.equal(s.presence('/etc/A'), 'yes');
      assert.equal(s.presence('/etc/group'), 'no');
    });
  });

  describe('CRLF and BOM', () => {
    it('reads a CRLF file: continuations, heredocs, ranges', () => {
      const text = [
        'FROM golang:1.22 AS app',
        'RUN go build \\',
        '  -o /app . && \\',
        '  echo ok',
        'RUN <<EOF',
        'go get x',
        'EOF',
        'USER root',
        '',
      ].join('\r\n');
      const m = model(text);
      assert.deepEqual(shape(m), ['go build -o /app .', '&& echo ok', '', 'go get x']);
      assert.equal(
        wordPicture(m, 1, 3),
        `RUN go build \\
    ^^
       ^^^^^
  -o /app . && \\
  ^^
     ^^^^
          ^
  echo ok
  ^^^^
       ^^`,
      );
      assert.equal(slice(text, stage(m, 0).user.userSpan), 'root');
      assert.deepEqual(
        lint(text, { only: ['go-get-deprecated', 'go-build-unstripped'] }).findings.map(
          (f) => `${f.rule} ${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}`,
        ),
        ['go-build-unstripped 1:4-1:12', 'go-get-deprecated 5:0-5:6'],
      );
    });

    it('reads a file with a byte-order mark, with ranges in the text as given', () => {
      const text = '\ufeffFROM alpine\nUSER root\n';
      const { findings, model: m } = lint(text, { only: ['latest-tag', 'root-user'], rules: { 'latest-tag': 'warning' } });
      assert.equal(m.text.length, text.length);
      assert.equal(stage(m, 0).base.kind, 'image');
      assert.deepEqual(
        findings.map((f) => `${f.rule} ${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}`),
        ['latest-tag 0:6-0:12', 'root-user 1:5-1:9'],
      );
    });
  });

  describe('RUN commands', () => {
    it('splits commands at &&, ;, |, ||, & and newlines, and records the operator before each', () => {
      const m = model(`FROM alpine:3.20
RUN a && b; c | d || e & f |& g
RUN (cd /src && make) ; if true; then x; fi
`);
      assert.deepEqual(shape(m), ['a', '&& b', '; c', '| d', '|| e', '& f', '|& g', '( cd /src', '&& make', 'if true', 'then x']);
    });

    it('starts the command after the flags, across a continuation, and keeps the mounts', () => {
      const m = model(`FROM golang:1.22
RUN --mount=type=cache,target=/root/.cache/go-build \\
    --mount=type=bind,from=tools,source=/bin,target=/tools \\
    go build -o /app .
`);
      const run = stage(m, 0).runs[0];
      assert.deepEqual(
        run.mounts.map((f) => f.options.map((o) => `${o.name}=${o.value}`).join(',')),
        ['type=cache,target=/root/.cache/go-build', 'type=bind,from=tools,source=/bin,target=/tools'],
      );
      assert.equal(slice(m.text, run.command.span), 'go build -o /app .');
      assert.deepEqual(shape(m), ['go build -o /app .']);
    });

    it('separates VAR=value prefixes from the command and its arguments', () => {
      const m = model(`FROM alpine:3.20
RUN CGO_ENABLED=0 GOFLAGS="-mod=vendor -trimpath" go build X=1 && A=1
`);
      const [first, second] = commands(m);
      assert.deepEqual(
        first.assignments.map((w) => w.value),
        ['CGO_ENABLED=0', 'GOFLAGS=-mod=vendor -trimpath'],
      );
      assert.deepEqual(
        first.argv.map((w) => w.value),
        ['go', 'build', 'X=1'],
      );
      assert.deepEqual([second.assignments.map((w) => w.value), second.argv], [['A=1'], []]);
      assert.equal(
        wordPicture(m, 1, 1),
        `RUN CGO_ENABLED=0 GOFLAGS="-mod=vendor -trimpath" go build X=1 && A=1
    ^^^^^^^^^^^^^
                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
                                                  ^^
                                                     ^^^^^
                                                           ^^^
                                                                  ^^^`,
      );
    });

    it('unwraps env, sudo, exec and other wrappers', () => {
      const m = model(`FROM alpine:3.20
RUN env -u HOME CGO_ENABLED=0 go build
RUN sudo -E -u app env GOOS=linux nohup go vet
RUN exec timeout 10 nice -n 5 go test
RUN A=1 command -v go
`);
      const unwrapped = commands(m).map((c) => {
        const e = unwrap(c);
        return `${e.wrappers.join('>')} | ${e.assignments.map((w) => w.value).join(' ')} | ${e.argv.map((w) => w.value).join(' ')}`;
      });
      assert.deepEqual(unwrapped, [
        'env | CGO_ENABLED=0 | go build',
        'sudo>env>nohup | GOOS=linux | go vet',
        'exec>timeout>nice |  | go test',
        'command | A=1 | go',
      ]);
    });

    it('keeps quotes out of values and inside ranges, and marks expansions dynamic', () => {
      const m = model(`FROM alpine:3.20
RUN go build -ldflags "-s -w" -o '/out/my app' $OUT "\${X}/y" $(pwd)/z
`);
      const argv = commands(m)[0].argv;
      assert.deepEqual(
        argv.map((w) => [w.value, w.quoted, w.dynamic]),
        [
          ['go', false, false],
          ['build', false, false],
          ['-ldflags', false, false],
          ['-s -w', true, false],
          ['-o', false, false],
          ['/out/my app', true, false],
          ['$OUT', false, true],
          ['${X}/y', true, true],
          ['$(pwd)/z', false, true],
        ],
      );
      assert.deepEqual(argv.map((w) => slice(m.text, w)).slice(3), ['"-s -w"', '-o', "'/out/my app'", '$OUT', '"${X}/y"', '$(pwd)/z']);
    });

    it('reads JSON-form RUN: sh -c scripts as shell, other programs as their words', () => {
      const m = model(`FROM alpine:3.20
RUN ["sh", "-c", "go get x && go build"]
RUN ["/bin/bash", "-o", "pipefail", "-ec", "go vet"]
RUN ["go", "build", "-o", "/app", "."]
RUN ['sh', '-c', 'go get y']
`);
      const runs = stage(m, 0).runs;
      assert.deepEqual(
        runs.map((r) => r.command.form),
        ['exec', 'exec', 'exec', 'shell'],
      );
      assert.equal(runs[3].command.invalidJson, true);
      assert.deepEqual(shape(m), ['go get x', '&& go build', 'go vet', 'go build -o /app .', '[sh, -c, go get y]']);
      assert.equal(
        wordPicture(m, 1, 2),
        `RUN ["sh", "-c", "go get x && go build"]
                  ^^
                     ^^^
                         ^
                              ^^
                                 ^^^^^
RUN ["/bin/bash", "-o", "pipefail", "-ec", "go vet"]
                                            ^^
                                               ^^^`,
      );
      assert.equal(
        wordPicture(m, 3, 3),
        `RUN ["go", "build", "-o", "/app", "."]
     ^^^^
           ^^^^^^^
                    ^^^^
                          ^^^^^^
                                  ^^^`,
      );
    });

    it('gives the span of a command in either form', () => {
      const m = model(`FROM alpine:3.20
CMD ["/app", "--serve"]  
ENTRYPOINT /app \\
  --serve
HEALTHCHECK --interval=5s CMD ["/app", "health"]
HEALTHCHECK NONE
`);
      const cmds = stage(m, 0).commands;
      assert.deepEqual(
        cmds.map((c) => c.command?.form),
        ['exec', 'shell', 'exec', undefined],
      );
      assert.equal(
        underline(
          m.text,
          cmds.slice(0, 3).map((c) => c.command?.span),
          1,
          4,
        ),
        `CMD ["/app", "--serve"]  
    ^^^^^^^^^^^^^^^^^^^
ENTRYPOINT /app \\
           ^^^^^^+
  --serve
^^^^^^^^^
HEALTHCHECK --interval=5s CMD ["/app", "health"]
                              ^^^^^^^^^^^^^^^^^^`,
      );
      assert.deepEqual(
        cmds[2].command?.exec?.map((j) => j.value),
        ['/app', 'health'],
      );
    });
  });

  describe('USER', () => {
    const userOf = (line: string) => {
      const m = model(`FROM alpine:3.20\n${line}\n`);
      const u = stage(m, 0).user;
      return { m, u };
    };

    it('splits user and group, with exact spans', () => {
      const { m, u } = userOf('USER app:staff');
      assert.deepEqual([u.user, u.group, u.root], ['app', 'staff', false]);
      assert.equal(
        underline(m.text, [u.userSpan, u.groupSpan], 1, 1),
        `USER app:staff
     ^^^
         ^^^^^`,
      );
    });

    it('knows root however it is written', () => {
      const table: [string, boolean | undefined][] = [
        ['USER root', true],
        ['USER 0', true],
        ['USER 0:0', true],
        ['USER root:x', true],
        ['USER 00', true],
        ['USER 0:1000', true],
        ['USER 10001', false],
        ['USER 10001:0', false],
        ['USER rootless', false],
        ['USER nobody', false],
        ['USER $UNSET', undefined],
        ['ARG U=root\nUSER ${U}', true],
        ['ARG U\nUSER ${U:-root}', undefined],
        ['ENV U=0\nUSER $U:$U', true],
      ];
      for (const [line, root] of table) assert.equal(userOf(line).u.root, root, line);
    });

    it('spans the whole argument when it is written with variables', () => {
      const { m, u } = userOf('ENV U=app\nUSER ${U}:${U}');
      assert.deepEqual([u.user, u.group], ['app', 'app']);
      assert.equal(slice(m.text, u.userSpan), '${U}:${U}');
      assert.equal(slice(m.text, u.groupSpan), '${U}:${U}');
    });
  });
});
