import * as assert from 'node:assert/strict';
import { messages, ruleCases, severities } from '../helpers';
import { lint } from '../../../server/src/linter/lint';

const on = { rules: { 'user-not-numeric': 'info' as const } };

describe('user-not-numeric', () => {
  ruleCases('user-not-numeric', {
    valid: [
      {
        name: 'a numeric uid, with or without a gid',
        code: `FROM alpine:3.20 AS a
USER 10001
FROM alpine:3.20
USER 10001:10001
`,
        options: on,
      },
      {
        name: 'root is root-user’s finding, not this one’s',
        code: `FROM alpine:3.20
USER root
`,
        options: on,
      },
      {
        name: 'no USER: the base image decides',
        code: `FROM nginxinc/nginx-unprivileged:1.27
`,
        options: on,
      },
      {
        name: 'a named user in a builder stage only',
        code: `FROM node:22 AS build
USER node
RUN npm ci
FROM node:22-slim
USER 1000:1000
`,
        options: on,
      },
      {
        name: 'a USER from an unknown build argument, or one with a numeric default',
        code: `FROM alpine:3.20 AS a
ARG APP_USER
USER \${APP_USER}
FROM alpine:3.20
ARG APP_UID=10001
USER $APP_UID:$APP_UID
`,
        options: on,
      },
      {
        name: 'a scratch export stage does not run',
        code: `FROM alpine:3.20 AS build
USER app
FROM scratch
COPY --from=build /out /
`,
        options: on,
      },
      {
        name: 'the built-in Windows accounts: no uids there',
        code: `ARG BASE
FROM \${BASE}
USER ContainerUser
`,
        options: on,
      },
      {
        name: 'a Windows base image, by repository',
        code: `FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
USER builder
`,
        options: on,
      },
      {
        name: 'a Windows base image, by tag, through a parent stage',
        code: `FROM maven:3-eclipse-temurin-21-windowsservercore AS base
FROM base
USER jenkins
`,
        options: on,
      },
      {
        name: 'our ignore comment',
        code: `FROM alpine:3.20
# dockerfile-hardener ignore=user-not-numeric
USER appuser
`,
        options: on,
      },
    ],
    invalid: [
      {
        name: 'a user name: the name',
        code: `FROM alpine:3.20
RUN adduser -D -H -u 10001 appuser
USER appuser
#    ^^^^^^^ user-not-numeric
`,
        options: on,
      },
      {
        name: 'user:group: only the user part',
        code: `FROM alpine:3.20
USER app:app
#    ^^^ user-not-numeric
`,
        options: on,
      },
      {
        name: 'a name with a numeric group',
        code: `FROM alpine:3.20
USER nobody:65534
#    ^^^^^^ user-not-numeric
`,
        options: on,
      },
      {
        name: 'inherited from the stage the shipped one builds on',
        code: `FROM node:22-slim AS base
USER node
#    ^^^^ user-not-numeric
FROM base
CMD ["node", "server.js"]
`,
        options: on,
      },
      {
        name: 'the last USER of the shipped stage only',
        code: `FROM alpine:3.20
USER app
RUN id
USER www-data
#    ^^^^^^^^ user-not-numeric
`,
        options: on,
      },
      {
        name: 'a name from a build argument default: the argument as written',
        code: `FROM alpine:3.20
ARG APP_USER=app
USER \${APP_USER}
#    ^^^^^^^^^^^ user-not-numeric
`,
        options: on,
      },
      {
        name: 'the target stage, not the last one',
        code: `FROM alpine:3.20 AS runtime
USER app
#    ^^^ user-not-numeric
FROM runtime AS debug
USER 0
`,
        options: { ...on, targetStage: 'runtime' },
      },
    ],
  });

  it('reports at the configured severity, naming the user', () => {
    const source = 'FROM alpine:3.20\nUSER app:app\n';
    // Off by default (the rule's tests turn it on at its own severity; a default lint does not run it).
    assert.deepEqual(
      lint(source).findings.filter((f) => f.rule === 'user-not-numeric'),
      [],
    );
    assert.deepEqual(severities('user-not-numeric', source), ['2:5 info']);
    assert.deepEqual(severities('user-not-numeric', source, { rules: { 'user-not-numeric': 'warning' } }), ['2:5 warning']);
    assert.deepEqual(messages('user-not-numeric', source, on), [
      'USER app:app is a name: Kubernetes runAsNonRoot cannot verify it is not root. Use the numeric uid (the uid app has in the image, e.g. USER 10001:10001 for a user created with that uid).',
    ]);
    // Judged on the corpus: haproxy creates uid 99; the example must be that uid, not 10001.
    assert.deepEqual(
      messages(
        'user-not-numeric',
        'FROM debian:12\nRUN groupadd --gid 99 haproxy && useradd --uid 99 --gid 99 haproxy\nUSER haproxy\nCMD ["haproxy"]\n',
        on,
      ),
      ['USER haproxy is a name: Kubernetes runAsNonRoot cannot verify it is not root. Use the numeric uid (USER 99:99, which is haproxy).'],
    );
  });

  // Judged on the corpus: a bats test fixture is never run under Kubernetes.
  it('says nothing of a test, CI or development image', () => {
    assert.deepEqual(
      messages('user-not-numeric', 'FROM alpine:3.20\nUSER app\nCMD ["/app"]\n', { path: 'tests/plugins-cli/no-war/Dockerfile' }),
      [],
    );
    assert.equal(messages('user-not-numeric', 'FROM alpine:3.20\nUSER app\nCMD ["/app"]\n').length, 1);
  });
});
