/**
 * The LSP surfaces of "Convert to multi-stage scratch build": a `refactor.rewrite` code action on
 * the FROM line of a single-stage file (its edit built on resolve; shown disabled, with the reason,
 * where the conversion refuses), and the command `dockerfile-hardener.convertToScratch` for clients
 * without code-action resolve or for a palette command: it returns `{ ok, reason?, edit? }` and, when
 * asked to, applies the edit itself.
 */
import { CodeActionKind, type CodeAction, type Range, type WorkspaceEdit } from 'vscode-languageserver/node';
import { convertible, convertModel, type ConvertResult } from '../convert/convert';
import { workspaceEdit, type DocState } from './docState';

export const CONVERT_TITLE = 'Convert to multi-stage scratch build';
export const CONVERT_COMMAND = 'dockerfile-hardener.convertToScratch';
export const CONVERT_KIND = CodeActionKind.RefactorRewrite;

export interface ConvertData {
  uri: string;
  version: number;
  convert: true;
}

export interface ConvertCommandResult {
  ok: boolean;
  reason?: string;
  edit?: WorkspaceEdit;
  notes?: string[];
}

function touches(a: Range, b: Range): boolean {
  return !(
    a.end.line < b.start.line ||
    (a.end.line === b.start.line && a.end.character < b.start.character) ||
    b.end.line < a.start.line ||
    (b.end.line === a.start.line && b.end.character < a.start.character)
  );
}

/** The action for a request range, if it touches the file's FROM line. */
export function convertAction(
  state: DocState,
  range: Range,
  opts: { resolve: boolean; versionedEdits: boolean; disabledSupport: boolean },
): CodeAction | undefined {
  const from = state.model.stages[0]?.from;
  if (!from || from.keyword !== 'FROM' || !touches(range, state.model.range(from.span))) return undefined;
  const action: CodeAction = { title: CONVERT_TITLE, kind: CONVERT_KIND };
  if (opts.resolve) {
    // The analysis only (no edits, no check of the result), so that a refusal shows as a disabled
    // action with its reason; the conversion itself runs when the action is chosen.
    const result = convertible(state.model, { buildContext: state.options.buildContext });
    if (!result.ok) return opts.disabledSupport ? { ...action, disabled: { reason: result.reason } } : undefined;
    action.data = { uri: state.uri, version: state.version, convert: true } satisfies ConvertData;
    return action;
  }
  const result = convert(state);
  if (!result.ok) return opts.disabledSupport ? { ...action, disabled: { reason: result.reason } } : undefined;
  action.edit = workspaceEdit(state, result.edits, opts.versionedEdits);
  return action;
}

/** The conversion from the state's model (parsed once per version). */
function convert(state: DocState): ConvertResult {
  return convertModel(state.model, state.text, { buildContext: state.options.buildContext });
}

export function isConvertData(data: unknown): data is ConvertData {
  return !!data && typeof data === 'object' && (data as ConvertData).convert === true;
}

/** Builds the conversion's edit for the document as it is now. */
export function resolveConvert(action: CodeAction, state: DocState | undefined, versionedEdits: boolean): CodeAction {
  if (!state) return action;
  const result = convert(state);
  if (result.ok) action.edit = workspaceEdit(state, result.edits, versionedEdits);
  else action.disabled = { reason: result.reason };
  return action;
}

export function convertCommand(state: DocState | undefined, versionedEdits: boolean): ConvertCommandResult {
  if (!state) return { ok: false, reason: 'the document is not open' };
  const result = convert(state);
  if (!result.ok) return { ok: false, reason: result.reason };
  return { ok: true, edit: workspaceEdit(state, result.edits, versionedEdits), notes: result.notes };
}
