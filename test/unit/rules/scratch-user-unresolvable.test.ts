import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';

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

  it('says which file is missing and how to fix it', () => {
    assert.deepEqual(messages('scratch-user-unresolvable', 'FROM scratch\nCOPY --from=b /etc/passwd /etc/passwd\nUSER app:staff\n'), [
      'USER app:staff in a scratch image: /etc/group is not copied in, so the container fails to start ("unable to find group staff"). Copy /etc/group from the stage that created it, or use a numeric USER 10001:10001.',
    ]);
  });
});
