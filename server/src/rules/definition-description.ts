import { defineRule } from '../engine/rule';
import type { DockerfileModel, Instr } from '../model/model';
import type { Span } from '../model/text';

/** Comments that are instructions to a tool (`# check=…`, `# hadolint ignore=…`), not descriptions. */
const TOOL_COMMENT = /^(?:check\s*=|syntax\s*=|escape\s*=|hadolint\b|dockerfile-hardener\b|noqa\b|trivy:|checkov:|kics\b|nosec\b)/i;

/**
 * The comment on the line right above an instruction, the last of the comment lines that touch it (a
 * blank line in between means it is not about the instruction). undefined when there is none, or it
 * is empty (`#` alone separates a description from the instruction too).
 */
function commentAbove(model: DockerfileModel, instr: Instr, previousEnd: number): { text: string; span: Span } | undefined {
  const lines = model.lines;
  const line = lines.positionAt(instr.span.start).line - 1;
  if (line < 0 || lines.lineStarts[line] < previousEnd) return undefined;
  const raw = lines.lineText(line);
  const m = /^[ \t]*#(.*)$/.exec(raw);
  if (!m) return undefined;
  const text = m[1].trim();
  if (text === '' || TOOL_COMMENT.test(text)) return undefined;
  const start = lines.lineStarts[line] + raw.indexOf('#');
  return { text, span: { start, end: lines.lineStarts[line] + raw.trimEnd().length } };
}

/** The names an ARG declares, or the stage name of `FROM image AS name`, with the span to report. */
function definedNames(model: DockerfileModel, instr: Instr): { what: string; names: string[]; span: Span } | undefined {
  const sameLine = (s: Span) => model.lines.positionAt(s.start).line === model.lines.positionAt(instr.span.start).line;
  if (instr.keyword === 'ARG') {
    const decls = model.declarations.filter((d) => d.instr === instr);
    if (!decls.length) return undefined;
    const first = decls[0].nameSpan;
    return { what: 'ARG', names: decls.map((d) => d.name), span: decls.length === 1 && sameLine(first) ? first : instr.keywordSpan };
  }
  if (instr.keyword === 'FROM' && instr.stage?.name && instr.stage.nameSpan) {
    const s = instr.stage.nameSpan;
    return { what: 'stage', names: [instr.stage.name], span: sameLine(s) ? s : instr.keywordSpan };
  }
  return undefined;
}

export default defineRule({
  id: 'definition-description',
  severity: 'info',
  enabled: false,
  summary: 'A comment right above an ARG or a named stage that does not start with the name it would describe.',
  rationale: `\`docker build --call=outline\` and \`--call=targets\` list a Dockerfile's build arguments and stages
with a description: the comment right above the ARG or \`FROM … AS name\`, when it starts with the
name (\`# VERSION is the release to build\`). A comment there that starts otherwise is shown as
nothing, or was not meant as a description at all. Start it with the name, or put a blank line
between the comment and the instruction.

Off by default, as in BuildKit (where the check is experimental): most comments above an ARG are
notes, not descriptions.`,
  equivalents: { buildkit: ['InvalidDefinitionDescription'] },
  differences: `Unlike BuildKit, a comment that is an instruction to a tool (\`# check=skip=…\`,
\`# hadolint ignore=…\`, a parser directive) is not read as a description. A stage name is compared as
written (BuildKit compares the lower-cased name, so \`# Build …\` above \`AS Build\` is reported there).`,
  examples: {
    invalid: [
      `# the Go toolchain release
ARG GO_VERSION=1.22
#   ^^^^^^^^^^ definition-description
FROM golang:\${GO_VERSION} AS build
`,
    ],
    valid: [
      `# GO_VERSION is the Go toolchain release
ARG GO_VERSION=1.22
# build compiles the server
FROM golang:\${GO_VERSION} AS build
# a note, kept apart from the ARG by a blank line

ARG TARGETOS
`,
    ],
  },
  check({ model, report }) {
    let previousEnd = 0;
    for (const instr of model.instructions) {
      const end = previousEnd;
      previousEnd = instr.span.end;
      const defined = definedNames(model, instr);
      if (!defined) continue;
      const comment = commentAbove(model, instr, end);
      if (!comment) continue;
      const word = comment.text.split(/\s+/)[0];
      if (defined.names.includes(word)) continue;
      const example = defined.names.length === 1 ? defined.names[0] : '<name>';
      report({
        span: defined.span,
        message: `The comment above this ${defined.what} does not start with ${
          defined.names.length === 1 ? `its name` : `one of its names`
        }, so it is not its description: write \`# ${example} <description>\`, or put a blank line between them.`,
      });
    }
  },
});
