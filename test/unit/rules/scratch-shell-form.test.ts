import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { messages, ruleCases } from '../helpers';

describe('scratch-shell-form', () => {
  ruleCases('scratch-shell-form', {
    valid: [
      {
        name: 'exec form everywhere',
        code: `FROM scratch
COPY --from=build /out/app /app
RUN ["/app", "--self-test"]
ENTRYPOINT ["/app"]
CMD ["--serve"]
HEALTHCHECK CMD ["/app", "health"]
`,
      },
      {
        name: 'a shell copied to /bin/sh',
        code: `FROM scratch
COPY --from=busybox:1.36 /bin/busybox /bin/sh
RUN echo hi
CMD /app
`,
      },
      {
        name: 'a directory that may hold a shell copied to /bin',
        code: `FROM scratch
COPY --from=busybox:1.36 /bin/ /bin/
RUN echo hi
`,
      },
      {
        name: 'a root file system unpacked into /',
        code: `FROM scratch
ADD alpine-minirootfs.tar.gz /
RUN apk add --no-cache curl
CMD /bin/sh
`,
      },
      {
        name: 'a SHELL instruction, inherited',
        code: `FROM scratch AS base
COPY --from=tools /busybox /busybox
SHELL ["/busybox", "sh", "-c"]
FROM base
RUN echo hi
`,
      },
      {
        name: 'a shell in the scratch stage it builds on',
        code: `FROM scratch AS base
COPY --from=busybox:1.36 /bin/busybox /bin/sh
FROM base
RUN echo hi
`,
      },
      {
        name: 'images with a shell',
        code: `FROM alpine:3.20
RUN echo hi
CMD /app
`,
      },
      {
        name: 'HEALTHCHECK NONE',
        code: `FROM scratch
HEALTHCHECK NONE
`,
      },
    ],
    invalid: [
      {
        name: 'RUN: its keyword',
        code: `FROM scratch
COPY --from=build /out/app /app
RUN chmod +x /app
^^^ scratch-shell-form
`,
      },
      {
        name: 'shell-form CMD, ENTRYPOINT and HEALTHCHECK CMD: the command',
        code: `FROM scratch
ENTRYPOINT /app
#          ^^^^ scratch-shell-form
CMD --serve --port 8080
#   ^^^^^^^^^^^^^^^^^^^ scratch-shell-form
HEALTHCHECK --interval=30s CMD /app health
#                              ^^^^^^^^^^^ scratch-shell-form
`,
      },
      {
        name: 'a JSON array with single quotes is shell form',
        code: `FROM scratch
ENTRYPOINT ['/app']
#          ^^^^^^^^ scratch-shell-form
`,
      },
      {
        name: 'scratch inherited through a stage, lowercase',
        code: `from scratch as base
copy app /app
from base
run /app --init
^^^ scratch-shell-form
`,
      },
      {
        name: 'a command over two lines',
        code: `FROM scratch
CMD /app \\
#   ^^^^^^ scratch-shell-form ~+1:11
    --serve
`,
      },
      {
        name: 'the shell copied to another place',
        code: `FROM scratch
COPY --from=busybox:1.36 /bin/busybox /busybox
RUN echo hi
^^^ scratch-shell-form
`,
      },
      {
        name: 'every scratch stage, shipped or not',
        code: `FROM scratch AS export
RUN echo hi
^^^ scratch-shell-form
FROM alpine:3.20
RUN echo hi
`,
      },
    ],
  });

  it('explains the failure and gives the exec form', () => {
    assert.deepEqual(messages('scratch-shell-form', "FROM scratch\nRUN x\nCMD ['/app']\n"), [
      'RUN in a scratch stage: there is no /bin/sh to run it. Run it in the builder stage and COPY the result.',
      'Shell-form CMD in a scratch stage (it is not valid JSON, so it is taken as a shell command): it runs /bin/sh, which does not exist there, so it cannot start. Use the exec form, CMD ["/app", "arg"].',
    ]);
  });

  it('a directory copied from an image the tool does not know may bring a shell: unknown, so silent', () => {
    const text = 'FROM ghcr.io/acme/toolbox:1 AS tools\nFROM scratch\nCOPY --from=tools /toolbox/ /bin/\nCMD /bin/app --serve\n';
    assert.deepEqual(lint(text, { only: ['scratch-shell-form'] }).findings, []);
  });

  // Judged on the corpus: shell-form-cmd spoke of SIGTERM on distroless images, which cannot start a shell-form command at all.
  it('distroless and Chainguard static have no shell either; a :debug variant has one', () => {
    assert.deepEqual(messages('scratch-shell-form', 'FROM gcr.io/distroless/static-debian13:nonroot\nCOPY app /app\nCMD /app --serve\n'), [
      'Shell-form CMD in a stage on gcr.io/distroless/static-debian13, which has no shell: it runs /bin/sh, which does not exist there, so it cannot start. Use the exec form, CMD ["/app", "arg"].',
    ]);
    assert.equal(messages('scratch-shell-form', 'FROM cgr.dev/chainguard/static\nENTRYPOINT /app\n').length, 1);
    assert.deepEqual(messages('scratch-shell-form', 'FROM gcr.io/distroless/base-debian12:debug\nCMD /app --serve\n'), []);
    assert.deepEqual(
      messages('shell-form-cmd', 'FROM gcr.io/distroless/static-debian13\nCMD /app --serve\n'),
      [],
      'reported by scratch-shell-form instead',
    );
  });
});
