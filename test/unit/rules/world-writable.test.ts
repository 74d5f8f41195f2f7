import * as assert from 'node:assert/strict';
import { isStickyWorldWritable, isTempDir, isWorldWritable } from '../../../server/src/rules/world-writable';
import { messages, ruleCases, severities } from '../helpers';

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
        name: 'recursive sticky on just-made (empty) temp directories; sticky right after; a temporary directory removed',
        code: `FROM alpine:3.20
RUN mkdir -p /tmp/build/src /tmp/build/bin && chmod -R 1777 /tmp/build
RUN chmod a+rwx $TMPDIR && chmod o+t $TMPDIR
RUN tempDir="$(mktemp -d)"; chmod 777 "$tempDir"; apt-get source nginx; rm -rf "$tempDir"
RUN mkdir -p /srv/data && chmod 1777 /srv/data && rm -rf /srv/data
CMD ["/app"]
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
        name: 'sticky temporary directories, octal and symbolic',
        code: `FROM alpine:3.20
ENV APP_TMP=/var/tmp/app
RUN mkdir -p /tmp/x "$APP_TMP" && chmod 1777 /tmp /var/tmp/ /dev/shm "$APP_TMP" && chmod ugo+rwx,o+t /run/lock /tmp/x
RUN mkdir -m 1777 /tmp/shared && install -d -m 1777 /var/tmp/cache && chmod 01777 "$TMPDIR" \${TEMP_DIR}/x
RUN chmod 1777 logs/tmp && chmod 1777 /opt/app/temp /run/user
CMD ["/app"]
`,
      },
      {
        name: 'sticky on other directories in a builder or a toolchain image',
        code: `FROM golang:1.23 AS build
RUN chmod 1777 /data
FROM golang:1.23
ENV GOPATH=/go
RUN mkdir -p "$GOPATH/src" "$GOPATH/bin" && chmod -R 1777 "$GOPATH"
`,
      },
      {
        name: 'sticky mode where the directories are not known',
        code: `FROM alpine:3.20
RUN find /srv -type d -exec chmod 1777 {} + && find /data -type d | xargs chmod 1777
CMD ["/app"]
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
        name: 'sticky world-writable directories that are not temporary ones (info)',
        code: `FROM alpine:3.20
RUN mkdir -p /var/lib/app /data && chmod 1777 /var/lib/app /data /tmp
#                                        ^^^^ world-writable
RUN chmod ugo+rwx,o+t /var/run/app && chmod 01777 /opt/app/logs
#         ^^^^^^^^^^^ world-writable
#                                           ^^^^^ world-writable
RUN mkdir -m 1777 /shared && install -d -m 1777 /srv/uploads
#            ^^^^ world-writable
#                                          ^^^^ world-writable
CMD ["/app"]
`,
      },
      {
        name: 'recursive sticky on just-made directories, and a mode made sticky right after (info)',
        code: `FROM alpine:3.20
RUN set -eux; mkdir -p wp-content/uploads wp-content/plugins; chmod -R 1777 wp-content
#                                                                      ^^^^ world-writable
RUN chmod a+rwx /data && chmod o+t /data
#         ^^^^^ world-writable
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

  describe('isStickyWorldWritable and isTempDir', () => {
    it('is the sticky exception only', () => {
      for (const m of ['1777', '01777', '3777', 'ugo+rwx,o+t', '+t,a+w']) assert.equal(isStickyWorldWritable(m), true, m);
      for (const m of ['777', '1755', '1775', 'a+rwx,-t', 'o+t', 'app']) assert.equal(isStickyWorldWritable(m), false, m);
    });
    it('knows temporary directories', () => {
      for (const p of [
        '/tmp',
        '/tmp/x/y',
        '/var/tmp',
        '/dev/shm',
        '/run/lock',
        '/var/lock',
        'temp',
        'app/tmp',
        '$TMPDIR',
        '${TMPDIR}/a',
        '$APP_TEMP_DIR',
        '$tempDir',
      ])
        assert.equal(isTempDir(p), true, p);
      for (const p of ['/data', '/var/lib/app', '/var/run/app', '/opt/app/logs', '/tmpfoo', '$TEMPLATE_DIR', '$DATA_DIR', 'wp-content'])
        assert.equal(isTempDir(p), false, p);
      assert.equal(isTempDir('$APP_HOME', '/tmp/app'), true);
      assert.equal(isTempDir('$APP_TMP', '/srv/app'), false); // the value wins over the name
    });
  });

  it('reports sticky directories at info, with the directories it means', () => {
    const src = 'FROM alpine:3.20\nRUN chmod 1777 /tmp /data "$GHOST_CONTENT" a b c\nRUN chmod 777 /x\nCMD ["/app"]\n';
    assert.deepEqual(severities('world-writable', src), ['2:10 info', '3:10 warning']);
    assert.deepEqual(
      messages('world-writable', src)[0],
      "Mode 1777 lets every user in the container create files in /data, $GHOST_CONTENT, a and 2 more: the sticky bit only stops them deleting each other's. Give ownership to the user that writes instead.",
    );
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
