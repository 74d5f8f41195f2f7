/**
 * What the language server keeps of a document's last lint, and the helpers every code action
 * reads it with: finding a published diagnostic's finding again, and the workspace edit that
 * carries a fix (versioned where the client supports it).
 */
import type { Diagnostic, WorkspaceEdit } from 'vscode-languageserver/node';
import type { Finding, LintOptions } from '../engine/findings';
import type { Edit } from '../engine/edits';
import type { FileEdit } from '../engine/rule';
import { URI } from 'vscode-uri';
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

/**
 * Why a fix's edits to other files cannot be made by this client, or undefined when they can: a file
 * to create needs `documentChanges` with the `create` resource operation.
 */
export function fileEditsBlocked(
  files: readonly FileEdit[],
  client: { versionedEdits: boolean; createFiles?: boolean },
): string | undefined {
  const created = files.find((f) => f.create);
  if (created && !(client.versionedEdits && client.createFiles))
    return `This editor cannot create files from a quick fix: create ${created.file} yourself`;
  return undefined;
}

/**
 * A fix's workspace edit: the Dockerfile's edits and text appended to other files (created first
 * where they are not there), as document changes when the client takes them.
 */
export function fixWorkspaceEdit(
  doc: { uri: string; version: number; text: string },
  offsets: readonly Edit[],
  files: readonly FileEdit[],
  versioned: boolean,
): WorkspaceEdit {
  const own = workspaceEdit(doc, offsets, versioned);
  if (!files.length) return own;
  const appends = files.map((f) => {
    const end = new LineIndex(f.text).positionAt(f.text.length);
    return { uri: URI.file(f.file).toString(), create: f.create, edit: { range: { start: end, end }, newText: f.append } };
  });
  if (!versioned) {
    const changes = { ...own.changes };
    for (const a of appends) changes[a.uri] = [...(changes[a.uri] ?? []), a.edit];
    return { changes };
  }
  const changes: NonNullable<WorkspaceEdit['documentChanges']> = [];
  if (offsets.length) changes.push(...(own.documentChanges ?? []));
  for (const a of appends) {
    if (a.create) changes.push({ kind: 'create', uri: a.uri, options: { ignoreIfExists: true } });
    changes.push({ textDocument: { uri: a.uri, version: null }, edits: [a.edit] });
  }
  return { documentChanges: changes };
}
