/**
 * The order tag completion offers tags in: newest versions first.
 *
 *   - A version tag (`1.26.1`, `v2`, `3.13.0rc1`, `1.26-alpine`) is a version and an optional
 *     variant; versions compare numerically part by part, more parts first on a tie (1.26.1 > 1.26 >
 *     1.9), a release before its pre-releases (3.13 > 3.13rc2 > 3.13rc1).
 *   - Under one version: the plain tag, then its variants grouped by family (`alpine3.21`,
 *     `alpine3.20`, `bookworm`, `slim-bookworm`), newest first within a family.
 *   - Then tags that are not versions: words (`latest` first, then `edge`, `stable`… by name), and
 *     last the ones a person rarely writes: commit hashes (`3f2a9c1`, `sha-3f2a9c1`) and the tags
 *     signing tools store beside an image (`sha256-<hex>.sig`, `.att`, `.sbom`).
 */

interface Key {
  /** 0: version, 1: word, 2: hash or signature. */
  rank: number;
  nums: number[];
  /** A pre-release suffix (`rc1`); empty for a release. */
  pre: string;
  variant: string;
  family: string;
  tag: string;
}

const VERSION = /^v?(\d+(?:\.\d+)*)(?:((?:a|b|rc|alpha|beta|pre|preview)\.?\d*))?(?:[-_+](.+))?$/i;
const HASH = /^(?:sha-?)?[0-9a-f]{7,64}$/i;
const SIGNATURE = /^sha256-[0-9a-f]{64}(?:\.\w+)?$/i;
const numeric = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function keyOf(tag: string): Key {
  const base = { nums: [], pre: '', variant: '', family: '', tag };
  if (SIGNATURE.test(tag) || (HASH.test(tag) && /[a-f]/i.test(tag))) return { ...base, rank: 2 };
  const m = VERSION.exec(tag);
  if (!m) return { ...base, rank: 1 };
  const variant = m[3] ?? '';
  return {
    rank: 0,
    nums: m[1].split('.').map(Number),
    pre: (m[2] ?? '').toLowerCase(),
    variant,
    family: variant.toLowerCase().replace(/[\d.]+/g, '#'),
    tag,
  };
}

function compareKeys(a: Key, b: Key): number {
  if (a.rank !== b.rank) return a.rank - b.rank;
  if (a.rank === 1) {
    if ((a.tag === 'latest') !== (b.tag === 'latest')) return a.tag === 'latest' ? -1 : 1;
    return numeric.compare(a.tag, b.tag) || cmp(a.tag, b.tag);
  }
  if (a.rank === 2) return cmp(a.tag, b.tag);
  for (let i = 0; i < Math.max(a.nums.length, b.nums.length); i++) {
    const x = a.nums[i];
    const y = b.nums[i];
    if (x === undefined || y === undefined) return x === undefined ? 1 : -1; // more parts first
    if (x !== y) return y - x;
  }
  if (a.pre !== b.pre) return !a.pre ? -1 : !b.pre ? 1 : numeric.compare(b.pre, a.pre);
  if (a.variant !== b.variant) {
    if (!a.variant || !b.variant) return !a.variant ? -1 : 1;
    return cmp(a.family, b.family) || numeric.compare(b.variant, a.variant) || cmp(a.variant, b.variant);
  }
  return cmp(a.tag, b.tag); // v1.2 and 1.2
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares two tags in completion order (negative: `a` first). */
export function compareTags(a: string, b: string): number {
  return compareKeys(keyOf(a), keyOf(b));
}

/** The tags in completion order (a new array). */
export function sortTags(tags: readonly string[]): string[] {
  return tags
    .map(keyOf)
    .sort(compareKeys)
    .map((k) => k.tag);
}
