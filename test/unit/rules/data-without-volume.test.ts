import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { applyFix, messages, ruleCases } from '../helpers';

describe('data-without-volume', () => {
  ruleCases('data-without-volume', {
    valid: [
      {
        name: 'an official database image, which declares its VOLUME',
        code: `FROM postgres:16
COPY init.sql /docker-entrypoint-initdb.d/
`,
      },
      {
        name: 'the client only',
        code: `FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client && rm -rf /var/lib/apt/lists/*
CMD ["/srv/backup.sh"]
`,
      },
      {
        name: "RHEL's postgresql package is the client",
        code: `FROM rockylinux:9
RUN dnf install -y postgresql && dnf clean all
CMD ["/srv/backup.sh"]
`,
      },
      {
        name: 'Redis started without a configuration file (its dump goes to the working directory)',
        code: `FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends redis-server && rm -rf /var/lib/apt/lists/*
CMD ["redis-server", "--save", ""]
`,
      },
      {
        name: 'Redis without a configuration file, started through sh -c',
        code: `FROM alpine:3.23
RUN apk add --no-cache redis
CMD ["sh", "-c", "redis-server --daemonize yes && exec app"]
`,
      },
      {
        name: 'Redis without a configuration file, started by a script the file writes',
        code: `FROM alpine:3.23
RUN apk add --no-cache redis
COPY --chmod=755 <<EOF /start.sh
#!/bin/sh
redis-server --daemonize yes --port 6380
exec app
EOF
CMD ["/start.sh"]
`,
      },
      {
        name: 'a VOLUME above the data directory',
        code: `FROM debian:12-slim
ENV PGDATA=/var/lib/postgresql/data/pgdata
RUN apt-get update && apt-get install -y --no-install-recommends postgresql && rm -rf /var/lib/apt/lists/*
VOLUME /var/lib/postgresql
CMD ["pg_ctlcluster", "15", "main", "start", "--foreground"]
`,
      },
      {
        name: 'a label documents the mount',
        code: `FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends mariadb-server && rm -rf /var/lib/apt/lists/*
LABEL org.example.volumes="/var/lib/mysql: mount a volume here"
CMD ["mysqld"]
`,
      },
      {
        name: 'a /var/lib directory nothing names as data (a chroot, a socket, a home)',
        code: `FROM alpine:3.20
RUN adduser -D haproxy && mkdir -p /var/lib/haproxy && chown haproxy /var/lib/haproxy
USER haproxy
CMD ["haproxy", "-f", "/usr/local/etc/haproxy/haproxy.cfg"]
`,
      },
      {
        name: 'a data directory the user the image runs as was not given',
        code: `FROM alpine:3.20
RUN adduser -D app && mkdir /data
USER app
CMD ["/usr/local/bin/app"]
`,
      },
      {
        name: 'a data directory the files are copied into',
        code: `FROM alpine:3.20
RUN adduser -D app && mkdir /data && chown app /data
COPY site/ /data/
USER app
CMD ["/usr/local/bin/app"]
`,
      },
      {
        name: 'a JSON VOLUME',
        code: `FROM alpine:3.20
RUN adduser -D app && mkdir /data && chown app /data
VOLUME ["/data"]
USER app
CMD ["/usr/local/bin/app"]
`,
      },
      {
        name: 'a test stage that does not ship',
        code: `FROM debian:12-slim AS test
RUN apt-get update && apt-get install -y postgresql
RUN service postgresql start && make test
FROM gcr.io/distroless/static-debian12
COPY --from=test /out/app /app
CMD ["/app"]
`,
      },
      {
        name: 'a server package installed for its tools (pg_dump), the server never started',
        code: `FROM alpine:3.20
RUN apk add --no-cache postgresql16
COPY backup.sh /usr/local/bin/backup.sh
CMD ["/usr/local/bin/backup.sh"]
`,
      },
      {
        name: 'a development image',
        code: `FROM debian:12-slim
RUN apt-get update && apt-get install -y mariadb-server
CMD ["mysqld"]
`,
        options: { path: 'Dockerfile.dev' },
      },
    ],
    invalid: [
      {
        name: 'Alpine PostgreSQL',
        code: `FROM alpine:3.20
RUN apk add --no-cache postgresql16 su-exec
#                      ^^^^^^^^^^^^ data-without-volume
USER postgres
CMD ["postgres"]
`,
      },
      {
        name: 'PGDATA outside the VOLUME',
        code: `FROM debian:12-slim
ENV PGDATA=/srv/pg
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-15 && rm -rf /var/lib/apt/lists/*
#                                                                ^^^^^^^^^^^^^ data-without-volume
VOLUME /var/lib/postgresql
CMD ["/usr/lib/postgresql/15/bin/postgres"]
`,
      },
      {
        name: 'mongod with --dbpath, copied in',
        code: `FROM ubuntu:24.04
COPY mongod /usr/local/bin/mongod
CMD ["mongod", "--bind_ip_all", "--dbpath", "/srv/mongo"]
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ data-without-volume
`,
      },
      {
        name: "Redis with the package's configuration",
        code: `FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends redis-server && rm -rf /var/lib/apt/lists/*
#                                                                ^^^^^^^^^^^^ data-without-volume
CMD ["redis-server", "/etc/redis/redis.conf"]
`,
      },
      {
        name: 'Redis through sh -c with a configuration file',
        code: `FROM alpine:3.23
RUN apk add --no-cache redis
#                      ^^^^^ data-without-volume
CMD ["sh", "-c", "redis-server /etc/redis.conf --daemonize yes && exec app"]
`,
      },
      {
        name: 'Redis through a shell-form CMD with --dir',
        code: `FROM alpine:3.23
RUN apk add --no-cache redis
#                      ^^^^^ data-without-volume
CMD redis-server --dir /srv/redis --daemonize yes && exec app
`,
      },
      {
        name: 'RHEL postgresql-server with -D',
        code: `FROM rockylinux:9
RUN dnf install -y postgresql-server && dnf clean all
#                  ^^^^^^^^^^^^^^^^^ data-without-volume
USER postgres
CMD ["postgres", "-D", "/var/lib/pgsql/data"]
`,
      },
      {
        name: 'two servers under a supervisor',
        code: `FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends postgresql redis-server supervisor && rm -rf /var/lib/apt/lists/*
#                                                                ^^^^^^^^^^ data-without-volume
#                                                                           ^^^^^^^^^^^^ data-without-volume
COPY supervisord.conf /etc/supervisor/conf.d/app.conf
CMD ["supervisord", "-n"]
`,
      },
      {
        name: 'started with its init script in a shell-form CMD',
        code: `FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends mysql-server && rm -rf /var/lib/apt/lists/*
#                                                                ^^^^^^^^^^^^ data-without-volume
CMD service mysql start && tail -F /var/log/mysql/error.log
`,
      },
      {
        name: 'a data directory made and given to the user the image runs as',
        code: `FROM golang:1.22 AS build
RUN go build -o /out/app .
FROM debian:12-slim
RUN useradd -u 10001 app && mkdir -p /srv/app/data && chown -R app /srv/app
#                                    ^^^^^^^^^^^^^ data-without-volume
COPY --from=build /out/app /srv/app/app
USER app
CMD ["/srv/app/app"]
`,
      },
      {
        name: '/var/lib/<app> named by a data ENV',
        code: `FROM ubuntu:24.04
RUN useradd --uid 1500 app && mkdir -p /var/lib/app && chown -R app:app /var/lib/app
#                                      ^^^^^^^^^^^^ data-without-volume
ENV APP_DATA_DIR=/var/lib/app
USER app
CMD ["/usr/bin/app", "serve"]
`,
      },
    ],
  });

  it('names the server, the directory and both answers', () => {
    assert.deepEqual(
      messages('data-without-volume', 'FROM debian:12-slim\nRUN apt-get update && apt-get install -y mariadb-server\nCMD ["mysqld"]\n'),
      [
        "The image runs MySQL (installed here, package mariadb-server), which keeps its data in /var/lib/mysql, and no VOLUME or documented mount covers it: the data lives in the container's writable layer and is lost with the container. Document the mount (`-v`, Compose `volumes:`) in a comment or label, or declare VOLUME /var/lib/mysql.",
      ],
    );
  });

  it('adds the VOLUME after the last build step, as a suggestion, and re-lints clean', async () => {
    const text =
      'FROM debian:12-slim\nRUN useradd app && mkdir /data && chown app /data\nCOPY app /usr/local/bin/app\nUSER app\nCMD ["app"]\n';
    const [f] = lint(text, { only: ['data-without-volume'] }).findings;
    assert.equal(f.fixes?.[0].kind, 'suggestion');
    const after = await applyFix('data-without-volume', text, 'Declare VOLUME');
    assert.equal(
      after,
      'FROM debian:12-slim\nRUN useradd app && mkdir /data && chown app /data\nCOPY app /usr/local/bin/app\nVOLUME /data\nUSER app\nCMD ["app"]\n',
    );
    assert.deepEqual(lint(after, { only: ['data-without-volume'] }).findings, []);
  });

  it('offers no VOLUME over a directory the file does not make (it would be created owned by root)', () => {
    const [f] = lint('FROM debian:12-slim\nRUN apt-get update && apt-get install -y mariadb-server\nCMD ["mysqld"]\n', {
      only: ['data-without-volume'],
    }).findings;
    assert.deepEqual(f.fixes ?? [], []);
  });

  it('names the directory Redis is given through sh -c', () => {
    const [m] = messages(
      'data-without-volume',
      'FROM alpine:3.23\nRUN apk add --no-cache redis\nCMD ["sh", "-c", "redis-server --dir /srv/redis --daemonize yes && exec app"]\n',
    );
    assert.match(m, /keeps its data in \/srv\/redis,/);
  });

  it('reports at info by default', () => {
    const [f] = lint('FROM debian:12-slim\nRUN apt-get update && apt-get install -y mariadb-server\nCMD ["mysqld"]\n', {
      only: ['data-without-volume'],
    }).findings;
    assert.equal(f.severity, 'info');
  });
});
