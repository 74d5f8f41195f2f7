/**
 * What only VS Code adds to pinning (the server does the work): the palette commands "Pin all images
 * in this Dockerfile" and "Check pinned digests", and a progress notification with a Cancel button
 * whenever a registry is asked (those commands, and resolving a quick-fix or refactoring that the
 * server marks `network`). Cancel cancels the LSP request; the server stops at once and changes
 * nothing. Workspace trust is passed on: the server pins nothing in an untrusted workspace.
 */
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient, type Middleware, type WorkspaceEdit } from 'vscode-languageclient/node';

const COMMANDS = {
  'dockerfileHardener.pinAll': { server: 'dockerfile-hardener.pinAll', title: 'Pinning images to digests' },
  'dockerfileHardener.checkDigests': { server: 'dockerfile-hardener.checkDigests', title: 'Checking pinned digests' },
} as const;

interface PinResult {
  ok: boolean;
  message: string;
  edit?: WorkspaceEdit;
}

/** For the client's initializationOptions. */
export function trustOptions(): { workspaceTrusted: boolean } {
  return { workspaceTrusted: vscode.workspace.isTrusted };
}

/** Progress and cancel while a quick-fix or refactoring that asks a registry is resolved. */
export const pinningMiddleware: Pick<Middleware, 'resolveCodeAction'> = {
  resolveCodeAction: (item, token, next) => {
    if (!(item as { data?: { network?: boolean } }).data?.network) return next(item, token);
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `${item.title}: asking the registry…`, cancellable: true },
      async (_progress, cancel) => {
        const source = new vscode.CancellationTokenSource();
        const subscriptions = [token.onCancellationRequested(() => source.cancel()), cancel.onCancellationRequested(() => source.cancel())];
        try {
          const resolved = await next(item, source.token);
          // No edit then: say why (a registry error, a refusal) instead of doing nothing silently.
          if (resolved?.disabled && !source.token.isCancellationRequested)
            void vscode.window.showErrorMessage(`${item.title}: ${resolved.disabled.reason}`);
          return resolved;
        } finally {
          for (const s of subscriptions) s.dispose();
          source.dispose();
        }
      },
    );
  },
};

/** The pinning palette commands' handlers by id; tells the server when the workspace becomes trusted. */
export function pinningCommands(context: vscode.ExtensionContext, client: LanguageClient): Record<string, () => Promise<unknown>> {
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => void client.sendNotification('dockerfile-hardener/workspaceTrusted', {})),
  );
  return Object.fromEntries(Object.entries(COMMANDS).map(([id, { server, title }]) => [id, () => run(client, server, title)]));
}

/** Runs a server command on the active Dockerfile with progress and cancel; returns its result (for tests). */
async function run(client: LanguageClient, command: string, title: string): Promise<PinResult | undefined> {
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc || doc.languageId !== 'dockerfile') {
    void vscode.window.showWarningMessage('Open a Dockerfile first.');
    return undefined;
  }
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `${title}…`, cancellable: true },
    async (_progress, token) => {
      let result: PinResult | null;
      try {
        result = (await client.sendRequest(
          ExecuteCommandRequest.type,
          { command, arguments: [{ uri: doc.uri.toString() }] },
          token,
        )) as PinResult | null;
      } catch (e) {
        if (token.isCancellationRequested) return { ok: false, message: 'Cancelled: nothing was changed.' };
        void vscode.window.showErrorMessage(`${title} failed: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      }
      if (!result) return undefined;
      if (token.isCancellationRequested) return { ok: false, message: 'Cancelled: nothing was changed.' };
      if (result.edit) {
        const applied = await vscode.workspace.applyEdit(await client.protocol2CodeConverter.asWorkspaceEdit(result.edit));
        if (!applied) result = { ...result, ok: false, message: 'Nothing was changed: the Dockerfile changed meanwhile. Try again.' };
      }
      if (result.ok) void vscode.window.showInformationMessage(result.message);
      else void vscode.window.showWarningMessage(result.message);
      return result;
    },
  );
}
