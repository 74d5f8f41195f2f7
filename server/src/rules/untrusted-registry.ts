import { defineRule } from '../engine/rule';
import { expand } from '../model/variables';
import type { ImageRef } from '../model/imageRef';

/** Whether `registry` matches a trusted entry: exact host, `*.example.com`, or `docker.io` for Docker Hub. */
export function isTrusted(ref: ImageRef, trusted: string[]): boolean {
  const host = ref.registry;
  return trusted.some((t) => {
    const entry = t.toLowerCase().replace(/\/+$/, '');
    if (entry === '*') return true;
    if (entry === 'docker.io' || entry === 'index.docker.io' || entry === 'registry-1.docker.io' || entry === 'hub.docker.com')
      return host === 'docker.io';
    if (entry.startsWith('*.')) return host.endsWith(entry.slice(1));
    // An entry may name a path prefix too: ghcr.io/my-org
    const slash = entry.indexOf('/');
    if (slash > 0) return entry.slice(0, slash) === host && `${host}/${ref.repository}`.startsWith(entry + '/');
    return entry === host;
  });
}

export default defineRule({
  id: 'untrusted-registry',
  severity: 'warning',
  summary: 'An image comes from a registry that is not on the trusted list.',
  rationale: `Teams that mirror or vet their base images want every \`FROM\`, \`COPY --from=<image>\` and
\`RUN --mount=…,from=<image>\` to come from those registries. List them as \`trustedRegistries\` in
\`.dockerfile-hardener.yaml\` (or hadolint's \`.hadolint.yaml\`); entries are hosts
(\`registry.example.com:5000\`), wildcards (\`*.gcr.io\`), host/path prefixes (\`ghcr.io/my-org\`), or
\`docker.io\` for Docker Hub, or \`*\` for any. Without a list (or with an empty one) this rule reports
nothing.`,
  equivalents: { hadolint: ['DL3026'] },
  examples: {
    options: { trustedRegistries: ['docker.io', 'registry.example.com'] },
    invalid: [
      `FROM quay.io/example/base:1.0
#    ^^^^^^^^^^^^^^^^^^^^^^^^ untrusted-registry
COPY --from=ghcr.io/example/tool:1.0 /tool /usr/local/bin/tool
#           ^^^^^^^^^^^^^^^^^^^^^^^^ untrusted-registry
`,
    ],
    valid: [
      `FROM alpine:3.20
FROM registry.example.com/team/base:2
`,
    ],
  },
  check({ model, options, report }) {
    const trusted = options.trustedRegistries;
    // No list, or an empty one (as hadolint reads it): no restriction.
    if (!trusted?.length) return;
    const flag = (ref: ImageRef, where: string) => {
      if (isTrusted(ref, trusted)) return;
      report({
        span: ref.span,
        message: `${ref.text} in ${where} comes from ${ref.registry}, which is not a trusted registry (${trusted.join(', ') || 'none listed'}).`,
      });
    };
    for (const s of model.stages) {
      if (s.base.kind === 'image') flag(s.base.ref, 'FROM');
      for (const c of s.copies) if (c.from?.source.kind === 'image') flag(c.from.source.ref, `${c.keyword} --from`);
      for (const run of s.runs) {
        for (const m of run.mounts) {
          for (const o of m.options) {
            if (o.name.toLowerCase() !== 'from' || o.value === null || !o.valueSpan) continue;
            const src = model.copySource(expand(o.value, run.scope, model.escapeChar), o.valueSpan, o.value);
            if (src.kind === 'image') flag(src.ref, 'RUN --mount');
          }
        }
      }
    }
  },
});
