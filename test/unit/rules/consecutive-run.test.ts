import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { applyFix, fixTitles, ruleCases } from '../helpers';

const RULE = 'consecutive-run';
const on = { rules: { [RULE]: 'info' as const } };

describe(RULE, () => {
  ruleCases(RULE, {
    valid: [
      {
        name: 'RUNs that chain commands, are apart, mount different things, or run a heredoc',
        code: `FROM debian:12
RUN apt-get update && apt-get install -y curl
RUN make
COPY . /src
RUN make install
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
RUN --network=none python -m compileall /app
RUN <<END
echo one
END
RUN echo two
`,
      },
    ],
    invalid: [
      {
        name: 'each RUN of one command after another, with comments between, and the same flags',
        code: `FROM debian:12
RUN apt-get update
RUN apt-get install -y curl
^^^ consecutive-run
# build
RUN make
^^^ consecutive-run
RUN --mount=type=cache,target=/root/.cache go build ./...
RUN --mount=type=cache,target=/root/.cache go test ./...
^^^ consecutive-run
`,
      },
    ],
  });

  it('joins the RUN to the one before with && and a continuation', async () => {
    const text = 'FROM debian:12\nRUN ./configure --prefix=/usr \\\n    --enable-x\nRUN make\n';
    const after = await applyFix(RULE, text, 'Join', on);
    assert.equal(after, 'FROM debian:12\nRUN ./configure --prefix=/usr \\\n    --enable-x && \\\n    make\n');
    assert.deepEqual(lint(after, { only: [RULE], ...on }).findings, []);
    const crlf = await applyFix(RULE, 'FROM debian:12\r\nRUN a\r\nRUN b\r\n', 'Join', on);
    assert.equal(crlf, 'FROM debian:12\r\nRUN a && \\\r\n    b\r\n');
  });

  it('offers no join where it would change what runs, or lose a comment', () => {
    for (const text of [
      'FROM debian:12\nRUN cd /src\nRUN make\n',
      'FROM debian:12\nRUN export A=1\nRUN make\n',
      'FROM debian:12\nRUN A=1\nRUN make\n',
      'FROM debian:12\nRUN make # build it\nRUN make install\n',
      'FROM debian:12\nRUN make\n# hadolint ignore=DL3008\nRUN apt-get install -y curl\n',
      'FROM debian:12\nRUN ["make"]\nRUN make install\n',
    ])
      assert.deepEqual(fixTitles(RULE, text, on), [], text);
  });
});
