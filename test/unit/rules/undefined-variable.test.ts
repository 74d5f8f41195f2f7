import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';

describe('undefined-variable', () => {
  ruleCases('undefined-variable', {
    valid: [
      {
        name: 'names the base image may set: not known here, not reported',
        code: `FROM golang:1.22
WORKDIR $GOPATH/src/app
ENV PATH=$GOROOT/bin:$PATH
COPY --chown=$APP_USER app /app
`,
      },
      {
        name: 'declared in scope: ARG (with or without a value), ENV, a parent stage, the predefined arguments',
        code: `FROM scratch AS base
ARG DIR=/app
ENV USER_ID=1000
FROM base
ARG VERSION
ARG FILE=app-$VERSION.tar FULL=$DIR/$FILE
COPY $FILE $DIR/
USER $USER_ID
LABEL platform=$TARGETPLATFORM proxy=$HTTP_PROXY path=$PATH
`,
      },
      {
        name: 'what the shell expands at run time, and what says what to do when unset',
        code: `FROM scratch
RUN echo $NOPE
CMD echo $NOPE
ENTRYPOINT ["sh", "-c", "echo $NOPE"]
HEALTHCHECK CMD test -f $NOPE
COPY app\${SUFFIX:-} /app
WORKDIR \${BASE:-/srv}
LABEL note='$NOPE' escaped=\\$NOPE
`,
      },
      {
        name: 'a name the same ENV sets before (env-same-statement-reference reports it)',
        code: `FROM scratch
ENV A=1 B=$A
`,
      },
    ],
    invalid: [
      {
        name: 'in a scratch stage every undeclared name is empty: COPY, ADD flags, RUN mounts, VOLUME, STOPSIGNAL',
        code: `FROM scratch
COPY --chown=$OWNER $SRC /app
#            ^^^^^^ undefined-variable
#                   ^^^^ undefined-variable
RUN --mount=type=secret,id=$SECRET_ID cat /x
#                          ^^^^^^^^^^ undefined-variable
VOLUME \${DATA}
#      ^^^^^^^ undefined-variable
STOPSIGNAL $SIG
#          ^^^^ undefined-variable
`,
      },
      {
        name: 'a global ARG not declared again in the stage',
        code: `ARG GO_VERSION=1.22
FROM debian:12
ENV GOLANG_VERSION=\${GO_VERSION}
#                  ^^^^^^^^^^^^^ undefined-variable
`,
      },
      {
        name: 'used before its ARG (another stage’s ARG is not read: the base image may set the name)',
        code: `FROM alpine:3.20 AS build
COPY $APP /src/
#    ^^^^ undefined-variable
ARG APP=server
FROM alpine:3.20
ARG PORT=8080
LABEL app=$APP
`,
      },
      {
        name: 'a likely typo of a name in scope, once per instruction',
        code: `FROM node:22
ENV APP_HOME=/srv/app
WORKDIR $APP_HOEM/$APP_HOEM
#       ^^^^^^^^^ undefined-variable
ENV PATH=$PAHT:/opt/bin
#        ^^^^^ undefined-variable
`,
      },
    ],
  });

  it('says what is known: the scope, or that the base image may set it', () => {
    assert.deepEqual(messages('undefined-variable', 'FROM scratch\nCOPY $foo .\n'), [
      '$foo is not declared: no ARG or ENV of this stage or the stages it is built on sets it, and scratch sets only PATH, so it is empty here.',
    ]);
    assert.deepEqual(messages('undefined-variable', 'FROM alpine:3.20\nARG DIR_ASSETS=assets/\nCOPY $DIR_ASSET .\n'), [
      '$DIR_ASSET is not declared in this stage or the stages it is built on (did you mean $DIR_ASSETS?): unless the base image sets it, it is empty here.',
    ]);
    assert.deepEqual(messages('undefined-variable', 'ARG V=1\nFROM alpine:3.20\nLABEL v=$V\n'), [
      '$V is a global ARG (before the first FROM), which only FROM lines see: unless the base image sets it, it is empty here. Declare `ARG V` in this stage.',
    ]);
    assert.deepEqual(messages('undefined-variable', 'FROM alpine:3.20\nCOPY $SRC .\nARG SRC=a\n'), [
      '$SRC is used before the ARG that declares it (line 3): unless the base image sets it, it is empty here. Declare it before this line.',
    ]);
  });

  it('is no typo two edits away (GOPATH is not PATH misspelt)', () => {
    assert.deepEqual(messages('undefined-variable', 'FROM golang:1.22\nENV GOBIN=$GOPATH/bin\n'), []);
  });
});
