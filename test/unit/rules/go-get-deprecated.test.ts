import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';

describe('go-get-deprecated', () => {
  ruleCases('go-get-deprecated', {
    valid: [
      {
        // Reproduction (judged on the corpus): go get adding a requirement to the module it then builds.
        name: "go get pkg@version of a library in a module the stage then builds (copied, or cloned as etcd's antithesis image does)",
        code: `FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go get github.com/antithesishq/antithesis-sdk-go@v0.7.2 && go mod tidy
COPY . .
RUN go build -o /out/app .
FROM golang:1.22 AS cloned
RUN git clone --depth=1 https://github.com/etcd-io/etcd.git /etcd
WORKDIR /etcd/server
RUN go get github.com/antithesishq/antithesis-sdk-go@v0.7.2
RUN go mod tidy
`,
      },
      {
        name: 'go mod download and go install pkg@version',
        code: `FROM golang:1.22 AS build
COPY go.mod go.sum ./
RUN go mod download && go install golang.org/x/tools/cmd/stringer@v0.22.0
`,
      },
      {
        name: 'go get as a word, not a command',
        code: `FROM golang:1.22 AS build
RUN echo "go get x" && grep -r 'go get' . ; true # go get y
`,
      },
      {
        name: 'a subcommand from a variable',
        code: `FROM golang:1.22 AS build
ARG CMD=get
RUN go $CMD ./...
`,
      },
      {
        name: 'a heredoc that python reads',
        code: `FROM golang:1.22 AS build
RUN python3 <<EOF
import subprocess; subprocess.run(["go", "get", "x"])
go get x
EOF
`,
      },
    ],
    invalid: [
      {
        name: 'go get -d ./...',
        code: `FROM golang:1.22 AS build
COPY go.mod go.sum ./
RUN go get -d -v ./...
#   ^^^^^^ go-get-deprecated
`,
      },
      {
        name: 'go get of a tool',
        code: `FROM golang:1.22 AS build
RUN go get github.com/golang/mock/mockgen
#   ^^^^^^ go-get-deprecated
`,
      },
      {
        name: 'every go get of a chain, behind wrappers',
        code: `FROM golang:1.22 AS build
RUN GO111MODULE=on go get . && sudo -E go get -u all
#                  ^^^^^^ go-get-deprecated
#                                      ^^^^^^ go-get-deprecated
`,
      },
      {
        name: 'in a RUN <<EOF script',
        code: `FROM golang:1.22 AS build
RUN <<EOF
go get ./...
^^^^^^ go-get-deprecated
EOF
`,
      },
    ],
  });

  it('tells fetching dependencies from installing tools', () => {
    assert.deepEqual(messages('go-get-deprecated', 'FROM golang:1.22\nRUN go get -d ./... && go get example.com/tool\n'), [
      'go get to download dependencies is deprecated: use go mod download (after copying go.mod and go.sum).',
      'go get no longer builds or installs packages (Go 1.18): use go install <package>@<version> for tools, or go mod download for dependencies.',
    ]);
  });

  it('says that a golang base older than 1.18 still installs, and an update will stop it', () => {
    assert.deepEqual(messages('go-get-deprecated', 'FROM golang:1.16\nRUN go get golang.org/x/tools/gopls\n'), [
      "go get stops building and installing packages in Go 1.18; this image's Go 1.16 still does, and an update of the base will break it: use go install <package>@<version> for tools (Go 1.16 and later), or go mod download for dependencies.",
    ]);
    assert.match(
      messages('go-get-deprecated', 'FROM golang:1.22\nRUN go get golang.org/x/tools/gopls\n')[0],
      /^go get no longer builds or installs packages \(Go 1\.18\)/,
    );
  });

  it('a tool (a …/cmd/… package) fetched with go get before a build is still reported', () => {
    assert.equal(
      messages('go-get-deprecated', 'FROM golang:1.22\nRUN go get golang.org/x/tools/cmd/goimports@v0.20.0 && go build -o /app .\n').length,
      1,
    );
  });
});
