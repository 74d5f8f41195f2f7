import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { applyFix, fixTitles, messages, ruleCases, severities } from '../helpers';

const RULE = 'copy-relative-without-workdir';

describe(RULE, () => {
  ruleCases(RULE, {
    valid: [
      {
        name: 'absolute destinations, Linux and Windows, quoted or not',
        code: `FROM python:3.12
COPY app.py /srv/app.py
ADD ["conf", "/etc/app/"]
COPY run.ps1 'C:\\tools\\run.ps1'
COPY run.ps1 D:/tools/
`,
      },
      {
        name: 'a destination in a variable, which may be absolute',
        code: `FROM python:3.12
ENV APP_HOME=/srv
COPY app.py $APP_HOME
COPY app.py "\${UNKNOWN}/app.py"
`,
      },
      {
        name: 'after a WORKDIR of the stage, relative or not, or of a stage it is built on',
        code: `FROM python:3.12 AS base
WORKDIR app
FROM base AS deps
COPY requirements.txt .
FROM deps
COPY . .
`,
      },
      {
        name: 'FROM a variable that may name a stage with a WORKDIR',
        code: `ARG TARGETARCH
FROM alpine:3.20 AS base-amd64
WORKDIR /src
FROM base-\${TARGETARCH} AS build
COPY . .
`,
      },
      {
        name: 'ONBUILD COPY runs in another build, after its WORKDIR',
        code: `FROM python:3.12
ONBUILD COPY . .
`,
      },
    ],
    invalid: [
      {
        name: 'before the WORKDIR, and in a stage that does not inherit it',
        code: `FROM node:22 AS web
COPY package.json ./
#                 ^^ copy-relative-without-workdir
WORKDIR /app
COPY . .
FROM node:22
COPY --from=web /app/dist dist
#                         ^^^^ copy-relative-without-workdir
ADD "conf" "conf/"
#          ^^^^^^^ copy-relative-without-workdir
`,
      },
      {
        name: 'a file without FROM',
        code: `COPY a b
#      ^ copy-relative-without-workdir
`,
      },
    ],
  });

  it('says what the destination resolves against', () => {
    assert.deepEqual(messages(RULE, 'FROM node:22\nCOPY a.js .\n'), [
      "COPY to the relative destination . with no WORKDIR set in this Dockerfile: it resolves against the base image's working directory, which the Dockerfile does not show. Set WORKDIR first, or write the absolute path.",
    ]);
    assert.deepEqual(messages(RULE, 'FROM golang:1.22\nCOPY go.mod src/\n'), [
      "COPY to the relative destination src/ with no WORKDIR set in this Dockerfile: it lands in /go/src (the golang image's working directory is /go). Set WORKDIR first, or write the absolute path.",
    ]);
    assert.deepEqual(messages(RULE, 'FROM scratch\nCOPY app bin/app\n'), [
      "COPY to the relative destination bin/app with no WORKDIR set in this Dockerfile: it lands in /bin/app (a scratch stage's working directory is /). Set WORKDIR first, or write the absolute path.",
    ]);
  });

  it('reports scratch stages, where the destination is known, as info', () => {
    assert.deepEqual(severities(RULE, 'FROM scratch AS out\nCOPY app .\nFROM debian:12\nCOPY app .\n'), ['2:9 info', '4:9 warning']);
  });

  it('writes the path absolute in a scratch stage only, and re-lints clean', async () => {
    for (const [dest, abs] of [
      ['.', '/'],
      ['./', '/'],
      ['./bin/', '/bin/'],
      ['bin/app', '/bin/app'],
      ['a/../b', '/b'],
    ]) {
      const text = `FROM scratch\nCOPY app ${dest}\n`;
      const after = await applyFix(RULE, text);
      assert.equal(after, `FROM scratch\nCOPY app ${abs}\n`, dest);
      assert.deepEqual(lint(after, { only: [RULE] }).findings, []);
    }
    assert.deepEqual(fixTitles(RULE, 'FROM debian:12\nCOPY app bin/\n'), []);
    assert.deepEqual(fixTitles(RULE, 'FROM scratch\nCOPY app "bin/"\n'), []);
  });
});
