/**
 * dockerfile-ast, used where it is cheap. Its parser finds where each instruction starts and ends
 * (keyword, continuations, comments inside continuations, heredocs, the escape directive) in one
 * quick pass; what makes a full parse slow is the instruction objects it builds on the way: every
 * RUN, CMD, COPY… constructor walks its arguments three times (JSONInstruction), each walk turning
 * offsets into positions, and the parser builds each instruction twice (once to look for heredocs).
 * That is most of the time of a full parse, for details the model reads from the text itself.
 *
 * So the outline runs dockerfile-ast's own parser loop with two of its steps replaced:
 *   - creating an instruction records its offsets (keyword, start, end) in a light stand-in;
 *   - looking for heredocs builds the real instruction only when the text holds `<<`, without which
 *     no argument can start a heredoc (so the parser's answer is the same);
 *   - comments are skipped over exactly as the parser does, but not collected (the model reads
 *     comments from the text; collecting them makes dockerfile-ast sort every comment into every
 *     stage, quadratic on long files).
 * An instruction's real dockerfile-ast object is built on demand, by the same function and with the
 * same document, ranges and escape character that the full parse uses, so it is the object a full
 * parse would have built (and answers the same), only built for the instructions whose details the
 * model needs (FROM, ARG, ENV, ONBUILD, flags).
 *
 * This reaches into dockerfile-ast's parser (lib/parser.js of 0.7.1, the exact version package.json
 * asks for: a release may change private code without a major version, and the check below sees only
 * that the methods exist, not what they do). When its shape is not the one expected, `outline` falls
 * back to a full parse, which gives the same pieces more slowly; the corpus equivalence test
 * (test/corpus/equivalence.test.ts) checks pieces and findings both ways, and is what to run before
 * moving to another version.
 */
import { DockerfileParser, ModifiableInstruction, type Dockerfile, type Flag, type Instruction } from 'dockerfile-ast';
import { Parser } from 'dockerfile-ast/lib/parser';
import type { TextDocument } from 'vscode-languageserver-textdocument';

/** One instruction as dockerfile-ast delimits it, in document offsets. */
export interface Piece {
  /** Its index among the document's instructions (as dockerfile-ast's getInstructions lists them). */
  index: number;
  /** The keyword as the parser read it (escaped line breaks inside it removed), not upper-cased. */
  word: string;
  start: number;
  /** End of the keyword (start of the arguments). */
  keywordEnd: number;
  /** End of the instruction, heredoc bodies included. */
  end: number;
}

export interface Outline {
  pieces: Piece[];
  escapeChar: string;
  /** Parser directives as dockerfile-ast reads them (the dockerfile of the outline has no instructions). */
  dockerfile: Dockerfile;
  /** The dockerfile-ast instruction for a piece, as a full parse builds it. */
  instruction(piece: Piece): Instruction;
  /** The flags of a RUN, COPY or ADD piece, as its dockerfile-ast instruction reads them. */
  flags(piece: Piece): Flag[];
}

/**
 * Reads the flags of RUN, COPY and ADD as their dockerfile-ast classes do (ModifiableInstruction's
 * getFlags, with their rule: stop at the first argument without `--`), without what their
 * constructors also do (JSONInstruction walks the arguments three times to find a JSON array).
 */
class FlagReader extends ModifiableInstruction {
  protected stopSearchingForFlags(argument: string): boolean {
    return argument.indexOf('--') === -1;
  }
}

/** The parts of dockerfile-ast's Parser that the outline replaces or calls (private in its typings). */
interface ParserInternals {
  document: TextDocument;
  buffer: string;
  escapeChar: string;
  parse(text: string): Dockerfile;
  getParserDirectives(document: TextDocument, buffer: string): unknown[];
  createInstruction(dockerfile: Dockerfile, word: string, start: number, keywordEnd: number, end: number): Instruction;
  processHeredocs(instruction: Instruction, offset: number): number;
  processComment(dockerfile: Dockerfile, start: number): number;
}

/** What the outline's parser hands back instead of an instruction object. */
class Stub {
  constructor(
    readonly dockerfile: Dockerfile,
    readonly piece: Piece,
  ) {}
  /** All that Dockerfile.addInstruction asks of an instruction. */
  getKeyword(): string {
    return this.piece.word.toUpperCase();
  }
}

const proto = (Parser as unknown as { prototype: ParserInternals }).prototype;
const supported =
  typeof proto?.parse === 'function' &&
  typeof proto.createInstruction === 'function' &&
  typeof proto.processHeredocs === 'function' &&
  typeof proto.processComment === 'function' &&
  typeof proto.getParserDirectives === 'function';

/**
 * The line offsets of vscode-languageserver-textdocument's FullTextDocument (the document that
 * dockerfile-ast's parser creates and turns every offset into a position with), computed on its first
 * positionAt. The model has the same array already (LineIndex: a line starts after each `\r\n`, `\n`
 * and lone `\r`, as there), so it hands it over instead of the line breaks being found twice (bench/
 * HISTORY.md, "Measurements behind the code"). Only given to a document that has not computed its own; neither side changes it (the
 * parser never edits its document).
 */
interface LineOffsets {
  _lineOffsets?: readonly number[];
  getLineOffsets?: () => readonly number[];
}

/**
 * `lineStarts`: the start of each line of `text`, as LineIndex computes them, for the parser's
 * document to use as its own.
 */
export function outline(text: string, lineStarts?: readonly number[]): Outline {
  if (!supported) return fullOutline(text);
  const parser = new Parser() as unknown as ParserInternals;
  if (lineStarts) {
    parser.getParserDirectives = (document, buffer) => {
      const d = document as unknown as LineOffsets;
      if (typeof d.getLineOffsets === 'function' && '_lineOffsets' in d && d._lineOffsets === undefined) d._lineOffsets = lineStarts;
      return proto.getParserDirectives.call(parser, document, buffer);
    };
  }
  parser.createInstruction = (dockerfile, word, start, keywordEnd, end) =>
    new Stub(dockerfile, { index: -1, word, start, keywordEnd, end }) as unknown as Instruction;
  const marks = heredocMarks(text);
  parser.processHeredocs = (stub, offset) => {
    const { dockerfile, piece } = stub as unknown as Stub;
    if (!marks(piece.start, offset)) return offset;
    return proto.processHeredocs.call(
      parser,
      proto.createInstruction.call(parser, dockerfile, piece.word, piece.start, piece.keywordEnd, piece.end),
      offset,
    );
  };
  const carriageReturns = text.indexOf('\r') >= 0;
  parser.processComment = (_dockerfile, start) => {
    // The parser's own loop: a comment runs to the next line break.
    const buffer = parser.buffer;
    if (!carriageReturns) {
      const end = buffer.indexOf('\n', start + 1);
      return end < 0 ? buffer.length : end;
    }
    for (let i = start + 1; i < buffer.length; i++) {
      const c = buffer.charCodeAt(i);
      if (c === 13 || c === 10) return i;
    }
    return buffer.length;
  };
  const dockerfile = parser.parse(text);
  const pieces = (dockerfile.getInstructions() as unknown as Stub[]).map((s, index) => ({ ...s.piece, index }));
  const escapeChar = parser.escapeChar;
  const document = parser.document;
  return {
    pieces,
    escapeChar,
    dockerfile,
    instruction: (p) => proto.createInstruction.call(parser, dockerfile, p.word, p.start, p.keywordEnd, p.end),
    flags: (p) => {
      // The ranges the parser's createInstruction gives the instruction.
      const start = document.positionAt(p.start);
      const keywordRange = { start, end: document.positionAt(p.keywordEnd) };
      const range = { start, end: document.positionAt(p.end) };
      return new FlagReader(document as never, range, dockerfile as never, escapeChar, p.word, keywordRange).getFlags();
    },
  };
}

/**
 * Whether `text[from, to)` contains `<<`, for ranges asked in the order of the text (as the parser
 * asks for its instructions): each search by indexOf starts where the last one found nothing before,
 * so the text is searched once in all, not once per instruction to the end of the file.
 */
function heredocMarks(text: string): (from: number, to: number) => boolean {
  let mark = -2; // the first `<<` at or after `last`, -1 when there is none
  let last = -1;
  return (from, to) => {
    if (from < last || (mark !== -1 && mark < from)) mark = text.indexOf('<<', from);
    last = from;
    return mark >= 0 && mark + 1 < to;
  };
}

/** The same outline from a full parse: the fallback, and the reference the tests compare with. */
export function fullOutline(text: string): Outline {
  const dockerfile = DockerfileParser.parse(text);
  const instructions = dockerfile.getInstructions();
  const doc = (instructions[0] as unknown as { document?: TextDocument } | undefined)?.document;
  const offsetAt = doc ? (p: { line: number; character: number }) => doc.offsetAt(p) : () => 0;
  const byPiece = new Map<Piece, Instruction>();
  const pieces = instructions.map((i, index) => {
    const r = i.getRange();
    const piece: Piece = {
      index,
      word: i.getInstruction(),
      start: offsetAt(r.start),
      keywordEnd: offsetAt(i.getInstructionRange().end),
      end: offsetAt(r.end),
    };
    byPiece.set(piece, i);
    return piece;
  });
  const instruction = (p: Piece) => byPiece.get(p)!;
  return {
    pieces,
    escapeChar: dockerfile.getEscapeCharacter(),
    dockerfile,
    instruction,
    flags: (p) => (instruction(p) as ModifiableInstruction).getFlags(),
  };
}
