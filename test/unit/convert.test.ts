/**
 * "Convert to multi-stage scratch build": exact results for typical single-stage Go Dockerfiles,
 * the promises every result keeps (none of the seven hardening findings, no instruction lost, a
 * second conversion refuses), and clear refusals where scratch cannot work.
 */
import * as assert from 'node:assert/strict';
import { convertToScratch, CLEAN_OF } from '../../server/src/convert/convert';
import { lint } from '../../server/src/linter/lint';
import { DockerfileModel } from '../../server/src/model/model';
import { memoryContext } from './helpers';

/** A Go project's build context: sources only. */
const SOURCES = memoryContext({
  'main.go': 'package main\n',
  'go.mod': 'module example.com/hello\n',
  'go.sum': '',
  'README.md': '# hello\n',
  'internal/x/x.go': 'package x\n',
});

function converted(text: string, buildContext = SOURCES): string {
  const r = convertToScratch(text, { buildContext });
  assert.ok(r.ok, r.ok ? '' : r.reason);
  return r.text;
}

/** Every instruction of the original is in the result: unchanged, or the ones conversion rewrites. */
function assertKeepsInstructions(before: string, after: string): void {
  const a = new DockerfileModel(after);
  const kept = new Set(a.instructions.map((i) => after.slice(i.span.start, i.span.end)));
  const rewritten = new Set(['CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'FROM']);
  const b = new DockerfileModel(before);
  for (const i of b.instructions) {
    const text = before.slice(i.span.start, i.span.end);
    if (rewritten.has(i.keyword) || (i.keyword === 'RUN' && /\bgo\s+(build|get|install)\b/.test(text))) {
      assert.ok(
        a.instructions.some((x) => x.keyword === i.keyword),
        `no ${i.keyword} left`,
      );
      continue;
    }
    assert.ok(kept.has(text), `lost: ${text}\n---\n${after}`);
  }
}

function assertPromises(before: string, after: string): void {
  assert.deepEqual(
    lint(after, { only: CLEAN_OF }).findings.map((f) => f.rule),
    [],
  );
  assertKeepsInstructions(before, after);
  const again = convertToScratch(after, { buildContext: SOURCES });
  assert.ok(!again.ok && /already multi-stage/.test(again.reason));
  const m = new DockerfileModel(after);
  assert.equal(m.stages.length, 2);
  assert.equal(m.shipped?.isScratch, true);
  assert.equal(m.shipped?.user.text, 'appuser:appuser');
}

describe('convert to multi-stage scratch', () => {
  it('turns a typical single-stage Go Dockerfile into builder + scratch', () => {
    const before = [
      '# syntax=docker/dockerfile:1',
      'FROM golang:1.22',
      'WORKDIR /src',
      'ENV PORT=8080 GOFLAGS=-mod=mod',
      'COPY go.mod go.sum ./',
      'RUN go get -d -v ./...',
      'COPY . .',
      '# Build it',
      'RUN go build -a -installsuffix cgo -o hello .',
      'LABEL org.opencontainers.image.title=hello',
      'EXPOSE 8080',
      '# Run it',
      'CMD ./hello --port 8080',
      '',
    ].join('\n');
    const after = converted(before);
    assert.equal(
      after,
      [
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.22 AS builder',
        'WORKDIR /src',
        'ENV PORT=8080 GOFLAGS=-mod=mod',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'COPY . .',
        '# Build it',
        'RUN CGO_ENABLED=0 go build -ldflags="-s -w" -o hello .',
        'RUN groupadd --gid 10001 appuser && useradd --uid 10001 --gid 10001 --create-home --shell /usr/sbin/nologin appuser',
        '',
        'FROM scratch',
        'COPY --from=builder /etc/passwd /etc/passwd',
        'COPY --from=builder /etc/group /etc/group',
        'COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/',
        'COPY --from=builder /src/hello /hello',
        'WORKDIR /src',
        'USER appuser:appuser',
        'ENV PORT=8080',
        'LABEL org.opencontainers.image.title=hello',
        'EXPOSE 8080',
        '# Run it',
        'CMD ["/hello", "--port", "8080"]',
        '',
      ].join('\n'),
    );
    assertPromises(before, after);
  });

  it('names the binary after the module directory without -o or CMD, and uses the Alpine user tools', () => {
    const before =
      'FROM --platform=$BUILDPLATFORM golang:1.22-alpine@sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5 AS build\nWORKDIR /go/src/server\nCOPY . .\nRUN go build -ldflags "-X main.version=1.2.3" ./cmd/server\n';
    const after = converted(before);
    assert.match(after, /^FROM --platform=\$BUILDPLATFORM golang:1\.22-alpine@sha256:0a4e\S+ AS build\n/);
    assert.match(after, /RUN CGO_ENABLED=0 go build -o \/out\/server -ldflags "-s -w -X main\.version=1\.2\.3" \.\/cmd\/server\n/);
    assert.match(after, /RUN addgroup -g 10001 appuser && adduser -D -u 10001 -G appuser appuser\n/);
    assert.match(
      after,
      /COPY --from=build \/out\/server \/server\nWORKDIR \/go\/src\/server\nUSER appuser:appuser\nENTRYPOINT \["\/server"\]\n$/,
    );
    assertPromises(before, after);
  });

  it('keeps ENTRYPOINT and CMD apart, arguments and all; keeps CRLF and lower-case keywords', () => {
    const before =
      'from golang:1.22\r\nworkdir /app\r\ncopy . .\r\nrun go build -o /usr/local/bin/api .\r\nentrypoint ["/usr/local/bin/api", "serve"]\r\ncmd ["--port", "8080"]\r\n';
    const after = converted(before);
    assert.ok(!/[^\r]\n/.test(after), 'CRLF throughout');
    assert.match(
      after,
      /\r\ncopy --from=builder \/usr\/local\/bin\/api \/api\r\nworkdir \/app\r\nuser appuser:appuser\r\nentrypoint \["\/api", "serve"\]\r\ncmd \["--port", "8080"\]\r\n$/,
    );
    assertPromises(before.replace(/\r/g, ''), after.replace(/\r/g, ''));
  });

  it('creates appuser while the builder still runs as root, before a USER that switches away', () => {
    // After `USER nobody`, useradd fails the build: "useradd: Permission denied." (seen with buildah).
    const before = 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o app .\n# drop root\nUSER nobody\nCMD ["./app"]\n';
    const after = converted(before);
    assert.match(
      after,
      /^RUN CGO_ENABLED=0 go build -ldflags="-s -w" -o app \.\nRUN groupadd --gid 10001 appuser && useradd --uid 10001 [^\n]* appuser\n# drop root\nUSER nobody\n\nFROM scratch\n/m,
    );
    assertPromises(before, after);
    // Back to root before the last build step: the user is created at the end, as usual.
    const back = converted('FROM golang:1.22\nUSER nobody\nRUN go env\nUSER root\nRUN go build -o /app .\nCMD ["/app"]\n');
    assert.match(
      back,
      /\nUSER root\nRUN CGO_ENABLED=0 go build -ldflags="-s -w" -o \/app \.\nRUN groupadd --gid 10001 appuser && useradd --uid 10001 [^\n]* appuser\n\nFROM scratch\n/,
    );
    // A USER first thing: the user is created right after FROM.
    const first = converted('FROM golang:1.22\nUSER 1000\nRUN go build -o /tmp/app .\nCMD ["/tmp/app"]\n');
    assert.match(
      first,
      /^FROM golang:1\.22 AS builder\nRUN groupadd --gid 10001 appuser && useradd --uid 10001 [^\n]* appuser\nUSER 1000\n/,
    );
  });

  it('adds ca-certificates to an install that always runs, never to one under if, a loop or ||', () => {
    // Found by fuzzing a mutated real file: the package went into an install that ran only on
    // ppc64le, so on amd64 the scratch stage's COPY of the CA bundle would fail the build.
    const guarded =
      'FROM debian:12\nRUN if [ "$TARGETARCH" = arm64 ]; then apt-get update && apt-get install -y gcc-aarch64-linux-gnu; fi\nRUN apt-get update || apt-get install -y curl\nCOPY --from=golang:1.22 /usr/local/go /usr/local/go\nRUN /usr/local/go/bin/go build -o /out/app .\nCMD ["/out/app"]\n';
    const after = converted(guarded);
    assert.match(after, /then apt-get update && apt-get install -y gcc-aarch64-linux-gnu; fi\n/);
    assert.match(after, /\|\| apt-get install -y curl\n/);
    assert.match(
      after,
      /\nRUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf \/var\/lib\/apt\/lists\/\*\n/,
    );
    // An unconditional install is used, even before a guarded one.
    const both = converted(guarded.replace('RUN if', 'RUN apt-get update && apt-get install -y git\nRUN if'));
    assert.match(both, /apt-get install -y git ca-certificates\n/);
    assert.doesNotMatch(both, /install -y --no-install-recommends ca-certificates/);
  });

  it('turns an exec-form HEALTHCHECK of the binary into one on the copied binary', () => {
    const before =
      'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /bin/web .\nHEALTHCHECK --interval=30s CMD /bin/web -healthcheck\nCMD ["/bin/web"]\n';
    const after = converted(before);
    assert.match(after, /HEALTHCHECK --interval=30s CMD \["\/web", "-healthcheck"\]\n/);
    assertPromises(before, after);
  });

  // Reproductions: convert dropped WORKDIR and every file but the binary, so a program reading
  // ./app.env or ./web/*.html built and then exited at start, and nothing warned.
  describe("the program's working directory and run-time files", () => {
    const APP = memoryContext({
      'main.go': 'package main\n',
      'go.mod': 'module example.com/web\n',
      'go.sum': '',
      Makefile: 'all:\n',
      '.gitignore': '',
      'app.env': 'PORT=8080\n',
      'web/index.html': '<h1>hi</h1>\n',
      'config.json': '{}\n',
      'cmd/tool/main.go': 'package main\n',
      'docs/x.md': '',
    });
    it('carries what COPY . . brought besides sources, at the same paths, and the WORKDIR', () => {
      const before = 'FROM golang:1.22\nWORKDIR /srv/app\nCOPY . .\nRUN go build -o /usr/local/bin/web .\nCMD ["web"]\n';
      const r = convertToScratch(before, { buildContext: APP });
      assert.ok(r.ok, r.ok ? '' : r.reason);
      assert.match(
        r.text,
        /COPY --from=builder \/usr\/local\/bin\/web \/web\nCOPY --from=builder \/srv\/app\/app\.env \/srv\/app\/app\.env\nCOPY --from=builder \/srv\/app\/config\.json \/srv\/app\/config\.json\nCOPY --from=builder \/srv\/app\/web \/srv\/app\/web\nWORKDIR \/srv\/app\nUSER appuser:appuser\nCMD \["\/web"\]\n$/,
      );
      assert.deepEqual(r.notes, ['the scratch stage also gets the files the program may read at run time: app.env, config.json, web']);
      assertPromises(before, r.text);
    });

    it('carries files and directories the Dockerfile names', () => {
      const before =
        'FROM golang:1.22\nWORKDIR /app\nCOPY go.mod go.sum *.go ./\nCOPY templates/ ./templates/\nCOPY app.env .\nRUN go build -o /app/server .\nCMD ["/app/server"]\n';
      const after = converted(before, memoryContext({ 'go.mod': '', 'go.sum': '', 'main.go': '', 'templates/a.html': '', 'app.env': '' }));
      assert.match(
        after,
        /COPY --from=builder \/app\/templates \/app\/templates\nCOPY --from=builder \/app\/app\.env \/app\/app\.env\nWORKDIR \/app\n/,
      );
    });

    it('refuses when COPY . . brings a build context it cannot list (text from standard input, an unsaved file)', () => {
      const r = convertToScratch('FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD ["/app"]\n');
      assert.equal(r.ok, false);
      if (!r.ok)
        assert.match(
          r.reason,
          /copies the whole build context, which the tool cannot list here, and the program may read files from it at run time/,
        );
    });
  });

  describe('programs without a go build', () => {
    it('converts go install of one package: its binary is $GOPATH/bin/<name>', () => {
      const before = 'FROM golang:1.22\nRUN go install example.com/tools/cmd/relay@v1.4.0\nCMD ["relay", "--listen", ":8080"]\n';
      const after = converted(before);
      assert.match(after, /RUN CGO_ENABLED=0 go install -ldflags="-s -w" example\.com\/tools\/cmd\/relay@v1\.4\.0\n/);
      assert.match(after, /COPY --from=builder \/go\/bin\/relay \/relay\n/);
      assert.match(after, /CMD \["\/relay", "--listen", ":8080"\]\n$/);
      assertPromises(before, after);
    });

    it('turns go run into a build in the builder and the binary in scratch', () => {
      const before = 'FROM golang:1.22\nWORKDIR /src/api\nCOPY go.mod main.go ./\nCMD ["go", "run", ".", "--port", "8080"]\n';
      const after = converted(before, memoryContext({ 'go.mod': '', 'main.go': '' }));
      assert.match(after, /RUN CGO_ENABLED=0 go build -ldflags="-s -w" -o \/out\/api \.\nRUN groupadd/);
      assert.match(
        after,
        /COPY --from=builder \/out\/api \/api\nWORKDIR \/src\/api\nUSER appuser:appuser\nCMD \["\/api", "--port", "8080"\]\n$/,
      );
      assert.deepEqual(
        lint(after, { only: CLEAN_OF }).findings.map((f) => f.rule),
        [],
      );
    });

    /** The first bytes of a 64-bit little-endian ELF file with one program header of the given type. */
    const elf = (phType: number) => {
      const b = Buffer.alloc(64 + 56);
      b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
      b.writeBigUInt64LE(64n, 32); // e_phoff
      b.writeUInt16LE(56, 54); // e_phentsize
      b.writeUInt16LE(1, 56); // e_phnum
      b.writeUInt32LE(phType, 64);
      return b.toString('latin1');
    };
    const PREBUILT = 'FROM alpine:3.20\nCOPY dist/relay /usr/local/bin/relay\nENTRYPOINT ["relay"]\n';
    it('moves a prebuilt static binary as it is (its ELF header has no interpreter)', () => {
      const after = converted(PREBUILT, memoryContext({ 'dist/relay': elf(1) }));
      assert.match(after, /^FROM alpine:3\.20 AS builder\nCOPY dist\/relay \/usr\/local\/bin\/relay\nRUN addgroup/);
      assert.match(after, /COPY --from=builder \/usr\/local\/bin\/relay \/relay\nUSER appuser:appuser\nENTRYPOINT \["\/relay"\]\n$/);
    });

    it('refuses a dynamic binary, and one it cannot read, saying so', () => {
      const dynamic = convertToScratch(PREBUILT, { buildContext: memoryContext({ 'dist/relay': elf(3) }) });
      assert.ok(!dynamic.ok && /dist\/relay is linked dynamically/.test(dynamic.reason));
      const unread = convertToScratch(PREBUILT);
      assert.ok(!unread.ok && /a prebuilt binary the tool cannot read here to check that it is static/.test(unread.reason));
    });

    // Reproductions: a CI base image was "a Python program", a Python app "Node.js".
    it('names the language by the program it runs, and says when there is none', () => {
      const reason = (t: string) => {
        const r = convertToScratch(t);
        return r.ok ? '' : r.reason;
      };
      assert.match(
        reason(
          'FROM python:3.12\nRUN apt-get update && apt-get install -y nodejs npm && npm ci && npm run build\nCMD ["gunicorn", "app:app"]\n',
        ),
        /^this is a Python program \(it runs gunicorn\)/,
      );
      assert.match(
        reason('FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y python3-pip && pip install awscli\n'),
        /sets no command of its own: it is a base, CI or tool image/,
      );
      assert.match(reason('FROM node:22\nCOPY . .\nCMD node server.js\n'), /^this is a Node\.js program \(it runs node\)/);
    });
  });

  describe('refuses, with the reason, where scratch cannot work', () => {
    const cases: [string, string, RegExp][] = [
      [
        'an already multi-stage file',
        'FROM golang:1.22 AS b\nRUN go build -o /a .\nFROM alpine:3.20\nCOPY --from=b /a /a\n',
        /already multi-stage.*quick-fixes/,
      ],
      ['a Node program', 'FROM node:22\nCOPY . .\nRUN npm ci\nCMD ["node", "server.js"]\n', /Node\.js.*distroless\/nodejs/],
      ['a Python program', 'FROM python:3.12\nRUN pip install flask\nCMD ["python", "app.py"]\n', /Python.*distroless\/python3/],
      ['a Java program', 'FROM maven:3.9-eclipse-temurin-21\nRUN mvn package\nCMD ["java", "-jar", "app.jar"]\n', /Java.*java21/],
      [
        'a build that needs cgo',
        'FROM golang:1.22\nENV CGO_ENABLED=1\nRUN go build -o /app .\nCMD ["/app"]\n',
        /needs cgo.*distroless\/base/,
      ],
      ['a CMD that needs a shell', 'FROM golang:1.22\nRUN go build -o /app .\nCMD /app --port $PORT\n', /shell is needed at run time/],
      ['a CMD piping output', 'FROM golang:1.22\nRUN go build -o /app .\nCMD /app | tee /log\n', /shell is needed at run time/],
      ['a CMD running a script', 'FROM golang:1.22\nRUN go build -o /app .\nCMD ["./start.sh"]\n', /needs an interpreter or a shell/],
      [
        'a HEALTHCHECK running curl',
        'FROM golang:1.22\nRUN go build -o /app .\nHEALTHCHECK CMD ["curl", "-f", "http://localhost/"]\nCMD ["/app"]\n',
        /HEALTHCHECK runs curl/,
      ],
      ['a file without FROM', 'RUN go build .\n', /no FROM/],
      [
        'go install of several packages',
        'FROM golang:1.22\nRUN go install ./...\nCMD ["server"]\n',
        /go install of a package whose binary the conversion cannot locate/,
      ],
    ];
    for (const [what, text, reason] of cases) {
      it(what, () => {
        const r = convertToScratch(text, { buildContext: SOURCES });
        assert.equal(r.ok, false);
        if (!r.ok) assert.match(r.reason, reason);
      });
    }
  });
});
