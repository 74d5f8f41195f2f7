import * as assert from 'node:assert/strict';
import { messages, ruleCases, severities } from '../helpers';

describe('secret-in-env', () => {
  ruleCases('secret-in-env', {
    valid: [
      {
        // Judged on the corpus: a test image's keys and passwords are the fixtures its tests use.
        name: 'a CI or test image (by its directory)',
        code: `FROM python:3.12
ENV COSIGN_PASSWORD=Harbor12345
`,
        options: { path: 'test/remote/Dockerfile' },
      },
      {
        name: 'names that point to where a secret is read from: _FILE, _PATH, _DIR, _URL',
        code: `FROM postgres:16
ENV POSTGRES_PASSWORD_FILE=/run/secrets/db_password
ARG SSH_PRIVATE_KEY_PATH=keys/deploy
ENV VAULT_TOKEN_DIR=vault-tokens TOKEN_URL=https://auth.example.com/token
`,
      },
      {
        name: 'a public key is not a secret',
        code: `FROM alpine:3.20
ENV JWT_PUBLIC_KEY=MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE
`,
      },
      {
        name: 'the version of a secrets tool',
        code: `FROM alpine:3.20
ARG SOPS_SECRETS_VERSION=3.9.0
ENV VAULT_TOKEN_VERSION 1.17
`,
      },
      {
        name: 'GPG key fingerprints of the official images, in the legacy ENV form too',
        code: `FROM python:3.12-slim
ENV GPG_KEY 7169605F62C751356D054A26A821E680E5FA6305
ENV GPG_KEYS 39B641343D8C104B2B146DC3F9C39DC0B9698544 E60913E4DF209907D8E30D96659A97C9CF2A795A
ARG PGP_KEYSERVER=keyserver.ubuntu.com
`,
      },
      {
        name: 'words that only contain a secret word: AUTHORS, KEYBOARD, PASSTHROUGH',
        code: `ARG AUTHORS=team
FROM alpine:3.20
ENV KEYBOARD_LAYOUT=us NGINX_PASSTHROUGH=on
`,
      },
      {
        name: 'settings about a secret rather than the secret: length, expiry, mode',
        code: `FROM alpine:3.20
ENV PASSWORD_MIN_LENGTH=12 TOKEN_EXPIRY=3600 AUTH_MODE=oidc
`,
      },
      {
        name: 'empty values, quoted or not',
        code: `FROM alpine:3.20
ARG NPM_TOKEN=
ENV API_KEY="" DB_PASSWORD=''
`,
      },
      {
        name: 'an absolute path as the value: where the secret is mounted',
        code: `FROM selenium/base:4
ENV SE_JAVA_SSL_TRUST_STORE_PASSWORD="/opt/selenium/secrets/server.pass" \\
    SE_HTTPS_PRIVATE_KEY=/opt/selenium/secrets/tls.key
`,
      },
      {
        name: 'a secret mount is the way to pass it',
        code: `FROM node:22-alpine
RUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci
`,
      },
      {
        name: "hadolint's DL3064 ignore comment",
        code: `FROM alpine:3.20
# hadolint ignore=DL3064
ENV DB_PASSWORD=hunter2
`,
      },
      {
        name: "BuildKit's check=skip directive for SecretsUsedInArgOrEnv",
        code: `# check=skip=SecretsUsedInArgOrEnv
FROM alpine:3.20
ARG GITHUB_TOKEN
`,
      },
      {
        name: 'our own ignore comment above a multi-key ENV silences every key',
        code: `FROM alpine:3.20
# dockerfile-hardener ignore=secret-in-env
ENV DB_PASSWORD=a API_TOKEN=b
`,
      },
    ],
    invalid: [
      {
        name: 'an ENV value',
        code: `FROM alpine:3.20
ENV DB_PASSWORD=hunter2
#   ^^^^^^^^^^^ secret-in-env
`,
      },
      {
        name: 'a bare ARG',
        code: `FROM node:22-alpine
ARG NPM_TOKEN
#   ^^^^^^^^^ secret-in-env
`,
      },
      {
        name: 'an ARG default',
        code: `FROM alpine:3.20
ARG REGISTRY_PASSWD=changeme
#   ^^^^^^^^^^^^^^^ secret-in-env
`,
      },
      {
        name: 'several keys in one ENV: one finding per secret key, on the key',
        code: `FROM alpine:3.20
ENV APP_ENV=production DB_PASSWORD=hunter2 LOG_LEVEL=info API_TOKEN=abc
#                      ^^^^^^^^^^^ secret-in-env
#                                                         ^^^^^^^^^ secret-in-env
`,
      },
      {
        name: 'keys on continuation lines',
        code: `FROM alpine:3.20
ENV APP_ENV=production \\
    STRIPE_SECRET_KEY=sk_live_123 \\
#   ^^^^^^^^^^^^^^^^^ secret-in-env
    SMTP_PASS=x
#   ^^^^^^^^^ secret-in-env
`,
      },
      {
        name: 'the legacy ENV KEY value form',
        code: `FROM alpine:3.20
ENV API_TOKEN abc123 def
#   ^^^^^^^^^ secret-in-env
`,
      },
      {
        name: 'several ARGs in one instruction',
        code: `FROM alpine:3.20
ARG VERSION GITHUB_TOKEN
#           ^^^^^^^^^^^^ secret-in-env
`,
      },
      {
        name: 'a global ARG before the first FROM',
        code: `ARG GITHUB_TOKEN
#   ^^^^^^^^^^^^ secret-in-env
FROM alpine:3.20
ARG GITHUB_TOKEN
#   ^^^^^^^^^^^^ secret-in-env
`,
      },
      {
        name: 'camelCase and lower-case names',
        code: `FROM node:22-alpine
ENV apiKey=abc dbPassword=x
#   ^^^^^^ secret-in-env
#              ^^^^^^^^^^ secret-in-env
ARG githubToken
#   ^^^^^^^^^^^ secret-in-env
ENV client_secret=y
#   ^^^^^^^^^^^^^ secret-in-env
`,
      },
      {
        name: 'two-word names: API_KEY, PRIVATE_KEY, ACCESS_KEY, and APIKEY as one word',
        code: `FROM alpine:3.20
ENV OPENAI_API_KEY=sk-1 SSH_PRIVATE_KEY=k AWS_SECRET_ACCESS_KEY=s MAPS_APIKEY=m
#   ^^^^^^^^^^^^^^ secret-in-env
#                       ^^^^^^^^^^^^^^^ secret-in-env
#                                         ^^^^^^^^^^^^^^^^^^^^^ secret-in-env
#                                                                 ^^^^^^^^^^^ secret-in-env
`,
      },
      {
        name: 'AUTH and CREDENTIALS as name parts',
        code: `FROM alpine:3.20
ARG NPM_AUTH=dXNlcjpwYXNz
#   ^^^^^^^^ secret-in-env
ENV GOOGLE_CREDENTIALS='{"type":"service_account"}'
#   ^^^^^^^^^^^^^^^^^^ secret-in-env
`,
      },
      {
        name: 'a value taken from a build argument still lands in the image config',
        code: `FROM alpine:3.20
ARG DB_PASSWORD
#   ^^^^^^^^^^^ secret-in-env
ENV DB_PASSWORD=$DB_PASSWORD
#   ^^^^^^^^^^^ secret-in-env
`,
      },
      {
        name: 'a relative path is not taken for a reference',
        code: `FROM alpine:3.20
ENV KEYSTORE_PASSWORD=secrets/pass
#   ^^^^^^^^^^^^^^^^^ secret-in-env
`,
      },
      {
        name: 'an ignore comment for another rule does not silence it',
        code: `FROM alpine:3.20
# hadolint ignore=DL3004
ENV DB_PASSWORD=hunter2
#   ^^^^^^^^^^^ secret-in-env
`,
      },
    ],
  });

  it('is an error for a value and a warning for a bare ARG', () => {
    const source = `ARG NPM_TOKEN
FROM alpine:3.20
ARG NPM_TOKEN
ARG DEPLOY_TOKEN=abc
ENV DB_PASSWORD=hunter2
`;
    assert.deepEqual(severities('secret-in-env', source), ['1:4 warning', '3:4 warning', '4:4 error', '5:4 error']);
  });

  it('a configured severity applies to both kinds', () => {
    const source = `FROM alpine:3.20
ARG NPM_TOKEN
ENV DB_PASSWORD=hunter2
`;
    assert.deepEqual(severities('secret-in-env', source, { rules: { 'secret-in-env': 'info' } }), ['2:4 info', '3:4 info']);
  });

  it('says where the value ends up and what to use instead', () => {
    const [bare, arg, env] = messages('secret-in-env', 'FROM alpine:3.20\nARG NPM_TOKEN\nARG GH_TOKEN=x\nENV DB_PASSWORD=y\n');
    assert.equal(
      bare,
      "ARG NPM_TOKEN looks like a credential: a value passed with --build-arg is recorded in the image's build history. Use RUN --mount=type=secret for the step that needs it.",
    );
    assert.match(
      arg,
      /^ARG GH_TOKEN looks like a credential, .*\(docker history shows it\)\. Use RUN --mount=type=secret at build time or inject it at run time\.$/,
    );
    assert.match(env, /^ENV DB_PASSWORD looks like a credential, .*\(docker inspect shows it\)\. Use RUN --mount=type=secret/);
  });
});
