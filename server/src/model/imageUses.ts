/**
 * Every place a Dockerfile pulls an image: `FROM <image>`, `COPY|ADD --from=<image>` and
 * `RUN --mount=…,from=<image>`. Stages and `scratch` are not images. A reference that depends on a
 * build argument without a known value has no `ref` (it cannot be known), but is listed when it is
 * written with variables, so that pinning can say why it leaves it alone.
 */
import type { DockerfileModel, Instr } from './model';
import type { ImageRef } from './imageRef';
import type { Span } from './text';
import { expand, hasVariable, type Scope } from './variables';

export interface ImageUse {
  /** `FROM`, `COPY --from`, `ADD --from` or `RUN --mount`. */
  where: string;
  instr: Instr;
  /** The reference as written (quotes and variables included). */
  raw: string;
  /** Where `raw` is written. */
  span: Span;
  /** The reference after substitution; undefined when a build argument it uses has no known value. */
  ref?: ImageRef;
  /** The variables the reference sees (the global ARGs for FROM). */
  scope: Scope;
}

export function imageUses(model: DockerfileModel): ImageUse[] {
  return model.cached('imageUses', () => {
    const out: ImageUse[] = [];
    for (const s of model.stages) {
      if (s.implicit) continue;
      const fromScope = s.from.scope ?? model.globalScope;
      if (s.base.kind === 'image')
        out.push({
          where: 'FROM',
          instr: s.from,
          raw: s.imageRaw,
          span: s.imageSpan ?? s.base.ref.span,
          ref: s.base.ref,
          scope: fromScope,
        });
      else if (s.base.kind === 'unknown' && s.imageSpan && hasVariable(s.imageRaw, model.escapeChar)) {
        out.push({ where: 'FROM', instr: s.from, raw: s.imageRaw, span: s.imageSpan, scope: fromScope });
      }
      for (const c of s.copies) {
        if (!c.from) continue;
        const where = `${c.keyword} --from`;
        const scope = c.instr.scope ?? new Map();
        if (c.from.source.kind === 'image')
          out.push({ where, instr: c.instr, raw: c.from.raw, span: c.from.span, ref: c.from.source.ref, scope });
        else if (c.from.source.kind === 'unknown' && hasVariable(c.from.raw, model.escapeChar))
          out.push({ where, instr: c.instr, raw: c.from.raw, span: c.from.span, scope });
      }
      for (const run of s.runs) {
        for (const m of run.mounts) {
          for (const o of m.options) {
            if (o.name.toLowerCase() !== 'from' || o.value === null || !o.valueSpan) continue;
            const value = expand(o.value, run.scope, model.escapeChar);
            const src = model.copySource(value, o.valueSpan, o.value);
            if (src.kind === 'image')
              out.push({ where: 'RUN --mount', instr: run.instr, raw: o.value, span: o.valueSpan, ref: src.ref, scope: run.scope });
            else if (src.kind === 'unknown' && hasVariable(o.value, model.escapeChar))
              out.push({ where: 'RUN --mount', instr: run.instr, raw: o.value, span: o.valueSpan, scope: run.scope });
          }
        }
      }
    }
    return out;
  });
}
