/**
 * Where an image reference's registry API is, as Docker reads names: no registry host means Docker
 * Hub, whose API is `registry-1.docker.io` (one-part names under `library/`, no tag meaning
 * `latest`; the model already normalizes the name); `host[:port]/…` otherwise. Loopback registries
 * (127.0.0.0/8, ::1, localhost) speak plain HTTP, as Docker allows by default; every other host is
 * reached over HTTPS only.
 */
import { BlockList, isIP } from 'node:net';

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

/** Loopback and unspecified addresses (this machine: 0.0.0.0 and :: connect to it), in every form Node connects to. */
const THIS_MACHINE = new BlockList();
THIS_MACHINE.addSubnet('127.0.0.0', 8, 'ipv4');
THIS_MACHINE.addSubnet('0.0.0.0', 8, 'ipv4');
// ::, ::1 and the deprecated IPv4-compatible forms (::127.0.0.1); BlockList also matches the IPv4-mapped
// forms (::ffff:127.0.0.1, ::ffff:0.0.0.0) against the IPv4 subnets.
THIS_MACHINE.addSubnet('::', 96, 'ipv6');
const LINK_LOCAL = new BlockList();
LINK_LOCAL.addSubnet('169.254.0.0', 16, 'ipv4');
LINK_LOCAL.addSubnet('fe80::', 10, 'ipv6');

/** What a local address is: this machine's, or its link's. */
export type Local = 'loopback' | 'link-local';

/** Whether an IP address is this machine's (loopback, unspecified) or link-local; undefined for any other (LAN ranges included). */
export function localAddress(address: string): Local | undefined {
  const ip = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(ip);
  if (!family) return undefined;
  const type = family === 6 ? 'ipv6' : 'ipv4';
  return THIS_MACHINE.check(ip, type) ? 'loopback' : LINK_LOCAL.check(ip, type) ? 'link-local' : undefined;
}

/**
 * Whether a URL's host names this machine or its link as written: `localhost`, `localhost.` and any
 * `*.localhost` (RFC 6761 reserves them for loopback), or an IP literal `localAddress` refuses (Node
 * connects to a literal without a lookup, so `guardedLookup` never sees it).
 */
export function isLocalHost(url: URL): Local | undefined {
  const h = url.hostname.toLowerCase().replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost') || isLoopback(h)) return 'loopback';
  return localAddress(h);
}

/**
 * The grammar of each part, as the distribution reference grammar has it: a host name or IP literal
 * with an optional port; lower-case path components separated by `/`; a tag of word characters, `.`
 * and `-`. Nothing else reaches a URL: no `..`, `%`, `?`, `#`, `@`, `\`, blanks or control characters.
 */
const REGISTRY = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Why a name cannot be asked for (it would not stay inside `/v2/<repository>/manifests/<tag>`), or undefined. */
export function invalidName(name: ImageName): string | undefined {
  const show = (v: unknown) => {
    const text = String(v);
    return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
  };
  if (typeof name.registry !== 'string' || name.registry.length > 260 || !REGISTRY.test(name.registry.toLowerCase()))
    return `the registry ${show(name.registry)} is not a host name with an optional port`;
  const port = /:([0-9]+)$/.exec(name.registry)?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return `the registry ${show(name.registry)} has no valid port`;
  if (
    typeof name.repository !== 'string' ||
    name.repository.length > 255 ||
    !name.repository.split('/').every((c) => PATH_COMPONENT.test(c))
  ) {
    return `the repository ${show(name.repository)} is not a repository name (lower-case letters, digits and . _ - separators, parts joined by /)`;
  }
  if (name.tag !== undefined && (typeof name.tag !== 'string' || !TAG.test(name.tag)))
    return `the tag ${show(name.tag)} is not a tag (letters, digits, _ . -, at most 128)`;
  return undefined;
}

export function endpointFor(registry: string): Endpoint {
  const reg = registry.toLowerCase();
  if (reg === DOCKER_HUB) {
    return {
      registry: reg,
      host: DOCKER_HUB_API,
      scheme: 'https',
      origin: `https://${DOCKER_HUB_API}`,
      credentialKey: DOCKER_HUB_CREDENTIAL_KEY,
    };
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
