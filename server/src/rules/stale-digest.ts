import { defineRule } from '../engine/rule';
import { isDigestPinned } from '../model/imageRef';
import { imageUses } from '../model/imageUses';
import { displayImage, imageKey } from '../model/registryNames';
import { planDigestUpdate } from '../fixes/pinPlan';

const OLD = 'sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5';
const NOW = 'sha256:1e42bbe2508154c9126d48c2b8a75420c3544343bf86fd041fb7527e017a4b4a';

const short = (digest: string) => `${digest.slice(0, 19)}…`;

export default defineRule({
  id: 'stale-digest',
  severity: 'info',
  summary: 'A pinned digest is no longer what its tag points at (found by a registry check).',
  rationale: `A pin (\`alpine:3.20@sha256:…\`) keeps builds reproducible, and also keeps them on the
bytes of the day it was written: when the publisher rebuilds the tag (security updates, a new
patch release), a pinned image does not follow. Check pins now and then, review what changed and
update the digest.

This rule needs the network, so it reports only after an explicit check: the command
"Check pinned digests" in the editor, or \`dockerfile-hardener pin --check\`. The check asks each
image's registry what its tag points at now and hands the answers to the linter; plain linting never
contacts a registry, and without a check the rule is silent. The quick-fix **Update digest** writes
the digest the check found (a suggestion: it changes what is built). A digest written without a tag
(\`alpine@sha256:…\`) has nothing to compare with: the check reports it as "cannot check" rather than
guess.`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM alpine:3.20@sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5
#                ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ stale-digest
`,
      `ARG BASE=alpine:3.20@sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5
FROM \${BASE}
#    ^^^^^^^ stale-digest
`,
    ],
    valid: [
      `FROM alpine:3.20@sha256:1e42bbe2508154c9126d48c2b8a75420c3544343bf86fd041fb7527e017a4b4a
`,
      `FROM alpine@sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5
`,
      `FROM busybox:1.36@sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5
`,
      `FROM alpine:3.20
`,
    ],
    fixes: [
      {
        before: `FROM --platform=linux/arm64 alpine:3.20@${OLD} AS base
`,
        after: `FROM --platform=linux/arm64 alpine:3.20@${NOW} AS base
`,
      },
    ],
    // A check found alpine:3.20 at another digest (and did not look at busybox).
    options: { currentDigests: { 'docker.io/library/alpine:3.20': NOW } },
  },
  check({ model, options, report }) {
    const current = options.currentDigests;
    if (!current) return; // no registry check was run
    for (const use of imageUses(model)) {
      const ref = use.ref;
      if (!ref || ref.tag === undefined || !isDigestPinned(ref)) continue;
      const now = current[imageKey(ref)];
      if (!now || now.toLowerCase() === ref.digest!.toLowerCase()) continue;
      const plan = planDigestUpdate(model, use);
      report({
        span: ref.substituted ? ref.span : (ref.digestSpan ?? ref.span),
        message: `${displayImage(ref)} now points at ${short(now)}, not the pinned ${short(ref.digest!)}: the tag has moved (a rebuild, an update or a new release). Review the change and update the digest.`,
        fixes: [
          {
            title: 'Update digest',
            kind: 'suggestion',
            preferred: true,
            unavailable: plan.ok ? undefined : plan.reason,
            edits: () => {
              if (!plan.ok) throw new Error(plan.reason);
              return plan.apply(now);
            },
          },
        ],
      });
    }
  },
});
