/**
 * A repository's tags, over the OCI Distribution API, for tag completion:
 *
 *   GET /v2/<repository>/tags/list?n=<page>     Accept: application/json
 *
 * following `Link: <…>; rel="next"` from page to page. The exchange is the registry client's own
 * (session.ts): the same credentials, token realm, deadline, cancellation and redirect rules as
 * digest resolution. What a registry sends is not trusted either:
 *   - a next link is followed only on the registry's own origin and under /v2/<repository>/tags/list
 *     (its query is the registry's business: `last`, `n`); any other link ends the listing;
 *   - at most 10 pages of at most 1 MiB each, and 10,000 tags; past that the list is partial;
 *   - a tag that is not a tag by the reference grammar (control characters, blanks, too long) is dropped.
 * The deadline covers the whole listing: a page that does not come in time, or fails, ends it with the
 * tags read so far, flagged partial (no tags at all: the error). Complete lists (and lists cut by the
 * caps, which asking again would cut the same way) are kept per repository for 5 minutes; requests for
 * a repository being listed share that listing, which ends early only when every one is cancelled.
 *
 * Order: newest versions first (tagOrder).
 */
import { RegistryError } from './errors';
import type { HttpResponse } from './http';
import type { ImageName } from '../model/registryNames';
import type { Attempt } from './attempt';
import type { RegistryClient } from './client';
import { sortTags } from './tagOrder';

export interface TagList {
  /** Newest versions first. */
  tags: string[];
  /** More tags exist than were read: the page or size caps, a link not followed, the deadline or a failed page. */
  partial: boolean;
  /** Why the list is partial, for people. */
  reason?: string;
}

export interface ListTagsOptions {
  /** Cancels this caller's wait (the listing goes on while another caller still waits for it). */
  signal?: AbortSignal;
  /** The deadline of the whole listing (default: the client's). */
  timeoutMs?: number;
  /** Tags asked for per page (`n`, default 1000). */
  pageSize?: number;
  /** Pages read at most (default 10). */
  maxPages?: number;
}

const MAX_PAGE_BYTES = 1024 * 1024;
const MAX_TAGS = 10_000;
const DEFAULT_PAGE_SIZE = 1000;
const DEFAULT_MAX_PAGES = 10;
const CACHE_TTL_MS = 5 * 60 * 1000;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const TAGS_REQUEST = { accept: 'application/json', maxBytes: MAX_PAGE_BYTES };

interface Shared {
  promise: Promise<TagList>;
  controller: AbortController;
  waiting: number;
  /** Takes it off the listings under way (a later request starts a new one). */
  forget(): void;
}

/** Per registry client: lists kept for a while, and listings under way. */
interface Cache {
  lists: Map<string, { at: number; value: TagList }>;
  running: Map<string, Shared>;
}

const caches = new WeakMap<RegistryClient, Cache>();

/** The tags of `name`'s repository (its tag is ignored), newest versions first. */
export async function listTags(client: RegistryClient, name: ImageName, opts: ListTagsOptions = {}): Promise<TagList> {
  let cache = caches.get(client);
  if (!cache) caches.set(client, (cache = { lists: new Map(), running: new Map() }));
  const key = `${name.registry}/${name.repository}`;
  const hit = cache.lists.get(key);
  if (hit && Date.now() - hit.at < CACHE_TTL_MS) return hit.value;
  let shared = cache.running.get(key);
  if (!shared) {
    const controller = new AbortController();
    const c = cache;
    const forget = () => {
      if (c.running.get(key) === shared) c.running.delete(key);
    };
    const promise = client.session
      .attempt({ registry: name.registry, repository: name.repository }, opts.timeoutMs ?? client.timeoutMs, controller.signal, (a) =>
        readPages(client, a, opts.pageSize ?? DEFAULT_PAGE_SIZE, opts.maxPages ?? DEFAULT_MAX_PAGES),
      )
      .then(({ value, keep }) => {
        if (keep) remember(c, key, value);
        return value;
      })
      .finally(forget);
    promise.catch(() => undefined); // a listing nobody waits for any more fails quietly
    shared = { promise, controller, waiting: 0, forget };
    cache.running.set(key, shared);
  }
  return wait(shared, opts.signal);
}

/** Keeps a list; expired ones go when there are many. */
function remember(cache: Cache, key: string, value: TagList): void {
  const now = Date.now();
  if (cache.lists.size >= 100) for (const [k, v] of cache.lists) if (now - v.at >= CACHE_TTL_MS) cache.lists.delete(k);
  cache.lists.set(key, { at: now, value });
}

/** The shared listing, for one caller: its cancellation ends its wait, and the listing when nobody else waits. */
function wait(shared: Shared, signal: AbortSignal | undefined): Promise<TagList> {
  if (signal?.aborted) return Promise.reject(new RegistryError('cancelled', 'tag listing cancelled'));
  shared.waiting++;
  return new Promise<TagList>((resolve, reject) => {
    const onAbort = () => {
      if (--shared.waiting === 0) {
        shared.forget();
        shared.controller.abort();
      }
      reject(new RegistryError('cancelled', 'tag listing cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    shared.promise.then(
      (v) => {
        signal?.removeEventListener('abort', onAbort);
        shared.waiting--;
        resolve(v);
      },
      (e: unknown) => {
        signal?.removeEventListener('abort', onAbort);
        shared.waiting--;
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** The listing, and whether to keep it (complete, or cut by a cap that would cut it the same way again). */
interface Read {
  value: TagList;
  keep: boolean;
}

async function readPages(client: RegistryClient, a: Attempt, pageSize: number, maxPages: number): Promise<Read> {
  const tags = new Set<string>();
  let path = `tags/list?n=${pageSize}`;
  for (let page = 1; ; page++) {
    let res: HttpResponse;
    let read: string[];
    try {
      res = await client.session.send(a, 'GET', path, TAGS_REQUEST);
      if (res.status !== 200) throw client.session.failure(a, res, 'no such repository');
      read = tagsOf(a, res);
    } catch (e) {
      // The first page is the answer or the error; a later one that fails leaves what came before.
      if (page === 1) throw e;
      if (a.signal.aborted) {
        const timeout = a.signal.reason instanceof RegistryError && a.signal.reason.code === 'timeout';
        if (timeout) return partial(tags, `the registry timeout ended the listing after ${page - 1} page${page === 2 ? '' : 's'}`);
        throw e;
      }
      if (e instanceof RegistryError) return partial(tags, `page ${page} failed: ${e.message}`);
      throw e;
    }
    for (const t of read) if (tags.size < MAX_TAGS) tags.add(t);
    if (tags.size >= MAX_TAGS) return partial(tags, `more than ${MAX_TAGS} tags; only the first ${MAX_TAGS} were read`, true);
    const next = nextPage(a, res);
    if (next === undefined) return { value: { tags: sortTags([...tags]), partial: false }, keep: true };
    if (next === null) return partial(tags, `${a.endpoint.registry} sent a next-page link elsewhere; not followed`);
    if (page === maxPages) return partial(tags, `more than ${maxPages} pages; only the first ${maxPages} were read`, true);
    if (`tags/list${next}` === path) return partial(tags, `${a.endpoint.registry} sent the same page as the next one; not followed`);
    path = `tags/list${next}`;
  }
}

function partial(tags: Set<string>, reason: string, keep = false): Read {
  return { value: { tags: sortTags([...tags]), partial: true, reason }, keep };
}

/** The tags in a page: `{ "name": …, "tags": [...] }` (null or missing: none). */
function tagsOf(a: Attempt, res: HttpResponse): string[] {
  let parsed: { tags?: unknown };
  try {
    parsed = JSON.parse(res.body.toString('utf8')) as typeof parsed;
    if (!parsed || typeof parsed !== 'object') throw new Error('not an object');
  } catch {
    throw new RegistryError('bad-response', `${a.display}: ${a.endpoint.registry}'s tag list is not JSON`);
  }
  if (parsed.tags === null || parsed.tags === undefined) return [];
  if (!Array.isArray(parsed.tags))
    throw new RegistryError('bad-response', `${a.display}: ${a.endpoint.registry}'s tag list has no list of tags`);
  return parsed.tags.filter((t): t is string => typeof t === 'string' && TAG.test(t));
}

/**
 * The query of the next page (`?n=…&last=…`); undefined when there is none, null when the link leads
 * anywhere but this repository's tag list on the registry's own origin.
 */
function nextPage(a: Attempt, res: HttpResponse): string | null | undefined {
  const raw = res.headers.link;
  const values = (Array.isArray(raw) ? raw : raw ? [raw] : []).flatMap((v) => v.split(/,(?=\s*<)/));
  const link = values.find((v) => /;\s*rel="?next"?(\s*;|\s*$)/i.test(v));
  if (!link) return undefined;
  const target = /^\s*<([^>]*)>/.exec(link)?.[1];
  if (target === undefined) return null;
  let url: URL;
  try {
    url = new URL(target, `${a.endpoint.origin}/v2/${a.name.repository}/tags/list`);
  } catch {
    return null;
  }
  const own = url.origin === a.endpoint.origin && url.pathname === `/v2/${a.name.repository}/tags/list` && !url.username && !url.password;
  if (!own) return null;
  return url.search;
}
