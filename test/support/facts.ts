/** Image facts as a registry lookup would file them (model/imageFacts.ts), for rule tests. */
import type { ConfigFacts, ImageFacts, PlatformFacts } from '../../server/src/model/imageFacts';

export const digestOf = (c: string) => `sha256:${c.repeat(64).slice(0, 64)}`;

/** A config with the given fields (the rest empty). */
export function config(c: Partial<ConfigFacts> = {}): ConfigFacts {
  return { user: '', env: [], exposedPorts: [], labels: {}, ...c };
}

/** A single-platform image (linux/amd64 unless said) with `config`. */
export function single(c: Partial<ConfigFacts> = {}, o: { digest?: string; platform?: string; fetchedAt?: string } = {}): ImageFacts {
  const digest = o.digest ?? digestOf('5');
  return {
    digest,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    index: false,
    platforms: [{ platform: o.platform ?? 'linux/amd64', digest, size: 5_000_000, config: config(c) }],
    supplyChain: { cosign: 'absent', referrers: 'unknown', attestations: 'unknown' },
    fetchedAt: o.fetchedAt ?? '2026-12-01T10:00:00.000Z',
  };
}

/** An index of `platforms` (each with its digest, and a config when given). */
export function index(digest: string, platforms: PlatformFacts[], fetchedAt = '2026-12-01T10:00:00.000Z'): ImageFacts {
  return {
    digest,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    index: true,
    platforms,
    supplyChain: { cosign: 'absent', referrers: 'unknown', attestations: 'present' },
    fetchedAt,
  };
}
