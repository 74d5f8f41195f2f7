import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { messages, ruleCases } from '../helpers';

const on = { rules: { 'package-version-unpinned': 'warning' as const } };

describe('package-version-unpinned', () => {
  ruleCases('package-version-unpinned', {
    valid: [
      {
        name: 'system packages with versions, local files and groups',
        code: `FROM rockylinux:9
RUN dnf install -y nginx-1.20.1-14.el9 /tmp/local.rpm && dnf group install -y "Server" && dnf clean all
RUN yum module install -y nodejs:20 && yum clean all
FROM debian:12
RUN apt-get install -y ./pkg.deb 'libssl3=3.0.*'
`,
      },
      {
        name: 'pip: requirement and constraint files, paths, archives, pinned VCS revisions',
        code: `FROM python:3.12
RUN pip install --no-cache-dir -r requirements.txt -e ./lib
RUN pip install --no-cache-dir -c constraints.txt flask
RUN python3 -m pip install --no-cache-dir ./dist/app.whl "requests>=2.31,<3" git+https://github.com/o/r.git@v1.0
`,
      },
      {
        name: 'npm: bare install, tarballs, pinned git repositories and registry values',
        code: `FROM node:22
RUN npm ci && npm install && npm install --registry https://r.example pkg@1.2.3 ./vendor/x.tgz github:o/r#v2
`,
      },
      {
        name: 'go: versions, local packages, go.mod in the context, patterns',
        code: `FROM golang:1.23 AS tools
RUN go install golang.org/x/tools/cmd/stringer@v0.24.0 && go run ./cmd/gen && go run main.go -flag value
FROM golang:1.23
COPY go.mod go.sum ./
RUN go install github.com/example/tool && go install tool
`,
      },
      {
        name: 'gem with -v, and a version that a build argument sets',
        code: `FROM ruby:3.3
ARG PKG=bundler
RUN gem install bundler -v 2.5.0 && gem install $PKG
`,
      },
    ],
    invalid: [
      {
        name: 'apt-get, naming the first packages and a count',
        code: `FROM debian:12
RUN apt-get install -y curl=7.88.1-10 git vim jq tmux
#   ^^^^^^^^^^^^^^^ package-version-unpinned
`,
        options: on,
      },
      {
        name: 'every stage counts, builders too',
        code: `FROM alpine:3.20 AS build
RUN apk add --no-cache --virtual .deps gcc
#   ^^^^^^^ package-version-unpinned
FROM alpine:3.20
COPY --from=build /x /x
`,
        options: on,
      },
      {
        name: 'a version variable nothing declares in this stage is empty',
        code: `FROM fedora:41 AS a
ENV V=1.2.3
FROM fedora:41
RUN dnf install -y tool-$V
#   ^^^^^^^^^^^ package-version-unpinned
`,
        options: on,
      },
      {
        name: 'go install @latest, npm without a version, pip in an ONBUILD trigger',
        code: `FROM golang:1.23
RUN go install golang.org/x/tools/gopls@latest
#   ^^^^^^^^^^ package-version-unpinned
RUN npm install -g typescript
#   ^^^^^^^^^^^ package-version-unpinned
ONBUILD RUN pip install flask
#           ^^^^^^^^^^^ package-version-unpinned
`,
        options: on,
      },
    ],
  });

  it('is off by default and names the packages and the peer code', () => {
    assert.deepEqual(lint('FROM debian:12\nRUN apt-get install -y curl\n', { only: ['package-version-unpinned'] }).findings, []);
    assert.deepEqual(messages('package-version-unpinned', 'FROM debian:12\nRUN apt-get install -y a b c d e\n'), [
      'apt-get install without a version for a, b, c and 2 more: a rebuild gets whatever version is newest then. Pin it (pkg=version).',
    ]);
    const codes = (text: string) =>
      lint(text, { only: ['package-version-unpinned'], ...on }).findings.map((f) => f.peerCodes?.hadolint.join(','));
    assert.deepEqual(codes('FROM x\nRUN apk add a && pip install b && npm i c && gem i d && yum install -y e && zypper in -y f\n'), [
      'DL3018',
      'DL3013',
      'DL3016',
      'DL3028',
      'DL3033',
      'DL3037',
    ]);
  });

  it('offers no fix', () => {
    const [f] = lint('FROM debian:12\nRUN apt-get install -y curl\n', { only: ['package-version-unpinned'], ...on }).findings;
    assert.deepEqual(f.fixes ?? [], []);
  });
});
