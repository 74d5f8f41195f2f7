/**
 * Image references as Docker reads them: `[registry/]path[:tag][@digest]`. The first path component
 * is a registry when it contains `.` or `:` or is `localhost`; without one the image is on Docker
 * Hub (`docker.io`), where one-part names live under `library/`.
 */
import type { Span } from './text';

export interface ImageRef {
  /** The reference after build-argument substitution. */
  text: string;
  /** Registry host (with port), normalized: Docker Hub is `docker.io`. */
  registry: string;
  /** The registry was written explicitly. */
  explicitRegistry: boolean;
  /** Repository path on the registry, normalized (`library/golang`). */
  repository: string;
  /** The name as written, without tag or digest (`golang`, `gcr.io/distroless/static`). */
  name: string;
  /** Last path component (`golang`, `static`). */
  shortName: string;
  tag?: string;
  digest?: string;
  /**
   * Document spans. When the reference was written differently from its value (variables, quotes),
   * the parts cannot be located separately and every span is the whole reference as written.
   */
  span: Span;
  nameSpan: Span;
  tagSpan?: Span;
  digestSpan?: Span;
  /** The reference as written differs from its value: build arguments substituted or quotes removed. */
  substituted: boolean;
}

const HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

/** Grammar of the parts (as the distribution reference grammar has them): lower-case paths. */
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]+)?$|^\[[0-9A-Fa-f:]+\](?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/** Parses `text` (already substituted). `span` is where the reference is written in the document. */
export function parseImageRef(text: string, span: Span, substituted: boolean): ImageRef | undefined {
  if (!text || /\s/.test(text)) return undefined;
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  if (!rest) return undefined;
  const name = rest;
  const slash = name.indexOf('/');
  const first = slash >= 0 ? name.slice(0, slash) : '';
  const explicitRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  // Not a reference the builder accepts (`FROM BASEIMAGE`, a placeholder for sed): not an image.
  if (explicitRegistry && !DOMAIN.test(first)) return undefined;
  if (!(explicitRegistry ? name.slice(slash + 1) : name).split('/').every((c) => PATH_COMPONENT.test(c))) return undefined;
  if (tag !== undefined && !TAG.test(tag)) return undefined;
  let registry = explicitRegistry ? first.toLowerCase() : 'docker.io';
  let repository = explicitRegistry ? name.slice(slash + 1) : name;
  if (HUB_ALIASES.has(registry)) registry = 'docker.io';
  if (registry === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  const shortName = name.slice(name.lastIndexOf('/') + 1);

  let nameSpan = span;
  let tagSpan: Span | undefined;
  let digestSpan: Span | undefined;
  if (!substituted) {
    nameSpan = { start: span.start, end: span.start + name.length };
    if (tag !== undefined) tagSpan = { start: nameSpan.end + 1, end: nameSpan.end + 1 + tag.length };
    if (digest !== undefined) digestSpan = { start: span.start + at + 1, end: span.end };
  } else {
    if (tag !== undefined) tagSpan = span;
    if (digest !== undefined) digestSpan = span;
  }
  return { text, registry, explicitRegistry, repository, name, shortName, tag, digest, span, nameSpan, tagSpan, digestSpan, substituted };
}

/** The repository path without Docker Hub's `library/` prefix (what users write). */
export function displayName(ref: ImageRef): string {
  const repo = ref.registry === 'docker.io' && ref.repository.startsWith('library/') ? ref.repository.slice(8) : ref.repository;
  return ref.registry === 'docker.io' ? repo : `${ref.registry}/${repo}`;
}

export function isDigestPinned(ref: ImageRef): boolean {
  return ref.digest !== undefined && /^sha256:[0-9a-f]{64}$/i.test(ref.digest);
}
