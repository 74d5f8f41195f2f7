import { defineRule } from '../engine/rule';
import { expand } from '../model/variables';
import { isDigestPinned, type ImageRef } from '../model/imageRef';

export default defineRule({
  id: 'unpinned-digest',
  severity: 'info',
  summary: 'An external image is used without a sha256 digest.',
  rationale: `A tag is a pointer that the publisher (or an attacker with push access) can move: the
same \`FROM alpine:3.20\` builds from different bytes over time. A digest
(\`alpine:3.20@sha256:…\`) names exact content, makes builds reproducible, and is what supply-chain
policies check. Keep the tag for readers and tools that update pins; the digest decides what is
pulled.

Checked for images in \`FROM\`, \`COPY --from=<image>\` and \`RUN --mount=…,from=<image>\`; not for
\`scratch\`, stages, or references whose value comes from an unknown build argument.`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM alpine:3.20
#    ^^^^^^^^^^^ unpinned-digest
`,
      `FROM scratch
COPY --from=gcr.io/distroless/static:nonroot /etc/passwd /etc/passwd
#           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ unpinned-digest
`,
      `FROM golang:1.22@sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5
RUN --mount=type=bind,from=busybox:1.36,target=/bb ls /bb
#                          ^^^^^^^^^^^^ unpinned-digest
`,
    ],
    valid: [
      `FROM alpine:3.20@sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5
`,
      `FROM scratch AS base
FROM base
COPY --from=base /a /a
COPY --from=0 /a /b
`,
      `ARG IMAGE
FROM \${IMAGE}
`,
    ],
  },
  check({ model, report }) {
    const flag = (ref: ImageRef, where: string) => {
      if (isDigestPinned(ref)) return;
      const bad = ref.digest !== undefined ? ` (its digest ${ref.digest} is not a sha256 digest)` : '';
      report({
        span: ref.span,
        message: `${ref.text} in ${where} is not pinned by digest${bad}: the tag can move. Pin it as ${ref.name}${ref.tag ? ':' + ref.tag : ''}@sha256:….`,
      });
    };
    for (const s of model.stages) {
      if (s.base.kind === 'image') flag(s.base.ref, 'FROM');
      for (const c of s.copies) {
        if (c.from?.source.kind === 'image') flag(c.from.source.ref, `${c.keyword} --from`);
      }
      for (const run of s.runs) {
        for (const m of run.mounts) {
          for (const o of m.options) {
            if (o.name.toLowerCase() !== 'from' || o.value === null || !o.valueSpan) continue;
            const value = expand(o.value, run.scope, model.escapeChar);
            const src = model.copySource(value, o.valueSpan, o.value);
            if (src.kind === 'image') flag(src.ref, 'RUN --mount');
          }
        }
      }
    }
  },
});
