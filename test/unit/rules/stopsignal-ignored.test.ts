import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { ruleCases } from '../helpers';

const ID = 'stopsignal-ignored';

describe(ID, () => {
  ruleCases(ID, {
    valid: [
      {
        name: 'signals programs stop on, in any case, with or without SIG, by number',
        code: `FROM debian:12
STOPSIGNAL SIGQUIT
STOPSIGNAL int
STOPSIGNAL sigterm
STOPSIGNAL 15
STOPSIGNAL SIGRTMIN+3
CMD ["nginx"]
`,
      },
      {
        name: 'the last command replaces the shell',
        code: `FROM python:3.12-slim
CMD ["sh", "-c", "python manage.py migrate && exec gunicorn app:app"]
`,
      },
      {
        name: 'the script traps the signal',
        code: `FROM debian:12
CMD ["sh", "-c", "trap 'kill $PID' TERM; app & PID=$!; wait"]
`,
      },
      {
        name: 'bash runs the last command in its place',
        code: `FROM debian:12
CMD ["bash", "-c", "setup && serve"]
`,
      },
      {
        name: 'Alpine: BusyBox sh, not known here',
        code: `FROM alpine:3.20
CMD ["sh", "-c", "setup && serve"]
`,
      },
      {
        name: 'a single command',
        code: `FROM debian:12
CMD ["sh", "-c", "serve --port $PORT"]
`,
      },
      {
        name: 'shell form without STOPSIGNAL: shell-form-cmd reports it',
        code: `FROM debian:12
CMD setup && serve
`,
      },
      {
        name: 'an ENTRYPOINT wraps the shell (tini)',
        code: `FROM debian:12
ENTRYPOINT ["tini", "--"]
CMD ["sh", "-c", "setup && serve"]
`,
      },
      {
        name: 'SIGKILL ends the shell too',
        code: `FROM debian:12
STOPSIGNAL SIGKILL
CMD ["sh", "-c", "setup && serve"]
`,
      },
      {
        name: 'SIGWINCH: Apache stops on it',
        code: `FROM httpd:2.4
STOPSIGNAL SIGWINCH
`,
      },
      {
        name: 'a variable the tool cannot read',
        code: `FROM debian:12
ARG SIG
STOPSIGNAL $SIG
`,
      },
      {
        name: 'a stage that does not ship',
        code: `FROM debian:12 AS tools
STOPSIGNAL SIGCONT
CMD ["sh", "-c", "a && b"]
FROM debian:12
CMD ["serve"]
`,
      },
      {
        name: '/bin/sh relinked to bash',
        code: `FROM debian:12
RUN ln -sf /bin/bash /bin/sh
CMD ["sh", "-c", "setup && serve"]
`,
      },
    ],
    invalid: [
      {
        name: 'explicit signal, shell-form CMD with several commands',
        code: `FROM debian:12
STOPSIGNAL SIGINT
#          ^^^^^^ stopsignal-ignored
CMD setup; serve
`,
      },
      {
        name: 'default signal, exec-form sh -c with several commands',
        code: `FROM ubuntu:24.04
ENTRYPOINT ["/bin/sh", "-c", "envsubst < a.tmpl > a.conf && serve -c a.conf"]
#          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ stopsignal-ignored
`,
      },
      {
        name: 'signals that do not end a process, by name or number, inherited',
        code: `FROM debian:12 AS base
STOPSIGNAL 17
#          ^^ stopsignal-ignored
FROM base
`,
      },
      {
        name: 'SIGSTOP and SIGURG',
        code: `FROM debian:12
STOPSIGNAL SIGURG
STOPSIGNAL SIGSTOP
#          ^^^^^^^ stopsignal-ignored
`,
      },
      {
        name: 'not a signal, in any stage',
        code: `FROM debian:12 AS a
STOPSIGNAL SIGTRM
#          ^^^^^^ stopsignal-ignored
FROM debian:12
ARG S=0
STOPSIGNAL $S
#          ^^ stopsignal-ignored
`,
      },
    ],
  });

  it('says what PID 1 is and how to fix it', () => {
    const text = 'FROM debian:12\nSTOPSIGNAL SIGINT\nCMD setup && serve\n';
    const [f] = lint(text, { only: [ID] }).findings;
    assert.match(
      f.message,
      /^STOPSIGNAL SIGINT will not reach the program: PID 1 is \/bin\/sh \(dash\) running several commands from CMD \(line 3\)/,
    );
    assert.match(f.message, /exec <program>/);
    assert.deepEqual(f.fixes ?? [], []);
  });

  it('explains a signal that does not end a process', () => {
    const [f] = lint('FROM debian:12\nSTOPSIGNAL SIGCHLD\n', { only: [ID] }).findings;
    assert.match(f.message, /SIGCHLD is ignored by default/);
  });

  it('the builder rejects names that are not signals', () => {
    const [f] = lint('FROM debian:12\nSTOPSIGNAL TERMINATE\n', { only: [ID] }).findings;
    assert.match(f.message, /STOPSIGNAL TERMINATE is not a signal: the builder rejects it/);
  });
});
