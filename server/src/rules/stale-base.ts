import { defineRule } from '../engine/rule';
import { displayImage } from '../model/registryNames';
import { ageInDays, factsFor, platformFacts, registryLabel, type ImageFacts } from '../model/imageFacts';
import { todayOf } from '../engine/clock';

const DEFAULT_DAYS = 180;

const facts = (created: string): ImageFacts => ({
  digest: `sha256:${'e'.repeat(64)}`,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  index: false,
  platforms: [
    {
      platform: 'linux/amd64',
      digest: `sha256:${'e'.repeat(64)}`,
      size: 3_600_000,
      config: { user: '', env: [], exposedPorts: [], labels: {}, created },
    },
  ],
  supplyChain: { cosign: 'absent', referrers: 'unknown', attestations: 'unknown' },
  fetchedAt: '2026-12-01T00:00:00.000Z',
});

export default defineRule({
  id: 'stale-base',
  severity: 'warning',
  summary: 'The image the shipped stage is built on was created long ago (its config, from the registry).',
  rationale: `An image is a snapshot of its distribution's packages on the day it was built. Official
images are rebuilt when their distribution publishes security fixes; a tag that stopped being rebuilt
(an old patch release such as \`python:3.11.4\`, an abandoned third-party image) or a pin that was never
updated keeps the packages of that day, and every fix since is missing from what ships.

The rule reads the \`created\` date of the shipped stage's base image from its config, as the registry
served it (hover, the pin actions or the CLI's \`--image-facts\`; linting never asks a registry), and
reports a base created more than 180 days before today (\`staleBaseDays\` in the configuration sets
the limit). It is silent on an image that was never looked up, and on a config without a date (some
reproducible builds leave it out, or set it to 1970: such dates are not reported either). Move to a
tag that is still maintained, or update the pin; \`stale-digest\` reports a pin whose tag has since
moved to a new build.`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM python:3.11.4-slim
#    ^^^^^^^^^^^^^^^^^^ stale-base
CMD ["python", "-m", "http.server"]
`,
    ],
    valid: [
      `FROM python:3.13-slim
CMD ["python", "-m", "http.server"]
`,
      `FROM python:3.11.4-slim AS build
FROM scratch
COPY --from=build /usr/local/bin/python3 /python3
`,
    ],
    options: {
      today: '2026-12-07',
      imageFacts: {
        'docker.io/library/python:3.11.4-slim': facts('2023-07-28T12:00:00Z'),
        'docker.io/library/python:3.13-slim': facts('2026-11-20T12:00:00Z'),
      },
    },
  },
  check({ model, options, report }) {
    const record = model.imageFacts;
    const s = model.shipped;
    const ref = s?.rootImage;
    if (!record || !s || !ref) return;
    const f = factsFor(record, ref);
    const from = s.chain.find((st) => st.base.kind === 'image' && st.base.ref === ref);
    const asked = from?.platform?.value && !from.platform.value.includes('$') ? from.platform.value : undefined;
    const created = f && platformFacts(f, asked)?.config?.created;
    if (!f || !created) return;
    // 1970 (SOURCE_DATE_EPOCH=0) and other placeholder dates say nothing about freshness.
    if (Date.parse(created) < Date.parse('2000-01-01T00:00:00Z')) return;
    const today = todayOf(options);
    const days = ageInDays(created, today);
    const limit = options.staleBaseDays ?? DEFAULT_DAYS;
    if (days === undefined || days <= limit) return;
    report({
      span: from?.imageSpan ?? s.imageSpan ?? s.from.span,
      message: `${displayImage(ref)} was created ${days} days ago (${created.slice(0, 10)}, by its config on ${registryLabel(ref.registry)}, read ${f.fetchedAt.slice(0, 10)}), more than the ${limit} allowed: it may lack the security fixes its distribution published since. Move to a maintained tag or update the pin.`,
    });
  },
});
