/**
 * What the language server keeps of a document's last lint, and the helpers every code action
 * reads it with: finding a published diagnostic's finding again, and the workspace edit that
 * carries a fix (versioned where the client supports it).
 */
import type { Diagnostic, WorkspaceEdit } from 'vscode-languageserver/node';
import type { Finding, LintOptions } from '../engine/findings';
import type { Edit } from '../engine/edits';
import { LineIndex } from '../model/text';
import type { DockerfileModel } from '../model/model';

/** What the server keeps of a document's last lint. */
export interface DocState {
  uri: string;
  version: number;
  text: string;
  model: DockerfileModel;
  findings: Finding[];
  options: LintOptions;
}

export interface ActionData {
  uri: string;
  version: number;
  rule: string;
  range: Diagnostic['range'];
  fix: number;
  /** Resolving it contacts a registry (the VS Code client shows progress and a cancel button). */
  network?: true;
}

function sameRange(a: Diagnostic['range'], b: Diagnostic['range']): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}

/** The range the server published a diagnostic with (kept in its data), else the one sent back. */
export function publishedRange(d: Diagnostic): Diagnostic['range'] {
  const r = (d.data as { range?: Diagnostic['range'] } | undefined)?.range;
  return r && typeof r.start?.line === 'number' && typeof r.end?.character === 'number' ? r : d.range;
}

export function insideDocument(state: DocState, range: Diagnostic['range']): boolean {
  const line = range?.start?.line;
  return (
    Number.isInteger(line) &&
    line >= 0 &&
    line < state.model.lines.lineCount &&
    Number.isInteger(range.start.character) &&
    range.start.character >= 0
  );
}

export function findingFor(state: DocState, rule: string, range: Diagnostic['range']): Finding | undefined {
  return state.findings.find((f) => f.rule === rule && sameRange(f.range, range));
}

/**
 * The engine's offset edits as an LSP workspace edit on the document's text (the text they were made
 * against), versioned where the client supports it.
 */
export function workspaceEdit(
  doc: { uri: string; version: number; text: string },
  offsets: readonly Edit[],
  versioned: boolean,
): WorkspaceEdit {
  const lines = new LineIndex(doc.text);
  const edits = offsets.map((e) => ({ range: { start: lines.positionAt(e.start), end: lines.positionAt(e.end) }, newText: e.text }));
  return versioned
    ? { documentChanges: [{ textDocument: { uri: doc.uri, version: doc.version }, edits }] }
    : { changes: { [doc.uri]: edits } };
}
