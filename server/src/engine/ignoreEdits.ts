/**
 * The edits behind "Ignore <rule> for this instruction" and "Ignore <rule> in this file": insert an
 * ignore comment, or add the id to the one already there (keeping its other ids). Editor-agnostic:
 * the language server turns them into code actions.
 */
import type { DockerfileModel, Instr } from '../model/model';
import type { Position } from '../model/text';
import { eolOf, type Edit } from './edits';

const LOCAL = /^(\s*#\s*dockerfile-hardener\s+ignore\s*=\s*)([A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*)/i;
const GLOBAL = /^(\s*#\s*dockerfile-hardener\s+global\s+ignore\s*=\s*)([A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*)/i;

function eol(model: DockerfileModel): string {
  return eolOf(model.text);
}

/** Adds `id` to the id list of an existing comment line, or returns undefined when it is there. */
function extend(model: DockerfileModel, line: number, re: RegExp, id: string): Edit[] | undefined {
  const text = model.lines.lineText(line);
  const m = re.exec(text)!;
  const ids = m[2].split(/\s*,\s*/);
  if (ids.includes(id)) return [];
  const at = model.lines.lineStarts[line] + m[1].length + m[2].length;
  return [{ start: at, end: at, text: `,${id}` }];
}

/** The instruction a finding starting at `offset` belongs to. */
function instructionAt(model: DockerfileModel, offset: number): Instr | undefined {
  let found: Instr | undefined;
  for (const i of model.instructions) {
    if (i.span.start <= offset) found = i;
    else break;
  }
  return found;
}

/** Edits that ignore `id` for the instruction holding `position`; undefined when none holds it. */
export function ignoreHereEdits(model: DockerfileModel, position: Position, id: string): Edit[] | undefined {
  const instr = instructionAt(model, model.lines.offsetAt(position));
  if (!instr) return undefined;
  const first = model.lines.positionAt(instr.span.start).line;
  for (let l = first - 1; l >= 0; l--) {
    const text = model.lines.lineText(l);
    if (!text.trim().startsWith('#')) break;
    if (LOCAL.test(text)) return extend(model, l, LOCAL, id);
  }
  const indent = /^[ \t]*/.exec(model.lines.lineText(first))![0];
  const at = model.lines.lineStarts[first];
  return [{ start: at, end: at, text: `${indent}# dockerfile-hardener ignore=${id}${eol(model)}` }];
}

/** Edits that ignore `id` in the whole file: extend the global comment, or add one after the parser directives. */
export function ignoreFileEdits(model: DockerfileModel, id: string): Edit[] {
  for (let l = 0; l < model.lines.lineCount; l++) {
    if (GLOBAL.test(model.lines.lineText(l))) return extend(model, l, GLOBAL, id) ?? [];
  }
  // Parser directives must stay the first lines: insert after them.
  let line = 0;
  const directives = model.ast.getDirectives();
  if (directives.length) line = directives[directives.length - 1].getRange().start.line + 1;
  const newline = eol(model);
  const comment = `# dockerfile-hardener global ignore=${id}`;
  if (line < model.lines.lineCount) {
    const at = model.lines.lineStarts[line];
    return [{ start: at, end: at, text: comment + newline }];
  }
  // The directives are the whole file, without a final line break: start a new line.
  const end = model.text.length;
  return [{ start: end, end, text: newline + comment + newline }];
}
