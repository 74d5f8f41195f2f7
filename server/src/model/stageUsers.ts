/**
 * Which stages use which: a stage is used by the stages built FROM it, that COPY --from it and that
 * mount from it (RUN --mount=from=). A reference holding a variable (`FROM delve-${DELVE_SUPPORTED}`)
 * uses every stage whose name it may stand for, since another build argument picks another.
 */
import type { DockerfileModel } from './model';
import type { Stage } from './stage';
import type { CopySource } from './types';
import { expand } from './variables';

/** For each stage that some other stage uses, the stages that use it. */
export function stageUsers(model: DockerfileModel): Map<Stage, Set<Stage>> {
  return model.cached('stages.users', () => {
    const users = new Map<Stage, Set<Stage>>();
    const add = (used: Stage, by: Stage) => {
      if (used === by) return;
      let set = users.get(used);
      if (!set) users.set(used, (set = new Set()));
      set.add(by);
    };
    const use = (s: Stage, source: CopySource, raw: string) => {
      if (source.kind === 'stage') add(source.stage, s);
      if (source.kind !== 'image' && raw.includes('$')) {
        const pattern = new RegExp(
          `^${raw
            .split(/\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/)
            .map(escapeRegExp)
            .join('.*')}$`,
          'i',
        );
        for (const t of model.stages) if (t.name && pattern.test(t.name)) add(t, s);
      }
    };
    for (const s of model.stages) {
      use(s, s.base.kind === 'stage' ? s.base : { kind: 'unknown' }, s.base.kind === 'image' ? '' : s.imageRaw);
      for (const c of s.copies) if (c.from) use(s, c.from.source, c.from.raw);
      for (const r of s.runs) {
        for (const m of r.mounts)
          for (const o of m.options) {
            if (o.name.toLowerCase() !== 'from' || o.value === null || !o.valueSpan) continue;
            use(s, model.copySource(expand(o.value, r.scope, model.escapeChar), o.valueSpan, o.value), o.value);
          }
      }
    }
    return users;
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
