import { defineRule } from '../engine/rule';

/** Where TLS libraries (Go's crypto/x509, OpenSSL, rustls-native-certs…) look for a CA bundle. */
const CA_FILES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/pki/tls/cacert.pem',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/ssl/cert.pem',
];

export default defineRule({
  id: 'scratch-ca-certificates',
  severity: 'info',
  summary: 'The shipped scratch image has no CA certificates.',
  rationale: `A \`scratch\` image has no CA bundle, so every outgoing TLS connection fails with
\`x509: certificate signed by unknown authority\`. If the program calls HTTPS endpoints, copy the bundle
from the builder: \`COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\` (install the
\`ca-certificates\` package there first where the builder lacks it).

Not reported when a bundle is copied to one of the paths TLS libraries search, when
\`SSL_CERT_FILE\`/\`SSL_CERT_DIR\` is set, or for an export stage (no CMD, ENTRYPOINT, USER or other
runtime settings).`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM scratch
#    ^^^^^^^ scratch-ca-certificates
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
`,
    ],
    valid: [
      `FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
`,
      `FROM scratch
COPY --from=build /out/ /
`,
    ],
  },
  check({ model, report }) {
    const s = model.shipped;
    if (!s || !s.isScratch || !s.isRunnable) return;
    if (s.env.has('SSL_CERT_FILE') || s.env.has('SSL_CERT_DIR')) return;
    if (CA_FILES.some((f) => s.presence(f) !== 'no')) return;
    report({
      span: s.imageSpan ?? s.from.span,
      message: `The shipped scratch image has no CA certificates, so TLS connections fail ("certificate signed by unknown authority"). Copy /etc/ssl/certs/ca-certificates.crt from the builder if the program makes HTTPS calls.`,
    });
  },
});
