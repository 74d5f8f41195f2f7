import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';

describe('sudo', () => {
  ruleCases('sudo', {
    valid: [
      {
        name: 'a builder stage (its sudo does not ship)',
        code: `FROM debian:12 AS build
RUN sudo make
FROM debian:12
COPY --from=build /out /out
`,
      },
      {
        name: 'installing the sudo package or naming the sudo group is not running sudo',
        code: `FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends sudo \\
 && usermod -aG sudo app && echo "app ALL=(ALL) NOPASSWD: ALL" > /etc/sudoers.d/app && echo sudo
`,
      },
      {
        name: 'switching users with USER',
        code: `FROM debian:12
RUN apt-get update
USER app
RUN make
`,
      },
      {
        name: 'sudo in CMD or ENTRYPOINT is not a build step',
        code: `FROM debian:12
ENTRYPOINT ["sudo", "-E", "/entrypoint.sh"]
`,
      },
      {
        name: 'a command from a variable',
        code: `FROM debian:12
ARG SUDO
RUN $SUDO apt-get update
`,
      },
      {
        name: "hadolint's DL3004 ignore comment",
        code: `FROM debian:12
# hadolint ignore=DL3004
RUN sudo apt-get update
`,
      },
      {
        name: "hadolint's global ignore",
        code: `# hadolint global ignore=DL3004
FROM debian:12
RUN sudo apt-get update
RUN sudo make install
`,
      },
    ],
    invalid: [
      {
        name: 'sudo as the command',
        code: `FROM debian:12
USER app
RUN sudo apt-get update
#   ^^^^ sudo
`,
      },
      {
        name: 'once per RUN, on its first sudo',
        code: `FROM debian:12
RUN sudo apt-get update && sudo -u app make install
#   ^^^^ sudo
`,
      },
      {
        name: 'sudo on a continuation line and inside if/then',
        code: `FROM debian:12
RUN set -e; \\
    if [ -x /usr/bin/sudo ]; then sudo -E bash -c "id"; fi
#                                 ^^^^ sudo
`,
      },
      {
        name: 'behind env, xargs and timeout',
        code: `FROM debian:12
RUN env DEBIAN_FRONTEND=noninteractive sudo apt-get install -y curl
#                                      ^^^^ sudo
RUN ls /tmp/old | xargs sudo rm -f
#                       ^^^^ sudo
RUN timeout 60 sudo apt-get update
#              ^^^^ sudo
`,
      },
      {
        name: 'a full path',
        code: `FROM debian:12
RUN /usr/bin/sudo id
#   ^^^^^^^^^^^^^ sudo
`,
      },
      {
        name: 'exec form: the JSON string, quotes included',
        code: `FROM debian:12
RUN ["sudo", "apt-get", "update"]
#    ^^^^^^ sudo
`,
      },
      {
        name: 'a heredoc script',
        code: `FROM debian:12
RUN <<EOF
set -e
sudo apt-get update
^^^^ sudo
EOF
`,
      },
      {
        name: 'a hadolint ignore comment for another code does not silence it',
        code: `FROM debian:12
# hadolint ignore=DL3008
RUN sudo apt-get update
#   ^^^^ sudo
`,
      },
    ],
  });

  it('says what to do instead', () => {
    assert.deepEqual(messages('sudo', 'FROM debian:12\nRUN sudo id\n'), [
      'sudo in a RUN: use USER to switch users for build steps, and do not ship sudo in the image.',
    ]);
  });

  it('says how many more a RUN has, and is silent in a development image', () => {
    const text = 'FROM debian:12\nRUN sudo apt-get update && sudo apt-get install -y vim && sudo rm -rf /var/lib/apt/lists/*\n';
    assert.deepEqual(messages('sudo', text), [
      'sudo in a RUN (and 2 more in this RUN): use USER to switch users for build steps, and do not ship sudo in the image.',
    ]);
    assert.deepEqual(messages('sudo', text, { path: '.devcontainer/Dockerfile' }), []);
  });
});
