import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';

const trustedRegistries = ['docker.io', 'registry.example.com:5000', '*.gcr.io', 'ghcr.io/my-org'];

describe('untrusted-registry', () => {
  ruleCases('untrusted-registry', {
    valid: [
      {
        name: 'without a trusted-registries list the rule reports nothing',
        code: `FROM quay.io/example/base:1.0
COPY --from=ghcr.io/example/tool:1.0 /tool /tool
`,
      },
      {
        name: 'docker.io covers Docker Hub images however they are written',
        code: `FROM alpine:3.20 AS a
FROM library/alpine:3.20 AS b
FROM docker.io/library/alpine:3.20 AS c
FROM index.docker.io/library/alpine:3.20 AS d
FROM bitnami/redis:7.2
`,
        options: { trustedRegistries },
      },
      {
        name: 'a host with its port, a wildcard, a host/path prefix',
        code: `FROM registry.example.com:5000/team/base:2 AS a
FROM us.gcr.io/project/image:1 AS b
FROM eu.gcr.io/project/image:1 AS c
FROM ghcr.io/my-org/app:1.0
`,
        options: { trustedRegistries },
      },
      {
        name: 'stages, scratch and unknown build arguments are not images to check',
        code: `ARG BASE
FROM scratch AS files
FROM \${BASE} AS base
FROM base
COPY --from=files / /
COPY --from=0 /x /x
RUN --mount=type=bind,from=base,target=/b true
`,
        options: { trustedRegistries },
      },
      {
        name: 'COPY --from and --mount from= images on a trusted registry',
        code: `FROM alpine:3.20
COPY --from=nginx:1.27 /etc/nginx /etc/nginx
RUN --mount=type=bind,from=ghcr.io/my-org/tools:1,source=/bin/tool,target=/tool /tool
`,
        options: { trustedRegistries },
      },
      {
        name: "hadolint's DL3026 ignore comment",
        code: `# hadolint ignore=DL3026
FROM quay.io/example/base:1.0
`,
        options: { trustedRegistries },
      },
    ],
    invalid: [
      {
        name: 'FROM an image on another registry: the image reference',
        code: `FROM quay.io/example/base:1.0
#    ^^^^^^^^^^^^^^^^^^^^^^^^ untrusted-registry
`,
        options: { trustedRegistries },
      },
      {
        name: 'the host must match with its port',
        code: `FROM registry.example.com/team/base:2
#    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ untrusted-registry
`,
        options: { trustedRegistries },
      },
      {
        name: 'a wildcard does not cover the bare domain',
        code: `FROM gcr.io/project/image:1
#    ^^^^^^^^^^^^^^^^^^^^^^ untrusted-registry
`,
        options: { trustedRegistries },
      },
      {
        name: 'a path prefix covers whole path components only',
        code: `FROM ghcr.io/my-org-evil/app:1 AS a
#    ^^^^^^^^^^^^^^^^^^^^^^^^^ untrusted-registry
FROM ghcr.io/other/app:1
#    ^^^^^^^^^^^^^^^^^^^ untrusted-registry
`,
        options: { trustedRegistries },
      },
      {
        name: 'docker.io not listed: Hub images are untrusted',
        code: `FROM alpine:3.20
#    ^^^^^^^^^^^ untrusted-registry
`,
        options: { trustedRegistries: ['registry.example.com'] },
      },
      {
        name: 'COPY --from and RUN --mount from= images',
        code: `FROM alpine:3.20
COPY --from=quay.io/tools/t:1 /t /t
#           ^^^^^^^^^^^^^^^^^ untrusted-registry
RUN --mount=type=cache,target=/c --mount=type=bind,from=ghcr.io/other/tool:1,source=/t,target=/t /t
#                                                       ^^^^^^^^^^^^^^^^^^^^ untrusted-registry
`,
        options: { trustedRegistries },
      },
      {
        name: 'an image from a global build argument: the argument as written',
        code: `ARG BASE_IMAGE=quay.io/jupyter/base-notebook
FROM $BASE_IMAGE
#    ^^^^^^^^^^^ untrusted-registry
`,
        options: { trustedRegistries },
      },
    ],
  });

  it('names the registry and the list', () => {
    assert.deepEqual(
      messages('untrusted-registry', 'FROM alpine:3.20\nCOPY --from=quay.io/t/t:1 /t /t\n', {
        trustedRegistries: ['docker.io', 'registry.example.com'],
      }),
      ['quay.io/t/t:1 in COPY --from comes from quay.io, which is not a trusted registry (docker.io, registry.example.com).'],
    );
  });
});
