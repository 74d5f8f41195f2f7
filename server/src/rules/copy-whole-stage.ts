import { defineRule } from '../engine/rule';
import { toolchainOf } from '../model/knownImages';

export default defineRule({
  id: 'copy-whole-stage',
  severity: 'info',
  summary: 'COPY --from=<stage> / /: the whole filesystem of another image or stage.',
  rationale: `A multi-stage build keeps the final image small by copying only what the program needs from the
builder. \`COPY --from=build / /\` copies every file of that stage instead: its package manager and
caches, its compilers, whatever it downloaded. Copy the directories the image uses
(\`COPY --from=build /app /app\`).

Reported where the tool knows what the source holds: a stage built on a toolchain image (golang,
maven, the .NET SDK…). A stage built \`FROM scratch\` holds only what was put in it, and copying it whole is
how a root filesystem is assembled; helper images made to be copied whole (cross-compilation
helpers such as tonistiigi/xx) and stages on images the tool does not know are not judged.`,
  equivalents: { hadolint: ['DL3067'] },
  differences: `hadolint (DL3067) reports every copy of \`/\` to \`/\`; this rule only one from a stage built on a
known toolchain image (golang, maven, the .NET SDK…). Judged on real files, the others were helper images made to be copied whole
(tonistiigi/xx, 25 of 36) and root filesystems assembled on purpose.`,
  examples: {
    invalid: [
      `FROM golang:1.22 AS build
RUN go build -o /app/server .
FROM gcr.io/distroless/static-debian12
COPY --from=build / /
#                 ^ copy-whole-stage
`,
    ],
    valid: [
      `FROM golang:1.22 AS build
RUN go build -o /out/server . && mkdir -p /rootfs/app && cp /out/server /rootfs/app/
FROM scratch AS rootfs
COPY --from=build /rootfs /
FROM gcr.io/distroless/static-debian12
COPY --from=rootfs / /
COPY --from=build /out/server /app/server
`,
    ],
  },
  check({ model, report }) {
    const bare = (raw: string) => raw.replace(/^(["'])(.*)\1$/, '$2');
    for (const s of model.stages) {
      for (const copy of s.copies) {
        const from = copy.from;
        if (!from || copy.sources.length !== 1 || !copy.dest) continue;
        if (bare(copy.sources[0].raw) !== '/' || bare(copy.dest.raw) !== '/') continue;
        const root = from.source.kind === 'stage' ? from.source.stage.rootImage : undefined;
        const toolchain = root && toolchainOf(root);
        if (!toolchain) continue;
        const what = `stage ${from.raw} (built on ${root.name}: ${toolchain})`;
        report({
          span: copy.sources[0].span,
          message: `Copies the whole filesystem of ${what} (its tools, package caches and sources too): copy only the paths the image needs.`,
        });
      }
    }
  },
});
