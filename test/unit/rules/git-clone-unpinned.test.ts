import * as assert from 'node:assert/strict';
import { messages, ruleCases, severities } from '../helpers';

describe('git-clone-unpinned', () => {
  ruleCases('git-clone-unpinned', {
    valid: [
      {
        name: 'a commit checked out after the clone, in the same RUN (cd, or git -C)',
        code: `FROM golang:1.23
RUN git clone https://github.com/acme/tool.git && cd tool && git checkout 4f2c9a1b7e3d5f608192a3b4c5d6e7f809a1b2c3
RUN git clone https://github.com/acme/lib /src/lib && git -C /src/lib reset --hard 9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d
RUN git clone https://gitlab.com/acme/cli.git && cd cli && git switch --detach v2.0.1
`,
      },
      {
        name: 'a version tag as the branch: -b, --branch, --branch=, --revision',
        code: `FROM debian:12
RUN git clone --depth 1 --branch v1.2.3 https://github.com/acme/a.git
RUN git clone -b 1.27.3-1 https://github.com/acme/b
RUN git clone --depth=1 https://github.com/acme/c.git --branch=release-2.4 /c
RUN git clone --revision=refs/tags/v3.0 https://github.com/acme/d.git
`,
      },
      {
        name: 'refs that build arguments decide (no default), or a default that is a version',
        code: `FROM debian:12
ARG REF
ARG LIB_VERSION=2.1.0
ARG TOOL_COMMIT=0123456789abcdef0123456789abcdef01234567
RUN git clone --branch "$REF" https://github.com/acme/a.git
RUN git clone -b v\${LIB_VERSION} https://github.com/acme/b.git
RUN git clone https://github.com/acme/c.git && cd c && git checkout "\${TOOL_COMMIT}"
RUN git clone https://github.com/acme/d.git && cd d && git checkout "$(cat /REVISION)"
`,
      },
      {
        name: 'a checkout in a later RUN of the stage pins the last clone',
        code: `FROM golang:1.23 AS build
ARG HTTPBUN_COMMIT
RUN git clone https://github.com/acme/httpbun.git
WORKDIR httpbun
RUN git checkout $HTTPBUN_COMMIT
`,
      },
      {
        name: 'a fetched commit checked out as FETCH_HEAD',
        code: `FROM debian:12
RUN git clone https://github.com/acme/a.git && cd a && git fetch origin 4f2c9a1b && git checkout FETCH_HEAD
`,
      },
      {
        name: "local clones, and other rules' matter (go install @latest, pip git+…@main)",
        code: `FROM python:3.12
COPY . /src
RUN git clone /src /build && git clone file:///src/.git /b2 && git clone . /b3
RUN pip install git+https://github.com/acme/lib@main && go install example.com/tool@latest
`,
      },
      {
        name: 'not a clone: git with other subcommands, a word that mentions git clone',
        code: `FROM debian:12
RUN git init && git remote add origin https://github.com/acme/a.git && git fetch --depth 1 origin main
RUN echo "git clone https://github.com/acme/a.git"
`,
      },
      {
        name: 'our ignore comment',
        code: `FROM debian:12
# dockerfile-hardener ignore=git-clone-unpinned
RUN git clone https://github.com/acme/a.git
`,
      },
    ],
    invalid: [
      {
        name: 'no branch and no checkout: the default branch',
        code: `FROM debian:12
RUN git clone https://github.com/acme/qperf.git && cd qperf && ./configure && make install
#   ^^^^^^^^^ git-clone-unpinned
RUN git clone --depth 1 https://github.com/acme/pyenv.git ~/.pyenv
#   ^^^^^^^^^ git-clone-unpinned
`,
      },
      {
        name: 'a moving branch: main, master, develop, also from an ARG default',
        code: `FROM debian:12
ARG REF=main
RUN git clone --depth=1 https://github.com/acme/a.git --branch=\${REF} /a
#                                                     ^^^^^^^^^^^^^^^ git-clone-unpinned
RUN git clone -b master https://github.com/acme/b.git
#                ^^^^^^ git-clone-unpinned
RUN git clone --single-branch --branch develop git@github.com:acme/c.git
#                                      ^^^^^^^ git-clone-unpinned
`,
      },
      {
        name: 'a checkout of a branch, or -b that only names a new local branch, pins nothing',
        code: `FROM debian:12
RUN git clone https://github.com/acme/a.git && cd a && git checkout develop
#   ^^^^^^^^^ git-clone-unpinned
RUN git clone https://github.com/acme/b.git && cd b && git checkout -b master
#   ^^^^^^^^^ git-clone-unpinned
`,
      },
      {
        name: 'the checkout pins the clone it follows, not the other one',
        code: `FROM debian:12
RUN git clone https://github.com/acme/a.git && git clone https://github.com/acme/b.git /opt/b && git -C /opt/b checkout v1.0.0
#   ^^^^^^^^^ git-clone-unpinned
`,
      },
      {
        name: 'a builder stage, a variable URL, git options before the subcommand',
        code: `FROM golang:1.23 AS build
ARG REPO_URL
RUN git -c advice.detachedHead=false clone --filter=tree:0 "$REPO_URL" /src && cd /src && make
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ git-clone-unpinned
FROM alpine:3.20
COPY --from=build /src/bin/app /app
`,
      },
    ],
  });

  it('says which branch, where it comes from, and the stage when it is a builder', () => {
    const src = `FROM golang:1.23 AS build
ARG REF=main
RUN git clone --branch "$REF" https://github.com/acme/a.git
FROM alpine:3.20
RUN apk add git && git clone https://github.com/acme/b.git
`;
    assert.deepEqual(messages('git-clone-unpinned', src), [
      'git clone of https://github.com/acme/a.git in stage build, whose output later stages can copy, takes the tip of the branch main (from $REF): the build depends on when it runs. Check out a commit after the clone (git checkout <sha>) or clone a release tag (--branch v1.2.3).',
      'git clone of https://github.com/acme/b.git takes the tip of its default branch: the build depends on when it runs. Check out a commit after the clone (git checkout <sha>) or clone a release tag (--branch v1.2.3).',
    ]);
    assert.deepEqual(severities('git-clone-unpinned', src), ['3:23 info', '5:19 info']);
  });
});
