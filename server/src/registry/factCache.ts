/**
 * Image facts on disk, shared by the CLI and the language server, so that the editor answers from
 * what any of them has seen and the CLI can run offline on it.
 *
 * Where: `$DOCKERFILE_HARDENER_CACHE_DIR`, else `$XDG_CACHE_HOME/dockerfile-hardener`, else the
 * platform's cache directory (`~/.cache`, `~/Library/Caches`, `%LOCALAPPDATA%`); under it
 * `images-v1/`. Two kinds of entry, one small JSON file each, named by the hash of their key:
 *   - `registry/repository@digest` → the facts: a digest names immutable content, so they never expire;
 *   - `registry/repository:tag` → the digest it pointed at, for 24 hours (tags move).
 * Writes go to a temporary file renamed into place, so a reader never sees half an entry and two
 * processes writing the same entry leave one whole. A file that does not parse, is too large or holds
 * another key is ignored (and overwritten by the next lookup). Reads are remembered in memory: the
 * editor's lint path touches the disk at most once per image a minute.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { defaultCacheDir, prepareDirectory } from './cacheDir';
import type { ImageName } from '../model/registryNames';
import { factsKeys, type ImageFacts, type ImageFactsRecord } from '../model/imageFacts';
import type { ImageRef } from '../model/imageRef';

export const TAG_TTL_MS = 24 * 60 * 60 * 1000;
/** How long an answer read from disk (or its absence) is reused before the file is read again. */
const MEMO_MS = 60_000;
const MAX_ENTRY = 1024 * 1024;
/** Memo entries kept before the stale ones are dropped. */
const MAX_MEMO = 1000;

interface TagEntry {
  key: string;
  digest: string;
  at: number;
}
interface DigestEntry {
  key: string;
  facts: ImageFacts;
}

export class FactCache {
  readonly dir: string;
  private readonly memo = new Map<string, { at: number; value: unknown }>();

  constructor(
    root = defaultCacheDir(),
    private readonly now: () => number = Date.now,
  ) {
    this.dir = path.join(root, 'images-v1');
  }

  /** The digest `name`'s tag pointed at when last asked, if that was within 24 hours. */
  tag(name: ImageName): string | undefined {
    const key = `${name.registry}/${name.repository}:${name.tag ?? 'latest'}`;
    const e = this.read<TagEntry>(key);
    if (!e || typeof e.digest !== 'string' || typeof e.at !== 'number') return undefined;
    return this.now() - e.at < TAG_TTL_MS && e.at <= this.now() + 60_000 ? e.digest : undefined;
  }

  putTag(name: ImageName, digest: string): void {
    const key = `${name.registry}/${name.repository}:${name.tag ?? 'latest'}`;
    this.write(key, { key, digest, at: this.now() } satisfies TagEntry);
  }

  /** The facts of `digest` in `name`'s repository, if a lookup has stored them. */
  digest(name: Pick<ImageName, 'registry' | 'repository'>, digest: string): ImageFacts | undefined {
    const e = this.read<DigestEntry>(`${name.registry}/${name.repository}@${digest}`);
    return e && isFacts(e.facts) ? e.facts : undefined;
  }

  putDigest(name: Pick<ImageName, 'registry' | 'repository'>, facts: ImageFacts): void {
    const key = `${name.registry}/${name.repository}@${facts.digest}`;
    this.write(key, { key, facts } satisfies DigestEntry);
  }

  /**
   * The facts of every reference the cache can answer, as the lint options carry them: a reference
   * by digest from its digest's entry, a tag through its (unexpired) tag entry.
   */
  record(refs: Iterable<Pick<ImageRef, 'registry' | 'repository' | 'tag' | 'digest'>>): ImageFactsRecord {
    const out: Record<string, ImageFacts> = {};
    for (const ref of refs) {
      const [key] = factsKeys(ref);
      if (out[key]) continue;
      const digest = ref.digest ?? this.tag({ registry: ref.registry, repository: ref.repository, tag: ref.tag });
      const facts = digest ? this.digest(ref, digest) : undefined;
      if (facts) out[key] = facts;
      // A pinned reference also carries what its tag pointed at (platform-digest-pinned compares them).
      if (ref.digest && ref.tag) {
        const tagDigest = this.tag({ registry: ref.registry, repository: ref.repository, tag: ref.tag });
        const tagFacts = tagDigest ? this.digest(ref, tagDigest) : undefined;
        if (tagFacts) out[`${ref.registry}/${ref.repository}:${ref.tag}`] = tagFacts;
      }
    }
    return out;
  }

  /** Forgets what was read from disk (after another process may have written). */
  forget(): void {
    this.memo.clear();
  }

  private file(key: string): string {
    return path.join(this.dir, `${createHash('sha256').update(key).digest('hex')}.json`);
  }

  private read<T extends { key: string }>(key: string): T | undefined {
    const m = this.memo.get(key);
    if (m && this.now() - m.at < MEMO_MS) return m.value as T | undefined;
    let value: T | undefined;
    try {
      const fd = openSync(this.file(key), 'r');
      try {
        const size = fstatSync(fd).size;
        const buf = Buffer.alloc(Math.min(size, MAX_ENTRY) + 1);
        const n = size > MAX_ENTRY ? MAX_ENTRY + 1 : readSync(fd, buf, 0, buf.length, 0);
        if (n <= MAX_ENTRY) {
          const parsed = JSON.parse(buf.subarray(0, n).toString('utf8')) as T;
          if (parsed && typeof parsed === 'object' && parsed.key === key) value = parsed;
        }
      } finally {
        closeSync(fd);
      }
    } catch {
      value = undefined; // absent, unreadable or not JSON: as if never looked up
    }
    this.remember(key, value);
    return value;
  }

  /** Keeps what was read or written; past MAX_MEMO entries (names typed on the way to one), the stale ones go. */
  private remember(key: string, value: unknown): void {
    if (this.memo.size >= MAX_MEMO) for (const [k, m] of this.memo) if (this.now() - m.at >= MEMO_MS) this.memo.delete(k);
    this.memo.set(key, { at: this.now(), value });
  }

  private write(key: string, value: TagEntry | DigestEntry): void {
    this.remember(key, value);
    const file = this.file(key);
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      if (!prepareDirectory(this.dir)) return;
      writeFileSync(tmp, JSON.stringify(value), { mode: 0o600 });
      renameSync(tmp, file);
    } catch {
      // A cache that cannot be written (read-only home, full disk) costs only a later lookup.
      try {
        rmSync(tmp, { force: true });
      } catch {
        // nothing was made
      }
    }
  }
}

function isFacts(f: unknown): f is ImageFacts {
  const x = f as ImageFacts;
  return (
    !!x &&
    typeof x.digest === 'string' &&
    typeof x.mediaType === 'string' &&
    Array.isArray(x.platforms) &&
    typeof x.fetchedAt === 'string' &&
    !!x.supplyChain
  );
}
