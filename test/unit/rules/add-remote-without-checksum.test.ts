import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';

const SUM = `sha256:${'0a4eaa0eecf5f8c0'.repeat(4)}`;

describe('add-remote-without-checksum', () => {
  ruleCases('add-remote-without-checksum', {
    valid: [
      {
        name: 'a URL with --checksum',
        code: `FROM alpine:3.20
ADD --checksum=${SUM} https://example.com/tool /usr/local/bin/tool
ADD --chmod=755 --checksum=${SUM} https://example.com/tool2 /usr/local/bin/tool2
`,
      },
      {
        name: 'git sources, pinned by their ref: #ref and ?ref=',
        code: `FROM alpine:3.20
ADD https://github.com/example/repo.git#v1.2.3 /src
ADD https://github.com/example/tool.git?ref=v2.0.0&keep-git-dir=1 /tool
ADD https://github.com/example/other#main:subdir /other
ADD git@github.com:example/repo.git#v1 /repo
`,
      },
      {
        name: 'local files and archives (add-instead-of-copy is about those)',
        code: `FROM alpine:3.20
ADD rootfs.tar.gz /
ADD app.py /app/
`,
      },
      {
        name: 'COPY is never a download',
        code: `FROM alpine:3.20
COPY https/example /x
`,
      },
      {
        name: 'a source from an unknown build argument',
        code: `FROM alpine:3.20
ARG URL
ADD $URL /tmp/
`,
      },
      {
        name: 'our ignore comment',
        code: `FROM alpine:3.20
# dockerfile-hardener ignore=add-remote-without-checksum
ADD https://example.com/tool /usr/local/bin/tool
`,
      },
    ],
    invalid: [
      {
        name: 'a URL without --checksum: the URL',
        code: `FROM alpine:3.20
ADD https://github.com/example/tool/releases/download/v1.2.3/tool-linux-amd64 /usr/local/bin/tool
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ add-remote-without-checksum
`,
      },
      {
        name: 'with other flags, over http, an archive',
        code: `FROM alpine:3.20
ADD --link --chmod=0755 http://example.com/tool.tar.gz /opt/
#                       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ add-remote-without-checksum
`,
      },
      {
        name: 'each URL of a multi-source ADD',
        code: `FROM alpine:3.20
ADD https://a.example.com/x https://b.example.com/y /data/
#   ^^^^^^^^^^^^^^^^^^^^^^^ add-remote-without-checksum
#                           ^^^^^^^^^^^^^^^^^^^^^^^ add-remote-without-checksum
`,
      },
      {
        name: 'an empty --checksum does not count',
        code: `FROM alpine:3.20
ADD --checksum= https://example.com/tool /tool
#               ^^^^^^^^^^^^^^^^^^^^^^^^ add-remote-without-checksum
`,
      },
      {
        name: 'a URL from a build argument: the variable as written',
        code: `FROM alpine:3.20
ARG AGENT_URL=https://example.com/agent.jar
ADD \${AGENT_URL} /opt/agent.jar
#   ^^^^^^^^^^^^ add-remote-without-checksum
`,
      },
      {
        name: 'exec form, upper-case scheme',
        code: `FROM alpine:3.20
ADD ["HTTPS://EXAMPLE.COM/tool", "/tool"]
#    ^^^^^^^^^^^^^^^^^^^^^^^^^^ add-remote-without-checksum
`,
      },
    ],
  });

  it('names the URL after substitution', () => {
    assert.deepEqual(messages('add-remote-without-checksum', 'FROM alpine:3.20\nARG V=1.2\nADD https://example.com/t-$V.tgz /t\n'), [
      'ADD downloads https://example.com/t-1.2.tgz without --checksum: a changed or tampered file would go into the image unnoticed. Add --checksum=sha256:….',
    ]);
  });

  // Judged on the corpus: a URL that follows a branch cannot take a checksum; one whose branch the
  // pipeline passes (pi-hole's PADD_BRANCH: master for releases, development for nightlies) is its design.
  it('says to pin a release or commit first when the URL follows a branch or latest, and leaves a branch argument alone', () => {
    const m = messages(
      'add-remote-without-checksum',
      'FROM alpine:3.20\nADD https://raw.githubusercontent.com/pi-hole/PADD/master/padd.sh /usr/local/bin/padd\nADD https://example.com/releases/latest/download/tool.tgz /tmp/\n',
    );
    assert.equal(m.length, 2);
    for (const x of m)
      assert.match(x, /follows a branch or "latest" and changes over time, without --checksum: pin a release or commit in the URL/);
    // Judged on the corpus: moby's busybox image checks the download in the next RUN.
    assert.deepEqual(
      messages(
        'add-remote-without-checksum',
        'FROM alpine:3.20\nADD https://example.com/busybox.exe /busybox.exe\nRUN echo "$BUSYBOX_SHA256SUM  /busybox.exe" | sha256sum -c -\n',
      ),
      [],
    );
    assert.equal(
      messages('add-remote-without-checksum', 'FROM alpine:3.20\nADD https://example.com/busybox.exe /busybox.exe\nRUN echo done\n').length,
      1,
    );
    assert.deepEqual(
      messages(
        'add-remote-without-checksum',
        'FROM alpine:3.20\nADD https://github.com/example/tools/raw/3fea3d48c8e2fbe4a2b6d4fa6f2b9b6a1b9d0e11/busybox.exe /busybox.exe\n',
      ),
      [],
      'a commit pins it',
    );
    assert.deepEqual(
      messages(
        'add-remote-without-checksum',
        'FROM alpine:3.20\nARG PADD_BRANCH=master\nADD https://raw.githubusercontent.com/pi-hole/PADD/${PADD_BRANCH}/padd.sh /usr/local/bin/padd\n',
      ),
      [],
    );
    assert.match(
      messages('add-remote-without-checksum', 'FROM alpine:3.20\nADD https://example.com/v1.2.3/tool.tgz /tmp/\n')[0],
      /a changed or tampered file would go into the image unnoticed/,
    );
  });
});
