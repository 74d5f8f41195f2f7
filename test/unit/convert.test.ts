/**
 * "Convert to multi-stage scratch build": exact results for typical single-stage Go Dockerfiles,
 * the promises every result keeps (none of the seven hardening findings, no instruction lost, a
 * second conversion refuses), and clear refusals where scratch cannot work.
 */
import * as assert from 'node:assert/strict';
import { convertToScratch, CLEAN_OF } from '../../server/src/convert/convert';
import { lint } from '../../server/src/engine/lint';
import { DockerfileModel } from '../../server/src/model/model';

function converted(text: string): string {
  const r = convertToScratch(text);
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
    if (rewritten.has(i.keyword) || (i.keyword === 'RUN' && /\bgo\s+(build|get)\b/.test(text))) {
      assert.ok(a.instructions.some((x) => x.keyword === i.keyword), `no ${i.keyword} left`);
      continue;
    }
    assert.ok(kept.has(text), `lost: ${text}\n---\n${after}`);
  }
}

function assertPromises(before: string, after: string): void {
  assert.deepEqual(lint(after, { only: CLEAN_OF }).findings.map((f) => f.rule), []);
  assertKeepsInstructions(before, after);
  const again = convertToScratch(after);
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
    const before = 'FROM --platform=$BUILDPLATFORM golang:1.22-alpine@sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5 AS build\nWORKDIR /go/src/server\nCOPY . .\nRUN go build -ldflags "-X main.version=1.2.3" ./cmd/server\n';
    const after = converted(before);
    assert.match(after, /^FROM --platform=\$BUILDPLATFORM golang:1\.22-alpine@sha256:0a4e\S+ AS build\n/);
    assert.match(after, /RUN CGO_ENABLED=0 go build -o \/out\/server -ldflags "-s -w -X main\.version=1\.2\.3" \.\/cmd\/server\n/);
    assert.match(after, /RUN addgroup -g 10001 appuser && adduser -D -u 10001 -G appuser appuser\n/);
    assert.match(after, /COPY --from=build \/out\/server \/server\nUSER appuser:appuser\nENTRYPOINT \["\/server"\]\n$/);
    assertPromises(before, after);
  });

  it('keeps ENTRYPOINT and CMD apart, arguments and all; keeps CRLF and lower-case keywords', () => {
    const before = 'from golang:1.22\r\nworkdir /app\r\ncopy . .\r\nrun go build -o /usr/local/bin/api .\r\nentrypoint ["/usr/local/bin/api", "serve"]\r\ncmd ["--port", "8080"]\r\n';
    const after = converted(before);
    assert.ok(!/[^\r]\n/.test(after), 'CRLF throughout');
    assert.match(after, /\r\ncopy --from=builder \/usr\/local\/bin\/api \/api\r\nuser appuser:appuser\r\nentrypoint \["\/api", "serve"\]\r\ncmd \["--port", "8080"\]\r\n$/);
    assertPromises(before.replace(/\r/g, ''), after.replace(/\r/g, ''));
  });

  it('creates appuser while the builder still runs as root, before a USER that switches away', () => {
    // After `USER nobody`, useradd fails the build: "useradd: Permission denied." (seen with buildah).
    const before = 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o app .\n# drop root\nUSER nobody\nCMD ["./app"]\n';
    const after = converted(before);
    assert.match(after, /^RUN CGO_ENABLED=0 go build -ldflags="-s -w" -o app \.\nRUN groupadd --gid 10001 appuser && useradd --uid 10001 [^\n]* appuser\n# drop root\nUSER nobody\n\nFROM scratch\n/m);
    assertPromises(before, after);
    // Back to root before the last build step: the user is created at the end, as usual.
    const back = converted('FROM golang:1.22\nUSER nobody\nRUN go env\nUSER root\nRUN go build -o /app .\nCMD ["/app"]\n');
    assert.match(back, /\nUSER root\nRUN CGO_ENABLED=0 go build -ldflags="-s -w" -o \/app \.\nRUN groupadd --gid 10001 appuser && useradd --uid 10001 [^\n]* appuser\n\nFROM scratch\n/);
    // A USER first thing: the user is created right after FROM.
    const first = converted('FROM golang:1.22\nUSER 1000\nRUN go build -o /tmp/app .\nCMD ["/tmp/app"]\n');
    assert.match(first, /^FROM golang:1\.22 AS builder\nRUN groupadd --gid 10001 appuser && useradd --uid 10001 [^\n]* appuser\nUSER 1000\n/);
  });

  it('turns an exec-form HEALTHCHECK of the binary into one on the copied binary', () => {
    const before = 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /bin/web .\nHEALTHCHECK --interval=30s CMD /bin/web -healthcheck\nCMD ["/bin/web"]\n';
    const after = converted(before);
    assert.match(after, /HEALTHCHECK --interval=30s CMD \["\/web", "-healthcheck"\]\n/);
    assertPromises(before, after);
  });

  describe('refuses, with the reason, where scratch cannot work', () => {
    const cases: [string, string, RegExp][] = [
      ['an already multi-stage file', 'FROM golang:1.22 AS b\nRUN go build -o /a .\nFROM alpine:3.20\nCOPY --from=b /a /a\n', /already multi-stage.*quick-fixes/],
      ['a Node program', 'FROM node:22\nCOPY . .\nRUN npm ci\nCMD ["node", "server.js"]\n', /Node\.js.*distroless\/nodejs/],
      ['a Python program', 'FROM python:3.12\nRUN pip install flask\nCMD ["python", "app.py"]\n', /Python.*distroless\/python3/],
      ['a Java program', 'FROM maven:3.9-eclipse-temurin-21\nRUN mvn package\nCMD ["java", "-jar", "app.jar"]\n', /Java.*java21/],
      ['a build that needs cgo', 'FROM golang:1.22\nENV CGO_ENABLED=1\nRUN go build -o /app .\nCMD ["/app"]\n', /needs cgo.*distroless\/base/],
      ['a CMD that needs a shell', 'FROM golang:1.22\nRUN go build -o /app .\nCMD /app --port $PORT\n', /shell is needed at run time/],
      ['a CMD piping output', 'FROM golang:1.22\nRUN go build -o /app .\nCMD /app | tee /log\n', /shell is needed at run time/],
      ['a CMD running a script', 'FROM golang:1.22\nRUN go build -o /app .\nCMD ["./start.sh"]\n', /needs an interpreter or a shell/],
      ['a HEALTHCHECK running curl', 'FROM golang:1.22\nRUN go build -o /app .\nHEALTHCHECK CMD ["curl", "-f", "http://localhost/"]\nCMD ["/app"]\n', /HEALTHCHECK runs curl/],
      ['a file without FROM', 'RUN go build .\n', /no FROM/],
      ['go install', 'FROM golang:1.22\nRUN go install example.com/tool@v1\n', /go install/],
    ];
    for (const [what, text, reason] of cases) {
      it(what, () => {
        const r = convertToScratch(text);
        assert.equal(r.ok, false);
        if (!r.ok) assert.match(r.reason, reason);
      });
    }
  });
});
