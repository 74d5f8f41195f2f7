import * as assert from 'node:assert/strict';
import { applyEdits } from '../../../server/src/engine/edits';
import type { FixContext } from '../../../server/src/engine/rule';
import { fixAll } from '../../../server/src/linter/fix';
import { lint } from '../../../server/src/linter/lint';
import { messages, ruleCases } from '../helpers';

const RULE = 'download-without-checksum';
const SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe(RULE, () => {
  ruleCases(RULE, {
    valid: [
      {
        name: 'a pinned sha256 checked before unpacking',
        code: `FROM debian:12
RUN curl -fsSLo /tmp/tool.tgz https://example.com/tool-1.2.3.tgz \\
 && echo "${SHA}  /tmp/tool.tgz" | sha256sum -c - \\
 && tar -xzf /tmp/tool.tgz -C /opt
`,
      },
      {
        name: 'a checksum file from the same server (protects against corruption only, but it is a check)',
        code: `FROM debian:12
RUN curl -fsSLO https://example.com/tool-1.2.3.tgz && curl -fsSLO https://example.com/tool-1.2.3.tgz.sha256 \\
 && shasum -a 256 -c tool-1.2.3.tgz.sha256 && tar -xzf tool-1.2.3.tgz
`,
      },
      {
        name: 'a signature checked with gpg, cosign or minisign',
        code: `FROM debian:12
RUN wget -O /usr/local/bin/gosu https://example.com/gosu-amd64 && wget -O /tmp/gosu.asc https://example.com/gosu-amd64.asc \\
 && gpg --batch --verify /tmp/gosu.asc /usr/local/bin/gosu && chmod +x /usr/local/bin/gosu
RUN curl -fsSLo /tmp/t.tgz https://example.com/t.tgz && cosign verify-blob --bundle /tmp/t.bundle /tmp/t.tgz && tar xzf /tmp/t.tgz
RUN curl -fsSLo /tmp/m.tgz https://example.com/m.tgz && minisign -Vm /tmp/m.tgz -P RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3 && tar xzf /tmp/m.tgz
`,
      },
      {
        name: 'downloads of keys and signatures, a key piped into gpg',
        code: `FROM debian:12
RUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/example.gpg
RUN curl -fsSLo /tmp/SHA256SUMS https://example.com/SHA256SUMS && chmod 644 /tmp/SHA256SUMS
`,
      },
      {
        name: 'a script piped into a shell is remote-script-piped-to-shell, not this rule',
        code: `FROM debian:12
RUN curl -fsSL https://example.com/install.sh | sh
`,
      },
      {
        name: 'a download nothing runs, unpacks or installs',
        code: `FROM debian:12
RUN curl -fsSL https://example.com/config.json -o /etc/app/config.json
RUN wget -O /srv/index.html https://example.com/ && chmod 644 /srv/index.html
`,
      },
      {
        name: 'a file at a full git commit, written out or in an ENV',
        code: `FROM docker:27
ENV DIND_COMMIT=8d9e3502aba39127e4d12196dae16d306f76993d
RUN wget -O /usr/local/bin/dind "https://raw.githubusercontent.com/docker/docker/\${DIND_COMMIT}/hack/dind" && chmod +x /usr/local/bin/dind
RUN curl -fsSLo /usr/local/bin/x https://raw.githubusercontent.com/o/r/8d9e3502aba39127e4d12196dae16d306f76993d/x && chmod +x /usr/local/bin/x
`,
      },
      {
        name: 'a list file checked after the downloads it covers (which files it lists is not in the text)',
        code: `FROM debian:12
RUN curl -fsSLO https://example.com/a-1.0.tgz && curl -fsSLO https://example.com/b-1.0.tgz && curl -fsSLO https://example.com/SHA256SUMS \\
 && sha256sum -c --ignore-missing SHA256SUMS && tar xzf a-1.0.tgz && tar xzf b-1.0.tgz
`,
      },
      {
        name: "the file's line picked from a list with grep, written ${V} or $V",
        code: `FROM debian:12
ARG V=1.0
RUN curl -fsSLO https://example.com/t-$V.tgz && curl -fsSLO https://example.com/SHA256SUMS \\
 && grep " t-\${V}.tgz\\$" SHA256SUMS | sha256sum -c - && tar xzf t-$V.tgz
`,
      },
      {
        name: 'the line fed by a here-string, a heredoc, BusyBox, or naming the file through a variable',
        code: `FROM debian:12
SHELL ["/bin/bash", "-c"]
RUN curl -fsSLo /tmp/t.tgz https://example.com/t-1.0.tgz && sha256sum -c <<< "${SHA} */tmp/t.tgz" && tar xzf /tmp/t.tgz
RUN curl -fsSLo /tmp/u.tgz https://example.com/u-1.0.tgz && sha256sum -c - <<EOF && tar xzf /tmp/u.tgz
${SHA}  /tmp/u.tgz
EOF
RUN wget -O /tmp/v.tgz https://example.com/v-1.0.tgz && echo "${SHA}  /tmp/v.tgz" | busybox sha256sum -c - && tar xzf /tmp/v.tgz
RUN f=/tmp/w.tgz; curl -fsSLo "$f" https://example.com/w-1.0.tgz && echo "$W_SHA  $f" | sha256sum -c - && tar xzf "$f"
`,
      },
      {
        name: 'a digest of the file compared: in [ ], piped into grep, from openssl, in PHP (composer)',
        code: `FROM php:8.3
ARG SHA=${SHA}
RUN curl -fsSLo /tmp/t.tgz https://example.com/t-1.0.tgz \\
 && [ "$(sha256sum /tmp/t.tgz | cut -d' ' -f1)" = "$SHA" ] && tar xzf /tmp/t.tgz
RUN curl -fsSLo /tmp/u.tgz https://example.com/u-1.0.tgz && sha256sum /tmp/u.tgz | grep -q "$SHA" && tar xzf /tmp/u.tgz
RUN curl -fsSLo /tmp/v.tgz https://example.com/v-1.0.tgz && test "$(openssl sha256 -r /tmp/v.tgz | cut -c-64)" = "$SHA" && tar xzf /tmp/v.tgz
RUN curl -fsSLo composer-setup.php https://getcomposer.org/installer \\
 && php -r "if (hash_file('sha384', 'composer-setup.php') !== getenv('SIG')) { exit(1); }" \\
 && php composer-setup.php --install-dir=/usr/local/bin
`,
      },
      {
        name: 'a signature naming the file it is for (gpg finds the data next to it)',
        code: `FROM debian:12
RUN curl -fsSLO https://example.com/t-1.0.tgz && curl -fsSLO https://example.com/t-1.0.tgz.asc \\
 && gpg --batch --verify t-1.0.tgz.asc && tar xzf t-1.0.tgz
`,
      },
      {
        name: 'made executable or moved before the check, run only after it',
        code: `FROM debian:12
RUN set -eux; \\
 curl -fsSLo /usr/local/bin/gosu https://example.com/gosu-1.17; \\
 curl -fsSLo /usr/local/bin/gosu.asc https://example.com/gosu-1.17.asc; \\
 chmod +x /usr/local/bin/gosu; \\
 gpg --batch --verify /usr/local/bin/gosu.asc /usr/local/bin/gosu; \\
 gosu nobody true
RUN curl -fsSLo /tmp/tool https://example.com/tool-1.0 && mv /tmp/tool /usr/local/bin/ \\
 && echo "${SHA}  /usr/local/bin/tool" | sha256sum -c - && chmod +x /usr/local/bin/tool && tool --version
`,
      },
      {
        name: 'only made executable in its RUN, checked in a later RUN before anything runs it',
        code: `FROM alpine:3.20
RUN curl -fsSLo /go/bin/tool https://example.com/tool-1.0 && curl -fsSLo /go/bin/tool.minisig https://example.com/tool-1.0.minisig \\
 && chmod +x /go/bin/tool
RUN minisign -Vqm /go/bin/tool -x /go/bin/tool.minisig -P RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3
`,
      },
      {
        name: 'a file at a full git commit held in a variable the RUN sets',
        code: `FROM docker:27
RUN C=8d9e3502aba39127e4d12196dae16d306f76993d && wget -O /usr/local/bin/dind "https://raw.githubusercontent.com/docker/docker/$C/hack/dind" \\
 && chmod +x /usr/local/bin/dind
`,
      },
      {
        name: 'PowerShell: the commands are not read, a hash check anywhere in the RUN counts',
        code: `FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command"]
RUN curl -fsSLo t.zip https://example.com/t-1.zip; if ((Get-FileHash t.zip -Algorithm sha256).Hash -ne $env:T_SHA) { exit 1 }; tar -xf t.zip
`,
      },
      {
        name: 'ADD of a URL is add-remote-without-checksum',
        code: `FROM debian:12
ADD https://example.com/tool.tgz /tmp/tool.tgz
RUN tar -xzf /tmp/tool.tgz -C /opt
`,
      },
    ],
    invalid: [
      {
        name: 'piped into tar, in a builder stage too (its output ships)',
        code: `FROM golang:1.23 AS build
RUN curl -fsSL https://example.com/protoc-27.1-linux-x86_64.tar.gz | tar -xz -C /usr/local
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ download-without-checksum
FROM scratch
COPY --from=build /usr/local/bin/protoc /protoc
`,
      },
      {
        name: 'wget naming the file after the URL, then tar',
        code: `FROM debian:12
WORKDIR /tmp
RUN wget -q https://example.com/tool-1.2.3.tar.gz && tar xzf tool-1.2.3.tar.gz -C /opt && rm tool-1.2.3.tar.gz
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ download-without-checksum
`,
      },
      {
        name: 'a package installed with dpkg',
        code: `FROM ubuntu:24.04
RUN curl -fsSLo /tmp/app.deb https://example.com/app_1.0_amd64.deb && dpkg -i /tmp/app.deb && rm /tmp/app.deb
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ download-without-checksum
`,
      },
      {
        name: 'installed into a bin directory, URL built from TARGETARCH',
        code: `FROM alpine:3.20
RUN curl -fsSL -o kubectl "https://dl.k8s.io/release/v1.31.0/bin/linux/$TARGETARCH/kubectl" \\
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ download-without-checksum
 && install -m 0755 kubectl /usr/local/bin/kubectl
`,
      },
      {
        name: 'a script saved, then run',
        code: `FROM debian:12
RUN curl -fsSL https://example.com/install.sh -o /tmp/install.sh && bash /tmp/install.sh --yes
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ download-without-checksum
`,
      },
      {
        name: 'in a heredoc script',
        code: `# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN <<EOF
set -eux
wget -O /tmp/tool.zip https://example.com/tool.zip
^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ download-without-checksum
unzip /tmp/tool.zip -d /opt
EOF
`,
      },
      {
        name: 'two downloads, neither checked',
        code: `FROM debian:12
RUN curl -fsSL https://example.com/t-1.0.tgz -o t.tgz && tar xzf t.tgz \\
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ download-without-checksum
 && curl -fsSL https://example.com/u-1.0.tgz -o u.tgz && tar xzf u.tgz
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ download-without-checksum
`,
      },
      {
        name: 'a check of the first download does not cover a second one after it',
        code: `FROM debian:12
RUN curl -fsSL https://example.com/t-1.0.tgz -o t.tgz && echo "${SHA}  t.tgz" | sha256sum -c - && tar xzf t.tgz \\
 && curl -fsSL https://example.com/u-1.0.tgz -o u.tgz && tar xzf u.tgz
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ download-without-checksum
`,
      },
      {
        name: "a checker's name in an echo or in a URL is no check",
        code: `FROM debian:12
RUN echo "check it with sha256sum -c or gpg --verify" \\
 && curl -fsSLo /tmp/t.tgz https://example.com/t-1.0.tgz && tar xzf /tmp/t.tgz -C /opt
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ download-without-checksum
RUN curl -fsSLo /tmp/u.tgz https://example.com/cosign-sha256sum-helper-1.0.tgz && tar xzf /tmp/u.tgz -C /opt
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ download-without-checksum
`,
      },
      {
        name: 'checked only after unpacking',
        code: `FROM debian:12
RUN curl -fsSLo /tmp/t.tgz https://example.com/t-1.0.tgz && tar xzf /tmp/t.tgz -C /opt \\
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ download-without-checksum
 && echo "${SHA}  /tmp/t.tgz" | sha256sum -c -
`,
      },
      {
        name: 'the check names another file, or only prints a digest',
        code: `FROM debian:12
RUN curl -fsSLo /tmp/a.tgz https://example.com/a-1.0.tgz && curl -fsSLo /tmp/b.tgz https://example.com/b-1.0.tgz \\
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ download-without-checksum
 && echo "${SHA}  /tmp/b.tgz" | sha256sum -c - && tar xzf /tmp/a.tgz && tar xzf /tmp/b.tgz
RUN curl -fsSLo /tmp/t.tgz https://example.com/t-1.0.tgz && sha256sum /tmp/t.tgz && tar xzf /tmp/t.tgz -C /opt
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ download-without-checksum
`,
      },
      {
        name: 'a list file checks the downloads before it, not one already unpacked or piped into tar',
        code: `FROM debian:12
RUN curl -fsSLO https://example.com/a-1.0.tgz && tar xzf a-1.0.tgz \\
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ download-without-checksum
 && curl -fsSLO https://example.com/b-1.0.tgz && curl -fsSLO https://example.com/SHA256SUMS \\
 && sha256sum -c --ignore-missing SHA256SUMS && tar xzf b-1.0.tgz
RUN curl -fsSLo /tmp/SHA256SUMS https://example.com/SHA256SUMS && curl -fsSL https://example.com/t-1.0.tgz | tar xz -C /opt \\
#                                                                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ download-without-checksum
 && sha256sum -c --ignore-missing /tmp/SHA256SUMS
`,
      },
      {
        name: 'only made executable, run in a later RUN before the check there',
        code: `FROM alpine:3.20
RUN curl -fsSLo /go/bin/tool https://example.com/tool-1.0 && chmod +x /go/bin/tool
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ download-without-checksum
RUN tool --version
RUN echo "${SHA}  /go/bin/tool" | sha256sum -c -
`,
      },
      {
        name: 'a URL held in a variable',
        code: `FROM debian:12
ARG URL=https://example.com/tool.tgz
RUN curl -fsSL "$URL" -o /tmp/tool.tgz && tar -C /opt -xzf /tmp/tool.tgz
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ download-without-checksum
`,
      },
    ],
  });

  it('says what the RUN does with the download', () => {
    assert.deepEqual(
      messages(RULE, 'FROM debian:12\nRUN wget -O /usr/local/bin/tool https://example.com/tool && chmod +x /usr/local/bin/tool\n'),
      [
        "wget downloads https://example.com/tool and the RUN makes it executable without checking a checksum or signature: a changed or tampered file would go into the build unnoticed. Check a pinned sha256 (sha256sum -c) or the publisher's signature first.",
      ],
    );
  });
});

describe(`${RULE}: the fix`, () => {
  const fixOf = (text: string) => {
    const [f] = lint(text, { only: [RULE] }).findings;
    assert.ok(f, 'a finding');
    assert.equal(f.fixes?.length, 1);
    return f.fixes![0];
  };
  const fetched: { url: string; followRedirects?: boolean }[] = [];
  const online: FixContext = {
    fetchSha256: (url, options) => {
      fetched.push({ url, followRedirects: options?.followRedirects });
      return Promise.resolve(SHA);
    },
  };
  beforeEach(() => fetched.splice(0));

  async function applied(text: string): Promise<string> {
    const fix = fixOf(text);
    assert.equal(fix.unavailable, undefined, fix.unavailable);
    assert.equal(fix.kind, 'suggestion');
    assert.equal(fix.network, 'download');
    const after = applyEdits(text, await fix.edits(online));
    assert.deepEqual(lint(after, { only: [RULE] }).findings, [], 'the fixed file lints clean');
    return after;
  }

  it('says whose checksum it is in its title', () => {
    assert.equal(
      fixOf('FROM debian:12\nRUN curl -fsSL https://example.com/t.tgz | tar xz\n').title,
      "Add a sha256 check (of what example.com serves now — compare it with the publisher's)",
    );
  });

  it('curl piped into tar: downloads to a file, checks it, extracts it as before, removes it', async () => {
    const text = 'FROM debian:12\nRUN curl -fsSL https://example.com/dl/tool-1.2.3.tar.gz | tar xz -C /usr/local/bin\n';
    assert.equal(
      await applied(text),
      `FROM debian:12\nRUN curl -fsSL https://example.com/dl/tool-1.2.3.tar.gz -o /tmp/tool-1.2.3.tar.gz && echo "${SHA}  /tmp/tool-1.2.3.tar.gz" | sha256sum -c - && tar xz -C /usr/local/bin -f /tmp/tool-1.2.3.tar.gz && rm -f /tmp/tool-1.2.3.tar.gz\n`,
    );
    assert.deepEqual(fetched, [{ url: 'https://example.com/dl/tool-1.2.3.tar.gz', followRedirects: true }]);
  });

  it('wget -qO- into tar -f -: the file takes the place of each -, on continued lines too', async () => {
    const text = 'FROM alpine:3.20\nRUN wget -qO- https://example.com/t.tgz \\\n    | tar -xzf - -C /opt\n';
    assert.equal(
      await applied(text),
      `FROM alpine:3.20\nRUN wget -qO /tmp/t.tgz https://example.com/t.tgz \\\n    && echo "${SHA}  /tmp/t.tgz" | sha256sum -c - && tar -xzf /tmp/t.tgz -C /opt && rm -f /tmp/t.tgz\n`,
    );
  });

  it('after set -e with more commands after `;`: the check and tar are commands of their own (set -e ignores a failure inside an && list)', async () => {
    const text =
      'FROM alpine:3.20\nRUN set -eux; \\\n    wget -qO- https://example.com/t.tgz \\\n    | tar -xzf - -C /opt; \\\n    ls /opt\n';
    assert.equal(
      await applied(text),
      `FROM alpine:3.20\nRUN set -eux; \\\n    wget -qO /tmp/t.tgz https://example.com/t.tgz; \\\n    echo "${SHA}  /tmp/t.tgz" | sha256sum -c -; tar -xzf /tmp/t.tgz -C /opt; rm -f /tmp/t.tgz; \\\n    ls /opt\n`,
    );
    const curl = 'FROM debian:12\nRUN set -e; curl -fsSL https://example.com/t.tgz | tar xz -C /opt && chmod 755 /opt/t; ls /opt\n';
    assert.equal(
      await applied(curl),
      `FROM debian:12\nRUN set -e; curl -fsSL https://example.com/t.tgz -o /tmp/t.tgz; echo "${SHA}  /tmp/t.tgz" | sha256sum -c -; tar xz -C /opt -f /tmp/t.tgz; rm -f /tmp/t.tgz && chmod 755 /opt/t; ls /opt\n`,
    );
  });

  it('after set -e, a download chained into more commands with && before a `;`: that && becomes `;` around the check', async () => {
    const text =
      'FROM alpine:3.20\nRUN set -eux; \\\n    wget -q -O /usr/local/bin/tool https://example.com/tool-1.0 && chmod +x /usr/local/bin/tool; \\\n    tool --version\n';
    assert.equal(
      await applied(text),
      `FROM alpine:3.20\nRUN set -eux; \\\n    wget -q -O /usr/local/bin/tool https://example.com/tool-1.0; echo "${SHA}  /usr/local/bin/tool" | sha256sum -c -; chmod +x /usr/local/bin/tool; \\\n    tool --version\n`,
    );
    const continued =
      'FROM alpine:3.20\nRUN set -eux; \\\n    wget -q -O /usr/local/bin/tool https://example.com/tool-1.0 \\\n    && chmod +x /usr/local/bin/tool; \\\n    tool --version\n';
    assert.equal(
      await applied(continued),
      `FROM alpine:3.20\nRUN set -eux; \\\n    wget -q -O /usr/local/bin/tool https://example.com/tool-1.0; echo "${SHA}  /usr/local/bin/tool" | sha256sum -c -; \\\n    chmod +x /usr/local/bin/tool; \\\n    tool --version\n`,
    );
  });

  it('a download to a named file: the check goes right after it', async () => {
    const text =
      'FROM alpine:3.20\nRUN wget -q -O /usr/local/bin/tool https://example.com/tool-linux-amd64 && chmod +x /usr/local/bin/tool\n';
    assert.equal(
      await applied(text),
      `FROM alpine:3.20\nRUN wget -q -O /usr/local/bin/tool https://example.com/tool-linux-amd64 && echo "${SHA}  /usr/local/bin/tool" | sha256sum -c - && chmod +x /usr/local/bin/tool\n`,
    );
    const implicit = 'FROM debian:12\nRUN cd /tmp && curl -fsSO https://example.com/tool.deb && dpkg -i tool.deb\n';
    assert.equal(
      await applied(implicit),
      `FROM debian:12\nRUN cd /tmp && curl -fsSO https://example.com/tool.deb && echo "${SHA}  tool.deb" | sha256sum -c - && dpkg -i tool.deb\n`,
    );
    assert.deepEqual(
      fetched.at(-1),
      { url: 'https://example.com/tool.deb', followRedirects: false },
      'curl without -L does not follow redirects',
    );
  });

  it('after set -e, a check on its own line of a heredoc script stops the build', async () => {
    const text =
      'FROM alpine:3.20\nRUN <<EOF\nset -eux\nwget -O /tmp/tool.zip https://example.com/tool.zip\nunzip /tmp/tool.zip -d /opt\nEOF\n';
    assert.equal(
      await applied(text),
      `FROM alpine:3.20\nRUN <<EOF\nset -eux\nwget -O /tmp/tool.zip https://example.com/tool.zip; echo "${SHA}  /tmp/tool.zip" | sha256sum -c -\nunzip /tmp/tool.zip -d /opt\nEOF\n`,
    );
  });

  it('after set -e, a download chained after && before a `;`: it and the rest of its list go in { …; }', async () => {
    const text = 'FROM debian:12\nRUN set -e; cd /tmp && curl -fsSO https://example.com/t.deb && dpkg -i t.deb; ls\n';
    assert.equal(
      await applied(text),
      `FROM debian:12\nRUN set -e; cd /tmp && { curl -fsSO https://example.com/t.deb; echo "${SHA}  t.deb" | sha256sum -c -; dpkg -i t.deb; }; ls\n`,
    );
    const pipe = 'FROM debian:12\nRUN set -e; mkdir -p /opt/t && curl -fsSL https://example.com/t.tgz | tar xz -C /opt/t; ls /opt/t\n';
    assert.equal(
      await applied(pipe),
      `FROM debian:12\nRUN set -e; mkdir -p /opt/t && { curl -fsSL https://example.com/t.tgz -o /tmp/t.tgz; echo "${SHA}  /tmp/t.tgz" | sha256sum -c -; tar xz -C /opt/t -f /tmp/t.tgz; rm -f /tmp/t.tgz; }; ls /opt/t\n`,
    );
    const alone = 'FROM debian:12\nRUN set -e; cd /tmp && wget -q https://example.com/t.tgz; tar xzf t.tgz -C /opt\n';
    assert.equal(
      await applied(alone),
      `FROM debian:12\nRUN set -e; cd /tmp && { wget -q https://example.com/t.tgz; echo "${SHA}  t.tgz" | sha256sum -c -; }; tar xzf t.tgz -C /opt\n`,
    );
  });

  it('a fix for one of two downloads leaves the other reported (its check names only its own file)', async () => {
    const text =
      'FROM debian:12\nRUN curl -fsSL https://ex.com/t.tgz -o t.tgz && tar xzf t.tgz && curl -fsSL https://ex.com/u.tgz -o u.tgz && tar xzf u.tgz\n';
    assert.equal(lint(text, { only: [RULE] }).findings.length, 2);
    const after = applyEdits(text, await fixOf(text).edits(online));
    assert.equal(
      after,
      `FROM debian:12\nRUN curl -fsSL https://ex.com/t.tgz -o t.tgz && echo "${SHA}  t.tgz" | sha256sum -c - && tar xzf t.tgz && curl -fsSL https://ex.com/u.tgz -o u.tgz && tar xzf u.tgz\n`,
    );
    const left = lint(after, { only: [RULE] }).findings;
    assert.equal(left.length, 1);
    assert.match(left[0].message, /downloads https:\/\/ex\.com\/u\.tgz/);
  });

  it('is not offered for a URL built from variables (one checksum per TARGETARCH or version)', () => {
    for (const url of ['https://example.com/t-$TARGETARCH.tgz', 'https://example.com/t-${VERSION}.tgz', '"$URL"']) {
      const [f] = lint(`FROM debian:12\nRUN curl -fsSL ${url} | tar xz\n`, { only: [RULE] }).findings;
      assert.ok(f, url);
      assert.equal(f.fixes?.length ?? 0, 0, url);
    }
  });

  it('is unavailable, with the reason, where the edit could change what the RUN does', () => {
    const cases: [string, RegExp][] = [
      ['RUN curl -fsSL https://github.com/o/r/archive/master.zip -o /tmp/r.zip && unzip /tmp/r.zip', /follows a branch or "latest"/],
      ['RUN curl -fsSLo /tmp/t https://example.com/t || exit 1 && chmod +x /tmp/t', /follows `\|\|`/],
      ['RUN curl -fsSLo /tmp/t https://example.com/t; chmod +x /tmp/t', /without `set -e`: a failed check would not stop the build/],
      [
        'RUN curl -fsSLo /tmp/t https://example.com/t && chmod +x /tmp/t; ls /tmp',
        /the RUN goes on and runs after `;` or a new line without `set -e`: a failed check would not stop the build/,
      ],
      ['RUN curl -fsSLo /tmp/t https://example.com/t && chmod +x /tmp/t || true', /a later command follows `\|\|`/],
      ['RUN true || curl -fsSLo /tmp/t https://example.com/t && chmod +x /tmp/t', /the download follows `\|\|`/],
      ['RUN ["sh", "-c", "curl -fsSL https://example.com/t.tgz | tar xz"]', /exec form/],
      ['RUN curl -fsSL https://example.com/t.tgz | tar -xz -T /list', /only simple extraction options/],
      ['RUN curl -fsSL https://example.com/t.tgz | gunzip | tar x', /piped straight into tar, or saved to a named file/],
      ['RUN curl -fsSL https://example.com/t.tgz | tar xz | sort', /another pipe/],
    ];
    for (const [run, reason] of cases) {
      const fix = fixOf(`FROM debian:12\n${run}\n`);
      assert.match(fix.unavailable ?? '(available)', reason, run);
    }
  });

  it('without download access (fix-all, the CLI, an untrusted workspace) it fails with the reason and edits nothing', async () => {
    const text = 'FROM debian:12\nRUN curl -fsSL https://example.com/t.tgz | tar xz\n';
    await assert.rejects(Promise.resolve(fixOf(text).edits({})), /trusted workspace/);
    await assert.rejects(
      Promise.resolve(fixOf(text).edits({ downloadOfflineReason: 'Downloads are off here.' })),
      /Downloads are off here\./,
    );
    const failing: FixContext = { fetchSha256: () => Promise.reject(new Error('example.com answered 404 Not Found')) };
    await assert.rejects(Promise.resolve(fixOf(text).edits(failing)), /404/);
    const garbage: FixContext = { fetchSha256: () => Promise.resolve('<html>') };
    await assert.rejects(Promise.resolve(fixOf(text).edits(garbage)), /not a sha256/);
    for (const unsafe of [false, true]) {
      const result = await fixAll(text, { only: [RULE], unsafe, context: online });
      assert.equal(result.text, text, 'fix-all never applies it');
    }
  });
});
