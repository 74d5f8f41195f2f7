import { defineRule } from '../engine/rule';
import { isDigestPinned } from '../model/imageRef';
import { imageUses } from '../model/imageUses';
import { displayImage } from '../model/registryNames';
import { factsFor, normalizePlatform, registryLabel, tagFactsFor, type ImageFacts } from '../model/imageFacts';
import { planDigestUpdate } from '../fixes/pinPlan';

const INDEX = `sha256:${'1'.repeat(64)}`;
const AMD64 = `sha256:${'a'.repeat(64)}`;
const ARM64 = `sha256:${'b'.repeat(64)}`;
const short = (digest: string) => `${digest.slice(0, 19)}…`;

/** What a registry said of node:22 in the examples: an index of two platforms. */
const node22: ImageFacts = {
  digest: INDEX,
  mediaType: 'application/vnd.oci.image.index.v1+json',
  index: true,
  platforms: [
    { platform: 'linux/amd64', digest: AMD64 },
    { platform: 'linux/arm64', digest: ARM64 },
  ],
  supplyChain: { cosign: 'absent', referrers: 'unknown', attestations: 'present' },
  fetchedAt: '2026-12-01T00:00:00.000Z',
};

export default defineRule({
  id: 'platform-digest-pinned',
  severity: 'warning',
  summary: "A digest pins one platform's manifest where the tag is a multi-platform index.",
  rationale: `A multi-platform tag (\`node:22\`) points at an index: a list of one manifest per platform.
Pinning it should pin the index's digest, so that each machine still gets its own platform. Copying
the digest that \`docker inspect\` or a registry page shows for *one* platform pins that platform's
manifest instead: builds on an arm64 machine (a Mac, a Graviton runner) then get the amd64 image,
which fails with "exec format error" or runs slowly under emulation, and nothing says why. Several
public projects have shipped this.

The rule needs what the registry says, so it reports only once the image has been looked up (hover,
the pin actions, or the CLI's \`--image-facts\`; linting never asks a registry): when the tag's index
lists the pinned digest as one of its platforms. A stage that asks for that platform itself
(\`FROM --platform=linux/amd64 …\`) is not reported: it wants that manifest. The fix writes the index's
digest in place of the platform's, keeping the tag, \`--platform\` and \`AS\`. The platform that was
pinned gets the very same manifest through the index, but every other platform then builds on its
own image instead of an emulated one, which a step that downloads an amd64 binary can notice: the fix
is a suggestion (preferred, applied by \`fix --unsafe\`), not a safe fix.`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM node:22@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
#            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ platform-digest-pinned
`,
    ],
    valid: [
      `FROM node:22@sha256:1111111111111111111111111111111111111111111111111111111111111111
`,
      `FROM --platform=linux/amd64 node:22@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
`,
      `FROM node:20@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
`,
    ],
    fixes: [
      {
        before: `FROM node:22@${ARM64} AS web
`,
        after: `FROM node:22@${INDEX} AS web
`,
      },
    ],
    options: { imageFacts: { 'docker.io/library/node:22': node22 } },
  },
  check({ model, report }) {
    const record = model.imageFacts;
    if (!record) return;
    for (const use of imageUses(model)) {
      const ref = use.ref;
      if (!ref || !isDigestPinned(ref)) continue;
      const digest = ref.digest!.toLowerCase();
      const tagFacts = tagFactsFor(record, ref);
      const child = tagFacts?.index ? tagFacts.platforms.find((p) => p.digest === digest) : undefined;
      if (!tagFacts || !child || tagFacts.platforms.length < 2) continue;
      // Asked for that platform on purpose.
      const stage = model.stages.find((s) => s.from === use.instr);
      const asked = use.where === 'FROM' ? stage?.platform?.value : undefined;
      if (asked && !asked.includes('$') && normalizePlatform(asked) === normalizePlatform(child.platform)) continue;
      const others = tagFacts.platforms.filter((p) => p !== child).map((p) => p.platform);
      const own = factsFor(record, ref);
      const plan = planDigestUpdate(model, use);
      const index = tagFacts.digest;
      report({
        span: ref.substituted ? ref.span : (ref.digestSpan ?? ref.span),
        message: `${short(digest)} is the ${child.platform} manifest of ${displayImage(ref)}, not its multi-platform index ${short(index)} (${registryLabel(ref.registry)}, read ${(own ?? tagFacts).fetchedAt.slice(0, 10)}): builds on ${others.length ? others.join(', ') : 'other platforms'} get the ${child.platform} image. Pin the index digest.`,
        fixes: [
          {
            title: `Pin the index digest ${short(index)}`,
            // Other platforms now build on their own image instead of this one: it changes what is built.
            kind: 'suggestion',
            preferred: true,
            unavailable: plan.ok ? undefined : plan.reason,
            edits: () => {
              if (!plan.ok) throw new Error(plan.reason);
              return plan.apply(index);
            },
          },
        ],
      });
    }
  },
});
