/**
 * LABEL instructions read as key/value pairs (`ONBUILD LABEL` triggers included), with their keys and
 * values as the builder reads them: quotes and escapes removed, variables substituted where known.
 */
import type { Instruction, Label, Onbuild, Property } from 'dockerfile-ast';
import type { DockerfileModel } from './model';
import type { Instr } from './types';
import type { Span } from './text';
import { unfoldLine } from './logical';
import { expandWord, hasVariable, variableReferences, type Scope } from './variables';

export interface LabelPair {
  /** The LABEL instruction, or the ONBUILD whose trigger it is. */
  instr: Instr;
  /** An `ONBUILD LABEL`: it labels the images built on this one, not this one. */
  onbuild: boolean;
  /** The key as written (continuations removed). */
  rawKey: string;
  /** The key as the builder reads it; undefined when it holds a variable whose value is unknown. */
  key?: string;
  keySpan: Span;
  /** The value as written (continuations removed; '' when there is none). */
  rawValue: string;
  /**
   * The value as the builder reads it; undefined when it holds a variable whose value is unknown or
   * comes from a build argument (`--build-arg` sets it: a default is often a placeholder, `unknown`).
   */
  value?: string;
  /** Where the value is written (empty, just after the key, when there is none). */
  valueSpan: Span;
}

const NO_SCOPE: Scope = new Map();

/** Every LABEL pair of the file, in order. */
export function labelPairs(model: DockerfileModel): LabelPair[] {
  return model.cached('labelPairs', () => {
    const out: LabelPair[] = [];
    for (const instr of model.instructions) {
      if (instr.keyword === 'LABEL') out.push(...pairsOf(model, instr, model.instructionNode(instr), false));
      else if (instr.keyword === 'ONBUILD') {
        const trigger = (model.instructionNode(instr) as Onbuild).getTriggerInstruction();
        if (trigger?.getKeyword().toUpperCase() === 'LABEL') out.push(...pairsOf(model, instr, trigger, true));
      }
    }
    return out;
  });
}

function pairsOf(model: DockerfileModel, instr: Instr, ast: Instruction, onbuild: boolean): LabelPair[] {
  const props = (ast as Label).getProperties?.() ?? [];
  // A trigger's variables are substituted in the build that uses the image: unknown here.
  const scope = onbuild ? NO_SCOPE : (instr.scope ?? NO_SCOPE);
  const esc = model.escapeChar;
  return props.map((p) => {
    const keySpan = spanOf(model, p.getNameRange());
    const vr = p.getValueRange();
    const valueSpan = vr ? spanOf(model, vr) : { start: keySpan.end, end: keySpan.end };
    const rawKey = written(model, keySpan);
    const rawValue = written(model, valueSpan);
    return {
      instr,
      onbuild,
      rawKey,
      key: expandWord(rawKey, scope, esc),
      keySpan,
      rawValue,
      value: buildTime(model, rawValue) ? undefined : expandWord(rawValue, scope, esc),
      valueSpan,
    };
  });
}

/** Whether `raw` refers to a build argument, or to an ENV set from a variable. */
function buildTime(model: DockerfileModel, raw: string): boolean {
  const refs = variableReferences(raw, model.escapeChar);
  if (!refs.length) return false;
  const names = new Set(refs.map((r) => r.name));
  return model.declarations.some(
    (d) => names.has(d.name) && (d.keyword === 'ARG' || (d.raw !== undefined && hasVariable(d.raw, model.escapeChar))),
  );
}

function spanOf(model: DockerfileModel, r: ReturnType<Property['getNameRange']>): Span {
  return { start: model.lines.offsetAt(r.start), end: model.lines.offsetAt(r.end) };
}

function written(model: DockerfileModel, span: Span): string {
  if (span.start === span.end) return '';
  return unfoldLine(model.text, span.start, span.end, model.escapeChar).logical.text;
}
