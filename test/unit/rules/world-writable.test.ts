import * as assert from 'node:assert/strict';
import { isWorldWritable } from '../../../server/src/rules/world-writable';
import { messages, ruleCases } from '../helpers';

describe('world-writable', () => {
  describe('isWorldWritable', () => {
    const cases: [string, boolean][] = [
      ['777', true],
      ['0777', true],
      ['666', true],
      ['776', true],
      ['2777', true], // setgid is not sticky
      ['4777', true],
      ['7', true], // 0007
      ['755', false],
      ['775', false],
      ['1777', false], // sticky: the shared-temp pattern
      ['01777', false],
      ['3777', false],
      ['o+w', true],
      ['a+w', true],
      ['a+rwx', true],
      ['ugo=rwx', true],
      ['o=rwx', true],
      ['g+w,o+w', true],
      ['a+rw-x', true],
      ['u+w', false],
      ['g+w', false],
      ['+w', false], // follows the umask
      ['go=rx', false],
      ['a+w,o-w', false], // clauses apply in order
      ['a=rwx,o=rx', false],
      ['ugo+rwx,o+t', false], // sticky, written symbolically
      ['+t,a+w', false],
      ['a+rwx,-t', true],
      ['app.sh', false],
      ['-R', false],
    ];
    for (const [mode, expected] of cases) {
      it(`${mode} -> ${expected}`, () => assert.equal(isWorldWritable(mode), expected));
    }
    it('the sticky bit does not protect files when applied recursively', () => {
      assert.equal(isWorldWritable('1777', true), true);
      assert.equal(isWorldWritable('ugo+rwx,o+t', true), true);
      assert.equal(isWorldWritable('1755', true), false);
    });
  });

  ruleCases('world-writable', {
    valid: [
      {
        // Reproductions (judged on the corpus): the golang and wordpress images, kubernetes/release, nginx.
        name: 'recursive sticky on just-made (empty) directories; sticky right after; a temporary directory removed',
        code: `FROM alpine:3.20
RUN mkdir -p "$GOPATH/src" "$GOPATH/bin" && chmod -R 1777 "$GOPATH"
RUN set -eux; mkdir -p wp-content/uploads wp-content/plugins; chmod -R 1777 wp-content
RUN chmod a+rwx $TMPDIR && chmod o+t $TMPDIR
RUN tempDir="$(mktemp -d)"; chmod 777 "$tempDir"; apt-get source nginx; rm -rf "$tempDir"
`,
      },
      {
        name: 'a builder stage (its files ship only as copied)',
        code: `FROM alpine:3.20 AS build
RUN chmod -R 777 /src
FROM alpine:3.20
COPY --from=build /src/app /app
`,
      },
      {
        name: 'owner-only and group-writable modes',
        code: `FROM alpine:3.20
RUN chmod 755 /app && chmod -R 775 /data && chmod g+w,o-w /srv && chmod +x /entrypoint.sh
`,
      },
      {
        name: 'sticky directories, octal and symbolic',
        code: `FROM alpine:3.20
RUN mkdir -p /scratch && chmod 1777 /scratch /tmp && chmod ugo+rwx,o+t /run/app
RUN mkdir -m 1777 /shared
`,
      },
      {
        name: 'COPY --chmod without write for others',
        code: `FROM alpine:3.20
COPY --chown=app:app --chmod=644 config.yaml /etc/app/
ADD --chmod=0755 tool /usr/local/bin/tool
`,
      },
      {
        name: 'a mode from an unknown variable',
        code: `FROM alpine:3.20
ARG MODE
RUN chmod $MODE /app
`,
      },
      {
        name: 'chmod options are not the mode; --reference copies another file',
        code: `FROM alpine:3.20
RUN chmod -R -v 750 /app && chmod --reference=/etc/hosts /app/hosts
`,
      },
      {
        name: 'mkdir and install with safe modes',
        code: `FROM alpine:3.20
RUN mkdir -m 0750 -p /var/lib/app && install -m 0755 -d /etc/apt/keyrings
`,
      },
      {
        name: 'our ignore comment',
        code: `FROM alpine:3.20
# dockerfile-hardener ignore=world-writable
RUN chmod 777 /tmp/build-cache
`,
      },
    ],
    invalid: [
      {
        name: 'chmod -R with a sticky mode makes the files inside writable',
        code: `FROM alpine:3.20
RUN chmod -R 1777 /var/www/html
#            ^^^^ world-writable
CMD ["/app"]
`,
      },
      {
        name: 'chmod 777 and chmod -R 777: the mode',
        code: `FROM alpine:3.20
RUN chmod 777 /app && chmod -R 0777 /data
#         ^^^ world-writable
#                              ^^^^ world-writable
CMD ["/app"]
`,
      },
      {
        name: 'writable by others without execute: 666, 776',
        code: `FROM alpine:3.20
RUN chmod 666 /app/config && chmod 776 /app/data
#         ^^^ world-writable
#                                  ^^^ world-writable
CMD ["/app"]
`,
      },
      {
        name: 'symbolic modes',
        code: `FROM alpine:3.20
RUN chmod a+w /app && chmod -R o+w /data && chmod ugo=rwx /srv
#         ^^^ world-writable
#                              ^^^ world-writable
#                                                 ^^^^^^^ world-writable
CMD ["/app"]
`,
      },
      {
        name: 'setgid is not the sticky bit',
        code: `FROM postgres:16
RUN chmod 2777 /run/postgresql
#         ^^^^ world-writable
CMD ["/app"]
`,
      },
      {
        name: 'COPY and ADD --chmod: the flag',
        code: `FROM alpine:3.20
COPY --chmod=666 config.yaml /etc/app/
#    ^^^^^^^^^^^ world-writable
ADD --chown=app --chmod=a+rwx app.tar.gz /opt/
#               ^^^^^^^^^^^^^ world-writable
CMD ["/app"]
`,
      },
      {
        name: 'mkdir -m and install -m, separate, joined or in a cluster',
        code: `FROM alpine:3.20
RUN mkdir -p -m 777 /cache && install -d --mode=0777 /uploads && mkdir -m777 /x
#               ^^^ world-writable
#                                        ^^^^^^^^^^^ world-writable
#                                                                      ^^^^^ world-writable
RUN mkdir -pm 0777 /a && install -Dm666 app.conf /etc/app.conf && mkdir --mode a+w /b
#             ^^^^ world-writable
#                                ^^^^^^ world-writable
#                                                                              ^^^ world-writable
CMD ["/app"]
`,
      },
      {
        name: 'behind xargs, on a continuation line',
        code: `FROM alpine:3.20
RUN find /app -type d \\
  | xargs chmod 777
#               ^^^ world-writable
CMD ["/app"]
`,
      },
    ],
  });

  it('names the mode', () => {
    assert.deepEqual(messages('world-writable', 'FROM alpine:3.20\nRUN chmod -R a+rwx /app\nCMD ["/app"]\n'), [
      'Mode a+rwx makes files writable by every user in the container. Give ownership to the user that writes instead.',
    ]);
  });

  it('still reports a recursive sticky mode over files that were already there, and a+rwx made sticky elsewhere', () => {
    assert.equal(messages('world-writable', 'FROM alpine:3.20\nCOPY app /srv/app\nRUN chmod -R 1777 /srv\nCMD ["/app"]\n').length, 1);
    assert.equal(messages('world-writable', 'FROM alpine:3.20\nRUN chmod a+rwx /data && chmod o+t /other\nCMD ["/app"]\n').length, 1);
    assert.equal(messages('world-writable', 'FROM alpine:3.20\nRUN chmod 777 /data && rm -rf /data/cache\nCMD ["/app"]\n').length, 1);
  });
});
