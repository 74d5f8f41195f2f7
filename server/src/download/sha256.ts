/**
 * The sha256 of what a URL serves now, for the fix of download-without-checksum. Used only on an
 * explicit request in a trusted workspace (never by lint, fix-all or the CLI). Its limits:
 *
 *   - http and https URLs only, without a user name or password (none is ever sent: no
 *     Authorization, no cookies, no credential helper);
 *   - redirects followed up to 5 times (GitHub release assets live on another host), to http(s)
 *     only, never from https down to plain http, never to a URL with user info; or not at all
 *     (`followRedirects: false`, for a curl without -L, which would save the redirect page rather
 *     than the file);
 *   - once the chain has reached a host that is not this machine, never back to this machine or its
 *     link (`isLocalHost`, `localAddress`): not to a loopback, unspecified or link-local address
 *     (169.254.169.254 is the cloud instance metadata service), as written in the Location or as
 *     the name resolves when connecting (`guardedLookup`: a name whose DNS answer is 127.0.0.1
 *     counts). The URL the Dockerfile names is fetched wherever it points (its author chose it),
 *     and a redirect back to its host name is not checked as resolved (its address was not checked
 *     the first time either). Private LAN ranges (10/8…) are not refused: an artifact server there
 *     is an ordinary source, and the build fetches the same URL;
 *   - the body is hashed as it streams (never held in memory), capped at `maxBytes` (512 MiB by
 *     default: a longer declared Content-Length fails before the body is read, a longer body stops
 *     being read at the cap);
 *   - a deadline for the whole download, a shorter one for a server that stops sending, and an
 *     abort signal (the editor's cancellation);
 *   - only a 200 answer is hashed; anything else fails with a message that says what the server did.
 */
import { createHash } from 'node:crypto';
import { lookup as dnsLookup } from 'node:dns';
import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import { rootCertificates } from 'node:tls';
import { isLocalHost, localAddress, type Local } from '../model/registryNames';
import type { Transport } from '../registry/http';
import { serverText } from '../registry/redact';
import { formatSeconds } from '../registry/attempt';

export interface Sha256Options {
  /** Cancellation (the editor moved on); its reason is what the promise rejects with. */
  signal?: AbortSignal;
  /** Deadline for the whole download, redirects included (default 5 minutes). */
  timeoutMs?: number;
  /** Longest silence from the server before giving up (default 30 s). */
  idleTimeoutMs?: number;
  /** Largest body hashed (default 512 MiB). */
  maxBytes?: number;
  /** Redirects followed (default 5). */
  maxRedirects?: number;
  /** false: a redirect is an error (the command does not follow them). Default true. */
  followRedirects?: boolean;
  /** Tests map names to loopback or trust a fixture CA. */
  transport?: Transport;
  userAgent?: string;
}

export type DownloadErrorCode = 'invalid-url' | 'status' | 'redirect' | 'too-large' | 'timeout' | 'network';

export class DownloadError extends Error {
  constructor(
    readonly code: DownloadErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 5 * 60_000;
const DEFAULT_IDLE_MS = 30_000;
const DEFAULT_REDIRECTS = 5;

/** The URL as messages show it: origin and path (a query may hold a token). */
function displayUrl(url: URL): string {
  return serverText(`${url.origin}${url.pathname}`, 160);
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${+(n / (1024 * 1024)).toFixed(1)} MiB` : n >= 1024 ? `${+(n / 1024).toFixed(1)} KiB` : `${n} bytes`;
}

function parse(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DownloadError('invalid-url', `${JSON.stringify(serverText(text, 80))} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new DownloadError('invalid-url', `${displayUrl(url)} is not an http(s) URL; not downloaded`);
  if (url.username || url.password)
    throw new DownloadError('invalid-url', `${displayUrl(url)} carries a user name or password; not downloaded (no credentials are sent)`);
  url.hash = '';
  return url;
}

function describe(kind: Local): string {
  return kind === 'loopback' ? 'a loopback address' : 'a link-local address';
}

/**
 * A lookup for http(s).request that fails when the name resolves to an address `localAddress`
 * refuses (any of them, when Node asks for all): the check happens where the connection is made, so
 * the address checked is the address connected to. `base`: the lookup it wraps (default: the system's).
 */
export function guardedLookup(base?: LookupFunction): LookupFunction {
  const resolve = base ?? (dnsLookup as LookupFunction);
  return (hostname, options, callback) => {
    resolve(hostname, options, (err, address, family) => {
      if (err) return callback(err, address, family);
      const all = typeof address === 'string' ? [address] : address.map((a) => a.address);
      for (const a of all) {
        const kind = localAddress(a);
        if (kind) {
          const e = new DownloadError(
            'redirect',
            `a redirect leads to ${serverText(hostname, 80)}, which resolves to ${a}, ${describe(kind)}; not followed`,
          );
          return callback(e, '', 0);
        }
      }
      callback(null, address, family);
    });
  };
}

/**
 * Where a redirect from `from` may lead. `guarded`: the chain has reached a host other than this
 * machine, so it may not come back to it (nor to a link-local address).
 */
function checkRedirect(from: URL, location: string | undefined, guarded: boolean): URL {
  const where = `${displayUrl(from)} redirects`;
  if (!location) throw new DownloadError('redirect', `${where} without a Location; not followed`);
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new DownloadError('redirect', `${where} to ${JSON.stringify(serverText(location, 80))}, which is not a URL`);
  }
  if (next.protocol !== 'https:' && next.protocol !== 'http:')
    throw new DownloadError('redirect', `${where} to a ${serverText(next.protocol, 20)} URL, which is not http(s); not followed`);
  if (next.username || next.password) throw new DownloadError('redirect', `${where} to a URL with a user name or password; not followed`);
  const local = isLocalHost(next);
  if (local && guarded) throw new DownloadError('redirect', `${where} to ${next.origin}, ${describe(local)}; not followed`);
  if (from.protocol === 'https:' && next.protocol === 'http:' && local !== 'loopback')
    throw new DownloadError(
      'redirect',
      `${where} to ${displayUrl(next)}, plain HTTP; not followed (anyone on the way could change what it serves)`,
    );
  next.hash = '';
  return next;
}

interface Exchange {
  status: number;
  statusText: string;
  location?: string;
  /** The body's sha256 (hex), when the status was 200. */
  sha256?: string;
}

/** One GET: a 200's body hashed as it streams, any other answer's status (its body is not read). */
function get(
  url: URL,
  opts: Required<Pick<Sha256Options, 'maxBytes' | 'idleTimeoutMs'>> & Sha256Options,
  signal: AbortSignal,
  guarded: boolean,
): Promise<Exchange> {
  return new Promise<Exchange>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const secure = url.protocol === 'https:';
    const transport = opts.transport ?? {};
    const options: https.RequestOptions = {
      method: 'GET',
      // No Authorization, no cookies; identity so that the bytes hashed are the bytes curl and wget save.
      headers: { 'User-Agent': opts.userAgent ?? 'dockerfile-hardener', Accept: '*/*', 'Accept-Encoding': 'identity' },
      agent: false,
      ...(secure && transport.ca?.length ? { ca: [...rootCertificates, ...transport.ca] } : {}),
      ...(guarded ? { lookup: guardedLookup(transport.lookup) } : transport.lookup ? { lookup: transport.lookup } : {}),
    };
    const shown = displayUrl(url);
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      f();
    };
    const fail = (e: unknown) => {
      req.destroy();
      finish(() => reject(e));
    };
    const req = (secure ? https : http).request(url, options, (res) => {
      res.on('error', () => undefined); // a reset after we stop reading is expected
      const status = res.statusCode ?? 0;
      const location = Array.isArray(res.headers.location) ? res.headers.location[0] : res.headers.location;
      if (status !== 200) {
        res.resume();
        req.destroy();
        finish(() => resolve({ status, statusText: serverText(res.statusMessage ?? '', 60), location }));
        return;
      }
      const tooLarge = () =>
        new DownloadError('too-large', `${shown} is larger than ${formatBytes(opts.maxBytes)}; not downloaded further`);
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > opts.maxBytes) return fail(tooLarge());
      const hash = createHash('sha256');
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (settled) return;
        size += chunk.length;
        if (size > opts.maxBytes) return fail(tooLarge());
        hash.update(chunk);
      });
      res.on('end', () => {
        if (!res.complete) return fail(new DownloadError('network', `${url.host} closed the connection before the end of ${shown}`));
        finish(() => resolve({ status, statusText: '', sha256: hash.digest('hex') }));
      });
      res.on('aborted', () => fail(new DownloadError('network', `${url.host} closed the connection before the end of ${shown}`)));
      res.on('close', () => {
        if (!res.complete) fail(new DownloadError('network', `${url.host} closed the connection before the end of ${shown}`));
      });
    });
    const onAbort = () => fail(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    req.setTimeout(opts.idleTimeoutMs, () =>
      fail(new DownloadError('timeout', `${url.host} sent nothing for ${formatSeconds(opts.idleTimeoutMs)} while serving ${shown}`)),
    );
    req.on('error', (e) => {
      if (signal.aborted) return fail(signal.reason);
      fail(e instanceof DownloadError ? e : networkError(url, e));
    });
    req.end();
  });
}

function networkError(url: URL, e: Error): DownloadError {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  const host = url.host;
  switch (code) {
    case 'ECONNREFUSED':
      return new DownloadError('network', `cannot connect to ${host}: connection refused`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new DownloadError('network', `cannot resolve ${host} (${code}): check the URL and the network`);
    case 'ECONNRESET':
    case 'EPIPE':
      return new DownloadError('network', `${host} closed the connection (${code})`);
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return new DownloadError('network', `cannot reach ${host} (${code})`);
    default:
      if (/CERT|SSL|TLS|SELF_SIGNED/i.test(code) || /certificate|ssl|tls/i.test(e.message))
        return new DownloadError('network', `TLS with ${host} failed: ${serverText(e.message, 120)}`);
      return new DownloadError('network', `cannot download from ${host}: ${serverText(e.message, 120)}`);
  }
}

/**
 * The sha256 (lower-case hex) of the body `url` serves now. Rejects with a DownloadError whose
 * message is for the user (or with the signal's reason when cancelled).
 */
export async function fetchSha256(urlText: string, options: Sha256Options = {}): Promise<string> {
  const opts = { ...options, maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES, idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_MS };
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRedirects = options.maxRedirects ?? DEFAULT_REDIRECTS;
  const first = parse(urlText);
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) throw options.signal.reason;
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const timer = setTimeout(
    () => controller.abort(new DownloadError('timeout', `${displayUrl(first)}: not downloaded within ${formatSeconds(timeoutMs)}`)),
    timeoutMs,
  );
  try {
    let url = first;
    // Set once a hop's host is not this machine: from then on, every hop to another host than the
    // first is checked as written and as resolved (the first URL, and its host again, are fetched as named).
    let guarded = false;
    for (let redirects = 0; ; redirects++) {
      const answer = await get(url, opts, controller.signal, guarded && url.hostname !== first.hostname);
      if (answer.sha256) return answer.sha256;
      const { status } = answer;
      if (status >= 300 && status < 400 && status !== 304) {
        if (options.followRedirects === false)
          throw new DownloadError(
            'redirect',
            `${displayUrl(url)} redirects (${status}), and the command does not follow redirects: it would save the redirect's answer, not the file`,
          );
        if (redirects >= maxRedirects)
          throw new DownloadError('redirect', `${displayUrl(first)} redirects more than ${maxRedirects} times; not followed further`);
        guarded ||= !isLocalHost(url);
        url = checkRedirect(url, answer.location, guarded);
        continue;
      }
      const text = answer.statusText ? ` ${answer.statusText}` : '';
      throw new DownloadError('status', `${url.host} answered ${status}${text} for ${displayUrl(url)}; nothing to check`);
    }
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
}
