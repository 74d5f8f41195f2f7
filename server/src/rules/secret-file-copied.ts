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
out of the build context with .dockerignore.`,
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
