/**
 * Tag listing (server/src/registry/tags.ts) against a real registry (docker-registry on 127.0.0.1,
 * with tags pushed over its API) and, for what a real registry will not do on demand, small servers
 * that send a next-page link to another origin, a page over 1 MiB, or nothing at all.
 *
 * docker-registry 2.8 (Debian's) answers every tag at once, whatever `n` asks: tag pagination came
 * with distribution 3, and Docker Hub and GHCR page. Paging is tested through a front on loopback
 * that serves the real registry's tags in pages the way distribution 3 does (`n`, `last`, and
 * `Link: </v2/<repo>/tags/list?last=…&n=…>; rel="next"`).
 */
import * as assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as path from 'node:path';
import { writeFileSync } from 'node:fs';
import { RegistryClient } from '../../server/src/registry/client';
import { DockerCredentials } from '../../server/src/registry/credentials';
import { listTags } from '../../server/src/registry/tags';
import type { ImageName } from '../../server/src/model/registryNames';
import {
  DOCKER_MANIFEST,
  failsWith,
  FIXTURES,
  requireRegistry,
  seed,
  startRegistry,
  tempDir,
  type RegistryProcess,
} from '../support/registry';
import { silentRegistry } from '../support/fakeRegistry';
import { endlessBody, hostileServer, type HostileServer } from '../support/hostileServer';
import { PASSWORD, USER } from '../support/tokenServer';

const VERSIONS = ['1.9', '1.10', '1.26', '1.26.1', '1.26-alpine', '1.26.1-alpine', '2.0rc1', 'latest', 'edge'];
const MANY = [...VERSIONS, ...Array.from({ length: 20 }, (_, i) => `0.${i}`)];

const clients: RegistryClient[] = [];
function client(o: ConstructorParameters<typeof RegistryClient>[0] = {}): RegistryClient {
  const c = new RegistryClient({ timeoutMs: 5000, ...o });
  clients.push(c);
  return c;
}
const repo = (registry: string, repository = 'hardener/single'): ImageName => ({ registry, repository });

describe('tag listing against docker-registry', function () {
  this.timeout(30_000);
  let storage: ReturnType<typeof tempDir>;
  let anon: RegistryProcess;
  let basic: RegistryProcess;

  /** `repository`'s tag 1.0 also under each of `tags`. */
  async function tagAll(host: string, repository: string, tags: string[]): Promise<void> {
    const url = `http://${host}/v2/${repository}/manifests`;
    const manifest = Buffer.from(await (await fetch(`${url}/1.0`, { headers: { Accept: DOCKER_MANIFEST } })).arrayBuffer());
    for (const tag of tags) {
      const res = await fetch(`${url}/${tag}`, { method: 'PUT', body: manifest, headers: { 'Content-Type': DOCKER_MANIFEST } });
      assert.equal(res.status, 201, `${tag}: ${await res.text()}`);
    }
  }
  /** The tag list requests the registry served for `repository`. */
  const pages = async (r: RegistryProcess, repository = 'hardener/single') => {
    await r.settle();
    return r.accessLog.filter((l) => l.includes(`"GET /v2/${repository}/tags/list`)).length;
  };

  before(async function () {
    const bin = requireRegistry(this);
    storage = tempDir('dh-tags-registry-');
    anon = await startRegistry(bin, { storage: storage.dir });
    await seed(anon.host);
    await tagAll(anon.host, 'hardener/single', MANY);
    basic = await startRegistry(bin, { storage: storage.dir, htpasswd: path.join(FIXTURES, 'htpasswd') });
  });

  after(async () => {
    for (const c of clients) c.close();
    await anon?.stop();
    await basic?.stop();
    storage?.dispose();
  });

  it('every tag, newest versions first (docker-registry 2.8 sends them all in one answer)', async () => {
    const before = await pages(anon);
    const list = await listTags(client(), repo(anon.host), { pageSize: 5 });
    assert.equal(list.partial, false);
    assert.deepEqual(list.tags.slice(0, 9), ['2.0rc1', '1.26.1', '1.26.1-alpine', '1.26', '1.26-alpine', '1.10', '1.9', '1.0', '0.19']);
    assert.deepEqual(list.tags.slice(-2), ['latest', 'edge']);
    assert.deepEqual([...list.tags].sort(), ['1.0', ...MANY].sort());
    assert.equal((await pages(anon)) - before, 1);
  });

  it('follows next-page links to the end, in pages of 5 of the real tags', async () => {
    const front = await pagingFront(anon.host);
    try {
      const list = await listTags(client(), repo(front.host), { pageSize: 5 });
      assert.equal(list.partial, false);
      assert.deepEqual([...list.tags].sort(), ['1.0', ...MANY].sort());
      assert.equal(list.tags[0], '2.0rc1');
      assert.equal(front.requests.length, Math.ceil((MANY.length + 1) / 5));
      assert.deepEqual(front.requests.slice(0, 2), ['/v2/hardener/single/tags/list?n=5', '/v2/hardener/single/tags/list?last=0.12&n=5']);
    } finally {
      await front.stop();
    }
  });

  it('stops at the page cap with a partial list, and keeps it for the next request', async () => {
    const front = await pagingFront(anon.host);
    try {
      const c = client();
      const list = await listTags(c, repo(front.host), { pageSize: 5, maxPages: 2 });
      assert.deepEqual([list.tags.length, list.partial, list.reason], [10, true, 'more than 2 pages; only the first 2 were read']);
      assert.equal(front.requests.length, 2);
      assert.deepEqual(await listTags(c, repo(front.host), { pageSize: 5, maxPages: 2 }), list);
      assert.equal(front.requests.length, 2, 'the second request was answered from the cache');
    } finally {
      await front.stop();
    }
  });

  it("asks with the credentials pinning uses (Docker's config), and says what is missing without them", async () => {
    const config = tempDir('dh-tags-config-');
    try {
      const auth = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
      writeFileSync(path.join(config.dir, 'config.json'), JSON.stringify({ auths: { [basic.host]: { auth } } }));
      const credentials = new DockerCredentials({ env: { DOCKER_CONFIG: config.dir, PATH: process.env.PATH } });
      const list = await listTags(client({ credentials }), repo(basic.host, 'hardener/oci'));
      assert.deepEqual(list, { tags: ['1.0', 'amd64', 'arm64'], partial: false });
      await failsWith(listTags(client(), repo(basic.host, 'hardener/oci')), 'unauthorized', /requires a login \(401\)/);
    } finally {
      config.dispose();
    }
  });

  it('a repository that does not exist: not found', async () => {
    await failsWith(listTags(client(), repo(anon.host, 'hardener/none')), 'not-found', /NAME_UNKNOWN/);
  });
});

/**
 * A front on loopback that pages `registry`'s tag lists as distribution 3 does: sorted, `n` per page
 * after `last`, with a relative next link while more remain.
 */
async function pagingFront(registry: string): Promise<{ host: string; requests: string[]; stop(): Promise<void> }> {
  const seen: string[] = [];
  const front = await hostileServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://front');
    seen.push(`${url.pathname}${url.search}`);
    void (async () => {
      const all = ((await (await fetch(`http://${registry}${url.pathname}`)).json()) as { tags: string[] }).tags.sort();
      const n = Number(url.searchParams.get('n') ?? 100);
      const last = url.searchParams.get('last');
      const rest = last === null ? all : all.filter((t) => t > last);
      const tags = rest.slice(0, n);
      const more = rest.length > n ? { Link: `<${url.pathname}?last=${tags[tags.length - 1]}&n=${n}>; rel="next"` } : {};
      res.writeHead(200, { 'Content-Type': 'application/json', ...more }).end(JSON.stringify({ name: 'hardener/single', tags }));
    })();
  });
  return { host: front.host, requests: seen, stop: () => front.stop() };
}

describe('tag listing against hostile servers', function () {
  this.timeout(20_000);
  const servers: { stop(): Promise<void> }[] = [];
  after(async () => {
    for (const c of clients) c.close();
    for (const s of servers) await s.stop();
  });
  const server = async (handler: (req: IncomingMessage, res: ServerResponse, index: number) => void): Promise<HostileServer> => {
    const s = await hostileServer(handler);
    servers.push(s);
    return s;
  };
  const page = (res: ServerResponse, tags: unknown[], link?: string) =>
    res.writeHead(200, { 'Content-Type': 'application/json', ...(link ? { Link: link } : {}) }).end(JSON.stringify({ name: 'x', tags }));

  it('never follows a next-page link to another origin or another repository', async () => {
    const elsewhere = await server((_req, res) => page(res, ['stolen']));
    for (const link of [
      `<http://${elsewhere.host}/v2/team/app/tags/list?n=1&last=a>; rel="next"`,
      '</v2/team/other/tags/list?n=1&last=a>; rel="next"',
      '</v2/team/app/manifests/latest>; rel="next"',
    ]) {
      const registry = await server((_req, res) => page(res, ['1.0', 'a'], link));
      const list = await listTags(client(), repo(registry.host, 'team/app'));
      assert.deepEqual([list.tags, list.partial], [['1.0', 'a'], true], link);
      assert.match(list.reason ?? '', /sent a next-page link elsewhere; not followed/);
      assert.deepEqual(
        registry.requests.map((r) => r.url),
        ['/v2/team/app/tags/list?n=1000'],
      );
    }
    assert.equal(elsewhere.connections, 0, 'the other origin was never contacted');
  });

  it('follows a relative link on the same origin, keeps tags that are tags, and drops the rest', async () => {
    const registry = await server((_req, res, i) =>
      i === 0
        ? page(res, ['1.0', 'bad\u001b[31m', ' x', 7, 'a'.repeat(129)], '</v2/team/app/tags/list?last=1.0&n=1000>; rel="next"')
        : page(res, ['2.0']),
    );
    assert.deepEqual(await listTags(client(), repo(registry.host, 'team/app')), { tags: ['2.0', '1.0'], partial: false });
    assert.deepEqual(
      registry.requests.map((r) => r.url),
      ['/v2/team/app/tags/list?n=1000', '/v2/team/app/tags/list?last=1.0&n=1000'],
    );
  });

  it('reads at most 1 MiB of a page: a first page over it is an error, a later one ends the list', async () => {
    const huge = await server((_req, res) => endlessBody(res.writeHead(200, { 'Content-Type': 'application/json' })) && undefined);
    await failsWith(listTags(client(), repo(huge.host, 'team/app')), 'bad-response', /sent more than 1 MiB/);
    const later = await server((_req, res, i) =>
      i === 0 ? page(res, ['1.0'], '</v2/team/app/tags/list?last=1.0>; rel="next"') : void endlessBody(res.writeHead(200)),
    );
    const list = await listTags(client(), repo(later.host, 'team/app'));
    assert.deepEqual([list.tags, list.partial], [['1.0'], true]);
    assert.match(list.reason ?? '', /^page 2 failed: .*sent more than 1 MiB/);
  });

  it('a registry that never answers: the deadline, with the pages read so far when there are some', async () => {
    const silent = await silentRegistry();
    servers.push(silent);
    let started = Date.now();
    await failsWith(listTags(client(), repo(silent.host, 'team/app'), { timeoutMs: 400 }), 'timeout', /within 0\.4 s/);
    assert.ok(Date.now() - started < 2000);
    const stalls = await server((_req, res, i) =>
      i === 0 ? page(res, ['1.0'], '</v2/team/app/tags/list?last=1.0>; rel="next"') : undefined,
    );
    started = Date.now();
    const list = await listTags(client(), repo(stalls.host, 'team/app'), { timeoutMs: 400 });
    assert.ok(Date.now() - started < 2000);
    assert.deepEqual(list, { tags: ['1.0'], partial: true, reason: 'the registry timeout ended the listing after 1 page' });
  });

  it('callers share a listing: one cancelling does not end it for the other; when all cancel it ends', async () => {
    let answer: (() => void) | undefined;
    const slow = await server((_req, res) => {
      answer = () => page(res, ['1.0']);
    });
    const c = client();
    const first = new AbortController();
    const a = listTags(c, repo(slow.host, 'team/app'), { signal: first.signal });
    const b = listTags(c, repo(slow.host, 'team/app'));
    await slow.seen(1);
    first.abort();
    await failsWith(a, 'cancelled', /cancelled/);
    answer!();
    assert.deepEqual(await b, { tags: ['1.0'], partial: false });
    assert.equal(slow.requests.length, 1, 'one listing for both');

    let closed!: () => void;
    const gone = new Promise<void>((resolve) => (closed = resolve));
    const never = await server((req, res, i) => (i === 0 ? req.socket.once('close', () => closed()) : page(res, ['2.0'])));
    const only = new AbortController();
    const d = client();
    const p = listTags(d, repo(never.host, 'team/app'), { signal: only.signal });
    await never.seen(1);
    only.abort();
    await failsWith(p, 'cancelled', /cancelled/);
    await gone; // the listing dropped its connection
    assert.deepEqual(await listTags(d, repo(never.host, 'team/app')), { tags: ['2.0'], partial: false }, 'a later request lists anew');
  });
});
