import { defineRule } from '../engine/rule';
import { basename } from '../model/paths';

/** File names that hold credentials, and why. */
const SECRET_NAMES: [RegExp, string][] = [
  [/^\.env(\.(?!example$|sample$|template$|dist$|defaults?$)[\w-]+)?$/i, 'environment files usually hold credentials'],
  [/^id_(rsa|dsa|ecdsa|ed25519)$/, 'an SSH private key'],
  [/^\.npmrc$/, 'npm registry tokens'],
  [/^\.pypirc$/, 'PyPI credentials'],
  [/^\.netrc$/, 'login credentials for remote hosts'],
  [/^\.git-credentials$/, 'git credentials'],
  [/^\.pgpass$/, 'PostgreSQL passwords'],
  [/^\.htpasswd$/, 'password hashes'],
  [/^\.dockercfg$/, 'registry credentials'],
  [/\.(pem|key|p12|pfx|jks|keystore)$/i, 'may hold a private key'],
];
/**
 * A .pem or .key file whose name says it holds public material: a certificate, a CA bundle or chain,
 * a public or signing-verification key, Diffie-Hellman parameters (what Dockerfiles copy into
 * /etc/ssl, apt keyrings and mail servers). Words of the name without its extension.
 */
const PUBLIC_WORD = /^(ca|cacerts?|certs?|certificates?|crt|chain|fullchain|bundle|pub|public|pubkey|gpg|pgp|asc|keyring|dh|dhparams?|ffdhe\d+)$/;
/** Unless the name also says private: ca-key.pem is the CA's private key. */
const PRIVATE_WORD = /^(key|keys|priv|private|privkey|secret)$/;

function namesPublicMaterial(name: string): boolean {
  if (!/\.(pem|key)$/i.test(name)) return false;
  const words = name
    .replace(/\.(pem|key)$/i, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  return words.some((w) => PUBLIC_WORD.test(w)) && !words.some((w) => PRIVATE_WORD.test(w));
}
/** Paths whose last components identify them. */
const SECRET_PATHS: [RegExp, string][] = [
  [/(^|\/)\.aws\/credentials$/, 'AWS credentials'],
  [/(^|\/)\.docker\/config\.json$/, 'registry credentials'],
  [/(^|\/)\.kube\/config$/, 'Kubernetes credentials'],
  [/(^|\/)\.ssh\/?$/, 'SSH keys'],
];

export function secretFileReason(path: string): string | undefined {
  const clean = path.replace(/\/+$/, '');
  for (const [re, why] of SECRET_PATHS) if (re.test(clean)) return why;
  const name = basename(clean);
  if (namesPublicMaterial(name)) return undefined;
  for (const [re, why] of SECRET_NAMES) if (re.test(name)) return why;
  return undefined;
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
\`dhparams.pem\`, \`repo.gpg.key\`. One whose name also says key or private is (\`ca-key.pem\` is a CA's
private key), and so is one whose name says neither (\`server.pem\`).`,
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
    for (const s of model.stages) {
      for (const c of s.copies) {
        for (const src of c.sources) {
          const v = src.value ?? src.raw;
          if (/^[a-z]+:\/\//i.test(v)) continue;
          const why = secretFileReason(v);
          if (!why) continue;
          report({ span: src.span, message: `${c.keyword} of ${v} (${why}) puts it into the image layer for good. Use RUN --mount=type=secret for the step that needs it.` });
        }
      }
    }
  },
});
