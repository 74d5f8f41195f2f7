/**
 * FROM lines as a build without any --build-arg reads them: the global ARGs at their defaults, and
 * whether an image reference with those values is one the builder accepts (undefined-arg-in-from,
 * from-arg-without-default).
 */
import type { DockerfileModel } from './model';
import { parseImageRef } from './imageRef';
import { expandWord, PREDEFINED_ARGS, variableReferences } from './variables';

const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

/**
 * The global ARGs as a build without any --build-arg sees them: a default's value, '' for an ARG
 * without one, unknown (undefined) for the predefined platform arguments and what depends on them.
 */
export function defaultScope(model: DockerfileModel): Map<string, string | undefined> {
  const scope = new Map<string, string | undefined>();
  for (const name of PREDEFINED_ARGS) scope.set(name, undefined);
  for (const d of model.declarations) {
    if (d.stage || d.keyword !== 'ARG' || PREDEFINED_ARGS.has(d.name)) continue;
    scope.set(d.name, d.raw === undefined ? '' : withDefaults(d.raw, scope, model.escapeChar));
  }
  return scope;
}

/** `text` with the scope's values, names it lacks being empty (as the builder has them); undefined when unknown. */
export function withDefaults(text: string, scope: Map<string, string | undefined>, escapeChar: string): string | undefined {
  const full = new Map(scope);
  for (const r of variableReferences(text, escapeChar)) if (!full.has(r.name)) full.set(r.name, '');
  return expandWord(text, full, escapeChar);
}

/** Whether the builder accepts `text` as an image reference (name, optional tag, optional digest). */
export function validReference(text: string): boolean {
  const at = text.indexOf('@');
  if (at >= 0 && !DIGEST.test(text.slice(at + 1))) return false;
  const named = at >= 0 ? text.slice(0, at) : text;
  return named !== '' && parseImageRef(named, { start: 0, end: named.length }, false) !== undefined;
}
