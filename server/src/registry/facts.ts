/**
 * Image facts from a registry: the index or manifest a reference names, its platforms, the manifest
 * and config blob of the platforms that matter, compressed sizes, and whether signatures or
 * attestations are there to be found. The same hardening as digest resolution (session.ts): one
 * deadline for the whole lookup, bodies capped, every manifest and blob checked against its digest,
 * credentials only to the registry and its token realm.
 *
 * Requests, with pull limits in mind (registries count manifest GETs, not HEADs or blobs):
 *   HEAD manifests/<tag>                    the digest, asked every time (not for a reference by digest alone)
 *   GET  manifests/<digest>                 skipped when the disk cache has the digest
 *   GET  manifests/<platform digest>        only for the platforms asked for (default linux/amd64
 *                                           and linux/arm64) of an index; others are listed unfetched
 *   GET  blobs/<config digest>              per fetched platform
 *   HEAD manifests/sha256-<hex>.sig         cosign's signature tag
 *   GET  referrers/<digest>                 the OCI referrers API (404 where unsupported: unknown)
 */
import { createHash } from 'node:crypto';
import { RegistryError } from './errors';
import type { HttpResponse } from './http';
import type { Attempt } from './attempt';
import { MANIFEST_REQUEST, MANIFEST_TYPES, OCI_INDEX, DOCKER_MANIFEST_LIST, type RegistryClient } from './client';
import { serverText } from './redact';
import type { ImageName } from '../model/registryNames';
import { normalizePlatform, type ConfigFacts, type ImageFacts, type PlatformFacts, type Presence } from '../model/imageFacts';
import type { FactCache } from './factCache';

const MAX_CONFIG = 4 * 1024 * 1024;
const MAX_REFERRERS = 1024 * 1024;
/** Platform manifests fetched at most, whatever is asked for. */
const MAX_PLATFORMS = 4;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
export const DEFAULT_FACT_PLATFORMS = ['linux/amd64', 'linux/arm64'];

export interface FactsRequest {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Platforms whose manifest and config are fetched (default linux/amd64 and linux/arm64). */
  platforms?: string[];
  /** Answers from and for the disk cache. */
  cache?: FactCache;
}

/** The facts of `name` (its tag, or `digest` when given), from the cache where it has them. */
export async function fetchImageFacts(
  client: RegistryClient,
  name: ImageName,
  digest: string | undefined,
  req: FactsRequest = {},
): Promise<ImageFacts> {
  const wanted = (req.platforms?.length ? req.platforms : DEFAULT_FACT_PLATFORMS).map(normalizePlatform);
  // A lookup always asks what the tag points at now (a HEAD: registries do not count it against pull
  // limits); the cache's 24 hours are for readers that do not ask (linting).
  const target = digest ?? (await client.resolve(name, { signal: req.signal, timeoutMs: req.timeoutMs })).digest;
  if (!DIGEST.test(target)) throw new RegistryError('bad-response', `${name.repository}: ${serverText(target, 80)} is not a sha256 digest`);
  if (!digest) req.cache?.putTag(name, target);
  const cached = req.cache?.digest(name, target);
  if (cached && wanted.every((p) => !cached.platforms.some((x) => normalizePlatform(x.platform) === p && !x.config))) return cached;
  const at = target;
  const facts = await client.session.attempt(name, req.timeoutMs ?? client.timeoutMs, req.signal, (a) =>
    factsAttempt(client, a, at, wanted),
  );
  req.cache?.putDigest(name, facts);
  return facts;
}

interface Descriptor {
  mediaType?: string;
  digest?: string;
  size?: number;
  platform?: { os?: string; architecture?: string; variant?: string };
  annotations?: Record<string, string>;
}

async function factsAttempt(client: RegistryClient, a: Attempt, digest: string, wanted: string[]): Promise<ImageFacts> {
  const top = await getJson(client, a, `manifests/${digest}`, digest, MANIFEST_REQUEST);
  const mediaType = typeof top.json.mediaType === 'string' ? top.json.mediaType : top.contentType;
  if (!(MANIFEST_TYPES as readonly string[]).includes(mediaType))
    throw new RegistryError(
      'bad-response',
      `${a.display}: ${a.endpoint.registry} answered with ${serverText(mediaType, 80) || 'no media type'}, not an image manifest or index`,
    );
  const index = mediaType === OCI_INDEX || mediaType === DOCKER_MANIFEST_LIST;
  const platforms: PlatformFacts[] = [];
  let attestations: Presence = 'absent';
  if (index) {
    const entries = (Array.isArray(top.json.manifests) ? top.json.manifests : []) as Descriptor[];
    const children: { platform: string; digest: string }[] = [];
    for (const m of entries) {
      if (!m || typeof m.digest !== 'string' || !DIGEST.test(m.digest)) continue;
      const type = m.annotations?.['vnd.docker.reference.type'];
      if (type === 'attestation-manifest' || m.platform?.os === 'unknown') {
        attestations = 'present';
        continue;
      }
      children.push({ platform: platformText(m.platform), digest: m.digest });
    }
    const fetch = children.filter((c) => wanted.includes(normalizePlatform(c.platform))).slice(0, MAX_PLATFORMS);
    // An index with none of the platforms asked for: its first one speaks for it.
    if (!fetch.length && children.length) fetch.push(children[0]);
    for (const c of children) {
      if (!fetch.includes(c)) platforms.push({ platform: c.platform, digest: c.digest });
      else platforms.push(await platformFromManifest(client, a, c.digest, undefined, c.platform));
    }
  } else {
    attestations = 'unknown'; // a single manifest can have attestations only beside it (referrers)
    platforms.push(await platformFromManifest(client, a, digest, top.json, undefined));
  }
  const cosign = await presence(client, a, 'HEAD', `manifests/sha256-${digest.slice('sha256:'.length)}.sig`);
  const referrers = await referrersOf(client, a, digest);
  return { digest, mediaType, index, platforms, supplyChain: { cosign, referrers, attestations }, fetchedAt: new Date().toISOString() };
}

async function platformFromManifest(
  client: RegistryClient,
  a: Attempt,
  digest: string,
  body: Record<string, unknown> | undefined,
  platform: string | undefined,
): Promise<PlatformFacts> {
  const manifest = body ?? (await getJson(client, a, `manifests/${digest}`, digest, MANIFEST_REQUEST)).json;
  const config = manifest.config as Descriptor | undefined;
  const layers = (Array.isArray(manifest.layers) ? manifest.layers : []) as Descriptor[];
  let size: number | undefined = 0;
  for (const d of [config, ...layers]) size = typeof d?.size === 'number' && d.size >= 0 && size !== undefined ? size + d.size : undefined;
  if (!config || typeof config.digest !== 'string' || !DIGEST.test(config.digest))
    throw new RegistryError('bad-response', `${a.display}: the manifest ${digest} names no config blob`);
  const blob = await getJson(client, a, `blobs/${config.digest}`, config.digest, { accept: '*/*', maxBytes: MAX_CONFIG });
  const read = readConfig(blob.json);
  return { platform: platform ?? read.platform, digest, ...(size !== undefined ? { size } : {}), config: read.config };
}

/** A manifest or blob whose bytes must hash to `digest`, parsed as a JSON object. */
async function getJson(
  client: RegistryClient,
  a: Attempt,
  path: string,
  digest: string,
  o: { accept: string; maxBytes: number },
): Promise<{ json: Record<string, unknown>; contentType: string }> {
  const res = await client.session.send(a, 'GET', path, o);
  if (res.status !== 200) throw client.session.failure(a, res, path.startsWith('blobs/') ? `no blob ${digest}` : `no manifest ${digest}`);
  const actual = `sha256:${createHash('sha256').update(res.body).digest('hex')}`;
  if (actual !== digest)
    throw new RegistryError(
      'bad-response',
      `${a.display}: ${a.endpoint.registry} sent content hashing to ${actual} for ${digest}; refused`,
    );
  let json: unknown;
  try {
    json = JSON.parse(res.body.toString('utf8'));
  } catch {
    json = undefined;
  }
  if (!json || typeof json !== 'object' || Array.isArray(json))
    throw new RegistryError('bad-response', `${a.display}: ${digest} on ${a.endpoint.registry} is not a JSON object`);
  return { json: json as Record<string, unknown>, contentType: contentTypeOf(res) };
}

function contentTypeOf(res: HttpResponse): string {
  const ct = res.headers['content-type'];
  return (Array.isArray(ct) ? ct[0] : (ct ?? '')).split(';')[0].trim().toLowerCase();
}

function platformText(p: Descriptor['platform']): string {
  const parts = [p?.os, p?.architecture, p?.variant].filter((x): x is string => typeof x === 'string' && /^[\w.-]{1,40}$/.test(x));
  return parts.length >= 2 ? parts.join('/') : 'unknown';
}

const strings = (v: unknown, max = 200): string[] | undefined =>
  Array.isArray(v)
    ? v
        .filter((x): x is string => typeof x === 'string')
        .slice(0, max)
        .map((x) => x.slice(0, 4096))
    : undefined;

/** The config blob's facts, every field checked for its type and cut to a sane length. */
export function readConfig(json: Record<string, unknown>): { platform: string; config: ConfigFacts } {
  const c = (json.config && typeof json.config === 'object' ? json.config : {}) as Record<string, unknown>;
  const labels: Record<string, string> = {};
  if (c.Labels && typeof c.Labels === 'object')
    for (const [k, v] of Object.entries(c.Labels as Record<string, unknown>).slice(0, 200))
      if (typeof v === 'string') labels[k.slice(0, 256)] = v.slice(0, 4096);
  const health = c.Healthcheck && typeof c.Healthcheck === 'object' ? strings((c.Healthcheck as Record<string, unknown>).Test) : undefined;
  const created = typeof json.created === 'string' && !Number.isNaN(Date.parse(json.created)) ? json.created : undefined;
  const config: ConfigFacts = {
    user: typeof c.User === 'string' ? c.User.slice(0, 256) : '',
    env: strings(c.Env) ?? [],
    exposedPorts: c.ExposedPorts && typeof c.ExposedPorts === 'object' ? Object.keys(c.ExposedPorts).slice(0, 100) : [],
    labels,
  };
  const entrypoint = strings(c.Entrypoint);
  const cmd = strings(c.Cmd);
  if (entrypoint) config.entrypoint = entrypoint;
  if (cmd) config.cmd = cmd;
  if (typeof c.WorkingDir === 'string' && c.WorkingDir) config.workingDir = c.WorkingDir.slice(0, 1024);
  if (health) config.healthcheck = health;
  if (created) config.created = created;
  const platform = platformText({ os: json.os as string, architecture: json.architecture as string, variant: json.variant as string });
  return { platform, config };
}

/** 200: present; 404: absent; anything else (or a failure): unknown. */
async function presence(client: RegistryClient, a: Attempt, method: 'HEAD' | 'GET', path: string): Promise<Presence> {
  try {
    const res = await client.session.send(a, method, path, MANIFEST_REQUEST);
    return res.status === 200 ? 'present' : res.status === 404 ? 'absent' : 'unknown';
  } catch (e) {
    if (a.signal.aborted) throw e;
    return 'unknown';
  }
}

/** The referrers API lists what refers to the digest; a registry without it answers 404: unknown. */
async function referrersOf(client: RegistryClient, a: Attempt, digest: string): Promise<Presence> {
  try {
    const res = await client.session.send(a, 'GET', `referrers/${digest}`, { accept: OCI_INDEX, maxBytes: MAX_REFERRERS });
    if (res.status !== 200) return 'unknown';
    const json = JSON.parse(res.body.toString('utf8')) as { manifests?: unknown };
    return Array.isArray(json.manifests) ? (json.manifests.length ? 'present' : 'absent') : 'unknown';
  } catch (e) {
    if (a.signal.aborted) throw e;
    return 'unknown';
  }
}
