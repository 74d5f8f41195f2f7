/**
 * The extension's entry point, kept small so that activation costs almost nothing: it registers the
 * palette commands and, right after activate() returns, loads the language client (dist/client-lsp.js,
 * client/src/lsp.ts), which starts the server. A command used before that is ready waits for it.
 */
import * as vscode from 'vscode';
import type * as Lsp from './lsp';

/** The commands package.json contributes; their handlers live in lsp.ts. */
const COMMANDS = ['dockerfileHardener.convertToScratch', 'dockerfileHardener.pinAll', 'dockerfileHardener.checkDigests'];

let lsp: Promise<typeof Lsp> | undefined;

function load(context: vscode.ExtensionContext): Promise<typeof Lsp> {
  lsp ??= new Promise<typeof Lsp>((resolve, reject) => {
    setImmediate(() => {
      try {
        // A separate bundle on purpose (see scripts/build.mjs): loading it is most of the client's cost.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const module = require('./client-lsp.js') as typeof Lsp;
        module.start(context).catch((e: unknown) => {
          void vscode.window.showErrorMessage(
            `Dockerfile Hardener: the language server did not start: ${e instanceof Error ? e.message : String(e)}`,
          );
        });
        resolve(module);
      } catch (e) {
        reject(e);
      }
    });
  });
  return lsp;
}

export function activate(context: vscode.ExtensionContext): void {
  for (const id of COMMANDS) {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        const module = await load(context);
        return module.commands[id]?.(...args);
      }),
    );
  }
  void load(context);
}

export async function deactivate(): Promise<void> {
  if (lsp) await (await lsp).stop();
}
