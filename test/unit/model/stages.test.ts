/**
 * The Dockerfile model: Stages, what each inherits from its base, and which stage ships.
 * Ranges are drawn with `underline` (carets under the text they cover).
 */
import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { type Stage } from '../../../server/src/model/model';
import { underline } from '../helpers';
import { model, stage } from './helpers';

describe('model: stages and the shipped one', () => {
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
});
