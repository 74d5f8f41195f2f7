import { defineRule } from '../engine/rule';
import { runtimeOf } from '../model/runtime';
import type { CopyInfo, DockerfileModel } from '../model/model';
import { basename, hasGlob, normalizePath } from '../model/paths';
import { secretFileReason } from '../model/secretFiles';
import { landingPath, reachesShipped } from '../model/files';

/** What a file's first line says it is, where the build context can be read: a PEM or PGP header. */
function headerSays(model: DockerfileModel, c: CopyInfo, src: string): 'public' | 'private' | undefined {
  if (c.from || !model.context || hasGlob(src)) return undefined;
  const text = model.context.readFile(normalizePath(src).replace(/^\/+/, ''));
  const head = text?.slice(0, 200) ?? '';
  if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/.test(head)) return 'private';
  if (
    /-----BEGIN (PGP PUBLIC KEY BLOCK|PUBLIC KEY|RSA PUBLIC KEY|CERTIFICATE|TRUSTED CERTIFICATE|X509 CRL|DH PARAMETERS|PGP SIGNATURE)-----/.test(
      head,
    )
  )
    return 'public';
  // A binary OpenPGP keyring (apt's .gpg): a public-key packet first.
  if (text !== undefined && (text.charCodeAt(0) === 0x99 || text.charCodeAt(0) === 0xc6)) return 'public';
  return undefined;
}

/** Where package managers keep the public keys of their repositories. */
const KEYRING_DIR =
  /^\/(etc\/apt\/(trusted\.gpg\.d|keyrings)|usr\/share\/keyrings|etc\/pki\/rpm-gpg|etc\/apk\/keys|usr\/share\/apk\/keys)(\/|$)/;

/**
 * Where a COPY of `src` may put it: where it lands, and, when the destination is not written as a
 * directory, under it too (\`COPY id_rsa /root/.ssh\` into a directory the base image has).
 */
function placed(c: CopyInfo, src: string): string[] {
  const at = landingPath(c, src);
  if (!at) return [];
  return c.destIsDir ? [at] : [at, normalizePath(`${c.destPath}/${basename(src.replace(/\/+$/, ''))}`)];
}

export default defineRule({
  id: 'secret-file-copied',
  severity: 'warning',
  summary: 'COPY or ADD puts a credentials file into the image.',
  rationale: `Files such as \`.env\`, \`id_rsa\`, \`.npmrc\`, \`.netrc\`, \`.aws/credentials\` or private keys
copied into an image stay in its layer even if a later RUN deletes them: anyone who can pull the image
can read them. Pass them to the build step that needs them with
\`RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\` (or \`--mount=type=ssh\`), and keep them
out of the build context with .dockerignore.

A \`.pem\` or \`.key\` file whose name says it is public is not reported: \`ca.pem\`, \`fullchain.pem\`,
\`dhparams.pem\`, \`repo.gpg.key\`, a package repository's signing key (\`nginx_signing.key\`,
\`release.key\`) or a key copied where apt, dnf or apk keep repository keys (/etc/apt/keyrings,
/usr/share/keyrings, /etc/pki/rpm-gpg, /etc/apk/keys). One whose name also says key or private is (\`ca-key.pem\` is a CA's private key), and
so is one whose name says neither (\`server.pem\`). Where the build context can be read, the file's own
header decides: a public key block, a certificate or DH parameters are public, a private key block
is a secret whatever its name.

Only files that reach the shipped image are reported: copied into a stage it is built on, or into a
builder stage and from there by a COPY --from of the shipped stages. A file a builder uses and
nothing copies on (an .npmrc for \`npm ci\`) stays in the builder's layers and the build cache; pass
it as a secret all the same, but it is not in the image. Nor is a CI or test image judged (known by
its file name or directory, or stated with \`# dockerfile-hardener role=ci\`): its keys and password
files are the fixtures its tests use.`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM node:22-alpine
COPY .npmrc package.json ./
#    ^^^^^^ secret-file-copied
COPY deploy/id_ed25519 /root/.ssh/
#    ^^^^^^^^^^^^^^^^^ secret-file-copied
`,
    ],
    valid: [
      `FROM node:22-alpine
COPY package.json .env.example ./
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
`,
    ],
  },
  check({ model, report }) {
    // A test image's keys and password files are fixtures its tests use (judged on the corpus).
    if (model.shipped && runtimeOf(model.shipped).role.kind === 'ci') return;
    for (const s of model.stages) {
      for (const c of s.copies) {
        for (const src of c.sources) {
          const v = src.value ?? src.raw;
          if (/^[a-z]+:\/\//i.test(v)) continue;
          let why = secretFileReason(v);
          const header = /\.(pem|key|crt|asc|gpg)$/i.test(v) ? headerSays(model, c, v) : undefined;
          if (header === 'public') continue;
          // A key copied where package managers keep repository keys is a repository's public key.
          if (!header && c.destPath && KEYRING_DIR.test(c.destPath) && /\.(key|pem|asc|gpg)$/i.test(v)) continue;
          if (header === 'private') why = 'a private key';
          if (!why) continue;
          const shippedHere = !model.shipped || model.shipped.chain.includes(s);
          if (!shippedHere && !reachesShipped(model, s, placed(c, v), (from) => !!secretFileReason(from))) continue;
          const via = shippedHere ? '' : ` of stage ${s.name ?? s.index}, which the shipped image copies from,`;
          report({
            span: src.span,
            message: `${c.keyword} of ${v} (${why})${via} puts it into the image layer for good. Use RUN --mount=type=secret for the step that needs it.`,
          });
        }
      }
    }
  },
});
