/**
 * One HTTP exchange, with the limits a registry client needs: an abort signal (cancellation and the
 * deadline, which also ends a server that sends its headers or body a byte at a time), a cap on the
 * body (a longer declared Content-Length fails before the body is read; a longer body stops being read
 * at the cap, and the connection is dropped), and errors turned into RegistryErrors that say which
 * host failed and how. No redirects are followed here; the client decides (client.ts).
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { rootCertificates } from 'node:tls';
import type { LookupFunction } from 'node:net';
import { RegistryError } from './errors';
import { serverText } from './redact';

/** How requests reach hosts. Tests map names to loopback and trust a fixture CA; users need neither. */
export interface Transport {
  /** DNS lookup used for every connection (default: the system's). */
  lookup?: LookupFunction;
  /** Extra CA certificates (PEM) trusted for HTTPS, on top of Node's bundled ones. */
  ca?: string[];
}

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** Aborting it ends the exchange at once; its reason is what the promise rejects with. */
  signal: AbortSignal;
  /** Largest body read; a longer one is an error (manifests are at most 4 MiB). */
  maxBytes: number;
}

export interface HttpResponse {
  status: number;
  statusText: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export class HttpClient {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;

  constructor(private readonly transport: Transport = {}) {
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    this.httpsAgent = new https.Agent({
      keepAlive: true,
      maxSockets: 8,
      ...(transport.ca?.length ? { ca: [...rootCertificates, ...transport.ca] } : {}),
    });
  }

  send(req: HttpRequest): Promise<HttpResponse> {
    return new Promise<HttpResponse>((resolve, reject) => {
      if (req.signal.aborted) {
        reject(req.signal.reason);
        return;
      }
      const secure = req.url.protocol === 'https:';
      const options: https.RequestOptions = {
        method: req.method,
        headers: { ...req.headers, ...(req.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(req.body)) } : {}) },
        agent: secure ? this.httpsAgent : this.httpAgent,
        ...(this.transport.lookup ? { lookup: this.transport.lookup } : {}),
      };
      const host = req.url.host;
      let settled = false;
      const finish = (f: () => void) => {
        if (settled) return;
        settled = true;
        req.signal.removeEventListener('abort', onAbort);
        f();
      };
      const tooLarge = () =>
        new RegistryError(
          'bad-response',
          `${host} sent more than ${formatBytes(req.maxBytes)} for ${req.url.pathname}, more than any manifest or token; not read further`,
        );
      const r = (secure ? https : http).request(req.url, options, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        // A declared length over the cap fails at once, before a byte of the body is read.
        const declared = Number(res.headers['content-length']);
        if (req.method !== 'HEAD' && Number.isFinite(declared) && declared > req.maxBytes) {
          res.on('error', () => undefined); // the reset that follows is expected
          r.destroy();
          finish(() => reject(tooLarge()));
          return;
        }
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > req.maxBytes) {
            r.destroy();
            finish(() => reject(tooLarge()));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () =>
          finish(() =>
            resolve({
              status: res.statusCode ?? 0,
              statusText: res.statusMessage ?? '',
              headers: res.headers,
              body: Buffer.concat(chunks),
            }),
          ),
        );
        res.on('error', (e) => finish(() => reject(networkError(host, e))));
        res.on('aborted', () =>
          finish(() =>
            reject(req.signal.aborted ? req.signal.reason : new RegistryError('unreachable', `${host} closed the connection mid-answer`)),
          ),
        );
      });
      const onAbort = () => {
        r.destroy();
        finish(() => reject(req.signal.reason));
      };
      req.signal.addEventListener('abort', onAbort, { once: true });
      r.on('error', (e) => finish(() => reject(req.signal.aborted ? req.signal.reason : networkError(host, e))));
      r.end(req.body);
    });
  }

  /** Closes kept-alive connections. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${n / (1024 * 1024)} MiB` : n >= 1024 ? `${n / 1024} KiB` : `${n} bytes`;
}

function networkError(host: string, e: Error): RegistryError {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  switch (code) {
    case 'ECONNREFUSED':
      return new RegistryError('refused', `cannot connect to ${host}: connection refused (is the registry running?)`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new RegistryError('unreachable', `cannot resolve ${host} (${code}): check the registry name and the network`);
    case 'ECONNRESET':
    case 'EPIPE':
      return new RegistryError('unreachable', `${host} closed the connection (${code})`);
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return new RegistryError('unreachable', `cannot reach ${host} (${code}): no route to the registry`);
    default:
      if (code.startsWith('HPE_'))
        return new RegistryError(
          'bad-response',
          `${host} sent an answer that is not valid HTTP (${code === 'HPE_HEADER_OVERFLOW' ? 'headers over 16 KiB' : code})`,
        );
      if (/CERT|SSL|TLS|SELF_SIGNED/i.test(code) || /certificate|ssl|tls/i.test(e.message)) {
        return new RegistryError('unreachable', `TLS with ${host} failed: ${e.message}`);
      }
      return new RegistryError('unreachable', `cannot talk to ${host}: ${e.message}`);
  }
}

export function mediaTypeOf(res: HttpResponse): string {
  const ct = res.headers['content-type'];
  return (Array.isArray(ct) ? ct[0] : (ct ?? '')).split(';')[0].trim().toLowerCase();
}

export function header(res: HttpResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The registry's own words for an error answer (`MANIFEST_UNKNOWN: manifest unknown`), if any. */
export function registryErrors(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { errors?: { code?: string; message?: string }[] };
    const parts = (Array.isArray(parsed.errors) ? parsed.errors : [])
      .slice(0, 3)
      .map((e) => [e?.code, e?.message].filter((x) => typeof x === 'string' && x).join(': '))
      .filter(Boolean);
    return parts.length ? serverText(parts.join('; ')) : undefined;
  } catch {
    return undefined;
  }
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
