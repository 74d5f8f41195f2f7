import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('unpinned-digest', () => {
  ruleCases('unpinned-digest', {
    valid: [
      {
        // Reproduction (judged on the corpus): an image whose namespace the pipeline sets.
        name: 'a registry or namespace from a build argument: the pipeline builds that image',
        code: `ARG NAMESPACE=selenium
ARG VERSION=latest
ARG REGISTRY=quay.io
ARG OWNER=jupyter
ARG BASE_IMAGE=$REGISTRY/$OWNER/minimal-notebook
FROM \${NAMESPACE}/node-base:\${VERSION} AS a
FROM $BASE_IMAGE AS b
ARG REPO=mcr.microsoft.com/dotnet/runtime
FROM $REPO:9.0.19-nanoserver-ltsc2022
`,
      },
      {
        // Reproduction: it fired on images the project's own pipeline builds.
        name: "images the project builds itself: a local build's name, a name that is no official image",
        code: `FROM localhost/myapp-base AS a
FROM localhost/team/base:latest AS b
FROM zabbix-build-mysql AS c
FROM argocd-base:latest
COPY --from=bats-jenkins /usr/local/bin/bats /usr/local/bin/
`,
      },
      {
        name: 'FROM, COPY --from and RUN --mount from images pinned by digest',
        code: `FROM golang:1.22@${DIGEST} AS build
COPY --from=alpine:3.20@${DIGEST} /etc/ssl/certs/ /etc/ssl/certs/
RUN --mount=type=bind,from=busybox@${DIGEST},target=/bb ls /bb
`,
      },
      {
        name: 'scratch, stages by name or index',
        code: `FROM scratch AS base
FROM base
COPY --from=BASE /a /a
COPY --from=0 /a /b
RUN --mount=from=base,target=/x true
`,
      },
      {
        name: 'references from unknown build arguments',
        code: `ARG IMAGE
FROM \${IMAGE}
COPY --from=\${IMAGE} /a /a
RUN --mount=from=$IMAGE,target=/x true
`,
      },
      {
        name: 'a pinned reference from a build-argument default',
        code: `ARG IMAGE=alpine:3.20@${DIGEST}
FROM \${IMAGE}
`,
      },
      {
        name: 'mounts that take nothing from an image',
        code: `FROM alpine:3.20@${DIGEST}
RUN --mount=type=cache,target=/root/.cache --mount=type=secret,id=npm true
`,
      },
    ],
    invalid: [
      {
        name: 'FROM with a tag: the whole reference',
        code: `FROM alpine:3.20
#    ^^^^^^^^^^^ unpinned-digest
`,
      },
      {
        name: 'COPY --from an image',
        code: `FROM scratch
COPY --from=gcr.io/distroless/static:nonroot /etc/passwd /etc/passwd
#           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ unpinned-digest
`,
      },
      {
        name: 'RUN --mount from an image, after a continuation',
        code: `FROM scratch
RUN --mount=type=cache,target=/c \\
    --mount=type=bind,from=busybox:1.36,target=/bb /bb/busybox true
#                          ^^^^^^^^^^^^ unpinned-digest
`,
      },
      {
        name: 'a digest that is not sha256',
        code: `FROM alpine@sha256:abc
#    ^^^^^^^^^^^^^^^^^ unpinned-digest
`,
      },
      {
        name: 'a reference from a build-argument default: the whole reference as written',
        code: `ARG GO=1.22
FROM golang:\${GO}-alpine
#    ^^^^^^^^^^^^^^^^^^^ unpinned-digest
`,
      },
      {
        name: 'every stage, lowercase',
        code: `from node:22 as deps
#    ^^^^^^^ unpinned-digest
from node:22-slim
#    ^^^^^^^^^^^^ unpinned-digest
`,
      },
    ],
  });

  it('names the image and shows how to pin it', () => {
    assert.deepEqual(messages('unpinned-digest', 'FROM scratch\nCOPY --from=ghcr.io/acme/tools:2 /t /t\n'), [
      'ghcr.io/acme/tools:2 in COPY --from is not pinned by digest: the tag can move. Pin it as ghcr.io/acme/tools:2@sha256:….',
    ]);
    assert.match(messages('unpinned-digest', 'FROM alpine@sha256:abc\n')[0], /its digest sha256:abc is not a sha256 digest/);
  });
});
