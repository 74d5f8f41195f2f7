import { defineRule, type Fix } from '../engine/rule';
import { EditBuilder } from '../engine/edits';
import type { DockerfileModel, Stage } from '../model/model';
import type { Span } from '../model/text';

/**
 * Where the file names the stage: `FROM name`, `COPY --from=name`, `RUN --mount=from=name`, written
 * as a literal (a variable is left as it is: the builder matches it without regard to case anyway).
 * ONBUILD triggers are left out: a name there is a stage of the build that uses the image.
 */
function references(model: DockerfileModel, stage: Stage, lower: string): Span[] {
  const out: Span[] = [];
  const names = (raw: string | null | undefined) => raw !== null && raw !== undefined && raw.toLowerCase() === lower;
  for (const s of model.stages) {
    if (s.base.kind === 'stage' && s.base.stage === stage && s.imageSpan && names(s.imageRaw)) out.push(s.imageSpan);
    for (const c of s.copies) {
      if (c.instr.onbuild || !c.from || c.from.source.kind !== 'stage' || c.from.source.stage !== stage) continue;
      if (names(c.from.raw)) out.push(c.from.span);
    }
    for (const r of s.runs) {
      if (r.instr.onbuild) continue;
      for (const m of r.mounts)
        for (const o of m.options) if (o.name.toLowerCase() === 'from' && o.valueSpan && names(o.value)) out.push(o.valueSpan);
    }
  }
  return out;
}

export default defineRule({
  id: 'stage-name-casing',
  severity: 'info',
  summary: 'A stage name with upper-case letters: the builder reads stage names in lower case.',
  rationale: `The builder lower-cases stage names: \`FROM golang AS Build\` defines the stage \`build\`, and
\`--from=BUILD\`, \`--from=build\` and \`--target Build\` all name it. Written in mixed case, the name
suggests a distinction the builder does not make, and looks like an image reference or a keyword.
Write stage names in lower case (\`builder-base\`, not \`BuilderBase\`).

The fix lower-cases the name and the places the file names it (\`FROM\`, \`COPY --from\`,
\`RUN --mount=from\`). Since the builder already reads the name in lower case, this changes nothing it
does, nor a \`--target\` given on the command line; the fix is not offered when another stage has the
same name in another case.`,
  equivalents: { buildkit: ['StageNameCasing'] },
  examples: {
    invalid: [
      `FROM golang:1.22 AS Build
#                   ^^^^^ stage-name-casing
RUN go build -o /out/app .
FROM alpine:3.20
COPY --from=Build /out/app /app
`,
    ],
    fixes: [
      {
        before: `FROM golang:1.22 AS Build\nRUN go build -o /out/app .\nFROM alpine:3.20\nCOPY --from=Build /out/app /app\n`,
        after: `FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM alpine:3.20\nCOPY --from=build /out/app /app\n`,
      },
    ],
    valid: [
      `FROM golang:1.22 AS build-base
FROM build-base AS build
RUN go build -o /out/app .
`,
    ],
  },
  check({ model, report }) {
    for (const stage of model.stages) {
      const name = stage.name;
      if (!name || !stage.nameSpan || name === name.toLowerCase()) continue;
      // `FROM image AS name` with nothing after the name (the builder rejects anything else).
      if (model.instructionNode(stage.from).getArguments().length !== 3) continue;
      const lower = name.toLowerCase();
      const twin = model.stages.some((s) => s !== stage && s.name?.toLowerCase() === lower);
      const fixes: Fix[] = twin
        ? []
        : [
            {
              title: `Rename the stage ${lower}`,
              kind: 'safe',
              preferred: true,
              edits: () => {
                const b = new EditBuilder(model).replace(stage.nameSpan!, lower);
                for (const span of references(model, stage, lower)) b.replace(span, lower);
                return b.build();
              },
            },
          ];
      report({
        span: stage.nameSpan,
        message: `Stage name '${name}' has upper-case letters; the builder reads it as '${lower}': write it so.`,
        fixes,
      });
    }
  },
});
