/**
 * The Dockerfile model: The text as the builder reads it: line continuations, heredocs, CRLF line ends and a byte-order mark.
 * Ranges are drawn with `underline` (carets under the text they cover).
 */
import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { slice, underline } from '../helpers';
import { model, stage, commands, shape, wordPicture } from './helpers';

describe('model: text: continuations, heredocs, CRLF and BOM', () => {
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
});
