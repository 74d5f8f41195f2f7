/** Applies the LSP text edits a server sent (ranges in lines and UTF-16 columns) to a text, as an editor does. */
import { TextDocument } from 'vscode-languageserver-textdocument';
import * as assert from 'node:assert/strict';
import type { TextEdit, WorkspaceEdit } from 'vscode-languageserver';

export type { TextEdit };

export function applyLspEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'dockerfile', 1, text), edits);
}

/** The edits a workspace edit makes to one document (`documentChanges` or `changes`); fails the test when there is none. */
export function editsOf(edit: WorkspaceEdit | undefined, uri: string): TextEdit[] {
  assert.ok(edit, 'an edit');
  if (edit.documentChanges) {
    const change = edit.documentChanges.find((c) => 'textDocument' in c && c.textDocument.uri === uri) as { edits: TextEdit[] } | undefined;
    assert.ok(change, `no change for ${uri}`);
    return change.edits;
  }
  return edit.changes?.[uri] ?? [];
}
