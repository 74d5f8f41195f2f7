/**
 * Pinning or checking a whole Dockerfile, for the editor's commands and refactoring and for
 * `dockerfile-hardener pin`. It works through the engine: the findings of `unpinned-digest` (fix
 * "Pin to digest") and `stale-digest` (fix "Update digest"), so ignore comments apply and the
 * edits are the quick-fixes' own.
 *
 *   check: ask the registry what each `tag@digest` points at now (one request per distinct image),
 *          then lint with those answers: the findings are the unpinned and the stale images.
 *   pin:   the same, then apply every finding's fix; unpinned images are resolved too. When any
 *          registry request fails, nothing is changed (no half-pinned file) and the failures are
 *          listed; references that cannot be pinned (a build argument without default…) are listed
 *          and do not block the others.
 */
import { lint } from '../linter/lint';
import { type Finding, type LintOptions } from '../engine/findings';
import { applyEdits, type Edit } from '../engine/edits';
import type { FixContext, SeveritySetting } from '../engine/rule';
import { ruleById } from '../rules';
import { imageUses, type ImageUse } from '../model/imageUses';
import { isDigestPinned, type ImageRef } from '../model/imageRef';
import type { DockerfileModel } from '../model/model';
import { displayImage, imageKey } from '../model/registryNames';
import { planPin } from '../fixes/pinPlan';

export const UNPINNED = 'unpinned-digest';
export const STALE = 'stale-digest';

export interface PinNote {
  /** 1-based. */
  line: number;
  column: number;
  /** The image as users write it (`alpine:3.20`), or the reference as written when unknown. */
  image: string;
  message: string;
}

export interface PinReport {
  mode: 'pin' | 'check';
  /** Pin mode: the edits (none when a registry request failed) and the text they give. */
  edits: Edit[];
  text: string;
  pinned: PinNote[];
  updated: PinNote[];
  /** References that cannot be pinned (or updated): the reason is the message. */
  refused: PinNote[];
  /** Digests without a tag: nothing to compare with. */
  cannotCheck: PinNote[];
  /** Registry failures, one per image. */
  errors: PinNote[];
  /** Pinned images whose digest is what the tag points at now. */
  current: PinNote[];
  /** After the check: the unpinned-digest and stale-digest findings. */
  findings: Finding[];
  /** What the registry answered: `registry/repository:tag` → digest. */
  currentDigests: Record<string, string>;
}

export interface PinDocumentOptions {
  mode: 'pin' | 'check';
  /** The document's lint options (config and settings). */
  lint: LintOptions;
  /** Registry access (`resolveDigest`), or the reason there is none. */
  context: FixContext;
  /** Images resolved at once (default 4). */
  concurrency?: number;
}

/** Runs `fn` over `items`, at most `limit` at a time, keeping the order of results. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function forcedOn(options: LintOptions): Record<string, SeveritySetting | undefined> {
  const on = (id: string) => {
    const s = options.rules?.[id];
    return !s || s === 'off' ? ruleById(id)!.severity : s;
  };
  // An explicit command checks pins even where the rules are off in the editor; ignore comments still apply.
  return { ...options.rules, [UNPINNED]: on(UNPINNED), [STALE]: on(STALE) };
}

function noteAt(model: DockerfileModel, offset: number, image: string, message: string): PinNote {
  const p = model.lines.positionAt(offset);
  return { line: p.line + 1, column: p.character + 1, image, message };
}

function useOf(uses: ImageUse[], model: DockerfileModel, f: Finding): ImageUse | undefined {
  const start = model.lines.offsetAt(f.range.start);
  return uses.find((u) => u.span.start <= start && start < Math.max(u.span.end, u.span.start + 1));
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** One pin or check of a document: the model, its image uses, the registry asked once per image. */
interface Run {
  text: string;
  model: DockerfileModel;
  uses: ImageUse[];
  report: PinReport;
  limit: number;
  /** The registry's answer per image, asked once for the whole operation. */
  resolveOnce(ref: ImageRef): Promise<string>;
  memo: Map<string, Promise<string>>;
  /** Images the registry could not answer for (already in report.errors). */
  failed: Set<string>;
  context: FixContext;
}

interface BuiltPin {
  f: Finding;
  edits: Edit[];
  note: PinNote;
}

const byPosition = (a: PinNote, b: PinNote) => a.line - b.line || a.column - b.column;

/** Pins or checks every image of `text`. */
export async function pinDocument(text: string, options: PinDocumentOptions): Promise<PinReport> {
  const { model } = lint(text, { ...options.lint, only: [] });
  const report: PinReport = {
    mode: options.mode,
    edits: [],
    text,
    pinned: [],
    updated: [],
    refused: [],
    cannotCheck: [],
    errors: [],
    current: [],
    findings: [],
    currentDigests: {},
  };
  const resolve = options.context.resolveDigest;
  const memo = new Map<string, Promise<string>>();
  const resolveOnce = (ref: ImageRef): Promise<string> => {
    if (!resolve) return Promise.reject(new Error(options.context.offlineReason ?? 'no registry access here'));
    const key = imageKey(ref);
    let p = memo.get(key);
    if (!p) memo.set(key, (p = resolve(ref)));
    return p;
  };
  const context: FixContext = { ...options.context, resolveDigest: resolve ? resolveOnce : undefined };
  const run: Run = {
    text,
    model,
    uses: imageUses(model),
    report,
    limit: options.concurrency ?? 4,
    resolveOnce,
    memo,
    failed: new Set(),
    context,
  };

  // 1. What the pinned tags point at now.
  await checkPinned(run);
  // 2. The findings with those answers.
  const lintOptions: LintOptions = {
    ...options.lint,
    only: [UNPINNED, STALE],
    rules: forcedOn(options.lint),
    currentDigests: report.currentDigests,
  };
  report.findings = lint(text, lintOptions).findings;
  if (options.mode === 'check') {
    report.errors.sort(byPosition);
    return report;
  }
  // 3. Pin: every finding's fix, the registry asked at most once per image; nothing half-done.
  for (const u of run.uses) {
    if (!u.ref) report.refused.push(noteAt(model, u.span.start, u.raw, (planPin(model, u) as { reason: string }).reason));
  }
  const built = await mapLimit(report.findings, run.limit, (f) => buildPin(run, f));
  report.errors.sort(byPosition);
  report.refused.sort(byPosition);
  if (report.errors.length) return report;
  combine(run, built);
  report.text = applyEdits(text, report.edits);
  return report;
}

/** Asks what each digest-pinned tag points at now, and notes the images already current. */
async function checkPinned({ model, uses, report, limit, resolveOnce, failed }: Run): Promise<void> {
  const checkable = uses.filter((u) => u.ref && isDigestPinned(u.ref) && u.ref.tag !== undefined);
  for (const u of uses) {
    if (u.ref && isDigestPinned(u.ref) && u.ref.tag === undefined) {
      const why = `cannot check ${u.ref.text}: it has a digest but no tag, so there is nothing to compare it with`;
      report.cannotCheck.push(noteAt(model, u.span.start, u.ref.text, why));
    }
  }
  const distinct = [...new Map(checkable.map((u) => [imageKey(u.ref!), u])).values()];
  await mapLimit(distinct, limit, async (u) => {
    const key = imageKey(u.ref!);
    try {
      report.currentDigests[key] = await resolveOnce(u.ref!);
    } catch (e) {
      failed.add(key);
      report.errors.push(noteAt(model, u.span.start, displayImage(u.ref!), message(e)));
    }
  });
  for (const u of checkable) {
    const now = report.currentDigests[imageKey(u.ref!)];
    const image = displayImage(u.ref!);
    if (now && now.toLowerCase() === u.ref!.digest!.toLowerCase())
      report.current.push(noteAt(model, u.span.start, image, `${image} is pinned to what its tag points at now`));
  }
}

/** One finding's pin or update, its edits made (asking the registry), or undefined with the reason noted. */
async function buildPin({ model, uses, report, failed, memo, context }: Run, f: Finding): Promise<BuiltPin | undefined> {
  const fix = f.fixes?.find((x) => x.preferred) ?? f.fixes?.[0];
  const use = useOf(uses, model, f);
  const image = use?.ref ? displayImage(use.ref) : (use?.raw ?? '');
  const note = (m: string) => noteAt(model, model.lines.offsetAt(f.range.start), image, m);
  if (!fix) return undefined;
  if (fix.unavailable) {
    report.refused.push(note(fix.unavailable));
    return undefined;
  }
  if (use?.ref && failed.has(imageKey(use.ref))) return undefined; // already listed
  try {
    const edits = await fix.edits(context);
    const digest = use?.ref ? (report.currentDigests[imageKey(use.ref)] ?? (await memo.get(imageKey(use.ref)))) : undefined;
    return { f, edits, note: note(`${f.rule === STALE ? 'updated' : 'pinned'} ${image}${digest ? ` to ${digest}` : ''}`) };
  } catch (e) {
    if (!report.errors.some((x) => x.image === image && image)) report.errors.push(note(message(e)));
    return undefined;
  }
}

/** Several uses of one build argument give the same edit once; an edit that overlaps another is refused. */
function combine({ report }: Run, built: (BuiltPin | undefined)[]): void {
  const taken: Edit[] = [];
  for (const b of built) {
    if (!b) continue;
    const fresh = b.edits.filter((s) => !taken.some((t) => t.start === s.start && t.end === s.end && t.text === s.text));
    const clash = fresh.some(
      (s) => taken.some((t) => s.start < t.end && t.start < s.end) || taken.some((t) => t.start === s.start && t.end === s.end),
    );
    if (clash) {
      report.refused.push({ ...b.note, message: `cannot pin ${b.note.image}: its edit overlaps another pin in this file; pin it by hand` });
      continue;
    }
    taken.push(...fresh);
    report.edits.push(...fresh);
    (b.f.rule === STALE ? report.updated : report.pinned).push(b.note);
  }
}

/** One paragraph for people: what was done, what could not be, and why. */
export function summarize(report: PinReport): string {
  const at = (n: PinNote) => `line ${n.line}: ${n.message}`;
  const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  const parts: string[] = [];
  if (report.mode === 'check') {
    const stale = report.findings.filter((f) => f.rule === STALE).length;
    const unpinned = report.findings.filter((f) => f.rule === UNPINNED).length;
    const checked = report.current.length + stale;
    parts.push(
      checked || report.errors.length
        ? `Checked ${plural(checked + report.errors.length, 'pinned image')}: ${stale} stale, ${report.current.length} current${report.errors.length ? `, ${report.errors.length} not checked` : ''}.`
        : 'No pinned image with a tag to check.',
    );
    if (unpinned) parts.push(`${plural(unpinned, 'image is', 'images are')} not pinned.`);
  } else if (report.errors.length) {
    parts.push('Nothing was changed: a registry could not answer.');
  } else if (report.pinned.length || report.updated.length) {
    parts.push(
      `Pinned ${plural(report.pinned.length, 'image')}${report.updated.length ? `, updated ${plural(report.updated.length, 'stale digest')}` : ''}.`,
    );
  } else if (!report.refused.length) {
    parts.push('Nothing to pin: every image is pinned to what its tag points at now.');
  }
  for (const n of report.errors) parts.push(at(n));
  if (report.refused.length)
    parts.push(`${plural(report.refused.length, 'reference')} left as written: ${report.refused.map(at).join('; ')}`);
  if (report.cannotCheck.length) parts.push(report.cannotCheck.map(at).join('; '));
  return parts.join(' ');
}
