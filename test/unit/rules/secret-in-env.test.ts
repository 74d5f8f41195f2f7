import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { applyEdits } from '../../../server/src/engine/edits';
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

  describe('the secret mount fix', () => {
    const fixesOf = (text: string) => lint(text, { only: ['secret-in-env'] }).findings.map((f) => f.fixes ?? []);
    const applied = async (text: string, index = 0) => {
      const fix = fixesOf(text)[index][0];
      assert.ok(fix, 'a fix expected');
      assert.equal(fix.kind, 'suggestion');
      assert.notEqual(fix.preferred, true);
      const after = applyEdits(text, await fix.edits({}));
      return { after, title: fix.title };
    };

    const mount = (name: string) =>
      `--mount=type=secret,id=${name.toLowerCase()} export "${name}=$(cat /run/secrets/${name.toLowerCase()})" &&`;

    it('moves a bare ARG to a secret mount on every later RUN of the stage, read from /run/secrets', async () => {
      const text = `FROM node:22-alpine AS build
RUN echo before
ARG NPM_TOKEN
RUN echo "//registry.npmjs.org/:_authToken=\${NPM_TOKEN}" > .npmrc && npm ci
RUN npm run build
FROM nginx:1.27
COPY --from=build /app/dist /usr/share/nginx/html
`;
      const { after, title } = await applied(text);
      assert.equal(
        after,
        `FROM node:22-alpine AS build
RUN echo before
RUN ${mount('NPM_TOKEN')} echo "//registry.npmjs.org/:_authToken=\${NPM_TOKEN}" > .npmrc && npm ci
RUN ${mount('NPM_TOKEN')} npm run build
FROM nginx:1.27
COPY --from=build /app/dist /usr/share/nginx/html
`,
      );
      assert.equal(
        title,
        'Use a secret mount in the 2 RUNs after it (check: build with --secret id=npm_token,env=NPM_TOKEN instead of --build-arg)',
      );
      assert.deepEqual(lint(after, { only: ['secret-in-env'] }).findings, []);
    });

    it('adds no syntax directive, and writes no env= option (buildah and podman refuse it)', async () => {
      const { after } = await applied('FROM node:22\nCOPY .npmrc package*.json ./\nARG NPM_TOKEN\nRUN npm ci\n');
      assert.equal(after, `FROM node:22\nCOPY .npmrc package*.json ./\nRUN ${mount('NPM_TOKEN')} npm ci\n`);
      assert.doesNotMatch(after, /syntax=|env=/);
    });

    it('keeps a syntax directive that knows RUN --mount, and the other names of the ARG', async () => {
      const tags = '1 1.2 1.4.3 1.12-labs 1.0-experimental experimental'.split(' ');
      for (const syntax of [...tags.map((t) => `docker/dockerfile:${t}`), 'docker.io/docker/dockerfile:1.14.0']) {
        const { after } = await applied(`# syntax=${syntax}\nFROM golang:1.23\nARG VERSION GITHUB_TOKEN\nRUN go build ./...\n`);
        assert.equal(after, `# syntax=${syntax}\nFROM golang:1.23\nARG VERSION\nRUN ${mount('GITHUB_TOKEN')} go build ./...\n`);
      }
    });

    it('puts the export where the command starts: after flags, continuations and comment lines, with either escape', async () => {
      const [M, E] = ['--mount=type=secret,id=npm_token', 'export "NPM_TOKEN=$(cat /run/secrets/npm_token)" &&'];
      const cases: [string, string][] = [
        ['RUN \\\n    npm ci\n', `RUN ${M} \\\n    ${E} npm ci\n`],
        [
          'RUN --mount=type=cache,target=/a \\\n# install\n    npm ci \\\n && b\n',
          `RUN ${M} --mount=type=cache,target=/a \\\n# install\n    ${E} npm ci \\\n && b\n`,
        ],
        ['run   npm ci\n', `run ${M}   ${E} npm ci\n`],
        ['RUN \\\r\n  npm ci\r\n', `RUN ${M} \\\r\n  ${E} npm ci\r\n`],
      ];
      for (const [run, expected] of cases) {
        const eol = run.includes('\r\n') ? '\r\n' : '\n';
        const { after } = await applied(`FROM node:22${eol}ARG NPM_TOKEN${eol}${run}`);
        assert.equal(after, `FROM node:22${eol}${expected}`);
      }
      const backtick = await applied('# escape=`\nFROM node:22\nARG NPM_TOKEN\nRUN `\n  npm ci\n');
      assert.equal(backtick.after, `# escape=\`\nFROM node:22\nRUN ${M} \`\n  ${E} npm ci\n`);
    });

    it('a POSIX SHELL (bash with pipefail, zsh through env, inherited) keeps the fix', async () => {
      const bash = await applied('FROM debian:12\nSHELL ["/bin/bash", "-eo", "pipefail", "-c"]\nARG NPM_TOKEN\nRUN npm ci | tee log\n');
      assert.equal(
        bash.after,
        `FROM debian:12\nSHELL ["/bin/bash", "-eo", "pipefail", "-c"]\nRUN ${mount('NPM_TOKEN')} npm ci | tee log\n`,
      );
      const inherited = await applied(
        'FROM debian:12 AS base\nSHELL ["/usr/bin/env", "zsh", "-c"]\nFROM base\nARG NPM_TOKEN\nRUN npm ci\n',
      );
      assert.match(inherited.after, /^RUN --mount=type=secret,id=npm_token export /m);
    });

    it('several secret ARGs of a stage, fixed one after the other: one mount and one export each', async () => {
      const first = await applied('FROM node:22\nARG NPM_TOKEN GH_TOKEN\nRUN npm ci\nRUN gh release list\n');
      assert.equal(
        first.after,
        `FROM node:22\nARG GH_TOKEN\nRUN ${mount('NPM_TOKEN')} npm ci\nRUN ${mount('NPM_TOKEN')} gh release list\n`,
      );
      const second = await applied(first.after);
      const both = `--mount=type=secret,id=gh_token ${mount('NPM_TOKEN').replace(' export', ' export "GH_TOKEN=$(cat /run/secrets/gh_token)" && export')}`;
      assert.equal(second.after, `FROM node:22\nRUN ${both} npm ci\nRUN ${both} gh release list\n`);
      assert.deepEqual(fixesOf(second.after), []);
    });

    it('adds nothing where the variable is used by an instruction the builder expands, or a RUN cannot take the export', () => {
      const none = [
        '# syntax=docker/dockerfile:1.1\nFROM node:22\nARG NPM_TOKEN\nRUN npm ci\n',
        '# syntax=docker/dockerfile:1.0\nFROM node:22\nARG NPM_TOKEN\nRUN npm ci\n',
        '# syntax=docker/dockerfile:1@sha256:4c68376a702446fc3c79af22de146a148bc3367e73c25a5803d453b6b3f722fb\nFROM node:22\nARG NPM_TOKEN\nRUN npm ci\n',
        '# syntax=example.com/frontend:2\nFROM node:22\nARG NPM_TOKEN\nRUN npm ci\n',
        'FROM node:22\nARG NPM_TOKEN\nENV NPM_TOKEN=$NPM_TOKEN\nRUN npm ci\n',
        'FROM node:22\nARG NPM_TOKEN\nCOPY ${NPM_TOKEN}.txt /\nRUN npm ci\n',
        'FROM node:22\nARG NPM_TOKEN\nLABEL token=$NPM_TOKEN\n',
        'FROM node:22\nARG NPM_TOKEN\nRUN --mount=type=secret,id=$NPM_TOKEN npm ci\n',
        'FROM node:22\nARG NPM_TOKEN\nONBUILD RUN echo $NPM_TOKEN\nRUN npm ci\n',
        'FROM node:22\nARG NPM_TOKEN\nARG NPM_TOKEN\nRUN npm ci\n',
        'FROM node:22\nENV NPM_TOKEN=x\nARG NPM_TOKEN\nRUN npm ci\n',
        'FROM node:22\nARG NPM_TOKEN REGISTRY=https://x:${NPM_TOKEN}@registry.example.com\nRUN npm ci\n',
        'FROM node:22\nARG NPM_TOKEN\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci\n',
        'FROM node:22\nARG NPM_TOKEN\nRUN --mount=type=secret,id=npm_token npm ci\n',
        'FROM node:22\nARG NPM_TOKEN\nRUN --mount=type=secret,id=npmrc,target=/run/secrets/npm_token npm ci\n',
        'FROM node:22\nARG NPM_TOKEN\n',
        'ARG NPM_TOKEN=abc\nFROM node:22\nARG NPM_TOKEN\nRUN npm ci\n',
        'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nARG NPM_TOKEN\nRUN npm ci\n',
        '# escape=`\nFROM $BASE\nARG NPM_TOKEN\nRUN npm ci\n',
        // a RUN the export cannot go in front of: exec form, a heredoc, a shell that is not POSIX
        'FROM node:22\nARG NPM_TOKEN\nRUN npm ci\nRUN ["npm", "run", "build"]\n',
        'FROM node:22\nARG NPM_TOKEN\nRUN ["sh", "-c", "npm ci"]\n',
        'FROM node:22\nARG NPM_TOKEN\nRUN <<EOF\nnpm ci\nEOF\n',
        'FROM node:22\nARG NPM_TOKEN\nRUN cat <<EOF > .npmrc\n//registry.npmjs.org/:_authToken=${NPM_TOKEN}\nEOF\n',
        'FROM node:22\nSHELL ["pwsh", "-Command"]\nARG NPM_TOKEN\nRUN npm ci\n',
        'FROM node:22\nARG NPM_TOKEN\nRUN npm ci\nSHELL ["cmd", "/S", "/C"]\nRUN npm run build\n',
        'FROM node:22 AS base\nSHELL ["/usr/bin/pwsh", "-c"]\nFROM base\nARG NPM_TOKEN\nRUN npm ci\n',
      ];
      for (const text of none) assert.deepEqual(fixesOf(text)[0], [], text);
    });

    it('is only for a bare stage ARG: not a global ARG, an ARG with a value, nor ENV', () => {
      const text = 'ARG GITHUB_TOKEN\nFROM alpine:3.20\nARG DEPLOY_TOKEN=abc\nENV DB_PASSWORD=hunter2\nRUN ./deploy.sh\n';
      assert.deepEqual(fixesOf(text), [[], [], []]);
    });

    it('in a stage that redeclares a global ARG, only the stage ARG goes; the instructions before it stay', async () => {
      const text =
        'ARG GITHUB_TOKEN\nFROM alpine:3.20\nRUN apk add git\nARG GITHUB_TOKEN\nRUN git clone https://$GITHUB_TOKEN@github.com/o/r.git\n';
      const { after } = await applied(text, 1);
      assert.equal(
        after,
        `ARG GITHUB_TOKEN\nFROM alpine:3.20\nRUN apk add git\nRUN ${mount('GITHUB_TOKEN')} git clone https://$GITHUB_TOKEN@github.com/o/r.git\n`,
      );
    });
  });
});
