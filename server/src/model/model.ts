/**
 * The Dockerfile model: parsed once per document version with dockerfile-ast, then read by every
 * rule. It knows the stages and what each inherits (USER, ENV, SHELL, WORKDIR, files copied in),
 * which stage ships, image references with build arguments substituted, and RUN commands as shell
 * words with exact source offsets. Anything the text does not fix is `undefined` (unknown), so that
 * rules can stay silent instead of guessing.
 */
import { DockerfileParser, type Dockerfile, type Instruction, type Flag as AstFlag, type Property } from 'dockerfile-ast';
import { LineIndex, lastAtOrBefore, type Span, type Range } from './text';
import { outline, type Outline, type Piece } from './outline';
import { endOffset, firstNonBlank, logicalArguments, LogicalText, unfoldLine } from './logical';
import type { ShellScript, SimpleCommand, Word } from './shell';
import { expandWord, PREDEFINED_ARGS, type Scope } from './variables';
import { parseImageRef } from './imageRef';
import { resolvePath } from './paths';
import type { BuildContext } from './context';
import type { RoleKind } from './runtime';
import { Stage } from './stage';
import { copyInfo, runInfo, userInfo } from './instructionInfo';
import { decodeJsonArray } from './json';
import type { ImageFactsRecord } from './imageFacts';
import type { ArgDecl, Base, CommandArgs, CopySource, Declaration, Directives, FlagInfo, Instr, ModelOptions } from './types';

export * from './types';
export { Stage } from './stage';
export { decodeJsonArray } from './json';

/** An instruction as read from its piece of the outline. */
export interface PieceRead {
  keyword: string;
  span: Span;
  keywordSpan: Span;
  /** Its dockerfile-ast object, where it was needed to read the instruction. */
  node?: Instruction;
  flags: FlagInfo[];
}

/**
 * A named context's name, or a FROM image, as the builder matches one with the other: in the short
 * form Docker Hub images are written in (docker.io/library/alpine:latest and alpine are one name).
 */
export function namedContextName(ref: string): string {
  let name = ref
    .trim()
    .toLowerCase()
    .replace(/^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '');
  name = name.replace(/^library\/(?=[^/]+$)/, '');
  return name.includes('@') ? name : name.replace(/:latest$/, '');
}

export class DockerfileModel {
  readonly lines: LineIndex;
  readonly escapeChar: string;
  readonly directives: Directives;
  readonly instructions: Instr[] = [];
  readonly globalArgs: ArgDecl[] = [];
  /** Every ARG and ENV name declared, in file order. */
  readonly declarations: Declaration[] = [];
  readonly globalScope = new Map<string, string | undefined>();
  readonly stages: Stage[] = [];
  /** The last stage of each name so far, by lower-case name (a scan per FROM was quadratic). */
  private readonly stageByName = new Map<string, Stage>();
  /** The stage that ships (the last, or the target stage). */
  readonly shipped?: Stage;
  /** The target stage named in the options was not found. */
  readonly targetMissing: boolean = false;
  private readonly memo = new Map<string, unknown>();
  /** Where dockerfile-ast delimits each instruction (see outline.ts); details are parsed on demand. */
  protected readonly outline: Outline;
  /** The dockerfile-ast objects the model read details from, per instruction (outline-built). */
  private readonly nodes = new Map<Instr, Instruction>();
  private fullAst?: Dockerfile;

  /** The build context, where it can be read. */
  readonly context?: BuildContext;
  /** The Dockerfile's path, where known. */
  readonly path?: string;
  /** The role the configuration states, where it does. */
  readonly role?: RoleKind;
  /** What registries said about the file's images, where looked up (imageFacts.ts). */
  readonly imageFacts?: ImageFactsRecord;
  /** The build's arguments, where known (ModelOptions.buildArgs). */
  readonly buildArgs?: Readonly<Record<string, string | undefined>>;
  /** The names of the build's named contexts, as the builder compares them (namedContextName). */
  private readonly namedContexts?: ReadonlySet<string>;

  constructor(
    readonly text: string,
    options: ModelOptions = {},
  ) {
    this.context = options.context;
    this.path = options.path;
    this.role = options.role;
    this.imageFacts = options.imageFacts;
    this.buildArgs = options.buildArgs;
    if (options.namedContexts) this.namedContexts = new Set(Object.keys(options.namedContexts).map(namedContextName));
    this.lines = options.lines ?? new LineIndex(text);
    this.outline = options.outline ?? outline(text, this.lines.text === text ? this.lines.lineStarts : undefined);
    this.escapeChar = this.outline.escapeChar === '`' ? '`' : '\\';
    this.directives = this.readDirectives();
    for (const name of PREDEFINED_ARGS) this.globalScope.set(name, undefined);
    this.build();
    if (this.stages.length) {
      let shipped = this.stages[this.stages.length - 1];
      if (options.targetStage !== undefined && options.targetStage !== '') {
        const t = options.targetStage.toLowerCase();
        const found = this.stages.find((s) => s.name?.toLowerCase() === t) ?? (/^\d+$/.test(t) ? this.stages[Number(t)] : undefined);
        if (found) shipped = found;
        else this.targetMissing = true;
      }
      this.shipped = shipped;
    }
  }

  range(span: Span): Range {
    return this.lines.range(span.start, span.end);
  }

  /** dockerfile-ast's parse of the whole document, made on first use (the model does not need it). */
  get ast(): Dockerfile {
    return (this.fullAst ??= DockerfileParser.parse(this.text));
  }

  /** Computes a derived value once per model (for helpers shared by several rules). */
  cached<T>(key: string, compute: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, compute());
    return this.memo.get(key) as T;
  }

  /** The stage an instruction is in, by its offset. */
  stageAt(offset: number): Stage | undefined {
    let found: Stage | undefined;
    for (const s of this.stages) if (s.from.span.start <= offset) found = s;
    return found;
  }

  protected spanOf(r: Range): Span {
    return { start: this.lines.offsetAt(r.start), end: this.lines.offsetAt(r.end) };
  }

  private readDirectives(): Directives {
    const d: Directives = { checkSkip: new Set(), checkSkipAll: false };
    const readCheck = (value: string) => {
      const c = readCheckSetting(value);
      for (const id of c.checkSkip) d.checkSkip.add(id);
      d.checkSkipAll ||= c.checkSkipAll;
    };
    for (const dir of this.outline.dockerfile.getDirectives()) {
      const name = dir.getName().toLowerCase();
      const value = dir.getValue();
      const span = this.spanOf(dir.getValueRange());
      if (name === 'syntax') d.syntax = { value, span };
      else if (name === 'escape') d.escape = { value, span };
      else if (name === 'check') readCheck(value);
    }
    return d;
  }

  protected flagsOf(ast: Instruction): FlagInfo[] {
    const getFlags = (ast as unknown as { getFlags?: () => AstFlag[] }).getFlags;
    return getFlags ? this.flagInfos(getFlags.call(ast)) : [];
  }

  private flagInfos(flags: AstFlag[]): FlagInfo[] {
    return flags.map((f) => {
      const valueRange = f.getValueRange();
      return {
        name: f.getName(),
        value: f.getValue(),
        span: this.spanOf(f.getRange()),
        nameSpan: this.spanOf(f.getNameRange()),
        valueSpan: valueRange ? this.spanOf(valueRange) : undefined,
        options: f.getOptions().map((o) => {
          const vr = o.getValueRange();
          return { name: o.getName(), value: o.getValue(), span: this.spanOf(o.getRange()), valueSpan: vr ? this.spanOf(vr) : undefined };
        }),
      };
    });
  }

  /**
   * The model's instruction for one piece of the outline. Its dockerfile-ast object is built only
   * when the model needs a detail from it: FROM's arguments, ARG and ENV properties, ONBUILD's
   * trigger, and flags (only RUN, COPY, ADD, FROM and HEALTHCHECK have any; see `mayHaveFlags`).
   */
  private wrap(piece: Piece, index: number): Instr {
    const read = this.readPiece(piece);
    const instr = new ModelInstr(this, index, false, read.keyword, read.span, read.keywordSpan);
    if (read.node) this.nodes.set(instr, read.node);
    instr.flags = read.flags;
    this.findArgsStart(instr);
    return instr;
  }

  /**
   * What an instruction is, from its piece of the outline. (The equivalence test's reference model,
   * test/support/referenceModel.ts, reads it all from dockerfile-ast's object instead.)
   */
  protected readPiece(piece: Piece): PieceRead {
    const keyword = piece.word.toUpperCase();
    const span = { start: this.contentOffset(piece.start), end: this.contentOffset(piece.end) };
    const keywordSpan = { start: span.start, end: this.contentOffset(piece.keywordEnd) };
    if (NEEDS_NODE.has(keyword)) {
      const node = this.outline.instruction(piece);
      return { keyword, span, keywordSpan, node, flags: this.flagsOf(node) };
    }
    const flags =
      FLAG_KEYWORDS.has(keyword) && mayHaveFlags(this.text, piece.keywordEnd, piece.end, this.escapeChar)
        ? this.flagInfos(this.outline.flags(piece))
        : [];
    return { keyword, span, keywordSpan, flags };
  }

  /** The trigger of an ONBUILD, as its own instruction (dockerfile-ast builds it from the ONBUILD). */
  private wrapTrigger(onbuild: Instr, trigger: Instruction): Instr {
    const span = this.spanOf(trigger.getRange());
    const keywordSpan = this.spanOf(trigger.getInstructionRange());
    const instr = new ModelInstr(
      this,
      this.outline.pieces[this.instructions.indexOf(onbuild)].index,
      true,
      trigger.getKeyword().toUpperCase(),
      span,
      keywordSpan,
    );
    instr.flags = this.flagsOf(trigger);
    this.nodes.set(instr, trigger);
    this.findArgsStart(instr);
    return instr;
  }

  /** Where the arguments start: after the keyword and flags, past blanks and continuations. */
  private findArgsStart(instr: Instr): void {
    const after = instr.flags.length ? instr.flags[instr.flags.length - 1].span.end : instr.keywordSpan.end;
    instr.argsStart = this.argsStartAfter(after, instr.span.end);
  }

  /** The first offset of the arguments at or after `after`, past blanks and line continuations. */
  protected argsStartAfter(after: number, end: number): number {
    return firstNonBlank(this.text, after, end, this.escapeChar);
  }

  /**
   * The start offset of the instruction that holds `offset` (the last one starting at or before it; an
   * ONBUILD's trigger lies inside its ONBUILD), or undefined before the first: where ignore comments
   * attach to a finding.
   */
  instructionStartAt(offset: number): number | undefined {
    return lastAtOrBefore(this.instructionStarts, offset);
  }

  /** Where each instruction starts, in document order. */
  get instructionStarts(): number[] {
    return this.cached('instructionStarts', () => this.instructions.map((i) => i.span.start));
  }

  /**
   * dockerfile-ast's object for one of the document's instructions, parsed from that instruction's
   * own text (its ranges are the document's): what a rule reads an instruction's details from. The
   * whole-document `ast` costs a full parse, many times this.
   */
  instructionNode(instr: Instr): Instruction {
    return this.node(instr);
  }

  /** The dockerfile-ast object the model reads an instruction's details from. */
  private node(instr: Instr): Instruction {
    let n = this.nodes.get(instr);
    if (!n) {
      n = this.outline.instruction(this.outline.pieces[this.instructions.indexOf(instr)]);
      this.nodes.set(instr, n);
    }
    return n;
  }

  /**
   * An offset as it comes back from a position (what `spanOf` gives for dockerfile-ast's ranges):
   * the same offset, except inside a CRLF, where a position cannot point.
   */
  private contentOffset(offset: number): number {
    return offset > 0 && this.text.charCodeAt(offset) === 10 && this.text.charCodeAt(offset - 1) === 13 ? offset - 1 : offset;
  }

  /** The instruction's arguments after flags, unfolded. */
  argumentsOf(instr: Instr): LogicalText {
    return logicalArguments(this.text, instr.argsStart, instr.span.end, this.escapeChar);
  }

  /** Exec form or shell form of a command's arguments starting at `start`. */
  commandArgs(instr: Instr, start = instr.argsStart): CommandArgs {
    const logical = logicalArguments(this.text, start, instr.span.end, this.escapeChar);
    const trimmedEnd = logical.text.trimEnd().length;
    const span = { start: logical.at(0), end: endOffset(logical, trimmedEnd) };
    if (logical.text.trimStart().startsWith('[')) {
      const exec = decodeJsonArray(logical);
      if (exec) return { form: 'exec', exec, span, invalidJson: false };
      return { form: 'shell', shell: logical, span, invalidJson: true };
    }
    return { form: 'shell', shell: logical, span, invalidJson: false };
  }

  private build(): void {
    const pieces = this.outline.pieces;
    let stage: Stage | undefined;
    let args = new Map<string, string | undefined>(); // stage ARGs
    let scope: Scope | undefined; // stage ARGs + ENV, rebuilt after each ARG / ENV
    for (const piece of pieces) {
      const instr = this.wrap(piece, piece.index);
      this.instructions.push(instr);
      if (instr.keyword === 'FROM') {
        // The global ARGs are all read by now (they come before the first FROM), so every FROM sees
        // the same scope, and it does not change.
        instr.scope = this.globalScope;
        stage = this.startStage(instr);
        args = new Map();
        scope = undefined;
        continue;
      }
      if (!stage) {
        if (instr.keyword === 'ARG') {
          this.globalArg(instr);
          continue;
        }
        stage = this.startImplicitStage(instr);
      }
      instr.stage = stage;
      instr.workdir = stage.workdir;
      instr.scope = scope ??= this.stageScope(stage, args);
      stage.instructions.push(instr);
      this.stageInstruction(stage, instr, args, instr.scope);
      if (instr.keyword === 'ARG' || instr.keyword === 'ENV') scope = undefined;
    }
  }

  /** Whether the build gives a declared ARG a value, and which (`value` undefined: one not known here). */
  private buildArg(name: string): { value: string | undefined } | undefined {
    return this.buildArgs && Object.prototype.hasOwnProperty.call(this.buildArgs, name) ? { value: this.buildArgs[name] } : undefined;
  }

  /** Whether a FROM or `--from` value names one of the build's named contexts (which wins over a stage). */
  isNamedContext(value: string): boolean {
    return !!this.namedContexts?.has(namedContextName(value));
  }

  private globalArg(instr: Instr): void {
    for (const { name, raw, nameSpan } of this.argDeclarations(instr)) {
      const given = this.buildArg(name);
      const value = given ? given.value : raw === undefined ? undefined : expandWord(raw, this.globalScope, this.escapeChar);
      this.globalScope.set(name, value);
      this.globalArgs.push({ name, value, instr, nameSpan });
      this.declarations.push({ keyword: 'ARG', name, nameSpan, raw, value, instr });
    }
  }

  /**
   * The declarations of an ARG: `NAME` or `NAME=value`, several per instruction. Unlike ENV, ARG has
   * no `NAME value` form: `ARG A B` declares A and B (dockerfile-ast reads it as A with value B).
   */
  private argDeclarations(instr: Instr): { name: string; raw: string | undefined; nameSpan: Span }[] {
    const out: { name: string; raw: string | undefined; nameSpan: Span }[] = [];
    for (const p of argProperties(this.node(instr))) {
      const nameSpan = this.spanOf(p.getNameRange());
      const valueRange = p.getValueRange();
      if (p.getAssignmentOperator() === null && valueRange) {
        out.push({ name: p.getName(), raw: undefined, nameSpan });
        const span = this.spanOf(valueRange);
        const { logical } = unfoldLine(this.text, span.start, span.end, this.escapeChar);
        const re = /\S+/g;
        for (let m = re.exec(logical.text); m; m = re.exec(logical.text)) {
          out.push({
            name: m[0],
            raw: undefined,
            nameSpan: { start: logical.at(m.index), end: endOffset(logical, m.index + m[0].length) },
          });
        }
        continue;
      }
      out.push({ name: p.getName(), raw: this.rawValue(p), nameSpan });
    }
    return out;
  }

  private startStage(instr: Instr): Stage {
    const s = new Stage();
    s.model = this;
    s.index = this.stages.length;
    s.from = instr;
    instr.stage = s;
    s.platform = instr.flags.find((f) => f.name.toLowerCase() === 'platform');
    const args = (this.node(instr).getArguments() ?? []).slice();
    const image = args[0];
    if (image) {
      s.imageRaw = image.getValue();
      s.imageSpan = this.spanOf(image.getRange());
    }
    if (args.length >= 3 && args[1].getValue().toLowerCase() === 'as') {
      s.name = args[2].getValue();
      s.nameSpan = this.spanOf(args[2].getRange());
    }
    s.base = this.resolveBase(s.imageRaw, s.imageSpan);
    if (s.base.kind === 'stage') {
      s.base.stage.children.push(s);
      const parent = s.base.stage;
      for (const [k, v] of parent.env) s.env.set(k, v);
      s.workdir = parent.workdir;
      s.shellInstr = parent.shellInstr;
    } else if (s.base.kind === 'scratch') {
      s.workdir = '/';
    } else if (s.base.kind === 'image' && s.base.ref.repository === 'library/golang') {
      s.workdir = '/go';
    }
    this.stages.push(s);
    if (s.name !== undefined) this.stageByName.set(s.name.toLowerCase(), s);
    return s;
  }

  private startImplicitStage(first: Instr): Stage {
    const s = new Stage();
    s.model = this;
    s.index = this.stages.length;
    s.implicit = true;
    s.from = first;
    this.stages.push(s);
    return s;
  }

  private resolveBase(raw: string, span: Span | undefined): Base {
    if (!raw || !span) return { kind: 'unknown', raw };
    const value = expandWord(raw, this.globalScope, this.escapeChar);
    if (value === undefined) return { kind: 'unknown', raw };
    const lower = value.toLowerCase();
    if (this.isNamedContext(value)) return { kind: 'unknown', raw };
    if (lower === 'scratch') return { kind: 'scratch' };
    const stage = this.findStage(lower);
    if (stage) return { kind: 'stage', stage };
    const ref = parseImageRef(value, span, value !== raw);
    return ref ? { kind: 'image', ref } : { kind: 'unknown', raw };
  }

  /** An earlier stage by name (case-insensitive, as the builder matches). */
  findStage(name: string): Stage | undefined {
    return this.stageByName.get(name.toLowerCase());
  }

  /** What an instruction of the stage sees from here on: the stage's ARGs, and its ENV over them. */
  private stageScope(stage: Stage, args: Map<string, string | undefined>): Map<string, string | undefined> {
    // forEach, not `new Map(args)` and for…of: both allocate an iterator result per entry.
    const scope = new Map<string, string | undefined>();
    args.forEach((v, k) => scope.set(k, v));
    stage.env.forEach((e, k) => scope.set(k, e.value));
    return scope;
  }

  private stageInstruction(stage: Stage, instr: Instr, args: Map<string, string | undefined>, scope: Scope): void {
    switch (instr.keyword) {
      case 'ARG':
        for (const { name, raw, nameSpan } of this.argDeclarations(instr)) {
          let value: string | undefined;
          if (raw === undefined) value = this.globalScope.get(name);
          else value = expandWord(raw, this.stageScope(stage, args), this.escapeChar);
          if (PREDEFINED_ARGS.has(name)) value = undefined;
          const given = this.buildArg(name);
          if (given) value = given.value;
          args.set(name, value);
          this.declarations.push({ keyword: 'ARG', name, nameSpan, raw, value, instr, stage });
        }
        break;
      case 'ENV': {
        const props = (this.node(instr) as unknown as { getProperties(): Property[] }).getProperties();
        // All pairs of one ENV see the values from before it.
        for (const p of props) {
          const raw = this.rawValue(p);
          const value = raw === undefined ? '' : expandWord(raw, scope, this.escapeChar);
          const nameSpan = this.spanOf(p.getNameRange());
          stage.env.set(p.getName(), { value, instr, nameSpan });
          this.declarations.push({ keyword: 'ENV', name: p.getName(), nameSpan, raw, value, instr, stage });
        }
        break;
      }
      case 'USER':
        stage.users.push(userInfo(this, instr, scope));
        break;
      case 'WORKDIR': {
        const raw = this.argumentsOf(instr).text.trim();
        const value = expandWord(raw, scope, this.escapeChar);
        stage.workdir = value === undefined ? undefined : resolvePath(value, stage.workdir);
        break;
      }
      case 'SHELL':
        stage.shellInstr = instr;
        break;
      case 'ONBUILD': {
        // ONBUILD RUN runs in the builds that use this image: its command is checked like a RUN.
        const trigger = (this.node(instr) as unknown as { getTriggerInstruction(): Instruction | null }).getTriggerInstruction();
        if (trigger && trigger.getKeyword().toUpperCase() === 'RUN') {
          const t = this.wrapTrigger(instr, trigger);
          Object.assign(t, { stage, workdir: instr.workdir, scope, onbuild: true });
          stage.runs.push(runInfo(this, t, scope));
        }
        break;
      }
      case 'RUN':
        stage.runs.push(runInfo(this, instr, scope));
        break;
      case 'COPY':
      case 'ADD':
        stage.copies.push(copyInfo(this, instr, scope));
        break;
      case 'CMD':
      case 'ENTRYPOINT':
        stage.commands.push({ instr, command: this.commandArgs(instr) });
        break;
      case 'HEALTHCHECK': {
        const logical = this.argumentsOf(instr);
        const m = /^\s*cmd\b\s*/i.exec(logical.text);
        stage.commands.push({ instr, command: m ? this.commandArgs(instr, logical.at(m[0].length)) : undefined });
        break;
      }
    }
  }

  /** A property's value as written, continuations removed; undefined when it has none (`ARG NAME`). */
  private rawValue(p: Property): string | undefined {
    const r = p.getValueRange();
    if (!r) return p.getValue() ?? undefined;
    const span = this.spanOf(r);
    return unfoldLine(this.text, span.start, span.end, this.escapeChar).logical.text;
  }

  /** What `--from=` / `from=` names: an earlier stage (by name or index), an image, or unknown. */
  copySource(value: string | undefined, span: Span, raw: string): CopySource {
    if (value === undefined || this.isNamedContext(value)) return { kind: 'unknown' };
    if (/^\d+$/.test(value)) {
      const s = this.stages[Number(value)];
      return s ? { kind: 'stage', stage: s } : { kind: 'unknown' };
    }
    const stage = this.findStage(value);
    if (stage) return { kind: 'stage', stage };
    const ref = parseImageRef(value, span, value !== raw);
    return ref ? { kind: 'image', ref } : { kind: 'unknown' };
  }
}

/**
 * The model's instructions. A class rather than object literals: every instruction gets the same
 * shape (fields the model sets later included), and `ast` is a getter on the prototype.
 */
class ModelInstr implements Instr {
  flags: FlagInfo[] = [];
  argsStart: number;
  stage?: Stage = undefined;
  workdir?: string = undefined;
  scope?: Scope = undefined;
  onbuild?: boolean = undefined;
  // Private (#) so that they are no properties: comparing or printing an instruction stays as it was.
  readonly #model: DockerfileModel;
  /** Its index among the document's instructions (for a trigger: its ONBUILD's). */
  readonly #index: number;
  readonly #trigger: boolean;

  constructor(
    model: DockerfileModel,
    index: number,
    trigger: boolean,
    readonly keyword: string,
    readonly span: Span,
    readonly keywordSpan: Span,
  ) {
    this.#model = model;
    this.#index = index;
    this.#trigger = trigger;
    this.argsStart = keywordSpan.end;
  }

  get ast(): Instruction {
    const full = this.#model.ast.getInstructions()[this.#index];
    return this.#trigger ? (full as unknown as { getTriggerInstruction(): Instruction }).getTriggerInstruction() : full;
  }
}

/** Keywords whose details the model reads from dockerfile-ast's instruction object. */
const NEEDS_NODE = new Set(['FROM', 'ARG', 'ENV', 'ONBUILD', 'HEALTHCHECK']);
/** Keywords whose dockerfile-ast class reads flags (CMD, ENTRYPOINT, SHELL, VOLUME never have any). */
const FLAG_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);

/**
 * Whether dockerfile-ast may find flags in an instruction's arguments (`text[from, end)`). For RUN,
 * COPY and ADD it stops looking at the first argument without `--`, so an instruction whose first
 * argument plainly lacks `--` has none. Anything less plain (an escape character, a line break
 * before the first argument) is left to dockerfile-ast.
 */
/** BuildKit's check setting (`skip=A,B;error=true`), as the `# check=` directive or the BUILDKIT_DOCKERFILE_CHECK build argument gives it. */
export function readCheckSetting(value: string): Pick<Directives, 'checkSkip' | 'checkSkipAll'> {
  const out = { checkSkip: new Set<string>(), checkSkipAll: false };
  for (const part of value.split(';')) {
    const m = /^\s*skip\s*=\s*(.*)$/i.exec(part);
    if (!m) continue;
    for (const id of m[1].split(',')) {
      const t = id.trim();
      if (t.toLowerCase() === 'all') out.checkSkipAll = true;
      else if (t) out.checkSkip.add(t);
    }
  }
  return out;
}

export function mayHaveFlags(text: string, from: number, end: number, escapeChar: string): boolean {
  const escape = escapeChar.charCodeAt(0);
  let i = from;
  while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  if (i >= end) return false; // no arguments at all
  const first = i;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) break;
    if (c === escape) return true;
  }
  return i === first || text.slice(first, i).includes('--');
}

function argProperties(ast: Instruction): Property[] {
  const a = ast as unknown as { getProperties?: () => Property[]; getProperty?: () => Property | null };
  if (a.getProperties) return a.getProperties();
  const p = a.getProperty?.();
  return p ? [p] : [];
}

export type { Word, SimpleCommand, ShellScript };
