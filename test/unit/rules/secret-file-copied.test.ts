import * as assert from 'node:assert/strict';
import { memoryContext, messages, ruleCases } from '../helpers';

describe('secret-file-copied', () => {
  ruleCases('secret-file-copied', {
    valid: [
      {
        // Judged on the corpus: a test image's keys and passwords are the fixtures its tests use.
        name: 'a CI or test image (by its directory)',
        code: `FROM nginx:1.27
COPY certs/tls.key /etc/nginx/tls.key
COPY .htpasswd /etc/nginx/.htpasswd
`,
        options: { path: 'test/remote/Dockerfile' },
      },
      {
        // Reproduction: it fired on a file copied into a builder that never reaches the shipped image.
        name: 'a builder stage whose files with the secret are not copied on',
        code: `FROM node:22 AS build
COPY .npmrc package.json package-lock.json ./
RUN npm ci && npm run build
FROM nginx:1.27
COPY --from=build /dist /usr/share/nginx/html
`,
      },
      {
        // Reproduction: a repository signing key (public) taken for a private key.
        name: "package repositories' signing keys, by name or by where they go",
        code: `FROM debian:12
COPY nginx_signing.key Release.key /tmp/
COPY vendor.key /etc/apt/keyrings/
COPY RPM-GPG-KEY-vendor.key /etc/pki/rpm-gpg/
COPY packager.rsa.key /etc/apk/keys/
`,
      },
      {
        name: 'a public key by its header, where the build context is read',
        code: `FROM alpine:3.20
COPY deploy.key server.pem /etc/app/
`,
        options: {
          buildContext: memoryContext({
            'deploy.key': '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBF...\n-----END PGP PUBLIC KEY BLOCK-----\n',
            'server.pem': '-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----\n',
          }),
        },
      },
      {
        name: 'template environment files',
        code: `FROM node:22-alpine
COPY .env.example .env.sample .env.template .env.dist .env.defaults ./
`,
      },
      {
        name: 'public keys and certificates',
        code: `FROM alpine:3.20
COPY id_rsa.pub /root/.ssh/authorized_keys
COPY certs/tls.crt /etc/ssl/certs/
`,
      },
      {
        name: 'certificates, CA bundles, DH parameters and signing keys named as such',
        code: `FROM debian:12
COPY certs/ca.pem fullchain.pem rds-combined-ca-bundle.pem cert.pem /etc/ssl/certs/
COPY ffdhe4096.pem /etc/postfix/dhparams.pem
COPY docker-archive-keyring.gpg.key nginx_signing.pub.key /usr/share/keyrings/
`,
      },
      {
        name: 'names that only look similar',
        code: `FROM alpine:3.20
COPY environment.ts keyboard.json .envrc.md npmrc.md /app/
`,
      },
      {
        name: 'a credentials file as the destination, not the source',
        code: `FROM alpine:3.20
COPY aws-config.ini /root/.aws/config
`,
      },
      {
        name: 'a URL source (add-remote-without-checksum is about those)',
        code: `FROM alpine:3.20
ADD https://example.com/ca.pem /etc/ssl/certs/
`,
      },
      {
        name: 'a secret mount instead of a copy',
        code: `FROM node:22-alpine
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
`,
      },
      {
        name: 'our ignore comment',
        code: `FROM alpine:3.20
# dockerfile-hardener ignore=secret-file-copied
COPY test/fixtures/server.key /etc/test/
`,
      },
    ],
    invalid: [
      {
        name: 'a builder stage whose file the shipped image copies on (the whole directory, or the file)',
        code: `FROM node:22 AS build
WORKDIR /app
COPY .npmrc package.json ./
#    ^^^^^^ secret-file-copied
RUN npm ci
FROM node:22-slim AS keys
COPY deploy/id_ed25519 /keys/
FROM node:22-slim
COPY --from=build /app /app
COPY --from=keys /keys/id_ed25519 /root/.ssh/id_ed25519
#                ^^^^^^^^^^^^^^^^ secret-file-copied
CMD ["node", "/app/index.js"]
`,
      },
      {
        name: 'a private key by its header, whatever its name says',
        code: `FROM alpine:3.20
COPY release.key /etc/app/
#    ^^^^^^^^^^^ secret-file-copied
`,
        options: {
          buildContext: memoryContext({
            'release.key': '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl...\n-----END OPENSSH PRIVATE KEY-----\n',
          }),
        },
      },
      {
        name: 'environment files, in a directory too',
        code: `FROM node:22-alpine
COPY .env .env.local config/.env.production ./
#    ^^^^ secret-file-copied
#         ^^^^^^^^^^ secret-file-copied
#                    ^^^^^^^^^^^^^^^^^^^^^^ secret-file-copied
`,
      },
      {
        name: 'SSH private keys and the whole .ssh directory',
        code: `FROM alpine:3.20
COPY deploy/id_rsa deploy/id_ed25519 /root/.ssh/
#    ^^^^^^^^^^^^^ secret-file-copied
#                  ^^^^^^^^^^^^^^^^^ secret-file-copied
COPY .ssh/ /root/.ssh/
#    ^^^^^ secret-file-copied
`,
      },
      {
        name: 'package-registry and login credentials',
        code: `FROM python:3.12-slim
COPY .npmrc .pypirc .netrc .git-credentials .pgpass /root/
#    ^^^^^^ secret-file-copied
#           ^^^^^^^ secret-file-copied
#                   ^^^^^^ secret-file-copied
#                          ^^^^^^^^^^^^^^^^ secret-file-copied
#                                           ^^^^^^^ secret-file-copied
`,
      },
      {
        name: 'cloud, registry and cluster credentials, known by their path',
        code: `FROM alpine:3.20
COPY home/.aws/credentials /root/.aws/credentials
#    ^^^^^^^^^^^^^^^^^^^^^ secret-file-copied
COPY .docker/config.json .kube/config /root/
#    ^^^^^^^^^^^^^^^^^^^ secret-file-copied
#                        ^^^^^^^^^^^^ secret-file-copied
`,
      },
      {
        name: 'private key and keystore extensions, a glob included',
        code: `FROM alpine:3.20
COPY server.pem tls.KEY store.p12 app.jks keys/*.pem /etc/app/
#    ^^^^^^^^^^ secret-file-copied
#               ^^^^^^^ secret-file-copied
#                       ^^^^^^^^^ secret-file-copied
#                                 ^^^^^^^ secret-file-copied
#                                         ^^^^^^^^^^ secret-file-copied
`,
      },
      {
        name: 'a name that says certificate and key, or gives no hint',
        code: `FROM alpine:3.20
COPY ca-key.pem cert-and-key.pem privkey.pem repo.key /etc/app/
#    ^^^^^^^^^^ secret-file-copied
#               ^^^^^^^^^^^^^^^^ secret-file-copied
#                                ^^^^^^^^^^^ secret-file-copied
#                                            ^^^^^^^^ secret-file-copied
`,
      },
      {
        name: 'ADD, exec form, and --chown',
        code: `FROM alpine:3.20
ADD --chown=app:app .npmrc /home/app/
#                   ^^^^^^ secret-file-copied
COPY ["secrets/id_ecdsa", "/root/.ssh/"]
#     ^^^^^^^^^^^^^^^^^^ secret-file-copied
`,
      },
      {
        name: 'from another stage: the file still lands in this layer',
        code: `FROM alpine:3.20 AS creds
RUN echo x > /root/.git-credentials
FROM alpine:3.20
COPY --from=creds /root/.git-credentials /root/
#                 ^^^^^^^^^^^^^^^^^^^^^^ secret-file-copied
`,
      },
      {
        name: 'a source named by a build argument',
        code: `FROM alpine:3.20
ARG KEY_FILE=deploy/id_rsa
COPY \${KEY_FILE} /root/.ssh/
#    ^^^^^^^^^^^ secret-file-copied
`,
      },
    ],
  });

  it('names the file and why it matters', () => {
    assert.deepEqual(messages('secret-file-copied', 'FROM alpine:3.20\nARG K=deploy/id_rsa\nCOPY $K /root/.ssh/\n'), [
      'COPY of deploy/id_rsa (an SSH private key) puts it into the image layer for good. Use RUN --mount=type=secret for the step that needs it.',
    ]);
    assert.match(messages('secret-file-copied', 'FROM alpine:3.20\nADD .npmrc /\n')[0], /^ADD of \.npmrc \(npm registry tokens\)/);
  });

  it('says through which stage a builder file reaches the shipped image', () => {
    assert.deepEqual(
      messages('secret-file-copied', 'FROM alpine:3.20 AS keys\nCOPY id_rsa /k/\nFROM alpine:3.20\nCOPY --from=keys /k /k\n'),
      [
        'COPY of id_rsa (an SSH private key) of stage keys, which the shipped image copies from, puts it into the image layer for good. Use RUN --mount=type=secret for the step that needs it.',
      ],
    );
  });
});
