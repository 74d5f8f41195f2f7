/**
 * The credential files of a build context, found by one walk of its directory tree that applies the
 * ignore file while it walks: a directory the ignore file excludes is not entered unless an exception
 * (`!…`) could bring back something below it. Only names are looked at, plus the first bytes of the
 * few files whose content decides (an `.npmrc` with a token, a service-account key, a PEM header);
 * nothing is written or sent anywhere. Symbolic links are not followed (the builder copies a link,
 * not what it points at), dependency directories are not entered (their keys are their packages' test
 * fixtures), the walk stops at MAX_ENTRIES, and its answer is kept per root and ignore file text for
 * WALK_TTL_MS, or WATCHED_TTL_MS where the server watches the workspace: it then forgets a walk as soon
 * as a change may touch what the walk found (`invalidateContextWalksFor`), and the time limit catches
 * what no watcher reports (a directory created or renamed into place, a context outside the workspace).
 */
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import * as path from 'node:path';
import type { ContextSecret } from '../model/context';
import { exceptionBelow, excludedBy, type IgnoreFile } from '../model/dockerignore';
import { secretFileReason } from '../model/secretFiles';

export const MAX_ENTRIES = 200_000;
const WALK_TTL_MS = 30_000;
/** A re-walk of 100,000 files costs about 60 ms: once a minute is nothing, and bounds what watchers miss. */
const WATCHED_TTL_MS = 60_000;
const HEAD_BYTES = 2048;
/** A repository's config is a few KB; what lies beyond is not read. */
const GIT_CONFIG_BYTES = 16 * 1024;
/** A .pem or .key file is read further: a certificate chain, then the private key. */
const PEM_BYTES = 32 * 1024;
/** At most this many JSON files are opened for a service-account key (their first bytes only). */
const MAX_JSON_READS = 2000;

/** Directories the walk reports as a whole. */
const WATCHED_DIRS = new Set(['.git', '.ssh', '.gnupg']);
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
  root: string;
  result: WalkResult;
  at: number;
}

const cache = new Map<string, Cached>();
const MAX_CACHED = 64;
let watched = false;
let clock: () => number = Date.now;

/**
 * What a watching client reports creations, changes and deletions of: ignore files, and the names the
 * walk looks for. Not `*.json`: every save of a package.json would forget every walk; a service-account
 * key that appears is found at the next walk (WATCHED_TTL_MS).
 */
export const CONTEXT_WATCH_GLOBS = [
  '**/.dockerignore',
  '**/*.dockerignore',
  '**/.env*',
  '**/*.{pem,key,p12,pfx,jks,keystore,kubeconfig}',
  '**/.docker/config.json',
  '**/{id_rsa,id_dsa,id_ecdsa,id_ed25519,.npmrc,.pypirc,.netrc,.git-credentials,.pgpass,.htpasswd,.dockercfg,credentials,config,kubeconfig}',
  '**/{.git,.ssh,.gnupg}',
];
/**
 * Watched for deletions only: a deleted or renamed directory is reported as the directory alone (not
 * its files), whatever its name, so no name glob sees `rm -rf keys`. Every deletion comes, and
 * `invalidateContextWalksFor` keeps only those of something a walk found, or of a directory above it.
 */
export const CONTEXT_DELETE_GLOB = '**/*';

/** Forget every walk: a file of a context may have changed. */
export function invalidateContextWalks(): void {
  cache.clear();
}

/**
 * Forget the walks that a change of these files or directories (absolute paths) may have made stale:
 * a name the walk looks for under a walk's root (`.git/config` among them), something a walk found or
 * a directory it lies in, the root or a directory above it. True when one was forgotten. (An ignore file needs nothing: a walk is
 * kept per ignore file text, read at each lint.)
 */
export function invalidateContextWalksFor(files: string[]): boolean {
  let forgot = false;
  for (const [key, walk] of cache) {
    const stale = files.some((file) => {
      if (within(walk.root, file) !== undefined) return true; // the root itself, or a directory above it
      const rel = within(file, walk.root);
      if (rel === undefined) return false;
      // Not any file under a directory found whole: git writes and deletes .git/index.lock all the time.
      return contextWatchedName(file) || walk.result.files.some((f) => f.path === rel || f.path.startsWith(`${rel}/`));
    });
    if (stale) {
      cache.delete(key);
      forgot = true;
    }
  }
  return forgot;
}

/** `file` relative to `dir`, `/`-separated ('' for the directory itself), or undefined when it is not inside it. */
function within(file: string, dir: string): string | undefined {
  const rel = path.relative(dir, file);
  return rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel) ? undefined : rel.split(path.sep).join('/');
}

/** Whether a change of `file` may change a finding of the walk (a name it looks for, an ignore file). */
export function contextWatchedName(file: string): boolean {
  const name = path.basename(file);
  if (/(^|\.)dockerignore$/.test(name) || WATCHED_DIRS.has(name)) return true;
  if (name.endsWith('.json')) return /[\\/]\.docker[\\/]config\.json$/.test(file);
  return CANDIDATE.test(name);
}

/** Whether changes are watched (walks are then kept WATCHED_TTL_MS, and forgotten on a change) or not (WALK_TTL_MS). */
export function setContextWatched(on: boolean): void {
  watched = on;
}

/** The clock the walks' ages are read from (tests set one; no argument: the real one). */
export function setContextClock(now: () => number = Date.now): void {
  clock = now;
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

/** A remote URL with a password or token (`https://user:token@host/…`), not a variable standing for one. */
const URL_PASSWORD = /^\s*(?:url|pushurl)\s*=\s*"?[a-z][a-z0-9+.-]*:\/\/[^\s/:@"]*:(?!\$\{)[^\s/@"]+@/im;
/** An `extraheader` (`http.<url>.extraheader = AUTHORIZATION: basic …`), as checkout actions leave one. */
const EXTRA_HEADER = /^\s*extraheader\s*=\s*"?\s*authorization\s*:/im;

/** What `.git` holds, told from its config: a credential there, else the history (what the tool cannot see into). */
function gitEntry(rel: string, dir: string): ContextSecret {
  const config = head(path.join(dir, 'config'), GIT_CONFIG_BYTES) ?? '';
  const held = URL_PASSWORD.test(config)
    ? 'a remote URL with a password or token'
    : EXTRA_HEADER.test(config)
      ? 'an HTTP authorization header'
      : undefined;
  if (held) return { path: rel, why: `the repository, and its .git/config holds a credential: ${held}` };
  return {
    path: rel,
    why: 'the repository: its whole history, where deleted files and any secret ever committed may be',
    credential: false,
  };
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
          if (!excluded(rel)) files.push(gitEntry(rel, path.join(root, rel)));
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
  const now = clock();
  const hit = cache.get(key);
  if (hit && now - hit.at < (watched ? WATCHED_TTL_MS : WALK_TTL_MS)) return hit.result;
  const result = walkContext(root, ignore);
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, { root, result, at: now });
  return result;
}
