/** Applies the LSP text edits a server sent (ranges in lines and UTF-16 columns) to a text, as an editor does. */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver';

export type { TextEdit };

export function applyLspEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'dockerfile', 1, text), edits);
}
