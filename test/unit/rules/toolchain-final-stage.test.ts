import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';
import { single } from '../../support/facts';

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
      {
        // Judged on the corpus: docker-library's tomcat publishes jdkNN and jreNN variants side by side.
        name: 'the JDK variant of an image published beside its JRE variant',
        code: `FROM eclipse-temurin:21-jdk-noble
COPY tomcat /usr/local/tomcat
CMD ["catalina.sh", "run"]
`,
        options: { path: '11.0/jdk21/temurin-noble/Dockerfile' },
      },
      {
        // Judged on the corpus: terraform's from-source image sets TF_DEV=true; its release image is another file.
        name: 'a development image by its own environment (TF_DEV=true, NODE_ENV=development)',
        code: `FROM golang:1.22-alpine
ENV TF_DEV=true
COPY . /src
RUN go install ./...
ENTRYPOINT ["terraform"]
FROM node:22 AS web
ENV NODE_ENV=development
CMD ["npm", "run", "dev"]
`,
      },
      {
        name: 'a builder image by design (caddy:builder-style: xcaddy is its command)',
        code: `FROM golang:1.22-alpine
RUN apk add --no-cache git ca-certificates
RUN go install github.com/caddyserver/xcaddy/cmd/xcaddy@v0.4.2
COPY caddy-builder.sh /usr/bin/caddy-builder
WORKDIR /usr/bin
`,
      },
      {
        name: 'a CI build environment (named so, and no command of its own)',
        code: `FROM buildpack-deps:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends cmake ninja-build
COPY ci/ /ci/
`,
        options: { path: 'ci/Dockerfile' },
      },
      {
        name: 'a Go linter image that type-checks code at run time',
        code: `FROM golang:1.22 AS build
RUN go build -o /golangci-lint ./cmd/golangci-lint
FROM golang:1.22
COPY --from=build /golangci-lint /usr/bin/
ENTRYPOINT ["golangci-lint"]
CMD ["run"]
`,
      },
      {
        name: 'a static-site generator image that runs go and git',
        code: `FROM golang:1.22-alpine AS build
RUN go build -o /hugo .
FROM golang:1.22-alpine
RUN apk add --no-cache git
COPY --from=build /hugo /usr/bin/hugo
ENTRYPOINT ["hugo"]
`,
      },
      {
        name: 'stated with the role comment',
        code: `# dockerfile-hardener role=toolchain
FROM golang:1.22
COPY --from=ghcr.io/example/revive:1 /revive /usr/bin/revive
ENTRYPOINT ["revive"]
`,
      },
      {
        name: 'a Perl or Python image that sets no command: one to build on',
        code: `FROM buildpack-deps:bookworm
RUN curl -fsSL https://www.cpan.org/src/perl.tar.gz | tar xz && make install
CMD ["perl5.38.5", "-de0"]
`,
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
CMD ["/target/release/app"]
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
ENTRYPOINT ["dotnet", "app.dll"]
`,
      },
      {
        name: 'an official image republished for one architecture',
        code: `FROM arm64v8/golang:1.22
#    ^^^^^^^^^^^^^^^^^^^ toolchain-final-stage
CMD ["/app"]
`,
      },
      {
        name: 'a version from a build-argument default',
        code: `ARG GO=1.22
FROM golang:\${GO}
#    ^^^^^^^^^^^^ toolchain-final-stage
CMD ["/app"]
`,
      },
      {
        name: 'the target stage',
        code: `FROM golang:1.22 AS app
#    ^^^^^^^^^^^ toolchain-final-stage
CMD ["/app"]
FROM alpine:3.20
`,
        options: { targetStage: 'app' },
      },
    ],
  });

  it('names the image, the toolchain and the stage it comes through', () => {
    assert.deepEqual(messages('toolchain-final-stage', 'FROM maven:3.9 AS build\nFROM build\nCMD ["java", "-jar", "/app.jar"]\n'), [
      'The shipped image is based on maven:3.9 (through stage build), which carries Maven and a JDK, and is taken as a service (it runs java). Build in a builder stage and copy the result into a small runtime image (scratch, distroless or a slim runtime); if the program needs the toolchain at run time, mark the file with # dockerfile-hardener role=toolchain.',
    ]);
  });

  it('an image the offline list does not name, recognised by its config once looked up', () => {
    const text = 'FROM registry.example.com/ci/go-builder:3\nCOPY . /src\nRUN go build -o /app ./src\nCMD ["/app"]\n';
    assert.deepEqual(messages('toolchain-final-stage', text), []);
    const facts = (env: string[]) => ({ imageFacts: { 'registry.example.com/ci/go-builder:3': single({ env }) } });
    assert.deepEqual(messages('toolchain-final-stage', text, facts(['GOLANG_VERSION=1.26.0'])), [
      'The shipped image is based on registry.example.com/ci/go-builder:3, which carries the Go toolchain (by its config on registry.example.com, read 2026-12-01), and is taken as a service (it runs /app). Build in a builder stage and copy the result into a small runtime image (scratch, distroless or a slim runtime); if the program needs the toolchain at run time, mark the file with # dockerfile-hardener role=toolchain.',
    ]);
    for (const env of [['MAVEN_HOME=/usr/share/maven'], ['PATH=/usr/local/cargo/bin:/usr/bin'], ['DOTNET_SDK_VERSION=9.0.100']])
      assert.equal(messages('toolchain-final-stage', text, facts(env)).length, 1, env.join(' '));
    // A JRE sets JAVA_HOME and JAVA_VERSION as a JDK does: no evidence either way.
    for (const env of [['JAVA_HOME=/opt/java/openjdk', 'JAVA_VERSION=jdk-21.0.5+11'], ['PATH=/usr/local/bin:/usr/bin'], []])
      assert.deepEqual(messages('toolchain-final-stage', text, facts(env)), [], env.join(' '));
  });

  it('a repository the offline list knows is not second-guessed by its config (a JRE tag of a JDK repository)', () => {
    const text = 'FROM eclipse-temurin:21-jre\nCOPY app.jar /app.jar\nCMD ["java", "-jar", "/app.jar"]\n';
    const env = ['JAVA_HOME=/opt/java/openjdk', 'JAVA_VERSION=jdk-21.0.5+11', 'MAVEN_HOME=/x'];
    assert.deepEqual(
      messages('toolchain-final-stage', text, { imageFacts: { 'docker.io/library/eclipse-temurin:21-jre': single({ env }) } }),
      [],
    );
  });
});
