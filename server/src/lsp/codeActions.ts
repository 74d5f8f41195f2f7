/**
 * Code actions: each finding's fixes as quick-fixes (edits built on codeAction/resolve, or at once for
 * clients without resolve), "ignore here / in file" for every finding, and "fix all" as the source
 * action `source.fixAll.dockerfile-hardener` (safe fixes only, so that fix-on-save never changes
 * what an image does).
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type Range } from 'vscode-languageserver/node';
import { convertAction, isConvertData, resolveConvert, CONVERT_KIND } from './convertAction';
import { isPinAllData, offlineReasonFor, pinAllAction, resolvePinAll, APPLY_FIX_COMMAND, PIN_KIND } from './pinActions';
import {
  fileEditsBlocked,
  findingFor,
  fixWorkspaceEdit,
  insideDocument,
  publishedRange,
  workspaceEdit,
  type ActionData,
  type DocState,
} from './docState';
import { ignoreFileEdits, ignoreHereEdits } from '../engine/ignoreEdits';
import { fixAll } from '../linter/fix';
import { minimalEdits } from '../engine/diff';
import type { FixContext } from '../engine/rule';
import { ruleById } from '../rules';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.dockerfile-hardener`;
export const SOURCE = 'dockerfile-hardener';
export type { ActionData, DocState } from './docState';

function wants(only: string[] | undefined, kind: string): boolean {
  return !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
}

export interface ActionOptions {
  versionedEdits: boolean;
  /** The client resolves actions lazily (codeAction/resolve with `edit`). */
  resolve: boolean;
  /** The client shows disabled actions with their reason. */
  disabledSupport: boolean;
  /** The client creates files from a workspace edit (`resourceOperations` has `create`). */
  createFiles?: boolean;
  context: FixContext;
  /** Where a failing fix or conversion is reported (one log line); the other actions still come. */
  onError?: (what: string, error: unknown) => void;
}

export async function codeActions(
  state: DocState,
  range: Range,
  diagnostics: Diagnostic[],
  only: string[] | undefined,
  opts: ActionOptions,
): Promise<CodeAction[]> {
  const actions: CodeAction[] = [];
  if (wants(only, CONVERT_KIND)) {
    try {
      const convert = convertAction(state, range, opts);
      if (convert) actions.push(convert);
    } catch (e) {
      opts.onError?.('the multi-stage conversion failed', e);
    }
  }
  if (wants(only, PIN_KIND)) {
    const pin = pinAllAction(state, range, opts);
    if (pin) actions.push(pin);
  }
  if (wants(only, CodeActionKind.QuickFix)) {
    for (const d of diagnostics) {
      if (!d || typeof d !== 'object' || d.source !== SOURCE || typeof d.code !== 'string') continue;
      // Diagnostics come back from the client: only ours, for a rule that exists (its id goes into an
      // ignore comment), starting inside the document as it is now.
      if (!ruleById(d.code) || !insideDocument(state, d.range)) continue;
      actions.push(...(await quickFixes(state, d, d.code, opts)), ...ignoreActions(state, d, d.code, opts));
    }
  }
  // "Fix all" only when asked for by kind (fix-on-save, the source action menu), not in the lightbulb.
  if (only && wants(only, FIX_ALL_KIND) && only.some((k) => k.startsWith(CodeActionKind.Source))) {
    const all = await fixAllAction(state, opts);
    if (all) actions.push(all);
  }
  return actions;
}

/** A finding's fixes as quick-fixes: resolved later, run as a command (registry), or with their edit now. */
async function quickFixes(state: DocState, d: Diagnostic, rule: string, opts: ActionOptions): Promise<CodeAction[]> {
  const actions: CodeAction[] = [];
  const fixes = findingFor(state, rule, publishedRange(d))?.fixes ?? [];
  for (let i = 0; i < fixes.length; i++) {
    const fix = fixes[i];
    // A fix that cannot apply here (or needs a registry or a download this context cannot reach) shows why.
    const blocked =
      fix.unavailable ??
      offlineReasonFor(fix, opts.context, 'this fix needs registry access') ??
      fileEditsBlocked(fix.fileEdits?.() ?? [], opts);
    if (blocked) {
      if (opts.disabledSupport)
        actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], disabled: { reason: blocked } });
      continue;
    }
    const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: !!fix.preferred };
    const data: ActionData = {
      uri: state.uri,
      version: state.version,
      rule,
      range: publishedRange(d),
      fix: i,
      ...(fix.network ? { network: true as const } : {}),
    };
    if (opts.resolve) action.data = data;
    else if (fix.network)
      action.command = { title: fix.title, command: APPLY_FIX_COMMAND, arguments: [data] }; // never ask a registry for a list
    else {
      try {
        action.edit = fixWorkspaceEdit(state, await fix.edits(opts.context), fix.fileEdits?.() ?? [], opts.versionedEdits);
      } catch (e) {
        opts.onError?.(`fix "${fix.title}" of ${rule} failed`, e);
        continue; // cannot be built now (e.g. no network): not offered rather than half-made
      }
    }
    actions.push(action);
  }
  return actions;
}

/** Ignore comments for one finding: for its instruction, and for the whole file. */
function ignoreActions(state: DocState, d: Diagnostic, rule: string, opts: ActionOptions): CodeAction[] {
  const actions: CodeAction[] = [];
  const here = ignoreHereEdits(state.model, d.range.start, rule);
  if (here?.length)
    actions.push({
      title: `Ignore ${rule} for this instruction`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      edit: workspaceEdit(state, here, opts.versionedEdits),
    });
  const file = ignoreFileEdits(state.model, rule);
  if (file.length)
    actions.push({
      title: `Ignore ${rule} in this file`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      edit: workspaceEdit(state, file, opts.versionedEdits),
    });
  return actions;
}

/** Every safe fix at once, as one edit; never a registry or a download from fix-all (fix-on-save runs without them). */
async function fixAllAction(state: DocState, opts: ActionOptions): Promise<CodeAction | undefined> {
  const result = await fixAll(state.text, {
    ...state.options,
    context: { ...opts.context, resolveDigest: undefined, fetchSha256: undefined },
  });
  if (!result.applied.length) return undefined;
  return {
    title: `Fix all safe Dockerfile Hardener findings (${result.applied.length})`,
    kind: FIX_ALL_KIND,
    edit: workspaceEdit(state, minimalEdits(state.text, result.text), opts.versionedEdits),
  };
}

/** Builds a resolved action's edit against the document as it is now. */
export async function resolveAction(action: CodeAction, state: DocState | undefined, opts: ActionOptions): Promise<CodeAction> {
  if (isConvertData(action.data)) {
    try {
      return resolveConvert(action, state, opts.versionedEdits);
    } catch (e) {
      opts.onError?.('the multi-stage conversion failed', e);
      return { ...action, disabled: { reason: 'The conversion failed: see the server log' } };
    }
  }
  if (isPinAllData(action.data)) return resolvePinAll(action, state, opts);
  const data = action.data as ActionData | undefined;
  if (!data || !state) return action;
  const finding = findingFor(state, data.rule, data.range);
  const fix = finding?.fixes?.[data.fix];
  if (!fix || fix.title !== action.title) return action; // the document changed under the action
  try {
    action.edit = fixWorkspaceEdit(state, await fix.edits(opts.context), fix.fileEdits?.() ?? [], opts.versionedEdits);
  } catch (e) {
    // A fix that fails to build offers no edit (never half of one); the reason is logged.
    opts.onError?.(`fix "${fix.title}" of ${data.rule} failed`, e);
    action.disabled = { reason: `This fix could not be built: ${e instanceof Error ? e.message : String(e)}` };
  }
  return action;
}
