import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';

describe('pointless-command', () => {
  ruleCases('pointless-command', {
    valid: [
      { name: 'installing the package is not running it', code: `FROM debian:12\nRUN apt-get install -y vim openssh-client\n` },
      { name: 'a server started for one step', code: `FROM mysql:8\nRUN service mysql start && mysql < /init.sql && service mysql stop\n` },
      { name: 'ssh running a command', code: `FROM debian:12\nRUN ssh -T git@example.com true\n` },
    ],
    invalid: [
      {
        name: 'behind sudo, and in an ONBUILD trigger',
        code: `FROM debian:12
RUN sudo mount -t tmpfs none /mnt
#        ^^^^^ pointless-command
ONBUILD RUN top -b -n 1
#           ^^^ pointless-command
`,
      },
    ],
  });

  it('says what the command does in a build step', () => {
    assert.deepEqual(messages('pointless-command', 'FROM debian:12\nRUN free -m\n'), [
      'free shows the build machine’s memory, not the container’s: remove it from the build.',
    ]);
  });
});
