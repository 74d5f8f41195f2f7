import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { renderPicture, stripPicture } from '../../../server/src/engine/pictures';
import { messages, ruleCases } from '../helpers';

describe('shell-form-cmd', () => {
  ruleCases('shell-form-cmd', {
    valid: [
      {
        name: 'exec form',
        code: `FROM node:18-buster
ENTRYPOINT ["node"]
CMD ["server.js"]
`,
      },
      {
        name: 'a SHELL instruction chooses the shell on purpose, also in stages built on it',
        code: `FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS base
SHELL ["powershell", "-Command"]
CMD Start-Service w3svc
FROM base
ENTRYPOINT Get-Content C:\\log.txt -Wait
`,
      },
      {
        name: 'a scratch stage without a shell is scratch-shell-form’s case',
        code: `FROM scratch
CMD /app
`,
      },
      {
        name: 'HEALTHCHECK CMD is not CMD',
        code: `FROM ubuntu:20.04
HEALTHCHECK CMD wget -q -O- http://localhost/ || exit 1
`,
      },
      {
        name: 'BuildKit check skip for JSONArgsRecommended',
        code: `# check=skip=JSONArgsRecommended
FROM ubuntu:20.04
CMD /app
`,
      },
      {
        name: 'BuildKit check skip all',
        code: `# check=skip=all
FROM ubuntu:20.04
CMD /app
`,
      },
      {
        name: "hadolint's DL3025 above the CMD",
        code: `FROM ubuntu:20.04
# hadolint ignore=DL3025
CMD /app
`,
      },
    ],
    invalid: [
      {
        name: 'shell-form CMD: the command',
        code: `FROM node:18-buster
CMD node server.js
#   ^^^^^^^^^^^^^^ shell-form-cmd
`,
      },
      {
        name: 'shell-form ENTRYPOINT, in a builder stage too',
        code: `FROM golang:1.22 AS build
ENTRYPOINT go run .
#          ^^^^^^^^ shell-form-cmd
FROM ubuntu:20.04
CMD ["/app"]
`,
      },
      {
        name: 'single quotes are not JSON',
        code: `FROM python:3.8-slim-buster
CMD ['python', 'app.py']
#   ^^^^^^^^^^^^^^^^^^^^ shell-form-cmd
`,
      },
      {
        name: 'a command over two lines, lowercase',
        code: `FROM ubuntu:20.04
cmd /app \\
#   ^^^^^^ shell-form-cmd ~+1:9
  --serve
`,
      },
      {
        name: 'a scratch stage with a shell copied in',
        code: `FROM scratch
COPY --from=busybox:1.36 /bin/busybox /bin/sh
CMD /app
#   ^^^^ shell-form-cmd
`,
      },
      {
        name: 'a SHELL in another stage does not count',
        code: `FROM ubuntu:20.04 AS a
SHELL ["/bin/ash", "-c"]
FROM ubuntu:20.04
CMD /app
#   ^^^^ shell-form-cmd
`,
      },
      {
        name: 'a check skip for another check',
        code: `# check=skip=StageNameCasing
FROM ubuntu:20.04
CMD /app
#   ^^^^ shell-form-cmd
`,
      },
    ],
  });

  it('says that ENTRYPOINT also drops CMD and run arguments, and that single quotes are not JSON', () => {
    assert.deepEqual(messages('shell-form-cmd', "FROM ubuntu:20.04\nENTRYPOINT /app\nCMD ['/app']\n"), [
      `ENTRYPOINT runs in shell form, under /bin/sh -c: the image's shell (dash before 0.5.11) keeps the program as its child, so it does not get SIGTERM on docker stop, and CMD and docker run arguments are ignored. Use the exec form, ENTRYPOINT ["executable", "arg"].`,
      'CMD is not valid JSON (strings need double quotes), so it runs in shell form: /bin/sh -c is given the text as a command, which is not a program, and the container does not start. Use the exec form with double quotes, CMD ["executable", "arg"].',
    ]);
  });

  // Judged on the corpus: the SIGTERM claim was false for a single command under modern shells,
  // a command that expands variables needs the shell, and `exec` already hands the process over.
  it('says what it knows of the signal, and what to do when the command needs the shell', () => {
    assert.deepEqual(
      messages(
        'shell-form-cmd',
        'FROM python:3.12\nCMD exec python app.py\nFROM python:3.12\nCMD exec sh -c \'trap "exit" TERM; python app.py\'\n',
      ),
      [],
    );
    // An image the tool does not know: it says what it cannot know.
    assert.deepEqual(
      messages(
        'shell-form-cmd',
        'FROM registry.example.com/base:1\nENTRYPOINT locust --host="http://${FRONTEND_ADDR}" -u "${USERS:-10}"\n',
      ),
      [
        "ENTRYPOINT runs in shell form, under /bin/sh -c: whether the program gets SIGTERM on docker stop depends on the image's shell (bash, dash 0.5.11+ and BusyBox run a single command in its place; older shells keep it as a child that never sees the signal), and CMD and docker run arguments are ignored. It needs the shell (variables or shell syntax), so start the program with exec: ENTRYPOINT exec …",
      ],
    );
    // Judged on the corpus: on python:alpine (BusyBox) or a Debian 11+ image, a single command gets the
    // signal; one that needs the shell has nothing better to do, and a CMD of one command nothing wrong.
    assert.deepEqual(
      messages(
        'shell-form-cmd',
        'FROM python:3.12-alpine\nENTRYPOINT locust --host="http://${FRONTEND_ADDR}" 2>&1\nFROM python:3.12\nCMD python app.py\n',
      ),
      [],
    );
    assert.deepEqual(messages('shell-form-cmd', 'FROM python:3.12\nENTRYPOINT python app.py\n'), [
      'ENTRYPOINT runs in shell form, under /bin/sh -c: CMD and docker run arguments are ignored. Use the exec form, ENTRYPOINT ["executable", "arg"].',
    ]);
    assert.deepEqual(messages('shell-form-cmd', 'FROM python:3.12\nCMD python migrate.py && python app.py\n'), [
      'CMD runs in shell form, under /bin/sh -c: the shell runs several commands, and unless it runs the last one in its place (bash does, dash does not) it stays PID 1, so the program does not get SIGTERM on docker stop. It needs the shell (several commands), so start the last one with exec: … && exec <program>',
    ]);
  });

  it('leaves scratch stages without a shell to scratch-shell-form, and the others to itself', () => {
    const picture = `FROM scratch AS bare
CMD /app
#   ^^^^ scratch-shell-form
FROM scratch AS shell
COPY --from=busybox:1.36 /bin/busybox /bin/sh
CMD /app
#   ^^^^ shell-form-cmd
FROM ubuntu:20.04
CMD /app
#   ^^^^ shell-form-cmd
`;
    const source = stripPicture(picture);
    const { findings } = lint(source, { only: ['shell-form-cmd', 'scratch-shell-form'] });
    assert.equal(renderPicture(source, findings), picture);
  });

  // Judged on the corpus: addon-resizer's FROM BASEIMAGE is replaced by distroless, which has no shell.
  it('says nothing over a template placeholder or an unknown build argument: its shell is not known', () => {
    assert.deepEqual(
      messages('shell-form-cmd', 'FROM BASEIMAGE\nCMD /pod_nanny --v=2\nFROM alpine:3.20 AS x\nARG BASE\nFROM ${BASE}\nCMD /app --serve\n'),
      [],
    );
  });
});
