import { defineRule, type Fix } from '../engine/rule';
import { isDigestPinned, type ImageRef } from '../model/imageRef';
import { imageUses, type ImageUse } from '../model/imageUses';
import type { DockerfileModel } from '../model/model';
import { builtByProject, namespaceFromPipeline, repositoryFromArgument } from '../model/officialImages';
import { currentDigestOf, planPin } from '../fixes/pinPlan';

const GOLANG = 'sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5';
const ALPINE = 'sha256:1e42bbe2508154c9126d48c2b8a75420c3544343bf86fd041fb7527e017a4b4a';
const DISTROLESS = 'sha256:6ec5aa99dc335666e79dc64e4a6c8b89c33a543a1967f20d360922a80dd21f02';
const BUSYBOX = 'sha256:9ae97d36d26566ff84e8893c64a6dc4fe8ca6d1144bf5b87b2b85a32def253c7';

/** "Pin to digest": asks the registry only when picked; refused up front when it cannot be done. */
function pinFix(model: DockerfileModel, use: ImageUse, known: Readonly<Record<string, string>> | undefined): Fix {
  const plan = planPin(model, use);
  const ref = use.ref as ImageRef;
  return {
    title: 'Pin to digest',
    kind: 'suggestion',
    preferred: true,
    network: true,
    unavailable: plan.ok ? undefined : plan.reason,
    async edits(ctx) {
      if (!plan.ok) throw new Error(plan.reason);
      return plan.apply(await currentDigestOf(ctx, known, ref));
    },
  };
}

export default defineRule({
  id: 'unpinned-digest',
  severity: 'info',
  enabled: false,
  summary: 'An external image is used without a sha256 digest.',
  rationale: `A tag is a pointer that the publisher (or an attacker with push access) can move: the
same \`FROM alpine:3.20\` builds from different bytes over time. A digest
(\`alpine:3.20@sha256:…\`) names exact content, makes builds reproducible, and is what supply-chain
policies check. Keep the tag for readers and tools that update pins; the digest decides what is
pulled.

Checked for images in \`FROM\`, \`COPY --from=<image>\` and \`RUN --mount=…,from=<image>\`; not for
\`scratch\`, stages, references whose value comes from an unknown build argument, or images the project
builds itself: named as a local build (\`localhost/app\`, as podman and buildah name one), or a bare
name that is not one of Docker Hub's official images (\`FROM myproject-base\`: no registry serves it under that name),
or a reference whose registry, namespace or name comes from a build argument (\`FROM $REPO:9.0\`) (\`FROM \${NAMESPACE}/node-base:\${VERSION}\`:
the pipeline that sets it builds the image).

The quick-fix **Pin to digest** asks the image's own registry what the tag points at now (the
multi-platform index when there is one) and writes \`image:tag@sha256:…\`, keeping \`--platform\`,
\`AS name\` and the rest of the line. It is a suggestion: it changes what is built, so fix-all and
fix-on-save never apply it (nor does \`dockerfile-hardener fix --unsafe\`), and the registry is
contacted only when you pick it. A reference built
from a build argument is pinned through the argument's default when that is a literal used only for
this image; otherwise the fix says why it cannot pin. \`dockerfile-hardener pin\` and the command
"Pin all images in this Dockerfile" pin every image of a file; \`stale-digest\` checks pins later.

**Off by default.** Judged on real files (docs/precision.md), most of its findings were on images
that take their base's updates on purpose (Docker's official images, which are rebuilt whenever their
parent tag moves; a digest would freeze them unless a bot updates it) or on images the project builds
itself: true, and of doubtful use, in more than half the sample. Pinning is a policy a project
chooses (OpenSSF Scorecard's Pinned-Dependencies check asks for it): turn the rule on with
\`rules: { unpinned-digest: info }\` in \`.dockerfile-hardener.yaml\`, or the setting
\`dockerfileHardener.rules.unpinned-digest\`. "Pin all images in this Dockerfile" and \`dockerfile-hardener pin\` work
whether it is on or not.`,
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
    fixes: [
      {
        before: `FROM --platform=$BUILDPLATFORM golang:1.22 AS build
`,
        after: `FROM --platform=$BUILDPLATFORM golang:1.22@${GOLANG} AS build
`,
      },
      {
        before: `ARG BASE=alpine:3.20
FROM \${BASE}
`,
        after: `ARG BASE=alpine:3.20@${ALPINE}
FROM \${BASE}
`,
      },
    ],
    // What the fix examples' registry answers (a check's results stand in for the network).
    options: {
      currentDigests: {
        'docker.io/library/golang:1.22': GOLANG,
        'docker.io/library/alpine:3.20': ALPINE,
        'gcr.io/distroless/static:nonroot': DISTROLESS,
        'docker.io/library/busybox:1.36': BUSYBOX,
      },
    },
  },
  check({ model, options, report }) {
    for (const use of imageUses(model)) {
      const ref = use.ref;
      if (!ref || isDigestPinned(ref) || builtByProject(ref) || namespaceFromPipeline(model, use.raw) || repositoryFromArgument(use.raw))
        continue;
      const bad = ref.digest !== undefined ? ` (its digest ${ref.digest} is not a sha256 digest)` : '';
      report({
        span: ref.span,
        message: `${ref.text} in ${use.where} is not pinned by digest${bad}: the tag can move. Pin it as ${ref.name}${ref.tag ? ':' + ref.tag : ''}@sha256:….`,
        fixes: [pinFix(model, use, options.currentDigests)],
      });
    }
  },
});
