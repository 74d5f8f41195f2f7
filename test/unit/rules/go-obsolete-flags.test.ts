import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';

describe('go-obsolete-flags', () => {
  ruleCases('go-obsolete-flags', {
    valid: [
      {
        // Judged on the corpus: without a cache mount every build starts empty, and -a changes nothing.
        name: '-a in a build with no cache mount',
        code: `FROM golang:1.22 AS build
RUN CGO_ENABLED=0 go build -a -o /app .
`,
      },
      {
        name: 'a static build the modern way',
        code: `FROM golang:1.22 AS build
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /app .
`,
      },
      {
        name: 'flags that only start with a, and -a as a value',
        code: `FROM golang:1.22 AS build
RUN go build -asmflags=-trimpath=/src -o -a .
`,
      },
      {
        name: 'other go commands',
        code: `FROM golang:1.22 AS build
RUN go test -a ./... && go vet -a ./...
`,
      },
      {
        name: 'words after the packages are not go flags',
        code: `FROM golang:1.22 AS build
RUN go run . -a -installsuffix cgo
`,
      },
    ],
    invalid: [
      {
        name: '-a and -installsuffix cgo: each flag with its value',
        code: `FROM golang:1.22 AS build
RUN --mount=type=cache,target=/root/.cache/go-build CGO_ENABLED=0 go build -a -installsuffix cgo -o /app .
#                                                                          ^^ go-obsolete-flags
#                                                                             ^^^^^^^^^^^^^^^^^^ go-obsolete-flags
`,
      },
      {
        name: '-installsuffix=cgo and --a, in go install',
        code: `FROM golang:1.22 AS build
RUN --mount=type=cache,target=/root/.cache/go-build go install --a -installsuffix=cgo ./cmd/...
#                                                              ^^^ go-obsolete-flags
#                                                                  ^^^^^^^^^^^^^^^^^^ go-obsolete-flags
`,
      },
      {
        name: 'on a continuation line',
        code: `FROM golang:1.22 AS build
RUN --mount=type=cache,target=/root/.cache/go-build go build \\
    -a \\
#   ^^ go-obsolete-flags
    -o /app .
`,
      },
    ],
  });

  it('explains each flag', () => {
    assert.deepEqual(
      messages(
        'go-obsolete-flags',
        'FROM golang:1.22\nRUN --mount=type=cache,target=/root/.cache/go-build go build -a -installsuffix cgo .\n',
      ),
      [
        '-a rebuilds every package, throwing away the build cache this RUN mounts; since Go 1.10 it is not needed for static builds (CGO_ENABLED=0 is enough).',
        "-installsuffix is obsolete since Go 1.10's build cache; remove it (CGO_ENABLED=0 is enough for a static build).",
      ],
    );
  });
});
