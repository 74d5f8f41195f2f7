/**
 * One image's resolution (its endpoint, deadline, credentials and secrets), the registry's
 * authentication challenge, and what each way a resolution fails says to the user.
 */
import { RegistryError } from './errors';
import type { Endpoint, ImageName } from '../model/registryNames';
import type { Credential } from './credentials';
import { serverText, type Secrets } from './redact';

/** One image's resolution: its endpoint, deadline and what has been tried. */
export interface Attempt {
  name: ImageName;
  display: string;
  endpoint: Endpoint;
  scope: string;
  signal: AbortSignal;
  deadline: number;
  /** Credentials, looked up at most once per attempt. */
  credential?: Promise<Credential | undefined>;
  /** Set when credentials were withheld from a token realm (plain HTTP beyond loopback). */
  withheldFrom?: string;
  /** Credentials were sent (to the registry or its token realm). */
  sentCredentials?: boolean;
  /** Every credential and token of this attempt, kept out of its error messages. */
  secrets: Secrets;
}

export interface Challenge {
  scheme: 'basic' | 'bearer';
  realm?: string;
  service?: string;
  error?: string;
}

/** Parses `Bearer realm="…",service="…",scope="…"` (the first Basic or Bearer challenge). */
export function parseChallenge(header: string | string[] | undefined): Challenge | undefined {
  const values = Array.isArray(header) ? header : header ? [header] : [];
  for (const value of values) {
    const m = /^\s*(basic|bearer)\b\s*(.*)$/is.exec(value);
    if (!m) continue;
    const params: Record<string, string> = {};
    const re = /([A-Za-z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
    for (let p = re.exec(m[2]); p; p = re.exec(m[2])) params[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3];
    return { scheme: m[1].toLowerCase() as Challenge['scheme'], realm: params.realm, service: params.service, error: params.error };
  }
  return undefined;
}

/** Seconds (or an HTTP date) of a Retry-After header, in ms; undefined when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(header) ? header[0] : header;
  if (!v) return undefined;
  if (/^\s*\d+\s*$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

export function withheld(a: Attempt): string {
  return a.withheldFrom ? `; credentials were not sent to ${a.withheldFrom}, which is plain HTTP beyond loopback` : '';
}

export function rejected(a: Attempt, challenge: Challenge): RegistryError {
  if (challenge.scheme === 'basic') {
    return new RegistryError(
      'unauthorized',
      `${a.display}: ${a.endpoint.registry} rejected the credentials (401); run docker login ${a.endpoint.registry}`,
    );
  }
  return new RegistryError(
    'unauthorized',
    `${a.display}: ${a.endpoint.registry} rejected the token (401${challenge.error ? `, ${serverText(challenge.error, 60)}` : ''})${withheld(a)}`,
  );
}

export function insufficientScope(a: Attempt): RegistryError {
  const hint = a.sentCredentials ? '' : `; run docker login ${a.endpoint.registry} if you have access`;
  return new RegistryError(
    'denied',
    `${a.display}: the token does not allow pulling ${a.name.repository} (insufficient_scope)${a.withheldFrom ? withheld(a) : hint}`,
  );
}

export function rateLimited(a: Attempt, wait: number | undefined, afterRetry: boolean): RegistryError {
  if (afterRetry)
    return new RegistryError(
      'rate-limited',
      `${a.display}: ${a.endpoint.registry} is rate limiting (429), still after waiting as Retry-After asked; try again later`,
    );
  if (wait === undefined)
    return new RegistryError(
      'rate-limited',
      `${a.display}: ${a.endpoint.registry} is rate limiting (429) without Retry-After; try again later`,
    );
  return new RegistryError(
    'rate-limited',
    `${a.display}: ${a.endpoint.registry} is rate limiting (429) and asks to wait ${formatSeconds(wait)}, longer than the registry timeout allows`,
  );
}

export function schema1(a: Attempt): RegistryError {
  return new RegistryError(
    'schema1',
    `${a.display}: ${a.endpoint.registry} answered with a schema 1 manifest, whose digest cannot be pinned reliably; push the image again with a current tool`,
  );
}

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
