/**
 * Registries that misbehave on purpose, for the failure cases a real registry will not produce on
 * demand: a socket that never answers, a refused port, 429, 500, garbage, schema 1. Each server is
 * stopped by its handle (connections destroyed).
 */
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import type { LookupFunction } from 'node:net';
import { lookup as dnsLookup } from 'node:dns';

export interface FakeServer {
  port: number;
  host: string;
  /** `METHOD path` of every request, in order. */
  requests: string[];
  /** Resolves when the server has seen `n` requests (or connections, for the silent one). */
  seen(n: number): Promise<void>;
  stop(): Promise<void>;
}

function tracker() {
  const requests: string[] = [];
  let waiters: { n: number; resolve: () => void }[] = [];
  return {
    requests,
    push(r: string) {
      requests.push(r);
      const ready = waiters.filter((w) => requests.length >= w.n);
      waiters = waiters.filter((w) => requests.length < w.n);
      for (const w of ready) w.resolve();
    },
    seen(n: number) {
      return requests.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }));
    },
  };
}

/** Listens on a free loopback port; `stop` drops every connection (`dropConnections`), then closes. */
async function listening(server: HttpServer | TcpServer, t: ReturnType<typeof tracker>, dropConnections: () => void): Promise<FakeServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    host: `127.0.0.1:${port}`,
    requests: t.requests,
    seen: t.seen,
    stop: () =>
      new Promise<void>((resolve) => {
        dropConnections();
        server.close(() => resolve());
      }),
  };
}

/** An HTTP server on 127.0.0.1 answering with `handler` (given the request's index). */
export async function fakeRegistry(handler: (req: IncomingMessage, res: ServerResponse, index: number) => void): Promise<FakeServer> {
  const t = tracker();
  const server = createServer((req, res) => {
    const index = t.requests.length;
    t.push(`${req.method} ${req.url}`);
    handler(req, res, index);
  });
  return listening(server, t, () => server.closeAllConnections());
}

/** A TCP server that accepts connections and never says a word. */
export async function silentRegistry(): Promise<FakeServer> {
  const t = tracker();
  const sockets = new Set<Socket>();
  const server = createTcpServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    t.push('connection');
  });
  return listening(server, t, () => {
    for (const s of sockets) s.destroy();
  });
}

/** A port nothing listens on (bound, then closed). */
export async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** DNS for tests: `*.example.test` is 127.0.0.1, everything else as usual. */
export const exampleTestLookup: LookupFunction = (hostname, options, callback) => {
  if (!hostname.endsWith('.example.test')) return dnsLookup(hostname, options, callback as never);
  if ((options as { all?: boolean }).all)
    (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};
