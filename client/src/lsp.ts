/**
 * The language client, loaded by extension.ts right after activation (dist/client-lsp.js): starts
 * the language server over IPC for Dockerfiles. All linting logic lives in the server, so every LSP
 * client gets the same diagnostics. The one thing done here is VS Code specific: the server is sent
 * only the settings the user set, not VS Code's filled-in defaults, so that a project's config file
 * still applies where the user did not override it.
 */
import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
  type WorkspaceEdit,
} from 'vscode-languageclient/node';
import { pinningCommands, pinningMiddleware, trustOptions } from './pinning';
import { SERVER_ENVIRONMENT } from './serverEnv';

const SECTION = 'dockerfileHardener';
let client: LanguageClient | undefined;

/** The `dockerfileHardener` settings that are set explicitly (any scope), as a nested object. */
function explicitSettings(keys: string[], scope: vscode.Uri | undefined): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const i = config.inspect(key);
    const value =
      i?.workspaceFolderLanguageValue ??
      i?.workspaceLanguageValue ??
      i?.globalLanguageValue ??
      i?.workspaceFolderValue ??
      i?.workspaceValue ??
      i?.globalValue;
    if (value === undefined) continue;
    const dot = key.indexOf('.');
    if (key.startsWith('rules.') && dot > 0) {
      const rules = (out.rules ??= {}) as Record<string, unknown>;
      rules[key.slice(dot + 1)] = value;
    } else out[key] = value;
  }
  return out;
}

/** The palette commands' handlers, by command id (extension.ts registers them at activation). */
export const commands: Record<string, (...args: unknown[]) => Promise<unknown>> = {};

export async function start(context: vscode.ExtensionContext): Promise<void> {
  const properties = Object.keys(context.extension.packageJSON.contributes?.configuration?.properties ?? {});
  const keys = properties.filter((k) => k.startsWith(`${SECTION}.`)).map((k) => k.slice(SECTION.length + 1));
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { env: { ...process.env, ...SERVER_ENVIRONMENT } } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'dockerfile' }],
    initializationOptions: trustOptions(),
    middleware: {
      ...pinningMiddleware,
      workspace: {
        configuration: (params, token, next) => {
          if (!params.items.every((item) => item.section === SECTION)) return next(params, token);
          return params.items.map((item) => explicitSettings(keys, item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined));
        },
      },
    },
  };
  client = new LanguageClient(SECTION, 'Dockerfile Hardener', serverOptions, clientOptions);
  commands['dockerfileHardener.convertToScratch'] = convertToScratch;
  Object.assign(commands, pinningCommands(context, client));
  await client.start();
}

/** Palette command: the server converts; the change arrives as one undoable refactoring edit. */
async function convertToScratch(): Promise<void> {
  const doc = vscode.window.activeTextEditor?.document;
  if (!client || !doc || doc.languageId !== 'dockerfile') {
    void vscode.window.showWarningMessage('Open a Dockerfile to convert it to a multi-stage scratch build.');
    return;
  }
  const result = (await client.sendRequest(ExecuteCommandRequest.type, {
    command: 'dockerfile-hardener.convertToScratch',
    arguments: [{ uri: doc.uri.toString() }],
  })) as { ok: boolean; reason?: string; edit?: WorkspaceEdit; notes?: string[] } | null;
  if (!result?.ok || !result.edit) {
    void vscode.window.showWarningMessage(
      `Cannot convert to a multi-stage scratch build: ${result?.reason ?? 'no answer from the language server'}`,
    );
    return;
  }
  const edit = await client.protocol2CodeConverter.asWorkspaceEdit(result.edit);
  const applied = await vscode.workspace.applyEdit(edit, { isRefactoring: true });
  if (!applied) void vscode.window.showWarningMessage('The conversion could not be applied: the Dockerfile changed meanwhile. Try again.');
  else for (const note of result.notes ?? []) void vscode.window.showInformationMessage(`Converted. Note: ${note}`);
}

export async function stop(): Promise<void> {
  await client?.stop();
  client = undefined;
}
