import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';

/** A scratch stage that runs what the builder wrote to `path`. */
const scratch = (path = '/out/app') => `FROM scratch
COPY --from=build ${path} /app
ENTRYPOINT ["/app"]
`;

describe('go-cgo-in-scratch', () => {
  ruleCases('go-cgo-in-scratch', {
    valid: [
      {
        name: 'CGO_ENABLED=0 as a prefix',
        code: `FROM golang:1.22 AS build
RUN CGO_ENABLED=0 GOOS=linux go build -o /out/app .
${scratch()}`,
      },
      {
        name: 'CGO_ENABLED=0 through env, and behind sudo',
        code: `FROM golang:1.22 AS build
RUN env CGO_ENABLED=0 go build -o /out/app .
RUN sudo env CGO_ENABLED=0 go build -o /out/app .
${scratch()}`,
      },
      {
        name: 'CGO_ENABLED=0 exported earlier in the RUN',
        code: `FROM golang:1.22 AS build
RUN export CGO_ENABLED=0 GOOS=linux && \\
    go build -o /out/app .
${scratch()}`,
      },
      {
        name: 'CGO_ENABLED=0 exported in a heredoc script',
        code: `FROM golang:1.22 AS build
RUN <<EOF
export CGO_ENABLED=0
go build -o /out/app .
EOF
${scratch()}`,
      },
      {
        name: 'ENV in the stage the builder builds on',
        code: `FROM golang:1.22 AS base
ENV CGO_ENABLED=0
FROM base AS build
RUN go build -o /out/app .
${scratch()}`,
      },
      {
        name: 'ARG with a default in the stage',
        code: `FROM golang:1.22 AS build
ARG CGO_ENABLED=0
RUN go build -o /out/app .
${scratch()}`,
      },
      {
        name: 'a global ARG default, redeclared in the stage',
        code: `ARG CGO_ENABLED=0
FROM golang:1.22 AS build
ARG CGO_ENABLED
RUN go build -o /out/app .
${scratch()}`,
      },
      {
        name: 'a plain assignment to a variable already in the environment',
        code: `FROM golang:1.22 AS build
ARG CGO_ENABLED=1
RUN CGO_ENABLED=0; go build -o /out/app .
${scratch()}`,
      },
      {
        name: 'go env -w in an earlier RUN',
        code: `FROM golang:1.22 AS build
RUN go env -w CGO_ENABLED=0 GOFLAGS=-mod=mod
RUN go build -o /out/app .
${scratch()}`,
      },
      {
        name: 'CGO_ENABLED from an unknown build argument',
        code: `FROM golang:1.22 AS build
ARG CGO
RUN CGO_ENABLED=$CGO go build -o /out/app .
${scratch()}`,
      },
      {
        name: 'the Alpine Go images have no C compiler',
        code: `FROM golang:1.22-alpine3.20 AS build
RUN apk add --no-cache git
RUN go build -o /out/app .
${scratch()}`,
      },
      {
        name: 'a builder from an unknown image',
        code: `ARG GO_IMAGE
FROM \${GO_IMAGE} AS build
RUN go build -o /out/app .
${scratch()}`,
      },
      {
        name: 'a static build despite cgo: -extldflags -static',
        code: `FROM golang:1.22 AS build
RUN go build -ldflags '-s -w -extldflags "-static"' -o /out/app .
${scratch()}`,
      },
      {
        name: 'a static build despite cgo: netgo and osusergo tags',
        code: `FROM golang:1.22 AS build
RUN go build -tags netgo,osusergo -o /out/app .
${scratch()}`,
      },
      {
        name: 'copied into an image with a C library (distroless base)',
        code: `FROM golang:1.22 AS build
RUN go build -o /out/app .
FROM gcr.io/distroless/base-debian12
COPY --from=build /out/app /app
`,
      },
      {
        name: 'a scratch export stage without CMD/ENTRYPOINT: nothing runs there',
        code: `FROM golang:1.22 AS build
RUN go build -o /out/app .
FROM scratch AS artifacts
COPY --from=build /out/app /
`,
      },
      {
        name: 'the scratch stage copies another file than the build output',
        code: `FROM golang:1.22 AS build
WORKDIR /src
RUN go build -o bin/tool ./cmd/tool
RUN CGO_ENABLED=0 go build -o /out/app .
${scratch('/out/app')}`,
      },
      {
        name: 'without -o the output is in the working directory, not where the scratch stage copies from',
        code: `FROM golang:1.22 AS build
WORKDIR /src
RUN go build ./cmd/tool
RUN CGO_ENABLED=0 go build -o /out/app .
${scratch('/out/app')}`,
      },
      {
        name: 'the output after cd is elsewhere',
        code: `FROM golang:1.22 AS build
RUN cd /src && go build -o bin/app . && CGO_ENABLED=0 go build -o /out/app .
${scratch('/out/app')}`,
      },
      {
        name: 'an ignore comment above the RUN',
        code: `FROM golang:1.22 AS build
# the app needs cgo; the scratch stage gets its libraries from the builder
# dockerfile-hardener ignore=go-cgo-in-scratch
RUN go build -o /out/app .
${scratch()}`,
      },
    ],
    invalid: [
      {
        name: 'cgo on by default in the Debian-based Go image',
        code: `FROM golang:1.22 AS build
RUN go build -o /out/app .
#   ^^^^^^^^ go-cgo-in-scratch
${scratch()}`,
      },
      {
        name: 'copied into distroless static',
        code: `FROM golang:1.22 AS build
RUN go build -o /out/app .
#   ^^^^^^^^ go-cgo-in-scratch
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
`,
      },
      {
        name: 'a relative -o against WORKDIR',
        code: `FROM golang:1.22 AS build
WORKDIR /src
RUN go build -o bin/app ./cmd/app
#   ^^^^^^^^ go-cgo-in-scratch
${scratch('/src/bin/app')}`,
      },
      {
        name: 'a relative -o after cd',
        code: `FROM golang:1.22 AS build
RUN cd /src/app && go build -o ../bin/app .
#                  ^^^^^^^^ go-cgo-in-scratch
${scratch('/src/bin/app')}`,
      },
      {
        name: 'an -o directory, the file copied from it',
        code: `FROM golang:1.22 AS build
RUN go build -o /out/ ./cmd/...
#   ^^^^^^^^ go-cgo-in-scratch
${scratch('/out/server')}`,
      },
      {
        name: 'a directory holding the output copied',
        code: `FROM golang:1.22 AS build
RUN go build -o /out/bin/app .
#   ^^^^^^^^ go-cgo-in-scratch
FROM scratch
COPY --from=build /out/ /
CMD ["/bin/app"]
`,
      },
      {
        name: 'without -o: the working directory',
        code: `FROM golang:1.22 AS build
WORKDIR /src
RUN go build
#   ^^^^^^^^ go-cgo-in-scratch
${scratch('/src/app')}`,
      },
      {
        name: 'CGO_ENABLED=1 in an Alpine Go image',
        code: `FROM golang:1.22-alpine AS build
RUN CGO_ENABLED=1 go build -o /out/app .
#                 ^^^^^^^^ go-cgo-in-scratch
${scratch()}`,
      },
      {
        name: 'an Alpine Go image with a C compiler installed',
        code: `FROM golang:1.22-alpine AS build
RUN apk add --no-cache gcc musl-dev
RUN go build -o /out/app .
#   ^^^^^^^^ go-cgo-in-scratch
${scratch()}`,
      },
      {
        name: 'an assignment that is not exported does not reach go',
        code: `FROM golang:1.22 AS build
RUN CGO_ENABLED=0; go build -o /out/app .
#                  ^^^^^^^^ go-cgo-in-scratch
${scratch()}`,
      },
      {
        name: 'ENV wins over go env -w',
        code: `FROM golang:1.22 AS build
ENV CGO_ENABLED=1
RUN go env -w CGO_ENABLED=0 && go build -o /out/app .
#                              ^^^^^^^^ go-cgo-in-scratch
${scratch()}`,
      },
      {
        name: 'a build in a stage that inherits the Go image through another stage',
        code: `FROM golang:1.22 AS base
FROM base AS build
RUN go build -o /out/app .
#   ^^^^^^^^ go-cgo-in-scratch
${scratch()}`,
      },
      {
        name: 'copied from a stage that builds on the builder',
        code: `FROM golang:1.22 AS build
RUN go build -o /out/app .
#   ^^^^^^^^ go-cgo-in-scratch
FROM build AS test
RUN go vet ./...
FROM scratch
COPY --from=test /out/app /app
ENTRYPOINT ["/app"]
`,
      },
      {
        name: 'a scratch stage that runs through the stage built on it',
        code: `FROM golang:1.22 AS build
RUN go build -o /out/app .
#   ^^^^^^^^ go-cgo-in-scratch
FROM scratch AS files
COPY --from=build /out/app /app
FROM files
ENTRYPOINT ["/app"]
`,
      },
      {
        name: 'a JSON-form go build',
        code: `FROM golang:1.22 AS build
RUN ["go", "build", "-o", "/out/app", "."]
#    ^^^^^^^^^^^^^ go-cgo-in-scratch
${scratch()}`,
      },
      {
        name: 'lowercase instructions and a stage name in another case',
        code: `from golang:1.22 as Build
run go build -o /out/app .
#   ^^^^^^^^ go-cgo-in-scratch
from scratch
copy --from=BUILD /out/app /app
entrypoint ["/app"]
`,
      },
    ],
  });

  it('names the kind of image and the stage the binary lands in', () => {
    assert.deepEqual(
      messages(
        'go-cgo-in-scratch',
        `FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM scratch AS release\nCOPY --from=build /out/app /app\nCMD ["/app"]\n`,
      ),
      [
        'cgo is not disabled for this go build, and its output is copied into a scratch image (stage release): a cgo binary there fails with "exec …: no such file or directory". Build with CGO_ENABLED=0.',
      ],
    );
    assert.match(
      messages(
        'go-cgo-in-scratch',
        `FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM gcr.io/distroless/static\nCOPY --from=build /out/app /app\n`,
      )[0],
      /copied into a static image without a C library \(the stage on line 3\)/,
    );
  });
});
