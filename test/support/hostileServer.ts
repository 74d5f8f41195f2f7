/**
 * Servers that misbehave on purpose, for the registry client's hostile cases (test/registry/
 * hostile.test.ts, test/protocol/credentials.test.ts): HTTP or HTTPS (the fixture certificate for
 * registry.example.test and auth.example.test, which the tests resolve to 127.0.0.1) with every
 * request's headers recorded; a raw TCP server for answers dripped a byte at a time; and an endless
 * body written from one reused buffer, so that "gigabytes" cost no memory on either side. Each server
 * is stopped by its handle (its connections destroyed, its timers cleared).
 */
import { readFileSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import * as path from 'node:path';
import { FIXTURES } from './registry';

export const TLS_CA = readFileSync(path.join(FIXTURES, 'tls.crt'), 'utf8');
const TLS = { cert: TLS_CA, key: readFileSync(path.join(FIXTURES, 'tls.key'), 'utf8') };

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface HostileServer {
  port: number;
  /** `127.0.0.1:port`, or `<name>:port` for a server named with `name`. */
  host: string;
  /** `http(s)://host` */
  origin: string;
  requests: SeenRequest[];
  /** Connections accepted (a request may never complete). */
  connections: number;
  /** Resolves when `n` requests have been seen. */
  seen(n: number): Promise<void>;
  stop(): Promise<void>;
}

export interface HostileOptions {
  /** Serve HTTPS with the fixture certificate; `name` must be one of its names. */
  tls?: boolean;
  /** The host name the client uses (registry.example.test, auth.example.test); default 127.0.0.1. */
  name?: string;
}

/** An HTTP(S) server on 127.0.0.1 answering with `handler` (given the request's index and its body). */
export async function hostileServer(
  handler: (req: IncomingMessage, res: ServerResponse, index: number, body: string) => void,
  options: HostileOptions = {},
): Promise<HostileServer> {
  const requests: SeenRequest[] = [];
  let waiters: { n: number; resolve: () => void }[] = [];
  const sockets = new Set<Socket>();
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const index = requests.length;
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const ready = waiters.filter((w) => requests.length >= w.n);
      waiters = waiters.filter((w) => requests.length < w.n);
      for (const w of ready) w.resolve();
      handler(req, res, index, body);
    });
  };
  const server: Server = options.tls ? createHttpsServer(TLS, onRequest) : createHttpServer(onRequest);
  const result = { connections: 0 } as HostileServer;
  server.on('connection', (s: Socket) => {
    result.connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  const host = `${options.name ?? '127.0.0.1'}:${port}`;
  return Object.assign(result, {
    port,
    host,
    origin: `${options.tls ? 'https' : 'http'}://${host}`,
    requests,
    seen: (n: number) => (requests.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }))),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  });
}

/**
 * A TCP server that writes `answer` one byte every `everyMs` on each connection (headers and all):
 * a registry on a very slow or malicious link.
 */
export async function drippingServer(answer: string, everyMs = 1000): Promise<HostileServer & { bytesSent: () => number }> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let sent = 0;
  const result = { connections: 0, requests: [] as SeenRequest[] } as unknown as HostileServer & { bytesSent: () => number };
  const server = createTcpServer((s) => {
    result.connections++;
    sockets.add(s);
    s.on('error', () => undefined);
    let at = 0;
    const timer = setInterval(() => {
      if (at >= answer.length || s.destroyed) {
        clearInterval(timer);
        return;
      }
      s.write(answer[at++]);
      sent++;
    }, everyMs);
    timers.add(timer);
    s.on('close', () => {
      clearInterval(timer);
      timers.delete(timer);
      sockets.delete(s);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(result, {
    port,
    host: `127.0.0.1:${port}`,
    origin: `http://127.0.0.1:${port}`,
    seen: () => Promise.resolve(),
    bytesSent: () => sent,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearInterval(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  });
}

/**
 * Writes an endless body (or `total` bytes) from one reused 64 KiB buffer, as fast as the client reads
 * it, until the client goes away. Returns a function giving the bytes written so far.
 */
export function endlessBody(res: ServerResponse, total = Infinity): () => number {
  const chunk = Buffer.alloc(64 * 1024, 0x7b); // '{', over and over
  let written = 0;
  const pump = () => {
    while (written < total && !res.destroyed) {
      const n = Math.min(chunk.length, total - written);
      written += n;
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
        res.once('drain', pump);
        return;
      }
    }
    if (written >= total && !res.destroyed) res.end();
  };
  res.on('error', () => undefined);
  pump();
  return () => written;
}
