/**
 * The credential files of a build context, found by one walk of its directory tree that applies the
 * ignore file while it walks: a directory the ignore file excludes is not entered unless an exception
 * (`!…`) could bring back something below it. Only names are looked at, plus the first bytes of the
 * few files whose content decides (an `.npmrc` with a token, a service-account key, a PEM header);
 * nothing is written or sent anywhere. Symbolic links are not followed (the builder copies a link,
 * not what it points at), dependency directories are not entered (their keys are their packages' test
 * fixtures), the walk stops at MAX_ENTRIES, and its answer is kept per root and ignore file text until
 * `invalidateContextWalks` (the server calls it when a watched file changes) or, where nobody
 * watches, for WALK_TTL_MS.
 */
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import * as path from 'node:path';
import type { ContextSecret } from '../model/context';
import { exceptionBelow, excludedBy, type IgnoreFile } from '../model/dockerignore';
import { secretFileReason } from '../model/secretFiles';

export const MAX_ENTRIES = 200_000;
const WALK_TTL_MS = 30_000;
const HEAD_BYTES = 2048;
/** A .pem or .key file is read further: a certificate chain, then the private key. */
const PEM_BYTES = 32 * 1024;
/** At most this many JSON files are opened for a service-account key (their first bytes only). */
const MAX_JSON_READS = 2000;

/** Third-party trees: copied all the same, but a key there is a package's fixture, not the project's. */
const DEPENDENCY_DIRS = new Set(['node_modules', 'bower_components', 'jspm_packages', '.venv', 'venv', '__pycache__', '.tox']);
/** Directories of test fixtures: the keys and .env files there are made for the tests. */
const FIXTURE_DIRS = /^(tests?|testdata|test-data|test_data|fixtures?|__fixtures__|__tests__|spec|testing)$/i;
/** JSON files that are never a key: manifests and tool configurations. */
const NOT_KEY_JSON =
  /^(package(-lock)?|composer|tsconfig.*|jsconfig|\.?eslintrc|\.?babelrc|manifest|appsettings.*|launch|settings|tasks|renovate|lerna|nx|angular|project|deno|bun)\.json$|\.(schema|map)\.json$/i;

export interface WalkResult {
  files: ContextSecret[];
  truncated: boolean;
  /** How many entries were looked at. */
  entries: number;
}

interface Cached {
  result: WalkResult;
  at: number;
}

const cache = new Map<string, Cached>();
const MAX_CACHED = 64;
let watched = false;

/** What a watching client reports changes of: ignore files, and the names the walk looks for. */
export const CONTEXT_WATCH_GLOBS = [
  '**/.dockerignore',
  '**/*.dockerignore',
  '**/.env*',
  '**/*.{pem,key,p12,pfx,jks,keystore,kubeconfig,json}',
  '**/{id_rsa,id_dsa,id_ecdsa,id_ed25519,.npmrc,.pypirc,.netrc,.git-credentials,.pgpass,.htpasswd,.dockercfg,credentials,config,kubeconfig}',
  '**/{.git,.ssh,.gnupg}',
];

/** Forget every walk: a file of a context may have changed. */
export function invalidateContextWalks(): void {
  cache.clear();
}

/** Whether changes are watched (walks are then kept until invalidated) or not (kept WALK_TTL_MS). */
export function setContextWatched(on: boolean): void {
  watched = on;
}

function head(file: string, max = HEAD_BYTES): string | undefined {
  try {
    const fd = openSync(file, 'r');
    try {
      const buf = Buffer.alloc(max);
      return buf.subarray(0, readSync(fd, buf, 0, max, 0)).toString('latin1');
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

/** A token line in an .npmrc or a password in a .pypirc, not a variable standing for one. */
const NPM_TOKEN = /^\s*(?:\/\/[^\s=]*:)?(_authToken|_auth|_password)\s*=\s*(?!\$\{)["']?[^\s"'$]{8,}/m;
const PYPI_PASSWORD = /^\s*password\s*[:=]\s*(?!\$\{|%\()\S{4,}/m;
const SERVICE_ACCOUNT = /"type"\s*:\s*"service_account"/;
const PRIVATE_HEADER = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/;
const PUBLIC_HEADER =
  /-----BEGIN (PGP PUBLIC KEY BLOCK|PUBLIC KEY|RSA PUBLIC KEY|CERTIFICATE|TRUSTED CERTIFICATE|X509 CRL|DH PARAMETERS|PGP SIGNATURE)-----/;

/** Why a file is a credential, reading its first bytes where the name alone does not tell; else undefined. */
function judge(full: string, rel: string, name: string, budget: { json: number }): string | undefined {
  if (name === '.npmrc') return NPM_TOKEN.test(head(full) ?? '') ? 'an npm registry token' : undefined;
  if (name === '.pypirc') return PYPI_PASSWORD.test(head(full) ?? '') ? 'a PyPI password' : undefined;
  if (/^kubeconfig$|\.kubeconfig$/i.test(name)) return 'Kubernetes credentials';
  if (name.endsWith('.json')) {
    if (rel.endsWith('.docker/config.json')) return secretFileReason(rel);
    if (NOT_KEY_JSON.test(name) || budget.json <= 0) return undefined;
    budget.json--;
    const text = head(full) ?? '';
    return SERVICE_ACCOUNT.test(text) && text.includes('"private_key') ? 'a cloud service-account key' : undefined;
  }
  const why = secretFileReason(rel);
  if (!why) return undefined;
  if (/\.(pem|key)$/i.test(name)) {
    // A certificate may come first and its private key after it (one .pem for a TLS server).
    const text = head(full, PEM_BYTES) ?? '';
    if (PRIVATE_HEADER.test(text)) return 'a private key';
    if (PUBLIC_HEADER.test(text)) return undefined;
  }
  return why;
}

/** Names worth a look: cheap tests first, so that most of a large tree costs one regexp. */
const CANDIDATE =
  /^(\.env.*|id_(rsa|dsa|ecdsa|ed25519)|\.npmrc|\.pypirc|\.netrc|\.git-credentials|\.pgpass|\.htpasswd|\.dockercfg|credentials|config|kubeconfig|.*\.(pem|key|p12|pfx|jks|keystore|json|kubeconfig))$/i;

/** Walks `root` (a real path) once, skipping what `ignore` excludes; see the module's comment. */
export function walkContext(root: string, ignore: IgnoreFile | undefined, max = MAX_ENTRIES): WalkResult {
  const files: ContextSecret[] = [];
  const budget = { json: MAX_JSON_READS };
  const excluded = (rel: string) => !!ignore?.patterns.length && excludedBy(ignore, rel) !== undefined;
  const stack: string[] = [''];
  let entries = 0;
  while (stack.length) {
    const dir = stack.pop() as string;
    let list;
    try {
      list = readdirSync(dir ? path.join(root, dir) : root, { withFileTypes: true });
    } catch {
      continue;
    }
    entries += list.length;
    if (entries > max) return { files: sorted(files), truncated: true, entries };
    for (const e of list) {
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (e.name === '.git') {
          if (!excluded(rel)) files.push({ path: rel, why: 'the repository: its history, remotes and any credentials in its config' });
          continue;
        }
        if (e.name === '.ssh' || e.name === '.gnupg') {
          if (!excluded(rel)) files.push({ path: rel, why: e.name === '.ssh' ? 'SSH keys' : 'GnuPG private keys' });
          continue;
        }
        if (DEPENDENCY_DIRS.has(e.name) || FIXTURE_DIRS.test(e.name)) continue;
        if (excluded(rel) && !(ignore && exceptionBelow(ignore, rel))) continue;
        stack.push(rel);
      } else if (e.isFile() && CANDIDATE.test(e.name)) {
        if (excluded(rel)) continue;
        const why = judge(path.join(root, rel), rel, e.name, budget);
        if (why) files.push({ path: rel, why });
      }
      // A symbolic link is copied as a link: what it points at is not sent.
    }
  }
  return { files: sorted(files), truncated: false, entries };
}

function sorted(files: ContextSecret[]): ContextSecret[] {
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The walk of `root` with this ignore file, from the cache while it is fresh. */
export function contextWalk(root: string, ignoreText: string | undefined, ignore: IgnoreFile | undefined): WalkResult {
  const key = `${root}\u0000${ignoreText ?? ''}`;
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && (watched || now - hit.at < WALK_TTL_MS)) return hit.result;
  const result = walkContext(root, ignore);
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, { result, at: now });
  return result;
}
