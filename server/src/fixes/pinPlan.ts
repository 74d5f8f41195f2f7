/**
 * Where a digest goes when an image is pinned, and where an outdated one is replaced: pure text
 * edits, decided before any registry is asked, so that a refusal costs nothing and a network failure
 * cannot leave half an edit.
 *
 *   FROM --platform=$BUILDPLATFORM golang:1.22 AS build   →  golang:1.22@sha256:…  (the rest of the
 *   COPY --from=alpine:3.20 …  /  RUN --mount=from=busybox:1.36,…                 line is kept)
 *   FROM alpine                                          →  alpine:latest@sha256:… (the tag is kept
 *                                                           written, so the pin can be checked later)
 *   ARG BASE=alpine:3.20 … FROM ${BASE}                  →  ARG BASE=alpine:3.20@sha256:…
 *   ARG V=3.20 … FROM alpine:${V}                        →  ARG V=3.20@sha256:…
 *   FROM ${REGISTRY}/alpine:3.20                         →  ${REGISTRY}/alpine:3.20@sha256:…
 *
 * A build argument's default is rewritten only when it is a literal and the argument is used nowhere
 * but at the end of references to the same image; otherwise the pin is refused with the reason
 * ("cannot pin: image comes from a build argument (…)"). A reference whose build argument has no
 * default cannot be pinned at all: its value is chosen at build time.
 */
import type { Declaration, DockerfileModel } from '../model/model';
import { imageUses, type ImageUse } from '../model/imageUses';
import type { ImageRef } from '../model/imageRef';
import type { Span } from '../model/text';
import { hasVariable, PREDEFINED_ARGS } from '../model/variables';
import { EditBuilder, type Edit } from '../engine/edits';
import type { FixContext } from '../engine/rule';
import { imageKey } from '../model/registryNames';

export type PinPlan = { ok: true; apply(digest: string): Edit[] } | { ok: false; reason: string };

const TAIL_VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/;

function refuse(reason: string): PinPlan {
  return { ok: false, reason };
}

function insertPlan(model: DockerfileModel, at: number, prefix: string): PinPlan {
  return { ok: true, apply: (digest) => new EditBuilder(model).insert(at, `${prefix}${digest}`).build() };
}

function replacePlan(model: DockerfileModel, span: Span): PinPlan {
  return { ok: true, apply: (digest) => new EditBuilder(model).replace(span, digest).build() };
}

/** The reference without one pair of surrounding quotes, and where that inner text is. */
function unquoted(raw: string, span: Span): { inner: string; start: number; end: number } {
  if (raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw[raw.length - 1] === raw[0]) {
    return { inner: raw.slice(1, -1), start: span.start + 1, end: span.end - 1 };
  }
  return { inner: raw, start: span.start, end: span.end };
}

function lineOf(model: DockerfileModel, offset: number): number {
  return model.lines.positionAt(offset).line + 1;
}

function sameImage(a: ImageRef, b: ImageRef): boolean {
  return a.registry === b.registry && a.repository === b.repository && (a.tag ?? 'latest') === (b.tag ?? 'latest');
}

/** Why a reference with no known value cannot be pinned. */
function unknownReason(use: ImageUse): string {
  const re = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))/g;
  for (let m = re.exec(use.raw); m; m = re.exec(use.raw)) {
    const name = m[1] ?? m[2];
    if (PREDEFINED_ARGS.has(name)) return `cannot pin: image comes from a build argument (${name}, which the builder sets for each build)`;
    if (!use.scope.has(name))
      return `cannot pin: image comes from a build argument (${name}, which is not declared${use.where === 'FROM' ? ' before the first FROM' : ' in this stage'})`;
    if (use.scope.get(name) === undefined)
      return `cannot pin: image comes from a build argument (${name}, which has no default: its value is chosen at build time)`;
  }
  return `cannot pin: the value of ${use.raw} is not known before the build`;
}

/**
 * The declaration that gives `name` its value where `use` is: for FROM the last global ARG before
 * it; in a stage the stage's last ARG or ENV before it (a bare `ARG NAME` takes the global default),
 * else an ENV of a stage it inherits from.
 */
function declarationFor(model: DockerfileModel, use: ImageUse, name: string): Declaration | undefined {
  const before = (d: Declaration) => d.name === name && d.instr.span.start < use.instr.span.start;
  const lastGlobal = () =>
    model.declarations.filter((d) => !d.stage && d.keyword === 'ARG' && d.name === name && (use.where !== 'FROM' || before(d))).pop();
  if (use.where === 'FROM') return lastGlobal();
  const stage = use.instr.stage;
  if (!stage) return undefined;
  const own = model.declarations.filter((d) => d.stage === stage && before(d)).pop();
  if (own) return own.keyword === 'ARG' && own.raw === undefined ? lastGlobal() : own;
  for (const parent of stage.chain.slice(1)) {
    const env = model.declarations.filter((d) => d.stage === parent && d.keyword === 'ENV' && d.name === name).pop();
    if (env) return env;
  }
  return undefined;
}

/** Where a declaration's value is written, when it is written on one line after `NAME=`. */
function valueSpan(model: DockerfileModel, decl: Declaration): Span | undefined {
  if (decl.raw === undefined) return undefined;
  const eq = decl.nameSpan.end;
  if (model.text[eq] !== '=') return undefined;
  const start = eq + 1;
  if (model.text.slice(start, start + decl.raw.length) !== decl.raw) return undefined;
  return { start, end: start + decl.raw.length };
}

/**
 * Checks that build argument `name` is used only at the end of references to `ref`'s image (so that
 * a digest appended to its default pins exactly those); returns the reason when it is not.
 */
/** The item whose span holds `at`, in a list sorted by span start with spans that do not overlap. */
function containing<T extends { span: { start: number; end: number } }>(sorted: readonly T[], at: number): T | undefined {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const { start, end } = sorted[mid].span;
    if (at < start) hi = mid - 1;
    else if (at >= end) lo = mid + 1;
    else return sorted[mid];
  }
  return undefined;
}

function otherUse(model: DockerfileModel, name: string, ref: ImageRef, decl: Declaration): string | undefined {
  const re = new RegExp(String.raw`\$(?:\{${name}(?=[}:+\-])|${name}(?![A-Za-z0-9_]))`, 'g');
  // In text order (imageUses lists a stage's COPY --from before its RUN --mount, wherever they are).
  const uses = [...imageUses(model)].sort((a, b) => a.span.start - b.span.start);
  for (let m = re.exec(model.text); m; m = re.exec(model.text)) {
    const at = m.index;
    if (at > 0 && model.text[at - 1] === model.escapeChar) continue;
    const line = model.lines.positionAt(at).line;
    if (/^\s*#/.test(model.lines.lineText(line))) continue;
    if (at >= decl.instr.span.start && at < decl.instr.span.end) continue;
    // Where the argument is not declared (a stage that does not redeclare a global ARG) its value is
    // empty whatever the default says: that use is not affected.
    const instr = containing(model.instructions, at);
    if (instr && instr.keyword !== 'FROM' && instr.scope && !instr.scope.has(name)) continue;
    const end = model.text[at + 1] === '{' ? model.text.indexOf('}', at) + 1 : at + 1 + name.length;
    const u = containing(uses, at);
    if (!u)
      return `cannot pin: image comes from a build argument (${name}, which is also used on line ${line + 1} outside an image reference)`;
    const written = model.text.slice(at, end);
    if (end !== unquoted(u.raw, u.span).end || (written !== `\${${name}}` && written !== `$${name}`)) {
      return `cannot pin: image comes from a build argument (${name}, which line ${line + 1} uses inside ${u.raw})`;
    }
    if (!u.ref || !sameImage(u.ref, ref))
      return `cannot pin: image comes from a build argument (${name}, which line ${line + 1} also uses for another image)`;
  }
  return undefined;
}

/** Pins through the default of the build argument at the end of the reference. */
function throughArgument(model: DockerfileModel, use: ImageUse, ref: ImageRef, name: string, prefix: string): PinPlan {
  const decl = declarationFor(model, use, name);
  if (!decl) return refuse(`cannot pin: image comes from a build argument (${name}, which is not declared where ${use.where} uses it)`);
  if (decl.keyword === 'ENV')
    return refuse(`cannot pin: the image comes from ENV ${name} (line ${lineOf(model, decl.nameSpan.start)}); pin it by hand`);
  if (decl.raw === undefined)
    return refuse(`cannot pin: image comes from a build argument (${name}, which has no default: its value is chosen at build time)`);
  if (hasVariable(decl.raw, model.escapeChar))
    return refuse(`cannot pin: image comes from a build argument (${name}, whose default is built from other variables)`);
  const span = valueSpan(model, decl);
  if (!span || decl.value === undefined || !ref.text.endsWith(decl.value) || decl.raw.includes(model.escapeChar)) {
    return refuse(
      `cannot pin: image comes from a build argument (${name}, whose default on line ${lineOf(model, decl.nameSpan.start)} is not written as a plain value)`,
    );
  }
  const other = otherUse(model, name, ref, decl);
  if (other) return refuse(other);
  const quoted = decl.raw.length >= 2 && (decl.raw[0] === '"' || decl.raw[0] === "'") && decl.raw.endsWith(decl.raw[0]);
  return insertPlan(model, quoted ? span.end - 1 : span.end, prefix);
}

/** How to pin an image use that has no sha256 digest. */
export function planPin(model: DockerfileModel, use: ImageUse): PinPlan {
  const ref = use.ref;
  if (!ref) return refuse(unknownReason(use));
  if (model.text.slice(use.span.start, use.span.end) !== use.raw) return refuse(`cannot pin: ${use.raw} is written across lines`);
  const prefix = ref.tag === undefined ? ':latest@' : '@';
  if (!ref.substituted) {
    if (ref.digest === undefined) return insertPlan(model, use.span.end, prefix);
    if (ref.tag === undefined) return refuse(`cannot pin: ${ref.text} has a digest but no tag to look up; write the tag it should follow`);
    if (!ref.digestSpan) return refuse(`cannot pin: ${ref.text} is written in a form that cannot be edited safely`);
    return replacePlan(model, ref.digestSpan);
  }
  if (ref.digest !== undefined)
    return refuse(`cannot pin: ${use.raw} already has a digest (${ref.digest}) that is not sha256; replace it by hand`);
  const { inner, end } = unquoted(use.raw, use.span);
  if (!hasVariable(inner, model.escapeChar)) {
    if (inner !== ref.text) return refuse(`cannot pin: ${use.raw} is written with escapes; pin it by hand`);
    return insertPlan(model, end, prefix);
  }
  const tail = TAIL_VARIABLE.exec(inner);
  if (tail && !(tail.index > 0 && inner[tail.index - 1] === model.escapeChar)) {
    // Another variable in the tag before it (golang:\${GO_VERSION}-\${DISTRO}): a digest written into the
    // last argument's default would silently override what the other argument chooses.
    const before = inner.slice(0, tail.index);
    const lastPart = before.slice(before.lastIndexOf('/') + 1);
    if (lastPart.includes(':') && hasVariable(lastPart.slice(lastPart.indexOf(':') + 1), model.escapeChar)) {
      return refuse(
        `cannot pin: the tag of ${use.raw} is built from several build arguments; a digest in one default would silently override the others: pin it by hand`,
      );
    }
    return throughArgument(model, use, ref, tail[1] ?? tail[2], prefix);
  }
  // The reference ends with literal text: the tag (if any) must be literal too, or a build argument
  // that changes it would be silently overridden by the digest.
  const last = inner.slice(inner.lastIndexOf('/') + 1);
  const colon = last.lastIndexOf(':');
  const tagPart = colon >= 0 ? last.slice(colon + 1) : '';
  if (hasVariable(tagPart, model.escapeChar) || (colon < 0 && hasVariable(last, model.escapeChar))) {
    const v = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/.exec(colon >= 0 ? tagPart : last);
    return refuse(`cannot pin: the tag comes from a build argument (${v?.[1] ?? '?'}) in the middle of ${use.raw}; pin it by hand`);
  }
  return insertPlan(model, end, prefix);
}

/** How to replace the sha256 digest of a pinned use (for "Update digest"). */
export function planDigestUpdate(model: DockerfileModel, use: ImageUse): PinPlan {
  const ref = use.ref;
  if (!ref || ref.digest === undefined) return refuse('nothing to update: the image has no digest');
  if (!ref.substituted && ref.digestSpan) return replacePlan(model, ref.digestSpan);
  const written = model.text.slice(use.span.start, use.span.end);
  const lower = written.toLowerCase();
  const digest = ref.digest.toLowerCase();
  const at = lower.indexOf(digest);
  if (at >= 0 && lower.indexOf(digest, at + 1) < 0)
    return replacePlan(model, { start: use.span.start + at, end: use.span.start + at + digest.length });
  const tail = TAIL_VARIABLE.exec(unquoted(use.raw, use.span).inner);
  if (tail) {
    const decl = declarationFor(model, use, tail[1] ?? tail[2]);
    const span = decl && decl.keyword === 'ARG' ? valueSpan(model, decl) : undefined;
    if (span) {
      const value = model.text.slice(span.start, span.end).toLowerCase();
      const i = value.indexOf(digest);
      if (i >= 0) return replacePlan(model, { start: span.start + i, end: span.start + i + digest.length });
    }
  }
  return refuse(`cannot update: the digest of ${use.raw} is not written where it can be edited safely; update it by hand`);
}

/**
 * The digest `ref`'s tag points at now, for a fix: from the registry when the context has access,
 * else from a check's results supplied with the lint options (`currentDigests`), else an error that
 * says why there is no registry access.
 */
export async function currentDigestOf(
  ctx: FixContext,
  known: Readonly<Record<string, string>> | undefined,
  ref: ImageRef,
): Promise<string> {
  if (ctx.resolveDigest) return ctx.resolveDigest(ref);
  const digest = known?.[imageKey(ref)];
  if (digest) return digest;
  throw new Error(ctx.offlineReason ?? 'pinning needs registry access: pick "Pin to digest" in the editor, or run dockerfile-hardener pin');
}
