import { defineRule, type Fix } from '../engine/rule';
import { EditBuilder, keyword } from '../engine/edits';
import type { DockerfileModel, Stage } from '../model/model';
import { packageCommands } from '../model/packages';
import { builderOf, familyOf, hasCaBundle, stageRef } from '../model/images';
import { parseImageRef } from '../model/imageRef';
import { currentDigestOf } from '../fixes/pinPlan';
import { runtimeOf } from '../model/runtime';
import { basename } from '../model/paths';

/**
 * Where the bundle comes from when no stage of the file has one: Google's distroless static image
 * (Debian's ca-certificates, 2 MB, made to be copied from), under its name without a Debian release
 * (which follows the current one), pinned by the digest its registry gives when the fix is picked,
 * so that the bundle is the same on every build.
 */
export const CA_SOURCE = 'gcr.io/distroless/static:nonroot';
/** A digest of it, for the examples. */
const DISTROLESS_DIGEST = 'sha256:6ec5aa99dc335666e79dc64e4a6c8b89c33a543a1967f20d360922a80dd21f02';

/**
 * `COPY --from=<CA_SOURCE>@sha256:… …`: asks the registry only when picked, and writes nothing when
 * it cannot (offline, an error): the whole edit or none.
 */
function copyBundleFromImage(model: DockerfileModel, shipped: Stage, known: Readonly<Record<string, string>> | undefined): Fix[] {
  const ref = parseImageRef(CA_SOURCE, { start: 0, end: CA_SOURCE.length }, false)!;
  return [
    {
      title: `Copy the CA bundle from ${CA_SOURCE}, pinned by digest`,
      kind: 'suggestion',
      preferred: true,
      network: true,
      async edits(ctx) {
        const digest = await currentDigestOf(ctx, known, ref);
        if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new Error(`the registry gave ${digest}, not a sha256 digest`);
        return new EditBuilder(model)
          .insertLinesAfter(shipped.from, [
            `${keyword(model, 'COPY')} --from=${CA_SOURCE}@${digest} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/`,
          ])
          .build();
      },
    },
  ];
}

/**
 * Copy the bundle from the stage the image's files come from, right after FROM; when that stage has
 * no bundle (a plain Debian/Ubuntu base), add ca-certificates to its apt-get install, or install it
 * at its end. A suggestion: it adds a file to the image, which only matters if the program uses TLS.
 */
function copyBundle(model: DockerfileModel, shipped: Stage): Fix[] {
  const builder = builderOf(shipped);
  if (!builder || builder.isScratch) return [];
  const family = familyOf(builder);
  const needsInstall = !hasCaBundle(builder);
  if (needsInstall && family !== 'debian') return []; // cannot tell how to get one there
  const installs = packageCommands(model).filter(
    (c) => builder.chain.includes(c.stage) && (c.manager === 'apt-get' || c.manager === 'apt') && c.sub === 'install',
  );
  const has = installs.some((c) => c.packages.some((p) => p.value === 'ca-certificates'));
  const from = stageRef(builder);
  return [
    {
      title: `Copy the CA bundle from stage ${from}`,
      kind: 'suggestion',
      preferred: true,
      edits: () => {
        const b = new EditBuilder(model);
        b.insertLinesAfter(shipped.from, [`${keyword(model, 'COPY')} --from=${from} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/`]);
        if (needsInstall && !has) {
          const last = installs[installs.length - 1];
          if (last?.packages.length) b.insert(last.packages[last.packages.length - 1].end, ' ca-certificates');
          else {
            const lastInstr = builder.instructions[builder.instructions.length - 1] ?? builder.from;
            b.insertLinesAfter(lastInstr, [
              `${keyword(model, 'RUN')} apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*`,
            ]);
          }
        }
        return b.build();
      },
    },
  ];
}

/** Programs whose work is calling TLS endpoints (registries, clouds, clusters, package hosts). */
const TLS_CLIENTS = new Set([
  'curl',
  'wget',
  'kubectl',
  'helm',
  'terraform',
  'tofu',
  'cosign',
  'crane',
  'skopeo',
  'oras',
  'gh',
  'aws',
  'gcloud',
  'az',
  'vault',
  'consul',
  'nomad',
  'docker',
  'buildctl',
  'regctl',
  'trivy',
  'grype',
  'syft',
  'flux',
  'argocd',
  'kustomize',
  'stern',
  'rclone',
  'restic',
  'mc',
  'step',
  'certbot',
  'lego',
  'acme.sh',
  'git',
  'node-exporter',
  'caddy',
  'traefik',
]);

/**
 * What in the Dockerfile shows the program makes TLS connections: an https:// URL in its environment,
 * a build argument's default or its command line, or a program whose work is calling TLS endpoints.
 * Without it the tool cannot know, and says nothing (most scratch images on real files served or
 * talked plain TCP, or only carried an artifact).
 */
function tlsEvidence(model: DockerfileModel, s: Stage): string | undefined {
  for (const st of s.chain) {
    for (const i of st.instructions) {
      if (i.keyword !== 'ENV' && i.keyword !== 'ARG' && i.keyword !== 'CMD' && i.keyword !== 'ENTRYPOINT') continue;
      const text = model.text.slice(i.span.start, i.span.end);
      const url = /\bhttps:\/\/[^\s"'\]\\,]+/.exec(text)?.[0];
      if (url) return `its ${i.keyword} names ${url.length > 60 ? `${url.slice(0, 57)}...` : url}`;
    }
  }
  const program = runtimeOf(s).entry.program;
  const name = program === undefined ? undefined : basename(program);
  if (name && TLS_CLIENTS.has(name)) return `it runs ${name}, which calls TLS endpoints`;
  return undefined;
}

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
\`ca-certificates\` package there first where the builder lacks it). Where no stage of the file can
give one (a scratch image of a prebuilt binary), the fix copies it from
\`${'$'}{CA_SOURCE}\`, pinned by the digest its registry gives when you pick the fix (a suggestion
that contacts the registry, like "Pin to digest").

Reported only where the Dockerfile shows that the program makes TLS connections: an \`https://\` URL in
its ENV, a build argument's default, CMD or ENTRYPOINT, or a program whose work is calling TLS
endpoints (curl, kubectl, helm, cosign, the cloud CLIs…). Otherwise the tool cannot know: judged on
real files, most scratch images without a bundle served or talked plain TCP, or only carried an
artifact, and the rule stays silent on them.

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
ENV API_URL=https://api.example.com
`,
    ],
    fixes: [
      {
        before: `FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /out/app .\n\nFROM scratch\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app"]\nENV API_URL=https://api.example.com\n`,
        after: `FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /out/app .\n\nFROM scratch\nCOPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app"]\nENV API_URL=https://api.example.com\n`,
      },
      {
        before: `FROM debian:12 AS build\nRUN apt-get update && apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*\n\nFROM scratch\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app"]\nENV API_URL=https://api.example.com\n`,
        after: `FROM debian:12 AS build\nRUN apt-get update && apt-get install -y --no-install-recommends gcc ca-certificates && rm -rf /var/lib/apt/lists/*\n\nFROM scratch\nCOPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app"]\nENV API_URL=https://api.example.com\n`,
      },
      {
        before: `FROM scratch\nCOPY app /usr/local/bin/app\nENTRYPOINT ["/usr/local/bin/app"]\nENV API_URL=https://api.example.com\n`,
        after: `FROM scratch\nCOPY --from=${CA_SOURCE}@${DISTROLESS_DIGEST} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\nCOPY app /usr/local/bin/app\nENTRYPOINT ["/usr/local/bin/app"]\nENV API_URL=https://api.example.com\n`,
      },
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
    // What the registry answers for the bundle's source image (a check's results stand in for the network).
    options: { currentDigests: { [CA_SOURCE]: DISTROLESS_DIGEST } },
  },
  check({ model, options, report }) {
    const s = model.shipped;
    if (!s || !s.isScratch || !s.isRunnable) return;
    if (s.env.has('SSL_CERT_FILE') || s.env.has('SSL_CERT_DIR')) return;
    if (CA_FILES.some((f) => s.presence(f) !== 'no')) return;
    const evidence = tlsEvidence(model, s);
    if (!evidence) return;
    report({
      span: s.imageSpan ?? s.from.span,
      message: `The shipped scratch image has no CA certificates, and ${evidence}: its TLS connections will fail ("certificate signed by unknown authority"). Copy /etc/ssl/certs/ca-certificates.crt into it.`,
      fixes: builderOf(s) && !builderOf(s)!.isScratch ? copyBundle(model, s) : copyBundleFromImage(model, s, options.currentDigests),
    });
  },
});
