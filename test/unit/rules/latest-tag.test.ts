import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('latest-tag', () => {
  ruleCases('latest-tag', {
    valid: [
      {
        name: 'a latest tag from a build-argument default, which the pipeline overrides',
        code: `ARG VERSION=latest
FROM alpine:$VERSION
`,
      },
      {
        name: 'a reference from a build argument: the pipeline passes it (judged on real files: the defaults were stand-ins)',
        code: `ARG BASE=node
FROM \${BASE}
`,
      },
      {
        // Judged on the corpus: distroless has no version tags to name; a UBI repository names its release.
        name: 'distroless (no version tags) and UBI repositories that name their major release',
        code: `FROM gcr.io/distroless/static-debian12:latest AS a
FROM gcr.io/distroless/nodejs22-debian12 AS b
FROM gcr.io/distroless/static:nonroot AS c
FROM gcr.io/distroless/base AS d
FROM redhat/ubi10-minimal AS e
FROM registry.access.redhat.com/ubi9/ubi-micro:latest
`,
      },
      {
        // Reproduction (judged on the corpus): an image whose namespace the pipeline sets.
        name: 'a registry or namespace from a build argument: the pipeline builds that image',
        code: `ARG NAMESPACE=selenium
ARG VERSION=latest
ARG REGISTRY=quay.io
ARG OWNER=jupyter
ARG BASE_IMAGE=$REGISTRY/$OWNER/minimal-notebook
FROM \${NAMESPACE}/node-base:\${VERSION} AS a
FROM $BASE_IMAGE
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
        name: 'a version tag',
        code: `FROM alpine:3.20
`,
      },
      {
        name: 'a digest, with or without a tag (even latest)',
        code: `FROM alpine@${DIGEST} AS a
FROM alpine:latest@${DIGEST}
`,
      },
      {
        name: 'stage names, matched case-insensitively',
        code: `FROM golang:1.22 AS Build
FROM build AS test
FROM BUILD
`,
      },
      {
        name: 'scratch',
        code: `FROM scratch
`,
      },
      {
        name: 'a tag from an unknown build argument',
        code: `ARG TAG
FROM alpine:\${TAG}
`,
      },
      {
        name: 'a whole reference from an unknown build argument',
        code: `ARG BASE
FROM \${BASE}
FROM $BASE:latest
`,
      },
      {
        name: 'a tag from a build argument with a version default',
        code: `ARG ALPINE_VERSION=3.20
FROM alpine:\${ALPINE_VERSION}
`,
      },
      {
        name: 'a template placeholder that is no image reference',
        code: `FROM BASE_IMAGE
`,
      },
      {
        name: "hadolint's DL3006 above an untagged image",
        code: `# hadolint ignore=DL3006
FROM alpine
`,
      },
      {
        name: "hadolint's DL3007 above a latest tag",
        code: `# hadolint ignore=DL3007
FROM alpine:latest
`,
      },
      {
        name: 'a global hadolint ignore for both',
        code: `# hadolint global ignore=DL3006,DL3007
FROM alpine AS a
FROM alpine:latest
`,
      },
      {
        name: 'our own ignore comment, case-insensitively',
        code: `# Dockerfile-Hardener ignore=Latest-Tag
FROM alpine
`,
      },
    ],
    invalid: [
      {
        name: 'no tag: the image name',
        code: `FROM alpine
#    ^^^^^^ latest-tag
`,
      },
      {
        name: 'the latest tag: the tag',
        code: `FROM golang:latest AS build
#           ^^^^^^ latest-tag
`,
      },
      {
        name: 'a registry with a port is not a tag',
        code: `FROM registry.example.com:5000/team/app
#    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ latest-tag
`,
      },
      {
        name: 'after --platform, lowercase',
        code: `from --platform=$BUILDPLATFORM node as build
#                              ^^^^ latest-tag
`,
      },
      {
        name: 'every stage',
        code: `FROM debian AS a
#    ^^^^^^ latest-tag
FROM ubuntu:latest
#           ^^^^^^ latest-tag
`,
      },
      {
        name: 'a quoted reference: the whole reference',
        code: `FROM "quay.io/prometheus/busybox"
#    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ latest-tag
`,
      },
      {
        name: 'DL3007 does not silence a missing tag (DL3006 does)',
        code: `# hadolint ignore=DL3007
FROM alpine
#    ^^^^^^ latest-tag
`,
      },
      {
        name: 'DL3006 does not silence latest (DL3007 does)',
        code: `# hadolint ignore=DL3006
FROM alpine:latest
#           ^^^^^^ latest-tag
`,
      },
    ],
  });

  it('says what is wrong with the tag it names', () => {
    assert.deepEqual(messages('latest-tag', 'FROM alpine\n'), [
      'alpine has no tag, so it builds from :latest, which changes with every release. Name a version tag.',
    ]);
  });

  it('a development or CI image, or an example, is rebuilt where it is used: not reported', () => {
    assert.deepEqual(messages('latest-tag', 'FROM golang:latest\n', { path: '.devcontainer/Dockerfile' }), []);
    assert.deepEqual(messages('latest-tag', 'FROM golang:latest\n', { path: 'docs/examples/Dockerfile' }), []);
    assert.deepEqual(
      messages('latest-tag', 'FROM mcr.microsoft.com/devcontainers/base:latest\n', { path: '.devcontainer/base.Dockerfile' }),
      [],
    );
    assert.deepEqual(messages('latest-tag', 'FROM kalilinux/kali-rolling:latest\nCMD ["pwsh"]\n'), []);
    assert.equal(messages('latest-tag', 'FROM golang:latest\n', { path: 'cmd/server/Dockerfile' }).length, 1);
  });
});
