import * as assert from 'node:assert/strict';
import { memoryContext, messages, ruleCases } from '../helpers';

const entrypointScript = (script: string) => ({
  buildContext: memoryContext({ 'entrypoint.sh': script }),
});

describe('multiple-processes', () => {
  ruleCases('multiple-processes', {
    invalid: [
      {
        name: 'supervisord as CMD',
        code: `FROM debian:12-slim
CMD ["/usr/bin/supervisord", "-n", "-c", "/etc/supervisor/supervisord.conf"]
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ multiple-processes
`,
      },
      {
        name: 'supervisord behind an init shim',
        code: `FROM debian:12-slim
ENTRYPOINT ["/usr/bin/dumb-init", "--"]
CMD ["supervisord"]
#   ^^^^^^^^^^^^^^^ multiple-processes
`,
      },
      {
        name: 'supervisord in shell form',
        code: `FROM python:3.12-slim
CMD supervisord -c /app/supervisord.conf
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ multiple-processes
`,
      },
      {
        name: 's6-overlay: /init with s6-overlay installed',
        code: `FROM alpine:3.20
ADD https://github.com/just-containers/s6-overlay/releases/download/v3.2.0.0/s6-overlay-noarch.tar.xz /tmp
RUN tar -C / -Jxpf /tmp/s6-overlay-noarch.tar.xz
COPY services.d /etc/services.d
ENTRYPOINT ["/init"]
#          ^^^^^^^^^ multiple-processes
CMD ["/app/server"]
`,
      },
      {
        name: 'runit, my_init and s6-svscan',
        code: `FROM phusion/baseimage:jammy-1.0.4
CMD ["/sbin/my_init"]
#   ^^^^^^^^^^^^^^^^^ multiple-processes
`,
      },
      {
        name: 'runsvdir',
        code: `FROM alpine:3.20
CMD ["runsvdir", "-P", "/etc/service"]
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ multiple-processes
`,
      },
      {
        name: 'Procfile runners: forego, honcho, overmind',
        code: `FROM python:3.12-slim
ENTRYPOINT ["honcho", "start"]
#          ^^^^^^^^^^^^^^^^^^^ multiple-processes
`,
      },
      {
        name: 'forego start',
        code: `FROM golang:1.23
CMD ["forego", "start", "-r"]
#   ^^^^^^^^^^^^^^^^^^^^^^^^^ multiple-processes
`,
      },
      {
        name: 'overmind start',
        code: `FROM ruby:3.3
CMD ["overmind", "start"]
#   ^^^^^^^^^^^^^^^^^^^^^ multiple-processes
`,
      },
      {
        name: 'a shell that backgrounds: a & b',
        code: `FROM python:3.12-slim
CMD python worker.py & python web.py
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ multiple-processes
`,
      },
      {
        name: 'service x start && y',
        code: `FROM php:8.3-fpm
CMD service nginx start && php-fpm
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ multiple-processes
`,
      },
      {
        name: 'a daemon in sh -c, then the program',
        code: `FROM node:22-slim
CMD ["sh", "-c", "cron && exec node server.js"]
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ multiple-processes
`,
      },
      {
        name: 'a service kept alive with tail -f',
        code: `FROM ubuntu:24.04
CMD service mysql start && tail -f /dev/null
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ multiple-processes
`,
      },
      {
        name: 'an entrypoint script that backgrounds a daemon, then exec "$@"',
        code: `FROM debian:12-slim
COPY entrypoint.sh /entrypoint.sh
ENTRYPOINT ["/entrypoint.sh"]
#          ^^^^^^^^^^^^^^^^^^ multiple-processes
CMD ["nginx", "-g", "daemon off;"]
`,
        options: entrypointScript('#!/bin/sh\nset -e\n/usr/sbin/sshd -D &\nexec "$@"\n'),
      },
      {
        name: 'a heredoc script that daemonizes redis, then runs the app',
        code: `FROM node:22-slim
COPY --chmod=755 <<EOF /start.sh
#!/bin/sh
redis-server --daemonize yes
exec node /app/server.js
EOF
ENTRYPOINT ["/start.sh"]
#          ^^^^^^^^^^^^^ multiple-processes
`,
      },
      {
        name: 'a server that daemonizes by default, followed by another program',
        code: `FROM alpine:3.20
CMD ["/bin/sh", "-c", "mkdir -p /run/php && php-fpm83 && nginx -g 'daemon off;'"]
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ multiple-processes
`,
      },
      {
        name: 'sh -c inside the shell form, and nohup',
        code: `FROM debian:12-slim
CMD sh -c "nohup /opt/agent/agent --config /etc/agent.yml & exec /app/server"
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ multiple-processes
`,
      },
      {
        name: 'supervisord as the CMD an unreadable entrypoint script is given',
        code: `FROM php:8.3-fpm
COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["/usr/bin/supervisord", "-c", "/etc/supervisor/conf.d/supervisord.conf"]
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ multiple-processes
`,
      },
      {
        name: 'npx concurrently',
        code: `FROM node:22-slim
CMD ["npx", "concurrently", "npm:api", "npm:worker"]
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ multiple-processes
`,
      },
    ],
    valid: [
      { name: 'tini runs one program', code: 'FROM node:22-slim\nENTRYPOINT ["/usr/bin/tini", "--"]\nCMD ["node", "server.js"]\n' },
      { name: 'dumb-init runs one program', code: 'FROM python:3.12-slim\nENTRYPOINT ["dumb-init", "--"]\nCMD ["gunicorn", "app:app"]\n' },
      { name: '/init without s6-overlay in the file', code: 'FROM alpine:3.20\nCOPY init /init\nENTRYPOINT ["/init"]\n' },
      {
        name: 'steps in sequence, then exec',
        code: `FROM python:3.12-slim
CMD ["sh", "-c", "python manage.py migrate && exec gunicorn app:app"]
`,
      },
      {
        name: '&& and redirections (2>&1, &>) are not backgrounding',
        code: `FROM python:3.12-slim
CMD python manage.py migrate 2>&1 && python manage.py collectstatic --noinput &>/dev/null && exec gunicorn app:app
`,
      },
      { name: 'nginx -t, then nginx in the foreground', code: `FROM nginx:1.27\nCMD nginx -t && nginx -g 'daemon off;'\n` },
      { name: 'one program in the background, waited for', code: 'FROM alpine:3.20\nCMD /app/server & wait\n' },
      {
        name: 'an entrypoint script the tool cannot read',
        code: 'FROM debian:12-slim\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["/app/server"]\n',
      },
      {
        name: 'a daemon started on a condition',
        code: `FROM debian:12-slim
COPY entrypoint.sh /entrypoint.sh
ENTRYPOINT ["/entrypoint.sh"]
CMD ["/app/server"]
`,
        options: entrypointScript('#!/bin/sh\nif [ "$ENABLE_CRON" = 1 ]; then\n  cron\nfi\n[ -n "$SSH" ] && /usr/sbin/sshd\nexec "$@"\n'),
      },
      {
        name: 'a script that defines functions',
        code: `FROM debian:12-slim
COPY entrypoint.sh /entrypoint.sh
ENTRYPOINT ["/entrypoint.sh"]
CMD ["/app/server"]
`,
        options: entrypointScript('#!/bin/sh\nstart_cron() {\n  cron\n}\nexec "$@"\n'),
      },
      {
        name: 'a supervisor only in a builder stage',
        code: `FROM debian:12-slim AS build
CMD ["supervisord"]
FROM gcr.io/distroless/static-debian12
COPY --from=build /app /app
CMD ["/app"]
`,
      },
      {
        name: 'a development image',
        code: 'FROM debian:12-slim\nCMD ["supervisord", "-n"]\n',
        options: { path: '.devcontainer/Dockerfile' },
      },
      {
        name: 'a server that daemonizes by default, as the last command',
        code: 'FROM alpine:3.20\nCMD mkdir -p /run/php && php-fpm83 -F\n',
      },
      { name: 'nginx alone (its configuration keeps it in the foreground)', code: 'FROM nginx:1.27\nCMD mkdir -p /cache && nginx\n' },
      { name: 'a one-shot step in the background', code: 'FROM alpine:3.20\nCMD curl -fsS http://localhost/warmup & exec /app/server\n' },
      { name: 'honcho run (one command)', code: 'FROM python:3.12-slim\nCMD ["honcho", "run", "python", "app.py"]\n' },
    ],
  });

  it('says what the command starts and why it matters', () => {
    const [m] = messages('multiple-processes', "FROM php:8.3-fpm\nCMD php-fpm -D && nginx -g 'daemon off;'\n");
    assert.match(m, /^CMD \(line 2\) starts php-fpm \(php-fpm -D\) in the background, then runs nginx: several long-running processes/);
    assert.match(m, /If php-fpm dies, nothing restarts it/);
    const [sup] = messages('multiple-processes', 'FROM debian:12-slim\nCMD ["supervisord", "-n"]\n');
    assert.match(
      sup,
      /^CMD \(line 2\) runs supervisord, a process supervisor: several programs in one container\. If one of them dies, the runtime does not see it/,
    );
    const [s] = messages(
      'multiple-processes',
      'FROM debian:12-slim\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["nginx", "-g", "daemon off;"]\n',
      entrypointScript('#!/bin/sh\ncron\nexec "$@"\n'),
    );
    assert.match(s, /^entrypoint\.sh starts cron in the background, then runs nginx:/);
    const [k] = messages('multiple-processes', 'FROM ubuntu:24.04\nCMD service mysql start && tail -f /dev/null\n');
    assert.match(
      k,
      /starts mysql \(service mysql start\) in the background and keeps the container alive with tail -f \/dev\/null: nothing watches mysql/,
    );
  });
});
