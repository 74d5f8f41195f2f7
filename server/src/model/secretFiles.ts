/**
 * Which file names and paths hold credentials, and why: what secret-file-copied reports when a COPY
 * names such a file, and what context-secret-copied looks for in a directory a COPY takes whole.
 */
import { basename } from './paths';

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
const PUBLIC_WORD =
  /^(ca|cacerts?|certs?|certificates?|crt|chain|fullchain|bundle|pub|public|pubkey|gpg|pgp|asc|keyring|dh|dhparams?|ffdhe\d+|signing|release|archive|apt|yum|rpm|packages?)$/;
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

/** Why a file at `path` holds credentials, judged by its name; undefined when its name says nothing. */
export function secretFileReason(path: string): string | undefined {
  const clean = path.replace(/\/+$/, '');
  for (const [re, why] of SECRET_PATHS) if (re.test(clean)) return why;
  const name = basename(clean);
  if (namesPublicMaterial(name)) return undefined;
  for (const [re, why] of SECRET_NAMES) if (re.test(name)) return why;
  return undefined;
}
