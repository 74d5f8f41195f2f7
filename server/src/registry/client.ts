/**
 * Resolves an image tag to the digest it points at now, over the OCI Distribution API:
 *
 *   HEAD /v2/<repository>/manifests/<tag>   Accept: OCI index, Docker manifest list, OCI manifest,
 *                                                   Docker manifest v2 (all four, always)
 *
 * The digest is `Docker-Content-Digest`; without it, the manifest is fetched and hashed. All four
 * types are accepted so that a multi-platform tag gives the digest of its index (an incomplete list
 * makes a registry answer with one platform's manifest instead; none at all, a schema 1 manifest,
 * which is rejected).
 *
 * Authentication: anonymous first; on 401 the challenge decides: Basic (credentials from Docker's
 * config, to this registry only) or Bearer (a token from the realm the registry names, requested
 * with `service` and `scope=repository:<repo>:pull`, cached per realm, service, scope and identity
 * until it expires). Credentials never go over plain HTTP beyond loopback. The challenge is kept per
 * registry, so later images skip the anonymous round trip.
 *
 * Each resolution has a deadline (default 10 s) and can be cancelled; a 429 is retried once after
 * its Retry-After if that fits before the deadline. Results are cached for a short while (30 s).
 *
 * A registry is not trusted either:
 *   - Names are checked before any request (names.ts `invalidName`): a registry, repository or tag
 *     with `..`, `%`, `?`, `#`, blanks or control characters never becomes a URL.
 *   - Redirects are followed, deliberately: redirector registries (registry.k8s.io) send manifest
 *     requests to another host. At most 3, never to plain HTTP or to loopback from a registry that is
 *     neither, never to a URL with user info, and the Authorization header never goes to another
 *     origin. When the host a redirect led to asks for a token, it gets an anonymous one (its realm
 *     under the same rules); the registry's credentials never follow a redirect.
 *   - A token realm gets credentials over HTTPS, or over plain HTTP only when the registry and the
 *     realm are both on loopback.
 *   - Bodies are capped (4 MiB for a manifest, 1 MiB for a token; http.ts); the deadline covers a
 *     server that drips its answer. A Docker-Content-Digest sent with a manifest must be its hash.
 *   - Messages carry text from servers only cleaned (one line, cut short) and with every credential of
 *     the attempt (and tokens obtained with them) replaced by *** (redact.ts), whatever a server echoes.
 */
import { createHash } from 'node:crypto';
import { RegistryError } from './errors';
import { header, mediaTypeOf, type HttpResponse, type Transport } from './http';
import { imageKey, type ImageName } from '../model/registryNames';
import type { CredentialSource } from './credentials';
import { serverText } from './redact';
import { schema1, type Attempt } from './attempt';
import { RegistrySession } from './session';

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
/** Every type a tag may point at, indexes first. */
export const MANIFEST_TYPES = [OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST] as const;
const SCHEMA1_TYPES = ['application/vnd.docker.distribution.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v1+prettyjws'];
const ACCEPT = MANIFEST_TYPES.join(', ');
const MAX_MANIFEST = 4 * 1024 * 1024;
/** How manifests are asked for: every type a tag may point at, at most 4 MiB. */
export const MANIFEST_REQUEST = { accept: ACCEPT, maxBytes: MAX_MANIFEST };
const SHA256 = /^sha256:[0-9a-f]{64}$/;
const SHA512 = /^sha512:[0-9a-f]{128}$/;

export interface RegistryClientOptions {
  /** Where credentials come from; false: anonymous only. Default: none (anonymous). */
  credentials?: CredentialSource | false;
  /** Deadline of one image's resolution, in ms (default 10 000). */
  timeoutMs?: number;
  /** How long a resolved digest is reused, in ms (default 30 000; 0 disables the cache). */
  cacheTtlMs?: number;
  transport?: Transport;
  userAgent?: string;
}

export interface ResolveOptions {
  signal?: AbortSignal;
  /** Overrides the client's deadline for this image. */
  timeoutMs?: number;
}

export interface ResolvedDigest {
  digest: string;
  /** The manifest's media type: an index or list for multi-platform tags. */
  mediaType: string;
}

export class RegistryClient {
  /** The authenticated exchange, shared with image facts and tag listing (session.ts). */
  readonly session: RegistrySession;
  readonly timeoutMs: number;
  private readonly cacheTtlMs: number;
  private readonly cache = new Map<string, { at: number; value: ResolvedDigest }>();

  constructor(options: RegistryClientOptions = {}) {
    this.session = new RegistrySession({
      credentials: options.credentials,
      transport: options.transport,
      userAgent: options.userAgent ?? 'dockerfile-hardener',
    });
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.cacheTtlMs = options.cacheTtlMs ?? 30_000;
  }

  /** Closes kept-alive connections (the CLI calls this before exiting). */
  close(): void {
    this.session.close();
  }

  /** The digest `name`'s tag (default `latest`) points at now. */
  async resolve(name: ImageName, opts: ResolveOptions = {}): Promise<ResolvedDigest> {
    const key = imageKey(name);
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < this.cacheTtlMs) return hit.value;
    const value = await this.session.attempt(name, opts.timeoutMs ?? this.timeoutMs, opts.signal, (a) => this.resolveAttempt(a));
    if (this.cacheTtlMs > 0) this.cache.set(key, { at: Date.now(), value });
    return value;
  }

  private async resolveAttempt(a: Attempt): Promise<ResolvedDigest> {
    const path = `manifests/${encodeURIComponent(a.name.tag ?? 'latest')}`;
    const res = await this.session.send(a, 'HEAD', path, MANIFEST_REQUEST);
    if (res.status === 200) return this.digestOf(a, path, res);
    if (res.status === 404) {
      // HEAD has no body: ask once more with GET for the registry's own error code.
      let got: HttpResponse | undefined;
      try {
        got = await this.session.send(a, 'GET', path, MANIFEST_REQUEST);
      } catch (e) {
        if (a.signal.aborted) throw e;
      }
      throw this.session.failure(a, got?.status === 404 ? got : res, 'no such tag or repository');
    }
    throw this.session.failure(a, res, 'no such tag or repository');
  }

  /** The digest from a 200 answer to HEAD: its header, else the hash of the manifest fetched with GET. */
  private async digestOf(a: Attempt, path: string, head: HttpResponse): Promise<ResolvedDigest> {
    const headType = mediaTypeOf(head);
    if (SCHEMA1_TYPES.includes(headType)) throw schema1(a);
    const headDigest = header(head, 'docker-content-digest');
    if ((MANIFEST_TYPES as readonly string[]).includes(headType) && headDigest && SHA256.test(headDigest))
      return { digest: headDigest, mediaType: headType };
    const res = await this.session.send(a, 'GET', path, MANIFEST_REQUEST);
    if (res.status !== 200)
      throw new RegistryError(
        'bad-response',
        `${a.display}: ${a.endpoint.registry} answered HEAD but not GET (${res.status} ${serverText(res.statusText, 80)})`,
      );
    const type = mediaTypeOf(res);
    if (SCHEMA1_TYPES.includes(type)) throw schema1(a);
    let parsed: { schemaVersion?: unknown; mediaType?: unknown };
    try {
      parsed = JSON.parse(res.body.toString('utf8')) as typeof parsed;
      if (!parsed || typeof parsed !== 'object') throw new Error('not an object');
    } catch {
      throw new RegistryError(
        'bad-response',
        `${a.display}: ${a.endpoint.registry}'s answer is not a manifest (${serverText(type, 80) || 'no content type'}, not JSON)`,
      );
    }
    if (parsed.schemaVersion === 1) throw schema1(a);
    const bodyType = typeof parsed.mediaType === 'string' ? parsed.mediaType : type;
    if (parsed.schemaVersion !== 2 || !(MANIFEST_TYPES as readonly string[]).includes(bodyType)) {
      throw new RegistryError(
        'bad-response',
        `${a.display}: ${a.endpoint.registry}'s answer is not an image manifest or index (${serverText(bodyType, 80) || 'no media type'})`,
      );
    }
    const digest = `sha256:${createHash('sha256').update(res.body).digest('hex')}`;
    // The digest the registry sends with the manifest must be the manifest's: a registry that says one
    // thing and sends another is not pinned from, whichever of the two is right.
    const claimed = header(res, 'docker-content-digest')?.trim();
    if (claimed) {
      const algorithm = SHA256.test(claimed) ? 'sha256' : SHA512.test(claimed) ? 'sha512' : undefined;
      if (!algorithm)
        throw new RegistryError(
          'bad-response',
          `${a.display}: ${a.endpoint.registry} sent the manifest with Docker-Content-Digest ${serverText(claimed, 80)}, which is not a sha256 or sha512 digest; refused`,
        );
      const actual = `${algorithm}:${createHash(algorithm).update(res.body).digest('hex')}`;
      if (claimed !== actual)
        throw new RegistryError(
          'bad-response',
          `${a.display}: ${a.endpoint.registry} says ${claimed} but the manifest it sent hashes to ${actual}; refused`,
        );
    }
    return { digest, mediaType: bodyType };
  }
}
