import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';

describe('copy-archive-then-extract', () => {
  ruleCases('copy-archive-then-extract', {
    valid: [
      { name: 'an archive kept as it is', code: `FROM debian:12\nCOPY backup.tar /var/backups/\n` },
      { name: 'a zip ADD would not unpack', code: `FROM debian:12\nCOPY app.zip /opt/\nRUN unzip /opt/app.zip\n` },
      { name: 'a tar that lists, not extracts', code: `FROM debian:12\nCOPY app.tar /opt/\nRUN tar -tf /opt/app.tar\n` },
      { name: 'from another stage', code: `FROM debian:12 AS b\nFROM debian:12\nCOPY --from=b /app.tar /opt/\nRUN tar -xf /opt/app.tar\n` },
      {
        name: 'in a builder stage',
        code: `FROM debian:12 AS b\nCOPY app.tar /opt/\nRUN tar -xf /opt/app.tar\nFROM scratch\nCOPY --from=b /opt /opt\n`,
      },
    ],
    invalid: [
      {
        name: 'old-style flags, renamed on the way in',
        code: `FROM debian:12
COPY build/app.tar.xz /tmp/release.tar.xz
#    ^^^^^^^^^^^^^^^^ copy-archive-then-extract
RUN cd /opt && tar xJf /tmp/release.tar.xz
`,
      },
    ],
  });

  it('names the RUN that unpacks it', () => {
    assert.deepEqual(messages('copy-archive-then-extract', 'FROM debian:12\nCOPY a.tgz /\nRUN true\nRUN tar --extract -f /a.tgz\n'), [
      'a.tgz is copied in and unpacked by the RUN on line 4: the packed archive stays in a layer. ADD unpacks a local tar archive in one step.',
    ]);
  });
});
