import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';

describe('add-instead-of-copy', () => {
  ruleCases('add-instead-of-copy', {
    valid: [
      {
        name: 'a heredoc: inline text can be neither unpacked nor downloaded (judged on the corpus: cosmetic at most)',
        code: `FROM debian:12
ADD <<EOF /etc/apt/sources.list.d/extra.list
deb http://deb.debian.org/debian bookworm-backports main
EOF
`,
      },
      {
        name: 'COPY',
        code: `FROM alpine:3.20
COPY app.py requirements.txt /app/
`,
      },
      {
        name: 'local tar archives, which ADD unpacks',
        code: `FROM scratch
ADD rootfs.tar.gz /
ADD vendor.tgz deps.tar.xz layer.tar tools.tar.bz2 /opt/
`,
      },
      {
        name: 'remote sources: URLs and git repositories',
        code: `FROM alpine:3.20
ADD --checksum=sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5 https://example.com/tool /usr/local/bin/tool
ADD https://github.com/example/repo.git#v1.2.3 /src
ADD git@github.com:example/repo.git /src
`,
      },
      {
        name: 'a URL among local files: not only local files',
        code: `FROM alpine:3.20
ADD https://example.com/data.json local.json /data/
`,
      },
      {
        name: 'a source from an unknown build argument',
        code: `FROM alpine:3.20
ARG SRC
ADD $SRC /app/
`,
      },
      {
        name: "hadolint's DL3020 ignore comment",
        code: `FROM alpine:3.20
# hadolint ignore=DL3020
ADD app.py /app/
`,
      },
    ],
    invalid: [
      {
        name: 'local files: the ADD keyword',
        code: `FROM alpine:3.20
ADD app.py requirements.txt /app/
^^^ add-instead-of-copy
`,
      },
      {
        name: 'the build context, a directory, a glob',
        code: `FROM golang:1.22
ADD . /src
^^^ add-instead-of-copy
ADD ./cmd/ /src/cmd/
^^^ add-instead-of-copy
ADD *.go /src/
^^^ add-instead-of-copy
`,
      },
      {
        name: 'exec form, flags, lower case',
        code: `FROM golang:1.22
ADD ["go.mod", "go.sum", "/src/"]
^^^ add-instead-of-copy
add --chown=app:app --chmod=644 config.yaml /etc/app/
^^^ add-instead-of-copy
`,
      },
      {
        name: 'a source from a build argument with a plain-file default',
        code: `FROM alpine:3.20
ARG CONFIG=config.yaml
ADD \${CONFIG} /etc/app/
^^^ add-instead-of-copy
`,
      },
      {
        name: 'an ignore comment for another rule does not silence it',
        code: `FROM alpine:3.20
# hadolint ignore=DL3021
ADD app.py /app/
^^^ add-instead-of-copy
`,
      },
    ],
  });

  it('says to use COPY', () => {
    assert.deepEqual(messages('add-instead-of-copy', 'FROM alpine:3.20\nADD a /a\n'), [
      'ADD of local files that are not archives: use COPY, which only copies.',
    ]);
  });
});
