/**
 * Image facts in the editor: what the disk cache (registry/factCache.ts, shared with the CLI) knows
 * of each open document's images goes into its lint options; a hover on an image answers from the
 * cache at once and, in a trusted workspace with `registry.lookups` on, starts a lookup of an image
 * it has not seen (a later hover, and the diagnostics, show the answer); the shipped stage's FROM
 * gets an inlay hint with the base's compressed size.
 *
 * Linting never waits on this: the options hold what was read before, and a document is linted again
 * when what the cache says of its images changes (after a lookup, or a minute after another process
 * wrote the cache). The cache's own memo keeps the disk off the edit path.
 */
import type { CancellationToken, Hover, InlayHint, Position, Range } from 'vscode-languageserver';
import { InlayHintKind, MarkupKind } from 'vscode-languageserver';
import type { DockerfileModel } from '../model/model';
import type { ImageRef } from '../model/imageRef';
import { imageUses } from '../model/imageUses';
import { displayImage } from '../model/registryNames';
import type { ImageName } from '../model/registryNames';
import { convertible } from '../convert/convert';
import { CONVERT_COMMAND } from './convertAction';
import {
  ageInDays,
  configUser,
  factsFor,
  formatSize,
  platformFacts,
  registryLabel,
  tagFactsFor,
  type ImageFacts,
  type ImageFactsRecord,
} from '../model/imageFacts';
import { FactCache } from '../registry/factCache';
import { cachedFacts, imagesOf, type ImageWanted } from '../registry/lintFacts';
import type { RegistryClient } from '../registry/client';
import type { LintOptions } from '../engine/findings';
import { lintModel } from '../linter/lint';
import { todayOf } from '../engine/clock';

/** How long a failed lookup is not tried again. */
const RETRY_AFTER_MS = 5 * 60_000;

/** How long typing must pause before the cache is read again for a document. */
const REFRESH_AFTER_MS = 300;

export interface FactsHost {
  /** The client for lookups, or undefined when lookups are not allowed (untrusted, or `registry.lookups` off). */
  lookupClient(uri: string): Promise<{ client: RegistryClient; timeoutMs: number } | undefined>;
  /** A document's model, as last linted. */
  model(uri: string): Promise<DockerfileModel | undefined>;
  /** Whether a document is open (a refresh of a closed one keeps nothing). */
  isOpen(uri: string): boolean;
  /** Lint a document again (its facts changed). */
  relint(uri: string): void;
  log(message: string): void;
}

interface DocFacts {
  imageFacts: ImageFactsRecord;
  currentDigests: Record<string, string>;
  key: string;
}

export class EditorFacts {
  private readonly docs = new Map<string, DocFacts>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly failed = new Map<string, { at: number; message: string }>();
  private cacheInstance?: FactCache;
  /** Per document: `imageFacts: off` in its config. */
  private readonly off = new Set<string>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly host: FactsHost,
    private readonly cacheDir?: string,
  ) {}

  private get cache(): FactCache {
    this.cacheInstance ??= new FactCache(this.cacheDir);
    return this.cacheInstance;
  }

  /** The facts options of a document: what was read for it last (no disk read here). */
  lintOptions(uri: string, configured: 'off' | 'cache' | 'fetch' | undefined): Pick<LintOptions, 'imageFacts' | 'currentDigests'> {
    if (configured === 'off') {
      this.off.add(uri);
      return {};
    }
    this.off.delete(uri);
    const d = this.docs.get(uri);
    if (!d) return {};
    return {
      ...(Object.keys(d.imageFacts).length ? { imageFacts: d.imageFacts } : {}),
      ...(Object.keys(d.currentDigests).length ? { currentDigests: d.currentDigests } : {}),
    };
  }

  /** `options` with the document's facts, and a digest check's answers (`checked`), newer than the cache's, winning. */
  withFacts(
    uri: string,
    configured: 'off' | 'cache' | 'fetch' | undefined,
    options: LintOptions,
    checked: Pick<LintOptions, 'currentDigests'>,
  ): LintOptions {
    const facts = this.lintOptions(uri, configured);
    const currentDigests = { ...facts.currentDigests, ...checked.currentDigests };
    return { ...options, ...facts, ...(Object.keys(currentDigests).length ? { currentDigests } : {}) };
  }

  /** After a lint: reads what the cache says of the document's images; lints again if that changed. */
  async refresh(uri: string): Promise<void> {
    if (this.off.has(uri)) return;
    const model = await this.host.model(uri);
    // Closed (or turned off) while its model was read: nothing is kept for it.
    if (!model || !this.host.isOpen(uri) || this.off.has(uri)) return;
    const next = this.read(imagesOf(model));
    const before = this.docs.get(uri);
    if (before?.key === next.key) return;
    this.docs.set(uri, next);
    if (before || Object.keys(next.imageFacts).length || Object.keys(next.currentDigests).length) this.host.relint(uri);
  }

  forget(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.docs.delete(uri);
    this.off.delete(uri);
  }

  private read(images: ImageWanted[]): DocFacts {
    const { imageFacts, currentDigests } = cachedFacts(this.cache, images);
    const key = JSON.stringify([Object.entries(imageFacts).map(([k, f]) => [k, f.digest, f.fetchedAt]), currentDigests]);
    return { imageFacts, currentDigests, key };
  }

  /** After a publication: the cache read again for the document once typing pauses. */
  afterPublish(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        void this.refresh(uri).catch((e) => this.host.log(`image facts: ${e instanceof Error ? e.message : String(e)}`));
      }, REFRESH_AFTER_MS),
    );
  }

  /** A tag a pin action resolved: the cache keeps what it points at (stale-digest reads it). */
  noteTag(name: ImageName, digest: string): void {
    this.cache.putTag(name, digest);
    for (const uri of [...this.docs.keys()]) this.afterPublish(uri);
  }

  /** Hover on an image: its facts from the cache, or a lookup started (never waited for). */
  async hover(uri: string, position: Position, optionsOf: () => Promise<LintOptions | undefined>): Promise<Hover | undefined> {
    const model = await this.host.model(uri);
    if (!model || !Number.isInteger(position?.line) || !Number.isInteger(position?.character)) return undefined;
    const lines = model.lines;
    const options = (await optionsOf()) ?? {};
    const offset = lines.offsetAt(position);
    const use = imageUses(model).find((u) => u.ref && offset >= u.span.start && offset <= u.span.end);
    if (!use?.ref) return undefined;
    const ref = use.ref;
    const stage = use.where === 'FROM' ? model.stages.find((s) => s.from === use.instr) : undefined;
    const platform = stage?.platform?.value && !stage.platform.value.includes('$') ? stage.platform.value : undefined;
    const wanted: ImageWanted = { ref, platform };
    const record = this.cache.record([ref]);
    const facts = factsFor(record, ref);
    const range: Range = { start: lines.positionAt(use.span.start), end: lines.positionAt(use.span.end) };
    // The end-of-life status where the data has it: eol-base-image's own finding on this image.
    const eol = lintModel(model, { ...options, only: ['eol-base-image'], rules: { 'eol-base-image': 'warning' } }).find((f) =>
      overlaps(f.range, range),
    );
    const tagFacts = ref.digest ? tagFactsFor(record, ref) : undefined;
    // Unknown, or a pin whose tag's answer has expired (platform-digest-pinned and stale-digest need it).
    const missing = !facts || (ref.digest !== undefined && ref.tag !== undefined && !tagFacts);
    let status: string | undefined;
    if (missing && !this.off.has(uri)) status = await this.startLookup(uri, wanted);
    const value = renderImage(ref, facts, { platform, eol: eol?.message, status, today: todayOf(options), tagFacts });
    return { contents: { kind: MarkupKind.Markdown, value }, range };
  }

  /** Starts (or joins) the lookup of an image; returns what to say meanwhile (markdown). */
  private async startLookup(uri: string, wanted: ImageWanted): Promise<string> {
    const key = `${wanted.ref.registry}/${wanted.ref.repository}:${wanted.ref.tag ?? ''}@${wanted.ref.digest ?? ''}`;
    const shown = `${md(displayImage(wanted.ref))} on ${md(registryLabel(wanted.ref.registry))}`;
    const failure = this.failed.get(key);
    if (this.inFlight.has(key)) return `Looking up ${shown}…`;
    // A failed lookup is not tried again for a while: each try spends requests that registries count.
    if (failure && Date.now() - failure.at < RETRY_AFTER_MS)
      return `Lookup failed: ${md(failure.message, 400)} (tried again after ${RETRY_AFTER_MS / 60_000} minutes)`;
    const access = await this.host.lookupClient(uri);
    if (!access)
      return 'Not looked up: registry lookups are off here (an untrusted workspace, or the `dockerfileHardener.registry.lookups` setting).';
    const job = import('../registry/lookup')
      .then(({ lookUpImages }) => lookUpImages(access.client, this.cache, [wanted], { timeoutMs: access.timeoutMs }))
      .then((outcome) => {
        if (outcome.failed.length) this.failed.set(key, { at: Date.now(), message: outcome.failed.map((f) => f.message).join('; ') });
        else this.failed.delete(key);
        for (const u of [...this.docs.keys()]) void this.refresh(u);
        if (!this.docs.has(uri)) void this.refresh(uri);
      })
      .catch((e) => this.host.log(`image lookup failed: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, job);
    return `Looking up ${shown}… (hover again for the answer)`;
  }

  /** The inlay hint on the shipped stage's FROM: the base's compressed size, from the cache. */
  inlayHints(uri: string, model: DockerfileModel, range: Range, token?: CancellationToken): InlayHint[] {
    const lines = model.lines;
    const s = model.shipped;
    if (!s || token?.isCancellationRequested || this.off.has(uri)) return [];
    const from = s.chain.find((st) => st.base.kind === 'image' || st.base.kind === 'scratch');
    const end = from?.imageSpan?.end;
    if (!from || end === undefined) return [];
    const at = lines.positionAt(end);
    if (at.line < range.start.line || at.line > range.end.line) return [];
    if (from.base.kind === 'scratch') return [];
    const ref = from.base.kind === 'image' ? from.base.ref : undefined;
    const facts = ref ? factsFor(this.docs.get(uri)?.imageFacts, ref) : undefined;
    const asked = from.platform?.value && !from.platform.value.includes('$') ? from.platform.value : undefined;
    const p = facts && platformFacts(facts, asked);
    if (!p?.size) return [];
    const parts: InlayHint['label'] = [
      {
        value: ` ≈ ${formatSize(p.size)} (${p.platform})`,
        tooltip:
          'Compressed size of the base image: what a pull downloads before this Dockerfile adds its own layers (from the registry, via the disk cache).',
      },
    ];
    if (convertible(model).ok)
      parts.push({
        value: ' → scratch: only the binary',
        tooltip:
          'Convert to multi-stage scratch build: the shipped image would hold the program, CA certificates and a passwd entry, not this base.',
        // The server's own command, which any LSP client can run: it converts this document and applies the edit.
        command: { title: 'Convert to multi-stage scratch build', command: CONVERT_COMMAND, arguments: [{ uri, apply: true }] },
      });
    return [{ position: at, label: parts, kind: InlayHintKind.Type, paddingLeft: false }];
  }
}

/** One hover of several sources' answers (image facts first, then the findings'). */
export function joinHovers(...hovers: (Hover | null | undefined)[]): Hover | null {
  const found = hovers.filter((h): h is Hover => !!h);
  if (!found.length) return null;
  if (found.length === 1) return found[0];
  const text = (h: Hover) => (typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : String(h.contents));
  return { contents: { kind: MarkupKind.Markdown, value: found.map(text).join('\n\n---\n\n') }, range: found[0].range };
}

function overlaps(a: Range, b: Range): boolean {
  const before = (x: Position, y: Position) => x.line < y.line || (x.line === y.line && x.character <= y.character);
  return before(a.start, b.end) && before(b.start, a.end);
}

/** Text from a registry, safe in markdown: one line, no markup, cut short. */
function md(text: string, max = 200): string {
  const one = [...text]
    .map((c) => (c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127 ? ' ' : c))
    .join('')
    .trim();
  const cut = one.length > max ? `${one.slice(0, max)}…` : one;
  return cut.replace(/([\\`*_[\]|<>])/g, '\\$1');
}

function code(words: string[] | undefined): string {
  if (!words?.length) return 'none';
  const text = JSON.stringify(words).slice(0, 300).replace(/`/g, "'").replace(/\|/g, '\\|');
  return `\`${text}\``;
}

/** The hover's markdown for an image: the facts where known, and what is not known said as such. */
export function renderImage(
  ref: ImageRef,
  facts: ImageFacts | undefined,
  o: { platform?: string; eol?: string; status?: string; today: string; tagFacts?: ImageFacts },
): string {
  const out = [`**${md(displayImage(ref))}**${ref.digest ? ` @ \`${md(ref.digest)}\`` : ''}`, ''];
  if (o.eol) out.push(`⚠ ${md(o.eol, 400)}`, '');
  if (!facts) {
    out.push(o.status ?? 'Not looked up yet.', '', '_Facts unknown: nothing here is guessed._');
    return out.join('\n');
  }
  const p = platformFacts(facts, o.platform);
  const c = p?.config;
  out.push(`| | |`, `| --- | --- |`);
  out.push(`| Digest | \`${facts.digest}\` (${facts.index ? 'multi-platform index' : 'single-platform manifest'}) |`);
  const sizes = facts.platforms.map((x) => `${md(x.platform)}${x.size !== undefined ? ` ≈ ${formatSize(x.size)}` : ' (not fetched)'}`);
  out.push(`| Platforms | ${sizes.join(', ') || 'none'} |`);
  if (o.platform && !p) out.push(`| ${md(o.platform)} | **not provided** by this image |`);
  if (c) {
    const u = configUser(c);
    out.push(`| Default user | ${u.root ? 'root (no `User` in its config)' : `\`${md(u.user)}\``} |`);
    if (c.created) {
      const age = ageInDays(c.created, o.today);
      out.push(
        `| Created | ${md(c.created.slice(0, 10))}${age === undefined ? '' : age <= 0 ? ' (today)' : ` (${age} day${age === 1 ? '' : 's'} ago)`} |`,
      );
    } else out.push('| Created | unknown (the config has no date) |');
    out.push(`| Entrypoint / Cmd | ${code(c.entrypoint)} / ${code(c.cmd)} |`);
    const source = c.labels['org.opencontainers.image.source'];
    const revision = c.labels['org.opencontainers.image.revision'];
    if (source || revision) out.push(`| Source | ${source ? md(source) : 'unknown'}${revision ? ` at ${md(revision, 60)}` : ''} |`);
  } else out.push(`| Config | not fetched for ${md(o.platform ?? 'this platform')} |`);
  // A pin: what its tag points at now, where that is known and differs.
  const t = o.tagFacts;
  if (t && t.digest !== facts.digest) {
    const child = t.platforms.find((x) => x.digest === facts.digest);
    out.push(
      `| Tag ${md(ref.tag ?? 'latest')} | ${child ? `an index of ${t.platforms.map((x) => md(x.platform)).join(', ')}, in which this digest is ${md(child.platform)} only` : `now points at \`${t.digest}\``} |`,
    );
  }
  const sc = facts.supplyChain;
  out.push(`| Signatures | cosign: ${sc.cosign}; OCI referrers: ${sc.referrers} |`);
  out.push(`| Attestations (SBOM, provenance) | ${sc.attestations} |`);
  out.push(
    '',
    `_From ${md(registryLabel(ref.registry))}, read ${facts.fetchedAt.slice(0, 10)}. Presence of a signature is not verification: verify with \`cosign verify\` or Notation._`,
  );
  return out.join('\n');
}
