import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { applyEdits } from '../../../server/src/engine/edits';
import { messages, ruleCases } from '../helpers';

const RULE = 'tls-verification-disabled';

describe(RULE, () => {
  ruleCases(RULE, {
    valid: [
      {
        name: 'downloads that check certificates, and a CA certificate installed instead',
        code: `FROM debian:12
COPY corp-ca.crt /usr/local/share/ca-certificates/corp-ca.crt
RUN update-ca-certificates && curl -fsSL https://example.com/a -o /a && wget -q https://example.com/b
RUN pip install --index-url https://pypi.example.com/simple app && git clone https://git.example.com/app.git
`,
      },
      {
        name: "a curl option value that only contains k (-o -kfile), and -k after '--'",
        code: `FROM alpine:3.20
RUN curl -o -kfile https://example.com/e && curl -sS -- https://example.com/-k
`,
      },
      {
        name: 'settings that keep the checks on, and empty values',
        code: `FROM node:22
ENV NODE_TLS_REJECT_UNAUTHORIZED=1 npm_config_strict_ssl=true GIT_SSL_NO_VERIFY= PIP_TRUSTED_HOST=
RUN npm config set strict-ssl true && git config --global http.sslVerify true
RUN git config --global http.sslVerify && yarn config get strict-ssl
`,
      },
      {
        name: 'a bare ARG (set only when the build passes it) and a global ARG no stage declares',
        code: `ARG GIT_SSL_NO_VERIFY=1
FROM alpine:3.20
ARG NODE_TLS_REJECT_UNAUTHORIZED
`,
      },
      {
        name: 'a shell variable that is not exported reaches no program',
        code: `FROM node:22
RUN NODE_TLS_REJECT_UNAUTHORIZED=0; node fetch.js
`,
      },
      {
        name: 'local package files the build made (no repository signature to check)',
        code: `FROM alpine:3.20
RUN apk add --no-cache --allow-untrusted /tmp/packages/nginx-module-*.apk
RUN yum localinstall -y --nogpgcheck ./build/app.rpm
RUN apk index --allow-untrusted -o \${tempDir}/APKINDEX.tar.gz \${tempDir}/*.apk
`,
      },
      {
        name: 'a local file:// apt repository marked trusted (the packages were just built)',
        code: `FROM debian:12
RUN echo "deb [ trusted=yes ] file://$tempDir ./" > /etc/apt/sources.list.d/temp.list
`,
      },
      {
        name: 'a health check against the container itself is not a download (only RUN is checked)',
        code: `FROM nginx:1.27
HEALTHCHECK CMD curl -kf https://localhost/ || exit 1
`,
      },
      {
        name: 'curl -k / wget --no-check-certificate of plain http URLs: no TLS to check',
        code: `FROM alpine:3.23
RUN curl -k http://x.example/y -o /y && curl -fsSLk -x https://proxy.example:3128 http://x.example/z
RUN wget --no-check-certificate -q http://x.example/w ftp://x.example/v
`,
      },
      {
        name: 'curl -k of loopback URLs (localhost, 127.0.0.1, ::1): no network path',
        code: `FROM alpine:3.23
RUN curl -k https://localhost:8443/health && curl -ks https://127.0.0.1/ready && curl -k "https://[::1]:9443/"
RUN wget --no-check-certificate -qO- https://localhost/status && curl -k https://localhost/a http://x.example/b
`,
      },
      {
        name: 'pip --trusted-host of a local index (pip refuses its plain http without it)',
        code: `FROM python:3.12
RUN pip install --trusted-host localhost -i http://localhost:8080/simple foo
RUN pip install --trusted-host=127.0.0.1:8080 foo && pip config set global.trusted-host localhost
ENV PIP_TRUSTED_HOST="localhost 127.0.0.1"
`,
      },
    ],
    invalid: [
      {
        name: 'curl -k / wget --no-check-certificate with an https URL to another host, or no URL seen',
        code: `FROM alpine:3.23
RUN curl -k https://localhost/a https://x.example/b && curl -k -o /c "$URL"
#        ^^ tls-verification-disabled
#                                                           ^^ tls-verification-disabled
RUN curl -k http://x.example/a https://\${HOST}/b && wget --no-check-certificate -i /urls.txt
#        ^^ tls-verification-disabled
#                                                        ^^^^^^^^^^^^^^^^^^^^^^ tls-verification-disabled
RUN pip install --trusted-host localhost --trusted-host pypi.example.com app
#                                        ^^^^^^^^^^^^^^ tls-verification-disabled
`,
      },
      {
        name: 'an exec-form RUN (reported, no fix)',
        code: `FROM alpine:3.23
RUN ["curl", "-k", "https://x.example/a"]
#            ^^^^ tls-verification-disabled
`,
      },
      {
        name: 'curl -k, --insecure and -k among combined short options',
        code: `FROM alpine:3.20
RUN curl -k https://example.com/a -o /a && curl --insecure -fsSL https://example.com/b
#        ^^ tls-verification-disabled
#                                               ^^^^^^^^^^ tls-verification-disabled
RUN curl -fsSLk https://example.com/c | tar -xz && curl -sko /d https://example.com/d
#        ^^^^^^ tls-verification-disabled
#                                                       ^^^^ tls-verification-disabled
`,
      },
      {
        name: 'inside a command substitution',
        code: `FROM debian:12
RUN VERSION=$(curl -sk https://api.example.com/latest | jq -r .tag) && echo "$VERSION"
#                  ^^^ tls-verification-disabled
`,
      },
      {
        name: 'wget --no-check-certificate',
        code: `FROM debian:12
RUN wget --no-check-certificate https://example.com/g && wget -q https://example.com/h
#        ^^^^^^^^^^^^^^^^^^^^^^ tls-verification-disabled
`,
      },
      {
        name: 'pip --trusted-host (both forms, python -m pip), pip config, uv --allow-insecure-host, PIP_TRUSTED_HOST',
        code: `FROM python:3.12
RUN pip install --trusted-host pypi.example.com -r requirements.txt
#               ^^^^^^^^^^^^^^ tls-verification-disabled
RUN pip3 install --trusted-host=pypi.example.com app && python -m pip install --trusted-host files.example.com app
#                ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ tls-verification-disabled
#                                                                             ^^^^^^^^^^^^^^ tls-verification-disabled
RUN pip config set global.trusted-host pypi.example.com && uv pip install --allow-insecure-host pypi.example.com app
#                  ^^^^^^^^^^^^^^^^^^^ tls-verification-disabled
#                                                                         ^^^^^^^^^^^^^^^^^^^^^ tls-verification-disabled
ENV PIP_TRUSTED_HOST=pypi.example.com
#   ^^^^^^^^^^^^^^^^ tls-verification-disabled
RUN PIP_TRUSTED_HOST=pypi.example.com pip install app
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ tls-verification-disabled
`,
      },
      {
        name: 'npm, yarn and pnpm strict-ssl off; NODE_TLS_REJECT_UNAUTHORIZED=0; npm_config_strict_ssl',
        code: `FROM node:22
RUN npm config set strict-ssl false && yarn config set strict-ssl false
#                  ^^^^^^^^^^ tls-verification-disabled
#                                                      ^^^^^^^^^^ tls-verification-disabled
RUN npm set strict-ssl=false && npm install --strict-ssl=false && npm ci --no-strict-ssl
#           ^^^^^^^^^^^^^^^^ tls-verification-disabled
#                                           ^^^^^^^^^^^^^^^^^^ tls-verification-disabled
#                                                                        ^^^^^^^^^^^^^^^ tls-verification-disabled
RUN yarn config set enableStrictSsl false && pnpm config set strict-ssl false
#                   ^^^^^^^^^^^^^^^ tls-verification-disabled
#                                                            ^^^^^^^^^^ tls-verification-disabled
ENV NODE_TLS_REJECT_UNAUTHORIZED=0 npm_config_strict_ssl=false
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ tls-verification-disabled
#                                  ^^^^^^^^^^^^^^^^^^^^^ tls-verification-disabled
ENV NPM_CONFIG_STRICT_SSL=false YARN_ENABLE_STRICT_SSL=false
#   ^^^^^^^^^^^^^^^^^^^^^ tls-verification-disabled
#                               ^^^^^^^^^^^^^^^^^^^^^^ tls-verification-disabled
RUN export NODE_TLS_REJECT_UNAUTHORIZED=0 && env NODE_TLS_REJECT_UNAUTHORIZED=0 node fetch.js
#          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ tls-verification-disabled
#                                                ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ tls-verification-disabled
`,
      },
      {
        name: 'git -c http.sslVerify=false, a per-URL key, git config, GIT_SSL_NO_VERIFY',
        code: `FROM alpine/git:2.45
RUN git -c http.sslVerify=false clone https://git.example.com/app.git
#          ^^^^^^^^^^^^^^^^^^^^ tls-verification-disabled
RUN git clone -c http.https://git.example.com/.sslverify=false https://git.example.com/app.git
#                ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ tls-verification-disabled
RUN git config --global http.sslVerify false && git config --system http.sslverify "0"
#                       ^^^^^^^^^^^^^^ tls-verification-disabled
#                                                                   ^^^^^^^^^^^^^^ tls-verification-disabled
ENV GIT_SSL_NO_VERIFY=1
#   ^^^^^^^^^^^^^^^^^ tls-verification-disabled
RUN GIT_SSL_NO_VERIFY=true git fetch
#   ^^^^^^^^^^^^^^^^^^^^^^ tls-verification-disabled
`,
      },
      {
        name: 'apk --allow-untrusted with a remote repository',
        code: `FROM alpine:3.20
RUN apk add --no-cache --allow-untrusted -X https://repo.example.com/alpine app
#                      ^^^^^^^^^^^^^^^^^ tls-verification-disabled
`,
      },
      {
        name: 'apt: --allow-unauthenticated, --allow-insecure-repositories, --force-yes, -o settings, [trusted=yes]',
        code: `FROM debian:12
RUN apt-get update --allow-insecure-repositories && apt-get install -y --allow-unauthenticated app
#                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ tls-verification-disabled
#                                                                      ^^^^^^^^^^^^^^^^^^^^^^^ tls-verification-disabled
RUN apt-get install -y --force-yes app
#                      ^^^^^^^^^^^ tls-verification-disabled
RUN apt-get -o Acquire::https::Verify-Peer=false update && apt-get install -o APT::Get::AllowUnauthenticated=true -y app
#              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ tls-verification-disabled
#                                                                             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ tls-verification-disabled
RUN apt-get -oAcquire::https::repo.example.com::Verify-Host=false update
#           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ tls-verification-disabled
RUN echo 'deb [trusted=yes] http://repo.example.com/debian bookworm main' > /etc/apt/sources.list.d/example.list
#        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ tls-verification-disabled
RUN echo "deb [arch=amd64 trusted=yes] https://repo.example.com/debian bookworm main" | tee -a /etc/apt/sources.list
#        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ tls-verification-disabled
`,
      },
      {
        name: 'dnf/yum/microdnf --nogpgcheck, --setopt, rpm --nosignature, gpgcheck=0 in a .repo file',
        code: `FROM rockylinux:9
RUN dnf install -y --nogpgcheck app && yum install -y --nogpgcheck app && microdnf install --nogpgcheck app
#                  ^^^^^^^^^^^^ tls-verification-disabled
#                                                     ^^^^^^^^^^^^ tls-verification-disabled
#                                                                                          ^^^^^^^^^^^^ tls-verification-disabled
RUN dnf install -y --setopt=sslverify=0 app && dnf --setopt=example.gpgcheck=0 install -y app
#                  ^^^^^^^^^^^^^^^^^^^^ tls-verification-disabled
#                                                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^ tls-verification-disabled
RUN rpm -i --nosignature https://repo.example.com/app.rpm
#          ^^^^^^^^^^^^^ tls-verification-disabled
RUN echo 'gpgcheck=0' >> /etc/yum.repos.d/example.repo
#        ^^^^^^^^^^^^ tls-verification-disabled
`,
      },
      {
        name: 'zypper --no-gpg-checks',
        code: `FROM opensuse/leap:15.6
RUN zypper --no-gpg-checks install -y app
#          ^^^^^^^^^^^^^^^ tls-verification-disabled
`,
      },
      {
        name: 'in a builder stage too: GOINSECURE, an ARG default, .curlrc and .npmrc writes, conda, helm',
        code: `FROM golang:1.23 AS build
ENV GOINSECURE=git.example.com
#   ^^^^^^^^^^ tls-verification-disabled
ARG NODE_TLS_REJECT_UNAUTHORIZED=0
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ tls-verification-disabled
RUN echo insecure >> ~/.curlrc && echo 'strict-ssl=false' >> ~/.npmrc
#        ^^^^^^^^ tls-verification-disabled
#                                      ^^^^^^^^^^^^^^^^^^ tls-verification-disabled
RUN conda config --set ssl_verify false
#                      ^^^^^^^^^^ tls-verification-disabled
RUN helm repo add example https://charts.example.com --insecure-skip-tls-verify
#                                                    ^^^^^^^^^^^^^^^^^^^^^^^^^^ tls-verification-disabled
FROM scratch
COPY --from=build /out /
`,
      },
      {
        name: 'an ONBUILD trigger',
        code: `FROM debian:12
ONBUILD RUN curl -k https://example.com/a -o /a
#                ^^ tls-verification-disabled
`,
      },
    ],
  });

  const fixed = async (text: string) => {
    const [f] = lint(text, { only: [RULE] }).findings;
    assert.equal(f.fixes?.length, 1);
    const fix = f.fixes[0];
    assert.equal(fix.kind, 'suggestion');
    assert.notEqual(fix.preferred, true);
    const after = applyEdits(text, await fix.edits({}));
    assert.deepEqual(lint(after, { only: [RULE] }).findings, [], after);
    return { after, title: fix.title };
  };

  it('names what it turns off: TLS certificate checks or package signature checks', () => {
    const [tls, sig] = messages(
      RULE,
      'FROM alpine:3.20\nRUN curl -k https://x.example/a\nRUN apk add --allow-untrusted -X https://r.example/ app\n',
    );
    assert.match(tls, /^curl -k turns off TLS certificate checks: /);
    assert.match(sig, /^apk --allow-untrusted turns off package signature checks: /);
  });

  it('removes the flag (a suggestion, not applied by fix --unsafe), with its value when written apart', async () => {
    assert.equal((await fixed('FROM x\nRUN curl -k -o /a https://e.example/a\n')).after, 'FROM x\nRUN curl -o /a https://e.example/a\n');
    assert.equal((await fixed('FROM x\nRUN curl -fsSLk https://e.example/a\n')).after, 'FROM x\nRUN curl -fsSL https://e.example/a\n');
    assert.equal(
      (await fixed('FROM x\nRUN git -c http.sslVerify=false clone https://g.example/a\n')).after,
      'FROM x\nRUN git clone https://g.example/a\n',
    );
    assert.equal((await fixed('FROM x\nRUN apt-get -o Acquire::https::Verify-Peer=false update\n')).after, 'FROM x\nRUN apt-get update\n');
    assert.equal((await fixed('FROM x\nRUN pip install app --trusted-host p.example\n')).after, 'FROM x\nRUN pip install app\n');
    const { title } = await fixed('FROM x\nRUN wget --no-check-certificate https://e.example/a\n');
    assert.match(title, /^Remove --no-check-certificate \(check: behind a TLS-intercepting proxy/);
  });

  it('offers no fix where removing the flag is more than removing words (npm config set, ENV, a value on the next line)', () => {
    for (const text of [
      'FROM x\nRUN npm config set strict-ssl false\n',
      'FROM x\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\n',
      'FROM x\nRUN pip install --trusted-host \\\n  p.example app\n',
      'FROM alpine:3.23\nRUN ["curl","-k","https://x"]\n',
      'FROM alpine:3.23\nRUN ["wget","--no-check-certificate","https://x"]\n',
      'FROM alpine:3.23\nRUN ["sh","-c","curl -k https://x"]\n',
    ]) {
      const [f] = lint(text, { only: [RULE] }).findings;
      assert.deepEqual(f.fixes ?? [], [], text);
    }
  });
});
