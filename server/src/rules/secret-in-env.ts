import { defineRule } from '../engine/rule';
import { runtimeOf } from '../model/runtime';

/** Name parts that mean "this holds a credential". */
const SECRET_WORDS = new Set([
  'PASSWORD',
  'PASSWD',
  'PASS',
  'PWORD',
  'SECRET',
  'SECRETS',
  'TOKEN',
  'TOKENS',
  'APIKEY',
  'CREDENTIAL',
  'CREDENTIALS',
  'AUTH',
]);
/** Two-part names: API_KEY, PRIVATE_KEY, ACCESS_KEY, SECRET_KEY, CLIENT_SECRET… */
const SECRET_PAIRS = new Set([
  'API KEY',
  'PRIVATE KEY',
  'ACCESS KEY',
  'SECRET KEY',
  'SIGNING KEY',
  'ENCRYPTION KEY',
  'MASTER KEY',
  'ACCOUNT KEY',
]);
/** Last parts that make the name a reference to a secret, not the secret. */
const REFERENCE_SUFFIXES = new Set([
  'FILE',
  'FILES',
  'PATH',
  'DIR',
  'DIRECTORY',
  'VERSION',
  'URL',
  'URI',
  'HOST',
  'PORT',
  'NAME',
  'USER',
  'USERNAME',
  'TYPE',
  'METHOD',
  'MODE',
  'ENABLED',
  'DISABLED',
  'REQUIRED',
  'LENGTH',
  'EXPIRY',
  'EXPIRATION',
  'TTL',
  'ENDPOINT',
  'SERVER',
  'PROVIDER',
  'STRATEGY',
  'HEADER',
  'REGION',
]);

/** The words of an identifier: `DB_PASSWORD` → DB, PASSWORD; `apiKey` → API, KEY. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[_\-.]+/)
    .filter(Boolean)
    .map((w) => w.toUpperCase());
}

/** Whether a variable name looks like it holds a credential (and is not a reference to one). */
export function looksSecret(name: string): boolean {
  const w = words(name);
  if (!w.length || REFERENCE_SUFFIXES.has(w[w.length - 1])) return false;
  if (w.includes('PUBLIC')) return false;
  if (w.some((x) => SECRET_WORDS.has(x))) return true;
  for (let i = 0; i + 1 < w.length; i++) if (SECRET_PAIRS.has(`${w[i]} ${w[i + 1]}`)) return true;
  return false;
}

export default defineRule({
  id: 'secret-in-env',
  severity: 'error',
  summary: 'ENV or ARG carries a credential (error for a value, warning for a bare ARG).',
  rationale: `ENV values are stored in the image's configuration and ARG values in its build history:
anyone who can pull the image can read them with \`docker history\` or \`docker inspect\`. A password,
token or key set that way is published with the image. Pass build-time secrets with
\`RUN --mount=type=secret,id=token …\` (read them from /run/secrets/token in that one step), and
run-time secrets with the orchestrator (environment or mounted files at \`docker run\`/Kubernetes).

A name counts when one of its parts is PASSWORD, PASSWD, PASS, SECRET, TOKEN, APIKEY, CREDENTIAL(S)
or AUTH, or it contains API_KEY, PRIVATE_KEY, ACCESS_KEY, SECRET_KEY…; not when it is a reference to
a secret (\`…_FILE\`, \`…_PATH\`, \`…_URL\`, \`…_VERSION\`, \`…_NAME\`…) or public (\`PUBLIC_KEY\`).
A value written in the file is an error; a bare \`ARG TOKEN\` (its value comes from
\`--build-arg\`, and still lands in the build history) is a warning. Empty values, and values that are
an absolute file path (\`TLS_PRIVATE_KEY=/run/secrets/tls.key\`: where the secret is read from), are
not reported.

Not reported in a CI or test image (known by its file name or directory, or stated with
\`# dockerfile-hardener role=ci\`): its credentials are fixtures, such as the dummy password its tests
log in with.`,
  differences: `BuildKit's SecretsUsedInArgOrEnv also matches any name with a KEY part (\`GPG_KEY\`, which
holds a public fingerprint in many official images); this rule does not.`,
  equivalents: { hadolint: ['DL3064'], buildkit: ['SecretsUsedInArgOrEnv'] },
  examples: {
    invalid: [
      `FROM alpine:3.20
ENV DB_PASSWORD=hunter2 APP_ENV=production
#   ^^^^^^^^^^^ secret-in-env
ARG NPM_TOKEN
#   ^^^^^^^^^ secret-in-env
`,
    ],
    valid: [
      `FROM postgres:16
ENV POSTGRES_PASSWORD_FILE=/run/secrets/db_password
ENV GPG_KEY=B42F6819007F00F88E364FD4036A9C25BF357DD4 PUBLIC_KEY_PATH=/etc/app/key.pub
RUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci
`,
    ],
  },
  check({ model, report }) {
    // A test image's credentials are fixtures (a dummy password its tests log in with).
    if (model.shipped && runtimeOf(model.shipped).role.kind === 'ci') return;
    for (const d of model.declarations) {
      if (!looksSecret(d.name)) continue;
      const unquoted = d.raw?.replace(/^(["'])(.*)\1$/, '$2');
      if (unquoted === '') continue;
      // An absolute path (SSL_KEYSTORE_PASSWORD=/run/secrets/ks.pass) names where the secret is read from.
      if (unquoted !== undefined && /^\/[^\s:;=]*$/.test(unquoted)) continue;
      const bare = d.raw === undefined;
      if (bare && d.keyword === 'ENV') continue;
      report({
        span: d.nameSpan,
        severity: bare ? 'warning' : 'error',
        message: bare
          ? `ARG ${d.name} looks like a credential: a value passed with --build-arg is recorded in the image's build history. Use RUN --mount=type=secret for the step that needs it.`
          : `${d.keyword} ${d.name} looks like a credential, and its value is stored in the image (${d.keyword === 'ENV' ? 'docker inspect' : 'docker history'} shows it). Use RUN --mount=type=secret at build time or inject it at run time.`,
      });
    }
  },
});
