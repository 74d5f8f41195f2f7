import * as assert from 'node:assert/strict';
import { messages, ruleCases, severities } from '../helpers';

describe('apk-cache', () => {
  ruleCases('apk-cache', {
    valid: [
      {
        // Reproduction: it fired although the index was removed in the same RUN.
        name: 'the cache removed in the same RUN',
        code: `FROM alpine:3.20
RUN apk update && apk add curl && rm -rf /var/cache/apk/*
RUN apk add jq \\
 && rm -rf /var/cache/apk
`,
      },
      {
        name: '--no-cache, before or after the subcommand',
        code: `FROM alpine:3.20
RUN apk add --no-cache curl && apk --no-cache add jq
`,
      },
      {
        name: 'a builder stage whose files do not ship',
        code: `FROM alpine:3.20 AS build
RUN apk update && apk add build-base

FROM alpine:3.20
COPY --from=build /out/app /app
`,
      },
      {
        name: 'a cache or tmpfs mount over the apk cache',
        code: `FROM alpine:3.20
RUN --mount=type=cache,target=/var/cache/apk apk add curl
RUN --mount=type=cache,target=/etc/apk/cache,sharing=locked apk add git
RUN --mount=type=tmpfs,target=/var/cache apk add jq
`,
      },
      {
        name: 'apk add --no-network installs what is on disk and fetches no index',
        code: `FROM alpine:3.20
RUN apk add --no-cache --virtual .build-deps gcc \\
 && runDeps="$(scanelf --needed --nobanner /usr/local/bin/app)" \\
 && apk add --no-network --virtual .app-rundeps $runDeps \\
 && apk del --no-network .build-deps
`,
      },
      {
        name: 'other apk subcommands, and a dry run',
        code: `FROM alpine:3.20
RUN apk upgrade --no-cache && apk del curl && apk info && apk add --simulate curl
`,
      },
      {
        name: 'a shipped target stage, not the last one',
        code: `FROM alpine:3.20 AS runtime
RUN apk add --no-cache curl
FROM runtime AS debug
RUN apk add strace
`,
        options: { targetStage: 'runtime' },
      },
      {
        name: "hadolint's DL3019 ignore comment",
        code: `FROM alpine:3.20
# hadolint ignore=DL3019
RUN apk add curl
`,
      },
    ],
    invalid: [
      {
        name: 'apk add without --no-cache: from apk to the subcommand',
        code: `FROM alpine:3.20
RUN apk add curl
#   ^^^^^^^ apk-cache
`,
      },
      {
        name: 'after apk update in the same RUN',
        code: `FROM alpine:3.20
RUN apk update && apk add curl
#                 ^^^^^^^ apk-cache
`,
      },
      {
        name: '--update (-U) refreshes the index and keeps it',
        code: `FROM alpine:3.20
RUN apk add --update bash
#   ^^^^^^^ apk-cache
RUN apk -U add jq
#   ^^^^^^^^^^ apk-cache
`,
      },
      {
        name: 'a virtual package deleted later still leaves the index',
        code: `FROM python:3.12-alpine
RUN apk add --virtual .build-deps gcc musl-dev \\
#   ^^^^^^^ apk-cache
 && pip install --no-cache-dir uwsgi \\
 && apk del .build-deps
`,
      },
      {
        name: 'a cache mount somewhere else does not count',
        code: `FROM alpine:3.20
RUN --mount=type=cache,target=/var/cache/foo apk add -U curl
#                                            ^^^^^^^ apk-cache
`,
      },
      {
        name: 'a stage the shipped one inherits from',
        code: `FROM alpine:3.20 AS base
RUN apk add ca-certificates
#   ^^^^^^^ apk-cache
FROM golang:1.22-alpine AS build
RUN apk add git
FROM base
COPY --from=build /out/app /app
`,
      },
      {
        name: 'exec form, sudo, and a continuation line',
        code: `FROM alpine:3.20
RUN ["apk", "add", "tzdata"]
#    ^^^^^^^^^^^^ apk-cache
RUN set -eux; \\
    sudo apk add \\
#        ^^^^^^^ apk-cache
      ca-certificates
`,
      },
      {
        name: 'an ignore comment for another hadolint code does not silence it',
        code: `FROM alpine:3.20
# hadolint ignore=DL3018
RUN apk add curl
#   ^^^^^^^ apk-cache
`,
      },
    ],
  });

  it('a removal in a later RUN frees nothing, and the message says so', () => {
    assert.deepEqual(messages('apk-cache', 'FROM alpine:3.20\nRUN apk add curl\nRUN rm -rf /var/cache/apk/*\n'), [
      'apk add without --no-cache leaves the package index in the image (removing it in a later RUN frees nothing: it stays in this layer). Use apk add --no-cache.',
    ]);
  });

  it('is info, and mentions the redundant apk update only when there is one', () => {
    const source = 'FROM alpine:3.20\nRUN apk update && apk add curl\nRUN apk add jq\n';
    assert.deepEqual(severities('apk-cache', source), ['2:18 info', '3:4 info']);
    assert.deepEqual(messages('apk-cache', source), [
      'apk add without --no-cache leaves the package index in the image. With --no-cache the apk update before it is not needed either. Use apk add --no-cache.',
      'apk add without --no-cache leaves the package index in the image. Use apk add --no-cache.',
    ]);
  });
});
