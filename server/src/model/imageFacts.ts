/**
 * What a registry says about an image (registry/facts.ts asks it; registry/factCache.ts keeps the
 * answers on disk), as the lint options carry it to the rules: plain data, keyed by reference, so that
 * options compare and copy as data and a rule's examples can state the facts they assume.
 *
 * The facts are only ever what a registry answered: an image that was never looked up has no entry,
 * and rules then fall back to what the tool knows without a registry (knownImages.ts) or stay silent.
 */
import type { ImageRef } from './imageRef';

/** The parts of an image's config blob the rules and the hover read. */
export interface ConfigFacts {
  /** `User` as the config has it (`""` when unset: root). */
  user: string;
  env: string[];
  entrypoint?: string[];
  cmd?: string[];
  workingDir?: string;
  exposedPorts: string[];
  healthcheck?: string[];
  labels: Record<string, string>;
  /** `created` (RFC 3339), when the config has one. */
  created?: string;
}

export interface PlatformFacts {
  /** `os/architecture[/variant]`, as `--platform` spells it. */
  platform: string;
  /** The platform manifest's digest. */
  digest: string;
  /** Compressed size: config and layers as the manifest lists them (what a pull downloads). Absent: not fetched. */
  size?: number;
  /** Absent: the manifest and its config were not fetched (only some platforms are, to spare pull limits). */
  config?: ConfigFacts;
}

export type Presence = 'present' | 'absent' | 'unknown';

export interface ImageFacts {
  /** The digest the reference resolves to: an index for a multi-platform image. */
  digest: string;
  mediaType: string;
  /** The digest names an index (or manifest list) of platform manifests. */
  index: boolean;
  platforms: PlatformFacts[];
  /** Signatures and attestations found: presence only, never verification. */
  supplyChain: {
    /** A cosign signature tag (`sha256-<hex>.sig`). */
    cosign: Presence;
    /** Artifacts the OCI referrers API lists for the digest (signatures, SBOMs, attestations). */
    referrers: Presence;
    /** Attestation manifests Docker's BuildKit puts in an index (SBOM, provenance). */
    attestations: Presence;
  };
  /** When the registry was asked (ISO 8601). */
  fetchedAt: string;
}

/** Where the facts about each image of a lint run come from: `registry/repository:tag` or `registry/repository@digest` → facts. */
export type ImageFactsRecord = Readonly<Record<string, ImageFacts>>;

/** The keys an image reference's facts are filed under: the digest's first (immutable), then the tag's. */
export function factsKeys(ref: Pick<ImageRef, 'registry' | 'repository' | 'tag' | 'digest'>): string[] {
  const base = `${ref.registry}/${ref.repository}`;
  const keys: string[] = [];
  if (ref.digest) keys.push(`${base}@${ref.digest}`);
  else keys.push(`${base}:${ref.tag ?? 'latest'}`);
  return keys;
}

/** The facts known about `ref`, or undefined. A digest reference is answered by its digest only: its tag may point elsewhere now. */
export function factsFor(
  record: ImageFactsRecord | undefined,
  ref: Pick<ImageRef, 'registry' | 'repository' | 'tag' | 'digest'>,
): ImageFacts | undefined {
  if (!record) return undefined;
  for (const k of factsKeys(ref)) {
    const f = record[k];
    if (f) return f;
  }
  return undefined;
}

/** The facts of a tag, even for a reference pinned by digest (`name:tag@digest`): what the tag pointed at when asked. */
export function tagFactsFor(
  record: ImageFactsRecord | undefined,
  ref: Pick<ImageRef, 'registry' | 'repository' | 'tag'>,
): ImageFacts | undefined {
  if (!record || !ref.tag) return undefined;
  return record[`${ref.registry}/${ref.repository}:${ref.tag}`];
}

/** The platform a build uses when nothing says otherwise: the one the facts' hover and rules read first. */
export const DEFAULT_PLATFORM = 'linux/amd64';

/** Normalises `linux/arm64/v8` → `linux/arm64`, `linux/amd64/v1` → `linux/amd64` (what registries and buildx treat as the same). */
export function normalizePlatform(p: string): string {
  const parts = p.trim().toLowerCase().split('/');
  if (parts[1] === 'arm64' && parts[2] === 'v8') parts.length = 2;
  if (parts[1] === 'amd64' && parts[2] === 'v1') parts.length = 2;
  return parts.join('/');
}

/**
 * The platform whose facts speak for the image: the one asked for (`--platform`), else linux/amd64,
 * else the only or first one with a config.
 */
export function platformFacts(facts: ImageFacts, platform?: string): PlatformFacts | undefined {
  if (platform) {
    const want = normalizePlatform(platform);
    return facts.platforms.find((p) => normalizePlatform(p.platform) === want);
  }
  const withConfig = facts.platforms.filter((p) => p.config);
  return withConfig.find((p) => normalizePlatform(p.platform) === DEFAULT_PLATFORM) ?? withConfig[0];
}

/**
 * The user an image's config runs as: an empty User is root, or on Windows (`platform` windows/…)
 * ContainerAdministrator, the administrator account (`admin`).
 */
export function configUser(config: ConfigFacts, platform = ''): { root: boolean; user: string; admin?: string } {
  const user = config.user.trim();
  const windows = platform.startsWith('windows/');
  if (!user)
    return windows ? { root: true, user: 'ContainerAdministrator', admin: 'ContainerAdministrator' } : { root: true, user: 'root' };
  const name = user.split(':')[0];
  if (windows && name.toLowerCase() === 'containeradministrator') return { root: true, user, admin: name };
  return { root: name === 'root' || name === '0', user };
}

/** The value of `name` in a config's Env, if set. */
export function envOf(config: ConfigFacts, name: string): string | undefined {
  const prefix = `${name}=`;
  const e = config.env.find((x) => x.startsWith(prefix));
  return e === undefined ? undefined : e.slice(prefix.length);
}

/**
 * The toolchain an image's config shows, by the variables and PATH entries its toolchain images set:
 * what toolchain-final-stage reads when the name is not on the offline list.
 */
export function toolchainInConfig(config: ConfigFacts): string | undefined {
  if (envOf(config, 'GOLANG_VERSION') !== undefined) return 'the Go toolchain';
  if (envOf(config, 'RUSTUP_HOME') !== undefined || envOf(config, 'RUST_VERSION') !== undefined) return 'the Rust toolchain';
  if (envOf(config, 'MAVEN_HOME') !== undefined || envOf(config, 'MAVEN_VERSION') !== undefined) return 'Maven and a JDK';
  if (envOf(config, 'GRADLE_HOME') !== undefined || envOf(config, 'GRADLE_VERSION') !== undefined) return 'Gradle and a JDK';
  if (envOf(config, 'DOTNET_SDK_VERSION') !== undefined) return 'the .NET SDK';
  // JAVA_HOME and JAVA_VERSION say nothing: JRE images set them as JDK images do (/opt/java/openjdk, jdk-21…).
  const path = envOf(config, 'PATH') ?? '';
  if (/(^|:)\/usr\/local\/go\/bin(:|$)/.test(path)) return 'the Go toolchain';
  if (/(^|:)\/usr\/local\/cargo\/bin(:|$)/.test(path)) return 'the Rust toolchain';
  return undefined;
}

/** `812 MB`, `2.0 MB`, `640 kB` (decimal units, as registries and Docker show sizes). */
export function formatSize(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(bytes >= 1e10 ? 0 : 1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(bytes >= 1e8 ? 0 : 1)} MB`;
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} kB`;
  return `${bytes} B`;
}

/** Whole days from `created` to `today` (YYYY-MM-DD), or undefined when `created` is not a date. */
export function ageInDays(created: string, today: string): number | undefined {
  const c = Date.parse(created);
  const t = Date.parse(`${today}T00:00:00Z`);
  if (Number.isNaN(c) || Number.isNaN(t)) return undefined;
  return Math.floor((t - c) / 86_400_000);
}

/** A registry as messages name it: Docker Hub, or its host. */
export function registryLabel(registry: string): string {
  return registry === 'docker.io' ? 'Docker Hub' : registry;
}

/**
 * The toolchain an image carries, by what a registry said of its config, with the evidence named:
 * `{ label: 'the Go toolchain', evidence: 'GOLANG_VERSION in its config on Docker Hub' }`.
 */
export function toolchainFromFacts(
  record: ImageFactsRecord | undefined,
  ref: Pick<ImageRef, 'registry' | 'repository' | 'tag' | 'digest'>,
): { label: string; evidence: string } | undefined {
  const facts = factsFor(record, ref);
  const config = facts && platformFacts(facts)?.config;
  const label = config && toolchainInConfig(config);
  return label ? { label, evidence: `its config on ${registryLabel(ref.registry)}, read ${facts.fetchedAt.slice(0, 10)}` } : undefined;
}
