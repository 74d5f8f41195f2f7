/**
 * The Dockerfile model: RUN commands as shell words with exact ranges, and USER instructions.
 * Ranges are drawn with `underline` (carets under the text they cover).
 */
import * as assert from 'node:assert/strict';
import { unwrap } from '../../../server/src/model/shell';
import { slice, underline } from '../helpers';
import { model, stage, commands, shape, wordPicture } from './helpers';

describe('model: RUN commands and USER', () => {
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
