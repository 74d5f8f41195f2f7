import { defineRule } from '../engine/rule';
import { endOffset } from '../model/logical';
import type { Declaration, DockerfileModel, Instr, Stage } from '../model/model';
import type { Span } from '../model/text';
import { PREDEFINED_ARGS, variableReferences } from '../model/variables';

/** Instructions whose arguments the builder substitutes (RUN, CMD, ENTRYPOINT: the shell does, at run time). */
const EXPANDED = new Set(['ENV', 'ARG', 'LABEL', 'COPY', 'ADD', 'WORKDIR', 'USER', 'VOLUME', 'STOPSIGNAL']);
/** Flags the builder substitutes too. */
const EXPANDED_FLAGS: Record<string, Set<string>> = {
  COPY: new Set(['chown', 'chmod']),
  ADD: new Set(['chown', 'chmod', 'checksum']),
  RUN: new Set(['mount']),
};

interface Ref {
  name: string;
  span: Span;
  /** For ARG and ENV: the offset of the value's name, to tell what the same instruction declared before it. */
  at: number;
}

/** The `$NAME` references the builder substitutes in an instruction (no `${NAME:-…}`-style ones: those expect an unset NAME). */
function referencesOf(model: DockerfileModel, instr: Instr): Ref[] {
  const out: Ref[] = [];
  for (const f of instr.flags) {
    if (!EXPANDED_FLAGS[instr.keyword]?.has(f.name.toLowerCase()) || f.value === null || !f.valueSpan) continue;
    const written = model.text.slice(f.valueSpan.start, f.valueSpan.end) === f.value;
    for (const r of variableReferences(f.value, model.escapeChar))
      if (!r.modifier)
        out.push({
          name: r.name,
          span: written ? { start: f.valueSpan.start + r.start, end: f.valueSpan.start + r.end } : f.valueSpan,
          at: 0,
        });
  }
  if (!EXPANDED.has(instr.keyword)) return out;
  const logical = model.argumentsOf(instr);
  let text = logical.text;
  // A heredoc's body (`COPY <<EOF /dest`) is file content, not arguments.
  if ((instr.keyword === 'COPY' || instr.keyword === 'ADD') && text.includes('<<')) text = text.split('\n')[0];
  for (const r of variableReferences(text, model.escapeChar)) {
    if (r.modifier) continue;
    const span = { start: logical.at(r.start), end: endOffset(logical, r.end) };
    out.push({ name: r.name, span, at: span.start });
  }
  return out;
}

/**
 * Whether `a` is one edit from `b`: a character added, dropped or changed, or two neighbours swapped
 * (`PAHT` for `PATH`). Two edits are too many: `GOPATH` (which the golang image sets) is two from `PATH`.
 */
function oneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  if (a.length === b.length)
    return a.slice(i + 1) === b.slice(i + 1) || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** A known name the reference likely misspells (both 4 characters or longer). */
function suggestion(name: string, known: Iterable<string>): string | undefined {
  if (name.length < 4) return undefined;
  for (const k of known) if (k.length >= 4 && oneEditApart(name, k)) return k;
  return undefined;
}

export default defineRule({
  id: 'undefined-variable',
  severity: 'warning',
  summary: 'An instruction uses a variable that no ARG or ENV in scope declares: the builder makes it empty.',
  rationale: `The builder substitutes \`$NAME\` in ENV, ARG, LABEL, COPY, ADD, WORKDIR, USER, VOLUME and
STOPSIGNAL (and in COPY/ADD's \`--chown\`/\`--chmod\`, RUN's \`--mount\`) with what ARG and ENV of the stage
(and the stages it is built on, and its base image) set; a name nothing sets becomes an empty string
without a word. A typo (\`$PAHT\`), a global ARG not declared again in the stage, or a name used before its
ARG quietly copies the wrong files or sets the wrong value. Declare it (\`ARG NAME\`) where it is used.`,
  differences: `BuildKit knows the base image's ENV; this rule does not, so it reports a name only where
that cannot matter or is unlikely to: in stages built on \`scratch\` (which sets only PATH), a name this
Dockerfile declares later in the stage or as a global ARG but not in scope, and a likely
typo of a name in scope (one edit away; BuildKit suggests up to two, but \`GOPATH\`, which the golang image
sets, is two edits from \`PATH\`). Other names may come from the base image and are not reported. \`\${NAME:-default}\`
and the other forms that say what to do when NAME is unset are not reported (BuildKit does).`,
  equivalents: { buildkit: ['UndefinedVar'] },
  examples: {
    invalid: [
      `FROM alpine:3.20
ARG APP_VERSION=1.4.2
LABEL version=$APP_VERSON
#             ^^^^^^^^^^^ undefined-variable
`,
      `ARG VERSION=1.4.2
FROM scratch
COPY app-$VERSION /app
#        ^^^^^^^^ undefined-variable
`,
    ],
    valid: [
      `ARG VERSION=1.4.2
FROM golang:1.22
ARG VERSION
COPY app-$VERSION /app
WORKDIR $GOPATH/src
RUN echo "$HOME"
`,
    ],
  },
  check({ model, report }) {
    const byName = new Map<string, Declaration[]>();
    for (const d of model.declarations) byName.set(d.name, [...(byName.get(d.name) ?? []), d]);
    for (const s of model.stages) checkStage(model, s, byName, report);
  },
});

function checkStage(
  model: DockerfileModel,
  s: Stage,
  byName: Map<string, Declaration[]>,
  report: (r: { span: Span; message: string }) => void,
): void {
  const chain = s.chain;
  const scratch = s.root.kind === 'scratch';
  // What the stages this one is built on declare (all of it: a stage inherits their end state).
  const known = new Set<string>(['PATH']);
  const own = (d: Declaration) => d.stage === s;
  for (const d of model.declarations) if (d.stage && d.stage !== s && chain.includes(d.stage)) known.add(d.name);
  const decls = model.declarations.filter(own);
  for (const instr of s.instructions) {
    if (instr.onbuild) continue;
    const mine = decls.filter((d) => d.instr === instr);
    const seen = new Set<string>();
    for (const ref of referencesOf(model, instr)) {
      if (known.has(ref.name) || PREDEFINED_ARGS.has(ref.name) || seen.has(ref.name)) continue;
      const before = mine.filter((d) => d.nameSpan.start < ref.at);
      // ARG declares its names one after the other; ENV's values see what was set before it (env-same-statement-reference).
      if (before.some((d) => d.name === ref.name)) continue;
      seen.add(ref.name);
      const message = messageFor(model, s, instr, ref.name, scratch, known, byName.get(ref.name) ?? []);
      if (message) report({ span: ref.span, message });
    }
    for (const d of mine) known.add(d.name);
  }
}

function messageFor(
  model: DockerfileModel,
  s: Stage,
  instr: Instr,
  name: string,
  scratch: boolean,
  known: Set<string>,
  declared: Declaration[],
): string | undefined {
  const $ = `$${name}`;
  const later = declared.find((d) => d.stage === s && d.instr.span.start >= instr.span.start);
  // A global ARG (every stage sees the lines before the first FROM). Another stage's ARG is not read:
  // what a stage's findings say depends only on it, the stages it is linked to and the global lines.
  const global = declared.find((d) => !d.stage);
  const typo = suggestion(name, known);
  const unless = scratch ? 'it is empty here' : 'unless the base image sets it, it is empty here';
  if (later)
    return `${$} is used before the ${later.keyword} that declares it (line ${model.range(later.nameSpan).start.line + 1}): ${unless}. Declare it before this line.`;
  if (global)
    return `${$} is a global ARG (before the first FROM), which only FROM lines see: ${unless}. Declare \`ARG ${name}\` in this stage.`;
  if (typo) return `${$} is not declared in this stage or the stages it is built on (did you mean $${typo}?): ${unless}.`;
  if (scratch)
    return `${$} is not declared: no ARG or ENV of this stage or the stages it is built on sets it, and scratch sets only PATH, so it is empty here.`;
  return undefined;
}
