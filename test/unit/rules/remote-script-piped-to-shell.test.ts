import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';

describe('remote-script-piped-to-shell', () => {
  ruleCases('remote-script-piped-to-shell', {
    valid: [
      {
        name: 'download, verify, then run',
        code: `FROM debian:12
RUN curl -fsSLo /tmp/install.sh https://example.com/install.sh \\
 && echo "0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5  /tmp/install.sh" | sha256sum -c - \\
 && sh /tmp/install.sh
`,
      },
      {
        name: 'a key piped to gpg, an archive piped to tar',
        code: `FROM debian:12
RUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/example.gpg \\
 && curl -fsSL https://example.com/tool.tar.gz | tar -xz -C /usr/local/bin \\
 && wget -qO- https://example.com/data.json | jq .version
`,
      },
      {
        name: 'a shell fed by something other than a download',
        code: `FROM debian:12
RUN echo 'echo hi' | sh && cat /tmp/script.sh | bash
`,
      },
      {
        name: 'a download in one pipeline, a shell in the next',
        code: `FROM debian:12
RUN curl -fsSL https://example.com/x | sha256sum; echo done | sh
`,
      },
      {
        name: 'a shell that runs a downloaded file it did not read from the pipe',
        code: `FROM debian:12
RUN wget -O /tmp/i.sh https://example.com/i.sh && bash /tmp/i.sh
`,
      },
      {
        name: 'our ignore comment',
        code: `FROM debian:12
# dockerfile-hardener ignore=remote-script-piped-to-shell
RUN curl -fsSL https://deb.nodesource.com/setup_22.x | bash -
`,
      },
    ],
    invalid: [
      {
        name: 'curl into bash: the whole pipeline',
        code: `FROM debian:12
RUN curl -fsSL https://example.com/install.sh | bash -s -- --yes
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ remote-script-piped-to-shell
`,
      },
      {
        name: 'wget -O- into sh',
        code: `FROM alpine:3.20
RUN wget -O- https://example.com/install.sh | sh
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ remote-script-piped-to-shell
`,
      },
      {
        name: 'into sudo bash and sudo -E bash',
        code: `FROM debian:12
RUN curl -fsSL https://example.com/i.sh | sudo bash
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ remote-script-piped-to-shell
RUN curl -fsSL https://example.com/i.sh | sudo -E bash -
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ remote-script-piped-to-shell
`,
      },
      {
        name: 'through tee on the way',
        code: `FROM debian:12
RUN curl -s https://example.com/i.sh | tee /tmp/i.sh | sh
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ remote-script-piped-to-shell
`,
      },
      {
        name: 'into other interpreters',
        code: `FROM python:3.12-slim
RUN curl -sSL https://install.python-poetry.org | python3 -
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ remote-script-piped-to-shell
RUN curl -sS https://getcomposer.org/installer | php
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ remote-script-piped-to-shell
`,
      },
      {
        name: 'sh -c "$(curl …)" and bash <(curl …)',
        code: `FROM debian:12
RUN sh -c "$(curl -fsSL https://example.com/install.sh)"
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ remote-script-piped-to-shell
RUN bash <(curl -s https://example.com/install.sh) --yes
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ remote-script-piped-to-shell
`,
      },
      {
        name: 'eval and source of a download',
        code: `FROM debian:12
RUN eval "$(curl -fsSL https://example.com/env.sh)"
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ remote-script-piped-to-shell
RUN . <(wget -qO- https://example.com/env.sh)
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ remote-script-piped-to-shell
`,
      },
      {
        name: 'a pipeline over continuation lines',
        code: `FROM debian:12
RUN set -e; \\
    curl -fsSL https://deb.nodesource.com/setup_22.x \\
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ remote-script-piped-to-shell ~+1:14
      | bash - && apt-get install -y nodejs
`,
      },
      {
        name: 'inside an exec-form sh -c',
        code: `FROM debian:12
RUN ["sh", "-c", "curl -fsSL https://example.com/i.sh | sh"]
#                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ remote-script-piped-to-shell
`,
      },
      {
        name: 'in a heredoc script',
        code: `FROM debian:12
RUN <<EOF
set -e
curl -fsSL https://example.com/i.sh | sh
^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ remote-script-piped-to-shell
EOF
`,
      },
    ],
  });

  it('names the interpreter', () => {
    assert.deepEqual(
      messages(
        'remote-script-piped-to-shell',
        'FROM debian:12\nRUN curl -s https://x.example | sudo bash\nRUN . <(curl -s https://x.example)\n',
      ),
      [
        'A downloaded script is piped into bash: it runs unverified. Download it to a file, check a pinned checksum, then run it.',
        'A downloaded script runs in . (source): it runs unverified. Download it to a file, check a pinned checksum, then run it.',
      ],
    );
  });
});
