/**
 * The download fix's fetcher against loopback HTTP servers (never the internet): a served file's
 * checksum, a server that is down, 404, a body over the cap, redirects (to another host, too many,
 * off http, down to loopback, back to this machine by any address or name), a server that stops
 * sending, cancellation; the address classifier and the connect-time lookup guard.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, LookupFunction } from 'node:net';
import * as path from 'node:path';
import { DownloadError, fetchSha256, guardedLookup } from '../../../server/src/download/sha256';
import { isLocalHost, localAddress } from '../../../server/src/model/registryNames';
import { exampleTestLookup } from '../../support/fakeRegistry';

/** The registry tests' self-signed CA for registry.example.test and auth.example.test (both mapped to 127.0.0.1). */
const FIXTURES = path.resolve(__dirname, '../../registry/fixtures');
const TLS = { cert: readFileSync(path.join(FIXTURES, 'tls.crt'), 'utf8'), key: readFileSync(path.join(FIXTURES, 'tls.key'), 'utf8') };
const TRANSPORT = { lookup: exampleTestLookup, ca: [TLS.cert] };
/** *.example.test and *.localhost names all at 127.0.0.1 (the system resolver may not know *.localhost). */
const LOCAL_NAMES: LookupFunction = (hostname, options, callback) =>
  exampleTestLookup(/\.localhost\.?$/.test(hostname) ? 'names.example.test' : hostname, options, callback);

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

async function serve(handler: Handler): Promise<{ origin: string; port: number; close: () => Promise<void>; hits: string[] }> {
  const hits: string[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    hits.push(`${req.headers.host ?? ''}${req.url ?? ''} auth=${req.headers.authorization ?? '-'} cookie=${req.headers.cookie ?? '-'}`);
    handler(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    hits,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

const BODY = Buffer.from('#!/bin/sh\necho a tool\n'.repeat(1000));
const SUM = createHash('sha256').update(BODY).digest('hex');

async function rejection(p: Promise<unknown>): Promise<DownloadError> {
  try {
    await p;
  } catch (e) {
    return e as DownloadError;
  }
  assert.fail('expected a rejection');
}

describe('download: fetchSha256 (loopback servers)', function () {
  this.timeout(10_000);
  const servers: { close: () => Promise<void> }[] = [];
  const start = async (h: Handler) => {
    const s = await serve(h);
    servers.push(s);
    return s;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('hashes the served file (streamed in chunks), sending no credentials', async () => {
    const s = await start((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      for (let i = 0; i < BODY.length; i += 1000) res.write(BODY.subarray(i, i + 1000));
      res.end();
    });
    assert.equal(await fetchSha256(`${s.origin}/tool.tar.gz`), SUM);
    assert.match(s.hits[0], /auth=- cookie=-$/);
  });

  it('fails with a clear message when the server is down (closed port)', async () => {
    const s = await start((_q, res) => res.end());
    const origin = s.origin;
    await servers.pop()?.close();
    const e = await rejection(fetchSha256(`${origin}/tool`));
    assert.equal(e.code, 'network');
    assert.match(e.message, /cannot connect to 127\.0\.0\.1:\d+: connection refused/);
  });

  it('fails on 404, saying what the server answered', async () => {
    const s = await start((_q, res) => {
      res.writeHead(404, 'Not Found');
      res.end('no such file');
    });
    const e = await rejection(fetchSha256(`${s.origin}/missing.tar.gz?token=secret`));
    assert.equal(e.code, 'status');
    assert.match(e.message, /answered 404 Not Found for http:\/\/127\.0\.0\.1:\d+\/missing\.tar\.gz; nothing to check/);
    assert.doesNotMatch(e.message, /secret/);
  });

  it('fails on a body over the cap: declared, or streamed without a length', async () => {
    const declared = await start((_q, res) => {
      res.writeHead(200, { 'Content-Length': String(BODY.length) });
      res.end(BODY);
    });
    const e1 = await rejection(fetchSha256(`${declared.origin}/big`, { maxBytes: 1024 }));
    assert.equal(e1.code, 'too-large');
    assert.match(e1.message, /larger than 1 KiB/);
    const chunked = await start((_q, res) => {
      res.writeHead(200); // chunked: no Content-Length
      const timer = setInterval(() => res.write(Buffer.alloc(4096)), 1);
      res.on('close', () => clearInterval(timer));
    });
    const e2 = await rejection(fetchSha256(`${chunked.origin}/endless`, { maxBytes: 64 * 1024 }));
    assert.equal(e2.code, 'too-large');
  });

  it('follows a redirect to another host (another loopback server), without credentials', async () => {
    const target = await start((_q, res) => res.end(BODY));
    const s = await start((_q, res) => {
      res.writeHead(302, { Location: `http://localhost:${target.port}/objects/tool` });
      res.end();
    });
    assert.equal(await fetchSha256(`${s.origin}/releases/download/v1/tool`), SUM);
    assert.match(target.hits[0], /^localhost:\d+\/objects\/tool auth=- cookie=-$/);
  });

  it('does not follow redirects when the command does not (curl without -L)', async () => {
    const s = await start((_q, res) => {
      res.writeHead(301, { Location: '/elsewhere' });
      res.end();
    });
    const e = await rejection(fetchSha256(`${s.origin}/tool`, { followRedirects: false }));
    assert.equal(e.code, 'redirect');
    assert.match(e.message, /does not follow redirects/);
  });

  it('stops after 5 redirects', async () => {
    let n = 0;
    const s = await start((_q, res) => {
      res.writeHead(302, { Location: `/hop${++n}` });
      res.end();
    });
    const e = await rejection(fetchSha256(`${s.origin}/tool`));
    assert.equal(e.code, 'redirect');
    assert.match(e.message, /redirects more than 5 times/);
    assert.equal(n, 6);
  });

  it('refuses redirects to other schemes and URLs with credentials', async () => {
    for (const location of ['file:///etc/passwd', 'ftp://example.com/x', 'http://user:pw@127.0.0.1/x']) {
      const s = await start((_q, res) => {
        res.writeHead(302, { Location: location });
        res.end();
      });
      const e = await rejection(fetchSha256(`${s.origin}/tool`));
      assert.equal(e.code, 'redirect', location);
    }
  });

  it('over HTTPS (a test CA): hashes; never follows a redirect down to plain HTTP or from the network to loopback', async () => {
    const plain = await start((_q, res) => res.end(BODY));
    let location = '';
    const secure = https.createServer(TLS, (req, res) => {
      if (req.url === '/tool') res.end(BODY);
      else {
        res.writeHead(302, { Location: location });
        res.end();
      }
    });
    await new Promise<void>((r) => secure.listen(0, '127.0.0.1', r));
    servers.push({ close: () => new Promise<void>((r) => secure.close(() => r())) });
    const port = (secure.address() as AddressInfo).port;
    const base = `https://registry.example.test:${port}`;
    assert.equal(await fetchSha256(`${base}/tool`, { transport: TRANSPORT }), SUM);
    location = `http://auth.example.test:${plain.port}/tool`;
    const down = await rejection(fetchSha256(`${base}/moved`, { transport: TRANSPORT }));
    assert.equal(down.code, 'redirect');
    assert.match(down.message, /plain HTTP; not followed/);
    location = `${plain.origin}/tool`;
    const loop = await rejection(fetchSha256(`${base}/moved`, { transport: TRANSPORT }));
    assert.match(loop.message, /a loopback address; not followed/);
    assert.equal(plain.hits.length, 0, 'neither redirect was followed');
    const untrusted = await rejection(fetchSha256(`${base}/tool`, { transport: { lookup: exampleTestLookup } }));
    assert.equal(untrusted.code, 'network');
    assert.match(untrusted.message, /TLS with registry\.example\.test:\d+ failed/);
  });

  it('never follows a redirect from a network host back to this machine: 0.0.0.0, [::ffff:127.0.0.1], *.localhost, link-local', async () => {
    const target = await start((_q, res) => res.end(BODY));
    let location = '';
    const s = await start((_q, res) => {
      res.writeHead(302, { Location: location });
      res.end();
    });
    // From a loopback origin, the same redirects reach the target (so refusing them below is not a connection failure).
    for (const host of ['0.0.0.0', '[::ffff:127.0.0.1]']) {
      location = `http://${host}:${target.port}/tool`;
      assert.equal(await fetchSha256(`${s.origin}/tool`), SUM, host);
    }
    const reached = target.hits.length;
    const transport = { lookup: LOCAL_NAMES };
    const refused: [string, RegExp][] = [
      [`http://0.0.0.0:${target.port}/tool`, /to http:\/\/0\.0\.0\.0:\d+, a loopback address; not followed/],
      [`http://[::ffff:127.0.0.1]:${target.port}/tool`, /to http:\/\/\[::ffff:7f00:1\]:\d+, a loopback address/],
      [`http://[::ffff:0.0.0.0]:${target.port}/tool`, /a loopback address/],
      [`http://0:${target.port}/tool`, /a loopback address/],
      [`http://2130706433:${target.port}/tool`, /to http:\/\/127\.0\.0\.1:\d+, a loopback address/],
      [`http://tool.localhost:${target.port}/tool`, /to http:\/\/tool\.localhost:\d+, a loopback address/],
      [`http://localhost.:${target.port}/tool`, /a loopback address/],
      [`http://LOCALHOST:${target.port}/tool`, /a loopback address/],
      ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254, a link-local address; not followed/],
      ['http://[fe80::1]/x', /a link-local address/],
    ];
    for (const [loc, message] of refused) {
      location = loc;
      const e = await rejection(fetchSha256(`http://registry.example.test:${s.port}/tool`, { transport }));
      assert.equal(e.code, 'redirect', loc);
      assert.match(e.message, message, loc);
    }
    assert.equal(target.hits.length, reached, 'no refused redirect reached the target');
  });

  it('checks the address a redirect target resolves to when connecting: a DNS name for 127.0.0.1 is refused', async () => {
    const target = await start((_q, res) => res.end(BODY));
    const s = await start((_q, res) => {
      res.writeHead(302, { Location: `http://auth.example.test:${target.port}/tool` });
      res.end();
    });
    const e = await rejection(fetchSha256(`http://registry.example.test:${s.port}/tool`, { transport: { lookup: exampleTestLookup } }));
    assert.equal(e.code, 'redirect');
    assert.match(e.message, /auth\.example\.test, which resolves to 127\.0\.0\.1, a loopback address; not followed/);
    assert.equal(target.hits.length, 0);
    // From a loopback origin the same redirect is followed (the chain has not left this machine).
    assert.equal(await fetchSha256(`${s.origin}/tool`, { transport: { lookup: exampleTestLookup } }), SUM);
  });

  it('once the chain has left this machine, never comes back to it; a redirect back to the named host is followed', async () => {
    const target = await start((_q, res) => res.end(BODY));
    const network = await start((req, res) => {
      if (req.url === '/tool') {
        res.end(BODY);
        return;
      }
      res.writeHead(302, { Location: req.url === '/same' ? '/tool' : `http://127.0.0.1:${target.port}/tool` });
      res.end();
    });
    const local = await start((_q, res) => {
      res.writeHead(302, { Location: `http://registry.example.test:${network.port}/back` });
      res.end();
    });
    const transport = { lookup: exampleTestLookup };
    const e = await rejection(fetchSha256(`${local.origin}/tool`, { transport }));
    assert.match(e.message, /registry\.example\.test:\d+\/back redirects to http:\/\/127\.0\.0\.1:\d+, a loopback address; not followed/);
    assert.equal(target.hits.length, 0);
    assert.equal(await fetchSha256(`http://registry.example.test:${network.port}/same`, { transport }), SUM);
  });

  it('refuses URLs that are not http(s) or carry credentials, before any connection', async () => {
    for (const url of ['ftp://example.com/x', 'file:///etc/passwd', 'https://user:pw@example.com/x', 'not a url']) {
      const e = await rejection(fetchSha256(url));
      assert.equal(e.code, 'invalid-url', url);
    }
  });

  it('times out on a server that stops sending, and on the overall deadline', async () => {
    const silent = await start((_q, res) => {
      res.writeHead(200, { 'Content-Length': '100' });
      res.write('x'); // then nothing
    });
    const e1 = await rejection(fetchSha256(`${silent.origin}/slow`, { idleTimeoutMs: 200 }));
    assert.equal(e1.code, 'timeout');
    assert.match(e1.message, /sent nothing for 0\.2 s/);
    const trickle = await start((_q, res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write('x'), 20);
      res.on('close', () => clearInterval(timer));
    });
    const e2 = await rejection(fetchSha256(`${trickle.origin}/trickle`, { timeoutMs: 300 }));
    assert.equal(e2.code, 'timeout');
    assert.match(e2.message, /not downloaded within 0\.3 s/);
  });

  it('stops at once when cancelled, rejecting with the signal reason', async () => {
    const silent = await start(() => undefined);
    const controller = new AbortController();
    const p = fetchSha256(`${silent.origin}/tool`, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('cancelled')), 50);
    const e = await rejection(p);
    assert.equal(e.message, 'cancelled');
  });
});

describe('download: which addresses a redirect may not reach', () => {
  it('classifies loopback, unspecified and link-local addresses in every form, and nothing else', () => {
    for (const a of [
      '127.0.0.1',
      '127.9.9.9',
      '0.0.0.0',
      '::1',
      '::',
      '[::1]',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:0.0.0.0',
      '::127.0.0.1',
    ])
      assert.equal(localAddress(a), 'loopback', a);
    for (const a of ['169.254.169.254', '::ffff:169.254.169.254', 'fe80::1', 'fe80::1%eth0', 'febf::1'])
      assert.equal(localAddress(a), 'link-local', a);
    // Private LAN ranges are ordinary download sources (an artifact server), as for the build itself.
    for (const a of [
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.10',
      '100.64.0.1',
      '::ffff:10.0.0.1',
      'fd00::1',
      'fec0::1',
      '2001:db8::1',
      '8.8.8.8',
      'example.com',
    ])
      assert.equal(localAddress(a), undefined, a);
  });

  it('reads host names as written: localhost., *.localhost and IP literals in any spelling', () => {
    for (const u of [
      'http://localhost/',
      'http://localhost./',
      'http://a.b.localhost:8/',
      'http://0/',
      'http://0x7f.1/',
      'http://[0:0:0:0:0:ffff:7f00:1]/',
    ])
      assert.equal(isLocalHost(new URL(u)), 'loopback', u);
    for (const u of ['http://localhost.example.com/', 'http://localhostx/', 'http://127.0.0.1.nip.io/', 'http://10.1.2.3/'])
      assert.equal(isLocalHost(new URL(u)), undefined, u);
  });

  it('guards a lookup: refuses a name with any answer on this machine or its link, passes the others (all or one)', async () => {
    const answers: Record<string, string[]> = {
      'lan.example': ['10.1.2.3'],
      'mixed.example': ['203.0.113.7', '127.0.0.1'],
      'metadata.example': ['169.254.169.254'],
      'mapped.example': ['::ffff:127.0.0.1'],
    };
    const base: LookupFunction = (hostname, options, callback) => {
      const list = answers[hostname];
      if (!list) return callback(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }), '', 0);
      const all = list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
      if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: typeof all) => void)(null, all);
      else callback(null, all[0].address, all[0].family);
    };
    const guarded = guardedLookup(base);
    const ask = (host: string, all: boolean) =>
      new Promise<{ err: NodeJS.ErrnoException | null; address: unknown }>((resolve) =>
        guarded(host, { all }, (err, address) => resolve({ err, address })),
      );
    assert.equal((await ask('lan.example', false)).address, '10.1.2.3');
    assert.deepEqual((await ask('lan.example', true)).address, [{ address: '10.1.2.3', family: 4 }]);
    assert.match(String((await ask('mixed.example', true)).err), /resolves to 127\.0\.0\.1, a loopback address/);
    assert.match(String((await ask('metadata.example', false)).err), /169\.254\.169\.254, a link-local address/);
    assert.match(String((await ask('mapped.example', false)).err), /a loopback address/);
    assert.equal((await ask('nowhere.example', false)).err?.code, 'ENOTFOUND');
  });
});
