import { defineRule } from '../engine/rule';
import { hasVariable } from '../model/variables';
import { builtByProject } from '../model/officialImages';
import { runtimeOf } from '../model/runtime';

export default defineRule({
  id: 'latest-tag',
  severity: 'warning',
  enabled: false,
  summary: 'FROM uses the latest tag, or no tag at all.',
  rationale: `\`latest\` (which is what no tag means) moves with every upstream release: the same
Dockerfile builds a different image next week, a rebuild can pull a new major version, and nobody can
tell which base a running image came from. Name a version tag (\`alpine:3.20\`), and pin it by digest
for production (see \`unpinned-digest\`).

Not reported for \`scratch\`, for stage names, for a reference pinned by digest, for an image the
project builds itself (named as a local build, \`localhost/app\`, or a bare name that is not one of
Docker Hub's official images: \`FROM myproject-base\` is what another build of the project tagged,
with no upstream releases), or for a reference written with a build argument (\`FROM $BASE_IMAGE\`,
\`FROM alpine:\${TAG}\`, \`FROM \${NAMESPACE}/node-base:\${VERSION}\`): the pipeline passes that
argument, and its default is a stand-in for local builds (judged on real files, such defaults were
overridden by every build that mattered; hadolint does not substitute arguments either). Nor in a
development or CI image, or an example (by its file name or directory), which is rebuilt where it is
used.

Not reported either where a version tag does not exist or adds nothing: distroless publishes none
(\`latest\`, \`nonroot\`, \`debug\` are how it is used; its repositories name the Debian release, or
follow the current one), a Red Hat UBI repository names its major release (\`ubi9-minimal\`:
its latest moves only within RHEL 9, as \`alpine:3\` does within Alpine 3), and a rolling
distribution (\`kalilinux/kali-rolling\`) has no releases. Pin those by digest where
reproducible builds matter (unpinned-digest).

**Off by default.** Judged on real files (docs/precision.md), after every exemption above, 3 of 8
sampled findings were right, 2 wrong and 3 arguable: the floating tags left on the corpus are mostly
a project's own published image, a bootstrap stage whose toolchain is overridden, or a helper kept
floating on purpose, which the file does not say. Turn it on with \`rules: { latest-tag: warning }\`
in \`.dockerfile-hardener.yaml\`; \`.hadolint.yaml\`'s \`override\` of DL3006/DL3007 turns it on too.`,
  differences: `hadolint splits this into DL3006 (no tag) and DL3007 (\`:latest\`); an ignore comment for
either silences the matching case here.`,
  equivalents: { hadolint: ['DL3006', 'DL3007'] },
  examples: {
    invalid: [
      `FROM alpine
#    ^^^^^^ latest-tag
`,
      `FROM golang:latest AS build
#           ^^^^^^ latest-tag
`,
    ],
    valid: [
      `FROM alpine:3.20
`,
      `FROM alpine@sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5
`,
      `FROM golang:1.22 AS build
FROM build
`,
      `ARG TAG
FROM alpine:\${TAG}
`,
      `FROM scratch
`,
    ],
  },
  check({ model, report }) {
    // A development or CI image (or an example) is rebuilt where it is used: a moving tag is its point.
    const role = model.shipped ? runtimeOf(model.shipped).role.kind : undefined;
    if (role === 'dev' || role === 'ci') return;
    for (const s of model.stages) {
      if (s.base.kind !== 'image') continue;
      const ref = s.base.ref;
      // A reference written with a build argument is what the pipeline passes; its default is a stand-in.
      if (ref.digest !== undefined || builtByProject(ref) || hasVariable(s.imageRaw, model.escapeChar)) continue;
      // Distroless publishes no version tags (latest, nonroot, debug are how it is used), and a UBI
      // repository names its major release (ubi9-minimal): its latest moves only within that release.
      if (/^gcr\.io\/distroless\//.test(`${ref.registry}/${ref.repository}`)) continue;
      if (/(^|\/)ubi\d+(-(minimal|micro|init))?(\/ubi(-(minimal|micro|init))?)?$/.test(ref.repository)) continue;
      // A rolling distribution (kalilinux/kali-rolling) has no releases to name.
      if (/-rolling$/.test(ref.repository)) continue;
      const written = ref.tag === undefined ? ref.name : `${ref.name}:${ref.tag}`;
      const what = written;
      if (ref.tag === undefined) {
        report({
          span: ref.nameSpan,
          message: `${what} has no tag, so it builds from :latest, which changes with every release. Name a version tag.`,
          hadolint: ['DL3006'],
        });
      } else if (ref.tag === 'latest') {
        report({
          span: ref.tagSpan ?? ref.span,
          message: `${what} changes with every release. Name a version tag.`,
          hadolint: ['DL3007'],
        });
      }
    }
  },
});
