/**
 * Re-linting a long Dockerfile while it is edited, re-checking only what an edit can change.
 *
 * A stage's findings depend on its own text, on the stages it is linked to (its base `FROM <stage>`,
 * the stages it copies or mounts from, and in turn those that build on it or copy from it: a rule may
 * look either way along a link, e.g. go-cgo-in-scratch looks from a build stage at the scratch stage
 * that copies its binary), and on what every stage sees: the lines before the first FROM (global ARGs,
 * parser directives), the FROM lines (stage names, bases, indexes, which stage ships), global ignore
 * comments and the lint options. So:
 *
 *   - the document is cut into regions, one per stage, each from just after the previous stage's last
 *     instruction (so the comments above a FROM belong to its stage) to the next region;
 *   - stages linked as above form groups; a group whose regions' text is unchanged keeps its findings,
 *     moved by whole lines when text before it grew or shrank;
 *   - the groups that changed are linted together, in a model of the document that has all of their
 *     instructions but only the FROM instructions of the other stages (the same text, so offsets and
 *     positions are those of the document; the rules read the text only through the model's
 *     instructions and, for ignore comments, the comment lines, which are all still there);
 *   - anything that every stage sees changing, a link that cannot be resolved from the text (a
 *     variable in `--from`), or a document too small to gain from this, is linted whole.
 *
 * Findings that mention a line number are never moved: their group is re-linted. The result equals a
 * full lint of the document, which test/corpus/incremental.test.ts checks over the corpus and the
 * stress files with random edits. Findings from a partial lint carry no fixes (they were built against
 * a partial model, or an older version): code actions lint the document whole, on demand.
 */
import { lintModel } from './lint';
import { modelOptions, sortFindings, withoutBom, type Finding, type LintOptions, type LintResult } from '../engine/findings';
import { DockerfileModel } from '../model/model';
import { outline, type Outline, type Piece } from '../model/outline';
import { LineIndex } from '../model/text';

/** Below this many stages a whole lint is about as fast, and simpler. */
const MIN_STAGES = 8;

export interface IncrementalResult {
  findings: Finding[];
  /** Set when the document was linted whole: its result, fixes and model included. */
  full?: LintResult;
}

interface Group {
  stages: number[];
  /** Each stage's region text, in the version the findings were computed for. */
  texts: string[];
  /** Each stage's region start line then. */
  startLines: number[];
  /** Per stage, its findings with lines relative to its region start. */
  findings: Finding[][];
  /** A finding message cites a line number: the findings cannot be moved. */
  citesLines: boolean;
}

interface Layout {
  outline: Outline;
  pieces: Piece[];
  /** Indexes (into pieces) of the FROM instructions. */
  froms: number[];
  /** Region start offsets per stage, and the end of the last one (the text length). */
  regionStarts: number[];
  regionStartLines: number[];
  lines: LineIndex;
}

export class IncrementalLinter {
  private globalKey?: string;
  private groups = new Map<string, Group>();
  private prelude: Finding[] = [];

  lint(text: string, options: LintOptions = {}): IncrementalResult {
    const t = withoutBom(text);
    // The outline is made once per version: a document linted whole is built from it too.
    const lines = new LineIndex(t);
    const o = outline(t, lines.lineStarts);
    const layout = this.layout(t, o, lines);
    if (!layout) return this.whole(t, o, lines, options);
    const { froms, regionStarts, regionStartLines, pieces } = layout;
    const regionText = (k: number) => t.slice(regionStarts[k], regionStarts[k + 1]);

    // What every stage sees.
    const preludeText = t.slice(0, regionStarts[0]);
    const fromTexts = froms.map((i) => t.slice(pieces[i].start, pieces[i].end));
    const skeleton = new DockerfileModel(directiveLines(t) + preludeText + '\n' + fromTexts.join('\n') + '\n', {
      targetStage: options.targetStage,
    });
    if (skeleton.stages.length !== froms.length || skeleton.stages.some((s) => s.implicit))
      return this.whole(t, layout.outline, layout.lines, options);
    const globalKey = JSON.stringify([
      optionsKey(options),
      directiveLines(t),
      preludeText,
      fromTexts,
      globalIgnores(t, layout.lines),
      skeleton.shipped?.index,
      skeleton.targetMissing,
    ]);

    const groups = this.group(t, layout, skeleton);
    if (!groups) return this.whole(t, layout.outline, layout.lines, options);
    if (globalKey !== this.globalKey) return this.whole(t, layout.outline, layout.lines, options, layout, groups, globalKey);

    // Which groups changed.
    const kept = new Map<string, Group>();
    const dirty: number[][] = [];
    for (const stages of groups) {
      const key = stages.join(',');
      const old = this.groups.get(key);
      const same = old && stages.every((k, n) => old.texts[n] === regionText(k));
      const moved = old && stages.some((k, n) => old.startLines[n] !== regionStartLines[k]);
      if (old && same && !(moved && old.citesLines)) kept.set(key, old);
      else dirty.push(stages);
    }
    const dirtyStages = new Set(dirty.flat());
    if (dirtyStages.size * 2 > froms.length) return this.whole(t, layout.outline, layout.lines, options, layout, groups, globalKey);

    let partial: Finding[] = [];
    if (dirty.length) {
      // The document's model with only the changed groups' instructions and every FROM.
      const kept = pieces.slice(0, froms[0]);
      for (let k = 0; k < froms.length; k++) {
        const last = k + 1 < froms.length ? froms[k + 1] : pieces.length;
        if (dirtyStages.has(k)) for (let i = froms[k]; i < last; i++) kept.push(pieces[i]);
        else kept.push(pieces[froms[k]]);
      }
      const model = new DockerfileModel(t, { ...modelOptions(options), outline: { ...layout.outline, pieces: kept }, lines: layout.lines });
      partial = lintModel(model, options);
    }
    const byRegion = splitByRegion(partial, regionStartLines);
    // The lines before the first stage are unchanged (they are part of the global key); their findings
    // come from the partial lint when there was one, which saw them with every FROM line.
    if (dirty.length) this.prelude = byRegion.prelude;
    const findings: Finding[] = [...this.prelude];
    const next = new Map<string, Group>();
    for (const stages of groups) {
      const key = stages.join(',');
      const old = kept.get(key);
      const group = old
        ? moveGroup(old, stages, regionStartLines)
        : newGroup(stages, stages.map(regionText), regionStartLines, byRegion.stages);
      next.set(key, group);
    }
    this.groups = next;
    for (let k = 0; k < froms.length; k++) {
      const g = next.get(groupOf(groups, k))!;
      const n = g.stages.indexOf(k);
      for (const f of g.findings[n]) findings.push(shift(f, regionStartLines[k]));
    }
    return { findings: sortFindings(findings) };
  }

  /** Lints the document whole, and remembers each group's findings when the layout is known. */
  private whole(
    t: string,
    o: Outline,
    lines: LineIndex,
    options: LintOptions,
    layout?: Layout,
    groups?: number[][],
    globalKey?: string,
  ): IncrementalResult {
    const model = new DockerfileModel(t, { ...modelOptions(options), outline: o, lines });
    const full: LintResult = { findings: lintModel(model, options), model };
    this.groups = new Map();
    this.globalKey = globalKey;
    if (layout && groups && globalKey !== undefined) {
      const byRegion = splitByRegion(full.findings.map(plain), layout.regionStartLines);
      this.prelude = byRegion.prelude;
      for (const stages of groups) {
        const texts = stages.map((k) => t.slice(layout.regionStarts[k], layout.regionStarts[k + 1]));
        this.groups.set(stages.join(','), newGroup(stages, texts, layout.regionStartLines, byRegion.stages));
      }
    }
    return { findings: full.findings, full };
  }

  /** The stages and their regions, or undefined when the document is linted whole anyway. */
  private layout(t: string, o: Outline, lines: LineIndex): Layout | undefined {
    const pieces = o.pieces;
    const froms: number[] = [];
    for (let i = 0; i < pieces.length; i++) if (pieces[i].word.toUpperCase() === 'FROM') froms.push(i);
    if (froms.length < MIN_STAGES) return undefined;
    // Instructions before the first FROM other than ARG make a stage of their own: keep it simple.
    for (let i = 0; i < froms[0]; i++) if (pieces[i].word.toUpperCase() !== 'ARG') return undefined;
    const lineAfter = (offset: number) => {
      const line = lines.positionAt(offset).line + 1;
      return line < lines.lineCount ? lines.lineStarts[line] : t.length;
    };
    const regionStarts = froms.map((i) => (i === 0 ? 0 : lineAfter(pieces[i - 1].end)));
    regionStarts.push(t.length);
    const regionStartLines = regionStarts.map((o) => lines.positionAt(o).line);
    return { outline: o, pieces, froms, regionStarts, regionStartLines, lines };
  }

  /**
   * Groups of linked stages (sorted stage indexes), or undefined when a link cannot be read from the
   * text. Links: FROM <stage> (resolved by the skeleton model, as the full model resolves it), and
   * every `from=` in a stage's COPY, ADD, RUN or ONBUILD instructions (a stage name or index; any
   * stage of that name is linked, whether or not the builder would resolve to it).
   */
  private group(t: string, layout: Layout, skeleton: DockerfileModel): number[][] | undefined {
    const { pieces, froms } = layout;
    const n = froms.length;
    const parent = Array.from({ length: n }, (_, k) => k);
    const find = (k: number): number => (parent[k] === k ? k : (parent[k] = find(parent[k])));
    const link = (a: number, b: number) => {
      parent[find(a)] = find(b);
    };
    for (const s of skeleton.stages) if (s.base.kind === 'stage') link(s.index, s.base.stage.index);
    const byName = new Map<string, number[]>();
    for (const s of skeleton.stages) if (s.name) byName.set(s.name.toLowerCase(), [...(byName.get(s.name.toLowerCase()) ?? []), s.index]);
    for (let k = 0; k < n; k++) {
      const last = k + 1 < n ? froms[k + 1] : pieces.length;
      for (let i = froms[k] + 1; i < last; i++) {
        const p = pieces[i];
        const word = p.word.toUpperCase();
        if (word !== 'COPY' && word !== 'ADD' && word !== 'RUN' && word !== 'ONBUILD') continue;
        const body = t.slice(p.keywordEnd, p.end);
        if (!/from/i.test(body)) continue;
        const re = /from\s*=\s*["']?([^\s,"']*)/gi;
        for (let m = re.exec(body); m; m = re.exec(body)) {
          const value = m[1];
          if (/[$`\\]/.test(value)) return undefined;
          if (/^\d+$/.test(value)) {
            if (Number(value) < n) link(k, Number(value));
            continue;
          }
          for (const other of byName.get(value.toLowerCase()) ?? []) link(k, other);
        }
      }
    }
    const groups = new Map<number, number[]>();
    for (let k = 0; k < n; k++) {
      const root = find(k);
      if (!groups.has(root)) groups.set(root, []);
      groups.get(root)!.push(k);
    }
    return [...groups.values()];
  }
}

function groupOf(groups: number[][], k: number): string {
  return groups.find((g) => g.includes(k))!.join(',');
}

/** The comment lines at the top of the document, parser directives among them (the escape character). */
function directiveLines(t: string): string {
  const m = /^(?:[ \t]*#[^\r\n]*(?:\r\n|\r|\n))*/.exec(t);
  return m ? m[0] : '';
}

/** Lines that may hold a global ignore comment (they apply to the whole document). */
function globalIgnores(t: string, lines: LineIndex): string[] {
  const out: string[] = [];
  const re = /global/gi;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    const line = lines.positionAt(m.index).line;
    const text = lines.lineText(line);
    if (/^\s*#/.test(text) && /ignore/i.test(text)) out.push(text);
    re.lastIndex = lines.lineEnd(line);
  }
  return out;
}

/** The lint options as a comparable string (sets and maps included, callbacks left out). */
function optionsKey(options: LintOptions): string {
  return JSON.stringify(options, (_k, v: unknown) =>
    v instanceof Set ? [...v].sort() : v instanceof Map ? [...v.entries()].sort() : typeof v === 'function' ? undefined : v,
  );
}

/** A finding without its fixes (built against another text than the one it is shown for). */
function plain(f: Finding): Finding {
  return { rule: f.rule, severity: f.severity, message: f.message, range: f.range };
}

function shift(f: Finding, lines: number): Finding {
  if (!lines) return f;
  const { start, end } = f.range;
  return {
    ...f,
    range: { start: { line: start.line + lines, character: start.character }, end: { line: end.line + lines, character: end.character } },
  };
}

/** Findings by the region their start is in: before the first stage, or per stage (lines made relative). */
function splitByRegion(findings: Finding[], startLines: number[]): { prelude: Finding[]; stages: Map<number, Finding[]> } {
  const prelude: Finding[] = [];
  const stages = new Map<number, Finding[]>();
  for (const f of findings) {
    const line = f.range.start.line;
    let lo = 0;
    let hi = startLines.length - 2;
    let k = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (startLines[mid] <= line) {
        k = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (k < 0) prelude.push(plain(f));
    else {
      if (!stages.has(k)) stages.set(k, []);
      stages.get(k)!.push(shift(plain(f), -startLines[k]));
    }
  }
  return { prelude, stages };
}

function newGroup(stages: number[], texts: string[], startLines: number[], byStage: Map<number, Finding[]>): Group {
  const findings = stages.map((k) => byStage.get(k) ?? []);
  return {
    stages,
    texts,
    startLines: stages.map((k) => startLines[k]),
    findings,
    citesLines: findings.some((fs) => fs.some((f) => /\bline \d/.test(f.message))),
  };
}

function moveGroup(g: Group, stages: number[], startLines: number[]): Group {
  return { ...g, startLines: stages.map((k) => startLines[k]) };
}
