/**
 * Where an image reference's registry API is, as Docker reads names: no registry host means Docker
 * Hub, whose API is `registry-1.docker.io` (one-part names under `library/`, no tag meaning
 * `latest`; the model already normalizes the name); `host[:port]/…` otherwise. Loopback registries
 * (127.0.0.0/8, ::1, localhost) speak plain HTTP, as Docker allows by default; every other host is
 * reached over HTTPS only.
 */

/** What the client needs of a reference (an ImageRef from the model fits). */
export interface ImageName {
  /** Registry host[:port], normalized (`docker.io` for Docker Hub). */
  registry: string;
  /** Repository path on the registry (`library/alpine`). */
  repository: string;
  tag?: string;
}

export interface Endpoint {
  /** The registry as the reference names it (`docker.io`, `ghcr.io`, `127.0.0.1:5000`). */
  registry: string;
  /** host[:port] the API is served on. */
  host: string;
  scheme: 'http' | 'https';
  /** `${scheme}://${host}` */
  origin: string;
  /** The key Docker's config.json and credential helpers use for this registry. */
  credentialKey: string;
}

export const DOCKER_HUB = 'docker.io';
export const DOCKER_HUB_API = 'registry-1.docker.io';
export const DOCKER_HUB_CREDENTIAL_KEY = 'https://index.docker.io/v1/';

/** The host part of `host[:port]` (brackets of an IPv6 literal removed), lower case. */
export function hostname(hostport: string): string {
  const h = hostport.toLowerCase();
  if (h.startsWith('[')) {
    const close = h.indexOf(']');
    return close > 0 ? h.slice(1, close) : h;
  }
  if (h.indexOf(':') !== h.lastIndexOf(':')) return h; // a bare IPv6 address
  const colon = h.indexOf(':');
  return colon >= 0 ? h.slice(0, colon) : h;
}

/** Whether a host (with or without port) is loopback: localhost, 127.0.0.0/8 or ::1. */
export function isLoopback(hostport: string): boolean {
  const h = hostname(hostport);
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return !!m && m.slice(1).every((p) => Number(p) <= 255);
}

export function endpointFor(registry: string): Endpoint {
  const reg = registry.toLowerCase();
  if (reg === DOCKER_HUB) {
    return { registry: reg, host: DOCKER_HUB_API, scheme: 'https', origin: `https://${DOCKER_HUB_API}`, credentialKey: DOCKER_HUB_CREDENTIAL_KEY };
  }
  const scheme = isLoopback(reg) ? 'http' : 'https';
  return { registry: reg, host: reg, scheme, origin: `${scheme}://${reg}`, credentialKey: reg };
}

/** `registry/repository:tag` with the tag Docker would use: the key of a tag's current digest. */
export function imageKey(name: ImageName): string {
  return `${name.registry}/${name.repository}:${name.tag ?? 'latest'}`;
}

/** The name as users write it: `alpine:3.20`, `ghcr.io/org/app:1` (no `docker.io/library/`). */
export function displayImage(name: ImageName): string {
  let repo = name.repository;
  if (name.registry === DOCKER_HUB && repo.startsWith('library/')) repo = repo.slice('library/'.length);
  const base = name.registry === DOCKER_HUB ? repo : `${name.registry}/${repo}`;
  return `${base}:${name.tag ?? 'latest'}`;
}
