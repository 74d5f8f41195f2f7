/**
 * textDocument/formatting and textDocument/rangeFormatting: the formatter's offset edits (format/
 * format.ts) as LSP text edits on the document's current text. The client's formatting options
 * (tab size, spaces) are not used: the formatter keeps the file's own indentation unit, or 4 spaces.
 * A document above the size the server lints is not formatted either (limits.ts).
 */
import type { Range, TextEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { formatDockerfile } from '../format/format';
import { LineIndex } from '../model/text';
import { MAX_DOCUMENT_LENGTH } from './limits';

/** The edits that format a document, or the instructions of it that intersect `range`. */
export function formattingEdits(doc: TextDocument | undefined, range?: Range): TextEdit[] {
  if (!doc) return [];
  const text = doc.getText();
  if (text.length > MAX_DOCUMENT_LENGTH) return [];
  const lines = new LineIndex(text);
  const span = range ? { start: lines.offsetAt(range.start), end: lines.offsetAt(range.end) } : undefined;
  return formatDockerfile(text, { range: span }).map((e) => ({ range: lines.range(e.start, e.end), newText: e.text }));
}
