import * as assert from 'node:assert/strict';
import { applyFix, fixTitles, messages, ruleCases } from '../helpers';
import { lint } from '../../../server/src/linter/lint';

describe('scratch-ca-certificates', () => {
  ruleCases('scratch-ca-certificates', {
    valid: [
      {
        name: 'the Debian/Alpine bundle copied into its directory',
        code: `FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
ENTRYPOINT ["/app"]
`,
      },
      {
        name: 'the Red Hat bundle copied to its path',
        code: `FROM scratch
COPY --from=ubi /etc/pki/tls/certs/ca-bundle.crt /etc/pki/tls/certs/ca-bundle.crt
ENTRYPOINT ["/app"]
`,
      },
      {
        name: 'a directory that may hold a bundle',
        code: `FROM scratch
COPY --from=alpine:3.20 /etc/ssl /etc/ssl
ENTRYPOINT ["/app"]
`,
      },
      {
        name: 'a relative destination under WORKDIR',
        code: `FROM scratch
WORKDIR /etc/ssl/certs
COPY --from=build /etc/ssl/certs/ca-certificates.crt .
ENTRYPOINT ["/app"]
`,
      },
      {
        name: 'a bundle copied in the scratch stage it builds on',
        code: `FROM scratch AS base
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
FROM base
ENTRYPOINT ["/app"]
`,
      },
      {
        name: 'SSL_CERT_FILE or SSL_CERT_DIR set',
        code: `FROM scratch AS a
ENV SSL_CERT_FILE=/certs/bundle.pem
ENTRYPOINT ["/app"]
FROM scratch
ENV SSL_CERT_DIR=/certs
ENTRYPOINT ["/app"]
`,
      },
      {
        name: 'an export stage without CMD/ENTRYPOINT',
        code: `FROM scratch
COPY --from=build /out/ /
`,
      },
      {
        name: 'a shipped image that is not scratch',
        code: `FROM scratch AS bare
ENTRYPOINT ["/app"]
FROM alpine:3.20
`,
      },
      {
        name: 'a destination from an unknown build argument',
        code: `FROM scratch
ARG CERTS
COPY --from=build /etc/ssl/certs/ca-certificates.crt \${CERTS}
ENTRYPOINT ["/app"]
`,
      },
    ],
    invalid: [
      {
        name: 'no bundle: the FROM',
        code: `FROM scratch
#    ^^^^^^^ scratch-ca-certificates
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
ENV API_URL=https://api.example.com
`,
      },
      {
        name: 'a bundle copied to a path no TLS library reads',
        code: `FROM scratch
#    ^^^^^^^ scratch-ca-certificates
COPY --from=build /etc/ssl/certs/ca-certificates.crt /certs.pem
ENTRYPOINT ["/app"]
ENV API_URL=https://api.example.com
`,
      },
      {
        name: 'scratch through the stage it builds on: the stage name',
        code: `FROM scratch AS base
COPY app /app
FROM base
#    ^^^^ scratch-ca-certificates
CMD ["/app"]
ENV API_URL=https://api.example.com
`,
      },
      {
        name: 'a scratch stage without CMD that sets a USER is meant to run',
        code: `FROM scratch
#    ^^^^^^^ scratch-ca-certificates
COPY app /app
USER 10001
ENV API_URL=https://api.example.com
`,
      },
      {
        name: 'the target stage',
        code: `FROM scratch AS release
#    ^^^^^^^ scratch-ca-certificates
ENTRYPOINT ["/app"]
ENV API_URL=https://api.example.com
FROM alpine:3.20 AS debug
`,
        options: { targetStage: 'release' },
      },
    ],
  });

  it('says how to fix it', () => {
    assert.deepEqual(
      messages('scratch-ca-certificates', 'FROM scratch\nENV REGISTRY_URL=https://registry.example.com/v2/\nCMD ["/app"]\n'),
      [
        'The shipped scratch image has no CA certificates, and its ENV names https://registry.example.com/v2/: its TLS connections will fail ("certificate signed by unknown authority"). Copy /etc/ssl/certs/ca-certificates.crt into it.',
      ],
    );
    assert.match(
      messages('scratch-ca-certificates', 'FROM scratch\nCOPY kubectl /kubectl\nENTRYPOINT ["/kubectl"]\n')[0],
      /and it runs kubectl, which calls TLS endpoints:/,
    );
  });

  // Judged on the corpus: 7 of 8 scratch images without a bundle served or talked plain TCP, or
  // carried an artifact. Without evidence of TLS the tool cannot know, and says nothing.
  it('is silent where nothing in the file shows the program makes TLS connections', () => {
    assert.deepEqual(messages('scratch-ca-certificates', 'FROM scratch\nCOPY app /app\nEXPOSE 8080\nENTRYPOINT ["/app"]\n'), []);
    assert.deepEqual(
      messages(
        'scratch-ca-certificates',
        'FROM scratch\nLABEL org.opencontainers.image.source=https://github.com/example/app\nENTRYPOINT ["/app"]\n',
      ),
      [],
      'a label is not what the program calls',
    );
  });

  // Reproduction: it was silent after any COPY to /, taken to mean a bundle may have arrived.
  it('fires after a COPY of one built file to /, and after a directory whose stage writes no bundle', () => {
    const text =
      'FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /\nENTRYPOINT ["/app", "--upstream=https://api.example.com"]\n';
    assert.equal(messages('scratch-ca-certificates', text).length, 1);
    assert.equal(messages('scratch-ca-certificates', text.replace('/out/app /', '/out/ /')).length, 1);
    // A directory whose stage copies the bundle into it may hold one: unknown, so silent.
    const copies = text
      .replace(
        'go build -o /out/app .',
        'go build -o /out/app . && mkdir -p /out/etc/ssl/certs && cp /etc/ssl/certs/ca-certificates.crt /out/etc/ssl/certs/',
      )
      .replace('/out/app /', '/out/ /');
    assert.deepEqual(messages('scratch-ca-certificates', copies), []);
  });

  // Reproduction: a scratch image of a prebuilt binary (no builder stage) got no fix.
  const PREBUILT = 'FROM scratch\nCOPY app /app\nENV API_URL=https://api.example.com\nENTRYPOINT ["/app"]\n';
  const DIGEST = `sha256:${'c'.repeat(64)}`;
  it('without a builder stage, copies the bundle from a pinned distroless image, asking the registry when picked', async () => {
    assert.deepEqual(fixTitles('scratch-ca-certificates', PREBUILT), [
      '* Copy the CA bundle from gcr.io/distroless/static:nonroot, pinned by digest',
    ]);
    assert.equal(
      await applyFix('scratch-ca-certificates', PREBUILT, undefined, { currentDigests: { 'gcr.io/distroless/static:nonroot': DIGEST } }),
      `FROM scratch\nCOPY --from=gcr.io/distroless/static:nonroot@${DIGEST} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\nCOPY app /app\nENV API_URL=https://api.example.com\nENTRYPOINT ["/app"]\n`,
    );
  });

  it('offline, that fix fails whole and edits nothing', async () => {
    const f = lint(PREBUILT, { only: ['scratch-ca-certificates'] }).findings[0];
    const fix = f.fixes!.find((x) => x.preferred)!;
    assert.equal(fix.network, true);
    await assert.rejects(async () => fix.edits({}), /registry/);
  });
});
