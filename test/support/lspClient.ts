/**
 * A real LSP client for tests: spawns the built server (`node dist/server.js --stdio`) and speaks
 * JSON-RPC to it. Waits poll the state with a deadline; nothing sleeps a fixed time.
 */
import { spawn, fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  IPCMessageReader,
  IPCMessageWriter,
  InitializeRequest,
  InitializedNotification,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  PublishDiagnosticsNotification,
  ConfigurationRequest,
  RegistrationRequest,
  ShutdownRequest,
  CodeActionRequest,
  CodeActionResolveRequest,
  ExecuteCommandRequest,
  DocumentFormattingRequest,
  DocumentRangeFormattingRequest,
  type TextEdit,
  ApplyWorkspaceEditRequest,
  type ApplyWorkspaceEditParams,
  type CodeAction,
  type Diagnostic,
  ExitNotification,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type InitializeResult,
  type ClientCapabilities,
} from 'vscode-languageserver-protocol/node';

export const SERVER = path.resolve(__dirname, '../../dist/server.js');

export interface ClientOptions {
  /** Answer workspace/configuration with these settings (the `dockerfileHardener` section). */
  settings?: unknown;
  /** Advertise workspace/configuration support (default true). */
  pullConfiguration?: boolean;
  initializationOptions?: unknown;
  /** How to talk to the server: stdio (other editors) or Node IPC (the VS Code client). */
  transport?: 'stdio' | 'ipc';
  /** Advertise codeAction/resolve for `edit` (VS Code does; default true). */
  resolve?: boolean;
  /** The server's environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Over stdio, run this executable with `--stdio` (an installed bin, through its shebang) instead of `node dist/server.js`. */
  serverBin?: string;
  /** Advertise that workspace edits may create files (workspaceEdit.resourceOperations: ['create']). */
  createFiles?: boolean;
  /** Advertise dynamic registration of workspace/didChangeWatchedFiles (the server then registers its watchers). */
  watchFiles?: boolean;
  /**
   * Turn on, in the settings the client answers, the rules these tests exercise that are off by
   * default (unpinned-digest for the pinning surfaces, latest-tag as the common warning); a test's
   * own setting for them wins. false: the server's defaults.
   */
  pinning?: boolean;
}

/** The settings with unpinned-digest and latest-tag on, unless they say otherwise. */
function withPinning(settings: unknown): unknown {
  if (settings !== undefined && (typeof settings !== 'object' || settings === null || Array.isArray(settings))) return settings;
  const s = (settings ?? {}) as { rules?: unknown };
  const rules = s.rules && typeof s.rules === 'object' ? (s.rules as Record<string, unknown>) : {};
  return { ...s, rules: { 'unpinned-digest': 'info', 'latest-tag': 'warning', ...rules } };
}

export class TestClient {
  readonly published: PublishDiagnosticsParams[] = [];
  readonly logs: string[] = [];
  /** workspace/applyEdit requests the server sent (the client applies them: answered true). */
  readonly appliedEdits: ApplyWorkspaceEditParams[] = [];
  settings: unknown;
  initializeResult!: InitializeResult;
  private waiters: (() => void)[] = [];

  private constructor(
    readonly child: ChildProcess,
    readonly connection: ProtocolConnection,
  ) {}

  static async start(options: ClientOptions = {}): Promise<TestClient> {
    let child: ChildProcess;
    let connection: ProtocolConnection;
    if (options.transport === 'ipc') {
      child = fork(SERVER, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: options.env });
      connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    } else {
      const [command, args] = options.serverBin ? [options.serverBin, []] : [process.execPath, [SERVER]];
      const c = spawn(command, [...args, '--stdio'], { stdio: 'pipe', env: options.env });
      child = c;
      connection = createProtocolConnection(new StreamMessageReader(c.stdout), new StreamMessageWriter(c.stdin));
    }
    const client = new TestClient(child, connection);
    client.settings = options.pinning === false ? options.settings : withPinning(options.settings);
    child.stderr?.on('data', (d: Buffer) => client.logs.push(d.toString()));
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      client.published.push(p);
      client.notify();
    });
    connection.onNotification('window/logMessage', (p: { message: string }) => {
      client.logs.push(p.message);
      client.notify();
    });
    connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => client.settings ?? null));
    connection.onRequest(RegistrationRequest.type, () => undefined);
    connection.onRequest(ApplyWorkspaceEditRequest.type, (params) => {
      client.appliedEdits.push(params);
      client.notify();
      return { applied: true };
    });
    connection.listen();
    const pull = options.pullConfiguration ?? true;
    const capabilities: ClientCapabilities = {
      workspace: {
        workspaceEdit: { documentChanges: true, ...(options.createFiles ? { resourceOperations: ['create'] } : {}) },
        ...(options.watchFiles ? { didChangeWatchedFiles: { dynamicRegistration: true } } : {}),
        ...(pull ? { configuration: true, didChangeConfiguration: { dynamicRegistration: true } } : {}),
      },
      textDocument: {
        publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true },
        codeAction: {
          codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll', 'refactor'] } },
          isPreferredSupport: true,
          disabledSupport: true,
          dataSupport: true,
          ...(options.resolve === false ? {} : { resolveSupport: { properties: ['edit'] } }),
        },
      },
    };
    client.initializeResult = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities,
      initializationOptions: options.initializationOptions,
      workspaceFolders: null,
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves with the first state for which `probe` returns a value, or fails at the deadline. */
  async waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = probe();
      if (v !== undefined) return v;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${what}; published: ${JSON.stringify(this.published.map((p) => [p.uri, p.version, p.diagnostics.length]))}`,
        );
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** The diagnostics published for `uri` at `version` (the newest such publication). */
  diagnosticsFor(uri: string, version?: number): Promise<PublishDiagnosticsParams> {
    return this.waitFor(`diagnostics for ${uri} v${version}`, () => {
      for (let i = this.published.length - 1; i >= 0; i--) {
        const p = this.published[i];
        if (p.uri === uri && (version === undefined || p.version === version)) return p;
      }
      return undefined;
    });
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'dockerfile', version, text },
    });
  }

  change(uri: string, version: number, text: string): Promise<void> {
    return this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
  }

  async codeActions(uri: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const r = await this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics, only } });
    return (r ?? []) as CodeAction[];
  }

  executeCommand(command: string, args: unknown[]): Promise<unknown> {
    return this.connection.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
  }

  /** Code actions for a range, with no diagnostics (refactorings). */
  async codeActionsAt(
    uri: string,
    range: { start: { line: number; character: number }; end: { line: number; character: number } },
    only?: string[],
  ): Promise<CodeAction[]> {
    const r = await this.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range,
      context: { diagnostics: [], only },
    });
    return (r ?? []) as CodeAction[];
  }

  /** textDocument/formatting, or textDocument/rangeFormatting when a range is given. */
  async formatting(
    uri: string,
    range?: { start: { line: number; character: number }; end: { line: number; character: number } },
  ): Promise<TextEdit[]> {
    const options = { tabSize: 4, insertSpaces: true };
    const r = range
      ? await this.connection.sendRequest(DocumentRangeFormattingRequest.type, { textDocument: { uri }, range, options })
      : await this.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options });
    return r ?? [];
  }

  resolveAction(action: CodeAction): Promise<CodeAction> {
    return this.connection.sendRequest(CodeActionResolveRequest.type, action);
  }

  /** workspace/didChangeWatchedFiles, as an editor sends it for files the server watches (1 created, 2 changed, 3 deleted). */
  filesChanged(changes: { uri: string; type: 1 | 2 | 3 }[]): Promise<void> {
    return this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  changeConfiguration(settings: unknown): Promise<void> {
    this.settings = settings;
    return this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // the server may already be gone
    }
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    if (this.child.exitCode === null) await exited;
    clearTimeout(timer);
    this.connection.dispose();
  }
}
