import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';

describe('toolchain-final-stage', () => {
  ruleCases('toolchain-final-stage', {
    valid: [
      {
        name: 'a toolchain in the builder, a small runtime image shipped',
        code: `FROM golang:1.22 AS build
RUN go build -o /app .
FROM gcr.io/distroless/static-debian12
COPY --from=build /app /app
`,
      },
      {
        name: 'JRE and runtime tags of JDK repositories',
        code: `FROM eclipse-temurin:21-jre-alpine AS a
FROM amazoncorretto:21-headless AS b
FROM swift:5.10-slim AS c
FROM ibm-semeru-runtimes:open-21-jre
`,
      },
      {
        name: 'runtime images of the .NET SDK family',
        code: `FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
FROM mcr.microsoft.com/dotnet/aspnet:8.0
`,
      },
      {
        name: 'the curl and scm layers of buildpack-deps carry no compilers',
        code: `FROM buildpack-deps:bookworm-curl AS a
FROM arm64v8/buildpack-deps:noble-curl AS b
FROM buildpack-deps:noble-scm
`,
      },
      {
        name: 'a toolchain from an unknown build argument',
        code: `ARG GO_VERSION
FROM golang:\${GO_VERSION}
`,
      },
      {
        name: 'a target stage that is not a toolchain',
        code: `FROM alpine:3.20 AS runtime
FROM golang:1.22 AS dev
`,
        options: { targetStage: 'runtime' },
      },
    ],
    invalid: [
      {
        name: 'the Go image shipped',
        code: `FROM golang:1.22-alpine
#    ^^^^^^^^^^^^^^^^^^ toolchain-final-stage
CMD ["go", "run", "."]
`,
      },
      {
        name: 'through the stage it builds on: the stage name',
        code: `FROM rust:1.79 AS build
RUN cargo build --release
FROM build
#    ^^^^^ toolchain-final-stage
`,
      },
      {
        name: 'JDK, Maven, Gradle, GCC, buildpack-deps and the .NET SDK',
        code: `FROM eclipse-temurin:21-jdk AS a
FROM maven:3.9 AS b
FROM gradle:8-jdk21 AS c
FROM gcc:14 AS d
FROM buildpack-deps:bookworm AS e
FROM mcr.microsoft.com/dotnet/sdk:8.0
#    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ toolchain-final-stage
`,
      },
      {
        name: 'an official image republished for one architecture',
        code: `FROM arm64v8/golang:1.22
#    ^^^^^^^^^^^^^^^^^^^ toolchain-final-stage
`,
      },
      {
        name: 'a version from a build-argument default',
        code: `ARG GO=1.22
FROM golang:\${GO}
#    ^^^^^^^^^^^^ toolchain-final-stage
`,
      },
      {
        name: 'the target stage',
        code: `FROM golang:1.22 AS dev
#    ^^^^^^^^^^^ toolchain-final-stage
FROM alpine:3.20
`,
        options: { targetStage: 'dev' },
      },
    ],
  });

  it('names the image, the toolchain and the stage it comes through', () => {
    assert.deepEqual(messages('toolchain-final-stage', 'FROM maven:3.9 AS build\nFROM build\n'), [
      'The shipped image is based on maven:3.9 (through stage build), which carries Maven and a JDK. Build in a builder stage and copy the result into a small runtime image (scratch, distroless or a slim runtime).',
    ]);
  });
});
