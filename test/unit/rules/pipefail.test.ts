import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { applyFix, fixTitles, messages, ruleCases, severities } from '../helpers';

const RULE = 'pipefail';

describe(RULE, () => {
  ruleCases(RULE, {
    valid: [
      {
        name: 'SHELL with pipefail, in the stage or a stage it is built on',
        code: `FROM debian:12 AS base
SHELL ["/usr/bin/bash", "-o", "errexit", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/x.tgz | tar -xz
FROM base
RUN curl -fsSL https://example.com/y.tgz | tar -xz
`,
      },
      {
        name: 'set -o pipefail in the RUN before the pipe, in any spelling',
        code: `FROM debian:12
RUN set -eux -o pipefail; curl -fsSL https://example.com/x.tgz | tar -xz
RUN set -Eeuo pipefail && wget -qO- https://example.com/x.tgz | tar -xz
`,
      },
      {
        name: '/bin/sh -o pipefail where /bin/sh knows it (Alpine, Red Hat)',
        code: `FROM alpine:3.20
SHELL ["/bin/sh", "-o", "pipefail", "-c"]
RUN wget -qO- https://example.com/x.tgz | tar -xz
`,
      },
      {
        name: 'pipes whose status is a test or ignored, and feeders that cannot fail',
        code: `FROM debian:12
RUN if dpkg -l | grep -q curl; then echo yes; fi
RUN ! { ldd /usr/bin/app | grep 'not found'; }
RUN echo "$SHA  app.tgz" | sha256sum -c - && yes | apt-get install foo
RUN find / -name '*.pyc' | xargs rm -f || true
`,
      },
      {
        name: 'case patterns, PowerShell, cmd and Windows images',
        code: `FROM debian:12
RUN case "$(uname -m)" in x86_64|amd64) arch=amd64 ;; aarch64|arm64) arch=arm64 ;; esac
SHELL ["pwsh", "-Command"]
RUN Get-ChildItem | Select-Object Name
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN dir | findstr foo
`,
      },
      {
        name: 'an exec-form RUN of bash -o pipefail',
        code: `FROM debian:12
RUN ["bash", "-o", "pipefail", "-c", "curl -fsSL https://example.com/x.tgz | tar -xz"]
`,
      },
    ],
    invalid: [
      {
        name: 'no SHELL, a SHELL without it, and the shell changed back',
        code: `FROM debian:12
RUN curl -fsSL https://example.com/x.tgz | tar -xz
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ pipefail
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN wget -O- https://example.com | wc -l
SHELL ["/bin/bash", "-c"]
RUN cat *.patch | patch -p1 | tee log
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ pipefail
`,
      },
      {
        name: 'an exec-form RUN of a shell without it',
        code: `FROM debian:12
RUN ["bash", "-c", "curl -fsSL https://example.com/x.tgz | tar -xz"]
#                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ pipefail
`,
      },
      {
        name: 'a pipe before set -o pipefail, and /bin/sh -o pipefail on Debian',
        code: `FROM debian:12
RUN cat a | wc -l && set -o pipefail && cat b | wc -l
#   ^^^^^^^^^^^^^ pipefail
FROM debian:12
SHELL ["/bin/sh", "-o", "pipefail", "-c"]
RUN cat a | wc -l
#   ^^^^^^^^^^^^^ pipefail
`,
      },
    ],
  });

  it('is a warning for a pipe from a download or an integrity check, info for others', () => {
    assert.deepEqual(
      severities(RULE, 'FROM debian:12\nRUN find / -name "*.so" | xargs ldd\nRUN ls | sort; curl -fsSL https://x/y.tgz | tar -xz\n'),
      ['2:4 info', '3:15 warning'],
    );
  });

  it('counts the other pipes and says what to use', () => {
    assert.deepEqual(messages(RULE, 'FROM alpine:3.20\nRUN cat a | wc -l; cat b | wc -l\n'), [
      'A pipe without pipefail (and 1 more in this RUN): if a command before the last fails, the RUN still succeeds. Use SHELL ["/bin/sh", "-o", "pipefail", "-c"] (BusyBox ash knows it), or set -o pipefail in the RUN.',
    ]);
  });

  it('suggests SHELL bash -o pipefail above the RUN and its comments, only where the image has bash', async () => {
    const text = 'FROM ubuntu:24.04\n# fetch\nRUN curl -fsSL https://example.com/x.tgz | tar -xz\n';
    assert.deepEqual(fixTitles(RULE, text), ['Run RUN steps with bash -o pipefail (SHELL; check the later RUNs of the stage under bash)']);
    const after = await applyFix(RULE, text, 'Run RUN steps');
    assert.equal(
      after,
      'FROM ubuntu:24.04\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\n# fetch\nRUN curl -fsSL https://example.com/x.tgz | tar -xz\n',
    );
    assert.deepEqual(lint(after, { only: [RULE] }).findings, []);
    assert.deepEqual(fixTitles(RULE, 'FROM alpine:3.20\nRUN cat a | wc -l\n'), []);
    assert.deepEqual(fixTitles(RULE, 'FROM debian:12\nSHELL ["/bin/bash", "-c"]\nRUN cat a | wc -l\n'), []);
  });
});
