import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { applyFix, memoryContext, messages, ruleCases, severities } from '../helpers';

const RULE = 'user-created-unused';

describe(RULE, () => {
  ruleCases(RULE, {
    valid: [
      {
        name: 'USER names it, by name, by uid, or with its group',
        code: `FROM debian:12
RUN useradd -m app && useradd -u 10001 svc && adduser -D -u 2000 worker
USER app
USER 10001:10001
USER worker:worker
CMD ["/srv/server"]
`,
      },
      {
        name: 'a numeric USER where the uid is not known, and a USER from a variable',
        code: `FROM debian:12
ARG NAME=runner
RUN useradd -m app && useradd "$NAME"
USER 1000
FROM debian:12
ARG WHO
RUN useradd -m app
USER $WHO
CMD ["/srv/server"]
`,
      },
      {
        name: 'an entrypoint or command that steps down to it',
        code: `FROM debian:12
RUN useradd app
ENTRYPOINT ["tini", "--", "gosu", "app", "/srv/server"]
FROM debian:12
RUN useradd svc && useradd worker && useradd web
CMD ["sh", "-c", "setpriv --reuid=svc --regid=svc --init-groups /srv/worker & su-exec worker /srv/x & runuser -u web -- /srv/web"]
`,
      },
      {
        name: 'named by the command (gunicorn --user) or chowned to (docker run --user, runAsUser)',
        code: `FROM python:3.12-slim
RUN useradd web && useradd -u 1500 data && useradd files
COPY --chown=files:files static /srv/static
RUN chown -R 1500 /var/lib/data
CMD ["gunicorn", "--user", "web", "app:app"]
`,
      },
      {
        name: 'a build step run as it, a configuration that names it',
        code: `FROM debian:12
RUN useradd -m builder && su builder -c "make -C /src" && useradd -r svc && echo "user=svc" >> /etc/app.conf
COPY <<EOF /etc/app/worker.ini
[worker]
user = runner
EOF
RUN useradd runner
CMD ["/srv/server"]
`,
      },
      {
        name: 'a program that starts as root and switches users itself (nginx, php-fpm, supervisord)',
        code: `FROM debian:12
RUN useradd -r web && apt-get update && apt-get install -y nginx
CMD ["nginx", "-g", "daemon off;"]
FROM php:8.3-fpm
RUN useradd -r app
CMD ["php-fpm"]
FROM debian:12
RUN useradd -r app
CMD ["/usr/bin/supervisord", "-c", "/etc/supervisor/supervisord.conf"]
`,
      },
      {
        name: 'an entrypoint script the tool cannot read, or a step-down tool the image installs',
        code: `FROM debian:12
RUN useradd -r app
COPY docker-entrypoint.sh /usr/local/bin/
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["server"]
FROM debian:12
RUN useradd -r app && apt-get update && apt-get install -y gosu
CMD ["/srv/server"]
`,
      },
      {
        name: 'the root-user fix: appuser with uid 10001 and USER 10001:10001',
        code: `FROM debian:12
RUN groupadd --gid 10001 appuser && useradd --uid 10001 --gid 10001 --create-home appuser
USER 10001:10001
CMD ["/srv/server"]
`,
      },
      {
        name: 'a builder stage',
        code: `FROM golang:1.23 AS build
RUN useradd builder
FROM scratch
COPY --from=build /out/app /app
CMD ["/app"]
`,
      },
      {
        name: 'a development image (its users are for remoteUser or docker run --user)',
        code: `# dockerfile-hardener role=dev
FROM debian:12
RUN useradd -m dev
CMD ["/srv/server"]
`,
      },
      {
        name: 'an image whose command is not known (a base for other images)',
        code: `FROM registry.example.com/base:1
RUN useradd -m app
`,
      },
    ],
    invalid: [
      {
        name: 'created, and the image runs as root',
        code: `FROM node:22-slim
RUN groupadd -r app && useradd -r -g app app
#                                        ^^^ user-created-unused
COPY . /srv/app
CMD ["node", "/srv/app/server.js"]
`,
      },
      {
        name: 'BusyBox adduser -D, and a USER that names another user',
        code: `FROM alpine:3.20
RUN addgroup -S svc && adduser -S -D -G svc svc && adduser -D -u 2000 extra
#                                                                     ^^^^^ user-created-unused
USER svc
CMD ["/srv/server"]
`,
      },
      {
        name: 'a USER with another uid, a step-down to another user',
        code: `FROM debian:12
RUN useradd -u 10001 app && useradd -u 10002 other
#                                            ^^^^^ user-created-unused
ENTRYPOINT ["setpriv", "--reuid=10001", "--regid=10001", "--clear-groups", "/srv/server"]
`,
      },
      {
        name: 'a readable entrypoint script that does not step down to it',
        options: {
          buildContext: memoryContext({ 'entrypoint.sh': '#!/bin/sh\nset -e\nexec /srv/server "$@"\n' }),
        },
        code: `FROM debian:12
RUN useradd -m app
#              ^^^ user-created-unused
COPY entrypoint.sh /entrypoint.sh
ENTRYPOINT ["/entrypoint.sh"]
`,
      },
    ],
  });

  it('says who the container runs as and the USER to add', () => {
    assert.deepEqual(messages(RULE, 'FROM debian:12\nRUN useradd -u 10001 -m app\nCMD ["/srv/server"]\n'), [
      'User app (uid 10001) is created, but nothing in the file runs as it: no USER names it and the command does not step down to it, so the container runs as root. Add USER 10001 after the steps that need root, or remove the user.',
    ]);
    assert.deepEqual(messages(RULE, 'FROM debian:12\nRUN useradd app && useradd extra\nUSER app\nCMD ["/srv/server"]\n'), [
      'User extra is created, but nothing in the file runs as it: no USER names it and the command does not step down to it, so the container runs as app. Add USER extra after the steps that need root, or remove the user.',
    ]);
    assert.deepEqual(severities(RULE, 'FROM debian:12\nRUN useradd app\nCMD ["/srv/server"]\n'), ['2:12 info']);
  });

  it('the root-user fix, reusing the created user or creating appuser, leaves nothing to report', async () => {
    for (const text of [
      'FROM debian:12\nRUN useradd -M -u 1500 app\nWORKDIR /srv\nCOPY . .\nCMD ["npm", "start"]\n',
      'FROM debian:12\nWORKDIR /app\nCOPY . .\nCMD ["/app/server"]\n',
    ]) {
      const fixed = await applyFix('root-user', text);
      assert.deepEqual(
        lint(fixed, { only: [RULE] }).findings.map((f) => f.message),
        [],
        fixed,
      );
    }
  });
});
