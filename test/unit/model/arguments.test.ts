/**
 * The Dockerfile model: Build arguments (global and per stage, substituted where the builder substitutes them) and parser directives.
 * Ranges are drawn with `underline` (carets under the text they cover).
 */
import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { slice, underline } from '../helpers';
import { model, stage, shape, wordPicture } from './helpers';

describe('model: build arguments and parser directives', () => {
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
ARG USER
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
});
