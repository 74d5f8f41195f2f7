import * as assert from 'node:assert/strict';
import { applyFix, messages, ruleCases } from '../helpers';

describe('go-build-unstripped', () => {
  ruleCases('go-build-unstripped', {
    valid: [
      {
        name: '-s and -w in -ldflags, in any order, with other linker flags',
        code: `FROM golang:1.22
RUN go build -ldflags="-s -w" -o /a .
RUN go build -ldflags '-w -X main.version=1.0 -s' -o /b .
RUN go build -ldflags "-s -w -extldflags '-static'" -o /c .
`,
      },
      {
        name: 'a package pattern before the linker flags',
        code: `FROM golang:1.22
RUN go build -ldflags="all=-s -w" -o /app .
`,
      },
      {
        name: 'flags from variables',
        code: `FROM golang:1.22
ARG LDFLAGS
RUN go build -ldflags "$LDFLAGS" -o /a .
RUN go build $GOBUILDFLAGS -o /b .
`,
      },
      {
        name: '-ldflags through GOFLAGS',
        code: `FROM golang:1.22
ENV GOFLAGS=-ldflags=-s
RUN go build -o /app .
`,
      },
      {
        name: 'go build ./... without -o only checks that packages compile',
        code: `FROM golang:1.22
RUN go build ./...
`,
      },
      {
        name: 'a debug build for Delve keeps its debug information on purpose',
        code: `FROM golang:1.22
RUN go build -gcflags="all=-N -l" -o /app-debug .
`,
      },
      {
        name: 'other go commands, and a go install whose binary does not ship (a tool for the build)',
        code: `FROM golang:1.22 AS build
RUN go test ./... && go vet ./... && go install ./cmd/tool
RUN echo go build
RUN go install github.com/swaggo/swag/cmd/swag@v1.16.3 && swag init && go build -ldflags="-s -w" -o /out/app .
FROM scratch
COPY --from=build /out/app /app
`,
      },
      {
        name: 'an -ldflags value whose whole word comes from a variable or a command (it may add -s -w)',
        code: `FROM golang:1.22
ARG LDFLAGS
RUN go build -ldflags "\${LDFLAGS} -X main.v=1" -o /a . \\
 && go build -ldflags "-X main.v=1 $(extra_flags)" -o /b .
`,
      },
      {
        name: 'an -ldflags value with expansions that has -s -w',
        code: `FROM golang:1.22
RUN go build -ldflags "-s -w -X main.v=$(git describe --tags)" -o /a .
`,
      },
    ],
    invalid: [
      {
        // Reproduction: silent whenever the -ldflags value held a \`$\`.
        name: 'an -ldflags value with expansions inside its -X values',
        code: `FROM golang:1.22
ARG VERSION
RUN go build -ldflags "-X main.v=$(git describe --tags) -X main.b=\${VERSION}" -o /a . \\
#            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ go-build-unstripped
 && go build -ldflags=-X=main.v=$VERSION -o /b . \\
#            ^^^^^^^^^^^^^^^^^^^^^^^^^^^ go-build-unstripped
 && go build -ldflags "-X \${PKG}.v=1" -o /c .
#            ^^^^^^^^^^^^^^^^^^^^^^^^ go-build-unstripped
`,
      },
      {
        // Reproduction: go install was never checked.
        name: 'go install whose binary ships: in the shipped stage, or copied from $GOPATH/bin or $GOBIN',
        code: `FROM golang:1.22 AS tools
RUN go install example.com/tool/cmd/tool@v1.2.3
#   ^^^^^^^^^^ go-build-unstripped
FROM golang:1.22 AS gobin
ENV GOBIN=/out
RUN go install ./cmd/server
#   ^^^^^^^^^^ go-build-unstripped
FROM alpine:3.20
COPY --from=tools /go/bin/tool /usr/bin/tool
COPY --from=gobin /out/server /usr/bin/server
RUN go install ./cmd/never
#   ^^^^^^^^^^ go-build-unstripped
CMD ["server"]
`,
      },
      {
        name: 'no -ldflags: go build',
        code: `FROM golang:1.22
RUN go mod download && go build -o /out/app ./cmd/app
#                      ^^^^^^^^ go-build-unstripped
`,
      },
      {
        name: '-ldflags without -s -w: the flag and its value',
        code: `FROM golang:1.22
RUN go build -ldflags "-X main.version=1.2.3" -o /app .
#            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ go-build-unstripped
`,
      },
      {
        name: 'only -s',
        code: `FROM golang:1.22
RUN go build -ldflags=-s -o /app .
#            ^^^^^^^^^^^ go-build-unstripped
`,
      },
      {
        name: 'unquoted -ldflags=-s -w gives the linker only -s',
        code: `FROM golang:1.22
RUN go build -ldflags=-s -w -o /app .
#            ^^^^^^^^^^^ go-build-unstripped
`,
      },
      {
        name: 'the last -ldflags is the one the go tool uses',
        code: `FROM golang:1.22
RUN go build -ldflags="-s -w" -ldflags="-X a.b=c" -o /app .
#                             ^^^^^^^^^^^^^^^^^^^ go-build-unstripped
`,
      },
      {
        name: 'behind env, sudo and VAR=value prefixes',
        code: `FROM golang:1.22
RUN CGO_ENABLED=0 env GOOS=linux sudo -E go build -o /app .
#                                        ^^^^^^^^ go-build-unstripped
`,
      },
      {
        name: 'in a heredoc script, across a continuation',
        code: `FROM golang:1.22
RUN <<EOF
set -eux
go \\
^^^^ go-build-unstripped ~+1:5
build -o /app .
EOF
`,
      },
      {
        name: 'in JSON form: the JSON strings',
        code: `FROM golang:1.22
RUN ["go", "build", "-o", "/app", "."]
#    ^^^^^^^^^^^^^ go-build-unstripped
`,
      },
      {
        name: 'a sh -c script in JSON form',
        code: `FROM golang:1.22
RUN ["/bin/sh", "-c", "go build -o /app ."]
#                      ^^^^^^^^ go-build-unstripped
`,
      },
      {
        name: 'a gcflags value that is not a debug build',
        code: `FROM golang:1.22
RUN go build -gcflags=-m -o /app .
#   ^^^^^^^^ go-build-unstripped
`,
      },
    ],
  });

  it('says what to add', () => {
    assert.deepEqual(messages('go-build-unstripped', 'FROM golang:1.22\nRUN go build -o /app .\n'), [
      'go build without -ldflags="-s -w": the binary keeps its symbol table and debug info (often a quarter of its size).',
    ]);
    assert.deepEqual(messages('go-build-unstripped', 'FROM golang:1.22\nRUN go build -ldflags=-s -o /app .\n'), [
      '-ldflags lacks -s -w: the binary keeps its symbol table and debug info. Add them to this -ldflags value.',
    ]);
  });

  it('merges -s -w into a value with expansions, and adds them to go install', async () => {
    assert.equal(
      await applyFix('go-build-unstripped', 'FROM golang:1.22\nRUN go build -ldflags "-X main.v=$(git describe --tags)" -o /app .\n'),
      'FROM golang:1.22\nRUN go build -ldflags "-s -w -X main.v=$(git describe --tags)" -o /app .\n',
    );
    const install = 'FROM golang:1.22\nRUN go install ./cmd/app\nCMD ["app"]\n';
    assert.deepEqual(messages('go-build-unstripped', install), [
      'go install without -ldflags="-s -w": the binary keeps its symbol table and debug info (often a quarter of its size).',
    ]);
    assert.equal(
      await applyFix('go-build-unstripped', install),
      'FROM golang:1.22\nRUN go install -ldflags="-s -w" ./cmd/app\nCMD ["app"]\n',
    );
  });
});
