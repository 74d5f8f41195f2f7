import * as assert from 'node:assert/strict';
import { applyFix, fixTitles, messages, ruleCases } from '../helpers';

describe('scratch-user-unresolvable', () => {
  ruleCases('scratch-user-unresolvable', {
    valid: [
      {
        name: 'a numeric uid:gid needs no lookup',
        code: `FROM scratch
COPY app /app
USER 10001:10001
ENTRYPOINT ["/app"]
`,
      },
      {
        name: 'passwd and group copied into /etc/',
        code: `FROM scratch
COPY --from=build /etc/passwd /etc/group /etc/
USER app:app
`,
      },
      {
        name: 'passwd copied, numeric group',
        code: `FROM scratch
COPY --from=build /etc/passwd /etc/passwd
USER app:10001
`,
      },
      {
        name: 'passwd written by a COPY heredoc',
        code: `FROM scratch
COPY <<EOF /etc/passwd
app:x:10001:10001::/nonexistent:/sbin/nologin
EOF
USER app
`,
      },
      {
        name: 'a directory that may hold them copied over /etc',
        code: `FROM scratch
COPY --from=build /etc /etc
USER app:app
`,
      },
      {
        name: 'a root file system unpacked into /',
        code: `FROM scratch
ADD rootfs.tar.gz /
USER app
`,
      },
      {
        name: 'passwd copied in the scratch stage it builds on',
        code: `FROM scratch AS base
COPY --from=build /etc/passwd /etc/passwd
FROM base
USER app
`,
      },
      {
        name: 'not a scratch image: the base image has a passwd file',
        code: `FROM alpine:3.20
USER nobody
`,
      },
      {
        name: 'a user from an unknown build argument',
        code: `FROM scratch
ARG APP_USER
USER \${APP_USER}
`,
      },
      {
        name: 'a numeric user from a build argument',
        code: `FROM scratch
ARG UID=10001
USER $UID
`,
      },
      {
        name: 'a quoted numeric user',
        code: `FROM scratch
USER "10001"
`,
      },
      {
        name: 'a USER in a scratch stage others build on is judged in them, which copy passwd',
        code: `FROM scratch AS first
USER app
FROM first AS second
COPY --from=build /etc/passwd /etc/passwd
`,
      },
      {
        name: 'uid 0, which needs no lookup',
        code: `FROM scratch
USER 0
`,
      },
    ],
    invalid: [
      {
        name: 'a user name without /etc/passwd',
        code: `FROM scratch
COPY --from=build /out/app /app
USER appuser
#    ^^^^^^^ scratch-user-unresolvable
ENTRYPOINT ["/app"]
`,
      },
      {
        name: 'user and group names, neither file copied: both parts',
        code: `FROM scratch
USER app:staff
#    ^^^ scratch-user-unresolvable
#        ^^^^^ scratch-user-unresolvable
`,
      },
      {
        name: 'a group name without /etc/group',
        code: `FROM scratch
COPY --from=build /etc/passwd /etc/passwd
USER 10001:staff
#          ^^^^^ scratch-user-unresolvable
`,
      },
      {
        name: 'root by name needs passwd too',
        code: `FROM scratch
USER root
#    ^^^^ scratch-user-unresolvable
`,
      },
      {
        name: 'scratch inherited through FROM <stage>',
        code: `FROM scratch AS base
COPY app /app
FROM base
USER app
#    ^^^ scratch-user-unresolvable
`,
      },
      {
        name: 'a USER in a scratch stage others build on is reported once, through them',
        code: `FROM scratch AS base
USER app
#    ^^^ scratch-user-unresolvable
FROM base AS one
FROM base AS two
`,
      },
      {
        name: 'a name from a build argument: the whole argument',
        code: `FROM scratch
ARG APP_USER=app
USER \${APP_USER}
#    ^^^^^^^^^^^ scratch-user-unresolvable
`,
      },
      {
        name: 'passwd copied somewhere else',
        code: `FROM scratch
COPY --from=build /etc/passwd /passwd
USER app
#    ^^^ scratch-user-unresolvable
`,
      },
    ],
  });

  it('says which file is missing and how to fix it, naming only numbers it knows', () => {
    assert.deepEqual(messages('scratch-user-unresolvable', 'FROM scratch\nCOPY --from=b /etc/passwd /etc/passwd\nUSER app:staff\n'), [
      'USER app:staff in a scratch image: /etc/group is not copied in, so the container fails to start ("unable to find group staff"). Copy /etc/group from a stage that has staff, or use a numeric USER.',
    ]);
  });

  // Reproduction: USER nobody in scratch, built from an Alpine-based Go image (whose /etc/passwd has
  // nobody). The only fix used to be USER 65532:65532 while the message said 10001:10001.
  const NOBODY = `FROM golang:1.22-alpine AS build
RUN CGO_ENABLED=0 go build -o /out/app .

FROM scratch
COPY --from=build /out/app /app
USER nobody
ENTRYPOINT ["/app"]
`;
  it("keeps the author's user: copies passwd and group from the builder whose base has it; the message agrees", () => {
    assert.deepEqual(fixTitles('scratch-user-unresolvable', NOBODY), [
      '* Copy /etc/passwd and /etc/group from stage build',
      'Use the numeric USER 65534:65534',
    ]);
    assert.deepEqual(messages('scratch-user-unresolvable', NOBODY), [
      'USER nobody in a scratch image: /etc/passwd is not copied in, so the container fails to start ("unable to find user nobody"). Copy /etc/passwd from stage build, which has nobody, or use the numeric USER 65534:65534.',
    ]);
  });

  it('the copy fix re-lints clean, and is stable', async () => {
    const fixed = await applyFix('scratch-user-unresolvable', NOBODY);
    assert.match(fixed, /COPY --from=build \/etc\/passwd \/etc\/passwd\nCOPY --from=build \/etc\/group \/etc\/group\nUSER nobody\n/);
    assert.deepEqual(messages('scratch-user-unresolvable', fixed), []);
  });

  // Reproduction: a COPY of one file to / was taken to mean /etc/passwd may have arrived.
  it('fires after a COPY of a single built file to /', () => {
    const text = `FROM golang:1.22 AS build
RUN CGO_ENABLED=0 go build -o /out/app . && useradd -u 10001 app

FROM scratch
COPY --from=build /out/app /
USER app
ENTRYPOINT ["/app"]
`;
    assert.equal(messages('scratch-user-unresolvable', text).length, 1);
    // …and after a whole directory to /, when nothing in its stage puts a passwd there.
    assert.equal(messages('scratch-user-unresolvable', text.replace('/out/app /', '/out/ /')).length, 1);
    // A directory whose stage does write one is unknown: silent.
    const writes = text
      .replace('useradd -u 10001 app', 'useradd -u 10001 app && mkdir -p /out/etc && cp /etc/passwd /out/etc/')
      .replace('/out/app /', '/out/ /');
    assert.deepEqual(messages('scratch-user-unresolvable', writes), []);
  });
});
