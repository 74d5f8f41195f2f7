import { defineRule } from '../engine/rule';
import { displayImage } from '../model/registryNames';
import { factsFor, normalizePlatform, registryLabel, type ImageFacts } from '../model/imageFacts';

const debianFacts: ImageFacts = {
  digest: `sha256:${'d'.repeat(64)}`,
  mediaType: 'application/vnd.oci.image.index.v1+json',
  index: true,
  platforms: [
    { platform: 'linux/amd64', digest: `sha256:${'a'.repeat(64)}` },
    { platform: 'linux/arm64/v8', digest: `sha256:${'b'.repeat(64)}` },
    { platform: 'linux/arm/v7', digest: `sha256:${'c'.repeat(64)}` },
  ],
  supplyChain: { cosign: 'absent', referrers: 'unknown', attestations: 'absent' },
  fetchedAt: '2026-12-01T00:00:00.000Z',
};

export default defineRule({
  id: 'platform-unavailable',
  severity: 'error',
  summary: '`FROM --platform` asks for a platform the image does not provide.',
  rationale: `\`FROM --platform=linux/s390x debian:12\` builds only if the image has a manifest for that
platform. When it has none, the build fails at that FROM ("no match for platform in manifest"), often
only on the CI runner or in the release job that builds that platform.

The rule needs what the registry says, so it reports only once the image has been looked up (hover,
the pin actions, or the CLI's \`--image-facts\`; linting never asks a registry): the platforms of its
index, or the one platform of a single manifest. \`linux/arm64\` and \`linux/arm64/v8\` are the same
platform, as are \`linux/amd64\` and \`linux/amd64/v1\`; a variant is satisfied by a lower one, as the
build does (\`linux/amd64/v3\` by \`linux/amd64\`, \`linux/arm/v7\` by \`linux/arm/v6\`). A platform given by a build argument
(\`$BUILDPLATFORM\`) is not known before the build and is not checked; a FROM without \`--platform\` (or
with \`$TARGETPLATFORM\`) is checked against the platforms the build targets where they are known:
\`--platform\` on the CLI, or the \`platforms\` of the Compose service or Bake target that builds the file.`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM --platform=linux/s390x debian:12
#    ^^^^^^^^^^^^^^^^^^^^^^ platform-unavailable
`,
    ],
    valid: [
      `FROM --platform=linux/arm64 debian:12
`,
      `FROM --platform=$BUILDPLATFORM debian:12
`,
      `FROM --platform=linux/s390x debian:13
`,
    ],
    options: { imageFacts: { 'docker.io/library/debian:12': debianFacts } },
  },
  check({ model, options, report }) {
    const record = model.imageFacts;
    if (!record) return;
    for (const s of model.stages) {
      const flag = s.platform;
      const ref = s.base.kind === 'image' ? s.base.ref : undefined;
      if (!ref) continue;
      // A constant --platform; else (none, or $TARGETPLATFORM) the platforms the build targets, where known.
      const own = flag?.value && !/[$]/.test(flag.value) ? flag.value : undefined;
      const fromBuild = !own && (!flag?.value || /^\$\{?TARGETPLATFORM\}?$/.test(flag.value)) ? options.targetPlatforms : undefined;
      if (!own && !fromBuild?.length) continue;
      const facts = factsFor(record, ref);
      if (!facts || !facts.platforms.length) continue;
      const wanted = own
        ? own
            .split(',')
            .map((p) => p.trim())
            .filter(Boolean)
        : fromBuild!;
      const offered = facts.platforms.map((p) => normalizePlatform(p.platform));
      // As the build matches platforms: linux/arm takes any arm variant, and a variant takes a lower
      // one (amd64/v3 runs amd64/v2 and amd64 images; arm/v7 runs arm/v6).
      const provides = (p: string) => {
        const [os, arch, variant] = normalizePlatform(p).split('/');
        return offered.some((o) => {
          const [oos, oarch, ovariant] = o.split('/');
          if (oos !== os || oarch !== arch) return false;
          if (!variant || !ovariant || variant === ovariant) return true;
          const n = /^v(\d+)$/.exec(variant)?.[1];
          const m = /^v(\d+)$/.exec(ovariant)?.[1];
          return n !== undefined && m !== undefined && Number(m) <= Number(n);
        });
      };
      const missing = wanted.filter((p) => !provides(p));
      if (!missing.length) continue;
      report({
        span: own ? flag!.span : (s.imageSpan ?? s.from.span),
        message: `${displayImage(ref)} has no ${missing.join(', ')} manifest${own ? '' : ` (a platform the build targets)`}: it provides ${facts.platforms.map((p) => p.platform).join(', ')} (${registryLabel(ref.registry)}, read ${facts.fetchedAt.slice(0, 10)}). The build fails at this FROM on that platform.`,
      });
    }
  },
});
