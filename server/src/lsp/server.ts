/**
 * The language server: editor-agnostic. VS Code starts it over IPC; any other client runs
 * `node dist/server.js --stdio`. It lints each open Dockerfile once per version (a burst of edits
 * lints only the newest), publishes diagnostics with the rule id as `code` and its page as
 * `codeDescription` (docs/rules/<id>.md shipped beside the server, a file:// URI; ShellCheck's codes
 * link to ShellCheck's wiki), and answers hover on a finding from that page (hover.ts). Options
 * come from the project's config file (`.dockerfile-hardener.yaml`, or
 * `.hadolint.yaml`) overridden by the `dockerfileHardener` settings; a config file's problems are
 * published as diagnostics on that file, and linting goes on with what could be used.
 */
import {
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  WatchKind,
  type FileSystemWatcher,
  DiagnosticSeverity,
  CodeActionKind,
  type CancellationToken,
  type CodeAction,
  type CodeActionParams,
  type CompletionList,
  type CompletionParams,
  type Connection,
  type Diagnostic,
  type ExecuteCommandParams,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, LintOptions } from '../engine/findings';
import { codeActions, resolveAction, FIX_ALL_KIND, SOURCE, type ActionOptions } from './codeActions';
import { convertCommand, CONVERT_COMMAND, CONVERT_KIND, CONVERT_TITLE } from './convertAction';
import { executePinCommand, RegistryAccess, PIN_COMMANDS, PIN_KIND, TRUST_NOTIFICATION } from './pinActions';
import { COMPLETION_TRIGGERS, completionsAt } from './completion';
import type { FixContext, Severity } from '../engine/rule';
import { rulePages } from '../docs/rulePages';
import { hoverAt, published, type PublishedFinding } from './hover';
import { EditorFacts, joinHovers } from './imageFacts';
import { ClientSettings, type Settings } from './settings';
import { CONFIG_NAMES, ConfigFiles } from './configFiles';
import { DocumentManager } from './documents';
import { isIgnoredPath } from '../config/projectConfig';
import { lintOptions } from '../config/options';
import {
  CONTEXT_DELETE_GLOB,
  CONTEXT_WATCH_GLOBS,
  contextWatchedName,
  invalidateContextWalks,
  invalidateContextWalksFor,
  setContextWatched,
} from '../engine/contextFiles';
import { URI } from 'vscode-uri';
import { version } from '../../../package.json';
import { ruleById } from '../rules';
import { ScriptChecks } from './scriptChecks';
import { isShellCheckCode, shellcheckWikiUrl } from '../shellcheck/findings';
import { formattingEdits } from './formatting';
import * as path from 'node:path';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Where a finding's code leads: its rule's page on this machine, ShellCheck's wiki, or nowhere. */
function codeHref(rule: string): string | undefined {
  if (isShellCheckCode(rule)) return shellcheckWikiUrl(rule);
  // A project's own rule (customRules in its config) and document-too-large have no page; a rule
  // whose page was not shipped gets no link rather than an invented one.
  return ruleById(rule) ? rulePages.href(rule) : undefined;
}

export function toDiagnostic(f: Finding): Diagnostic {
  const href = codeHref(f.rule);
  return {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.rule,
    ...(href ? { codeDescription: { href } } : {}),
    source: SOURCE,
    message: f.message,
    // The range again, opaque to the client: some clients send diagnostics back with other column
    // units (Neovim 0.7 uses bytes), and code actions find their finding by this one.
    data: { range: f.range },
  };
}

export interface ServerHooks {
  /** Called whenever the server is given work (a document to lint, a request): see idleCollect.ts. */
  onWork?: () => void;
}

export function startServer(connection: Connection = createConnection(ProposedFeatures.all), hooks: ServerHooks = {}): void {
  new Server(connection, hooks).listen();
}

/** What the client can do, from its capabilities at initialize. */
interface ClientCapabilities {
  pullConfiguration: boolean;
  dynamicConfiguration: boolean;
  watchFiles: boolean;
  versionedEdits: boolean;
  resolveSupport: boolean;
  disabledSupport: boolean;
  /** Workspace edits may create files (a quick fix adding a .dockerignore). */
  createFiles: boolean;
}

/** The protocol handlers, over the open documents, their settings and config files, and registry access. */
class Server {
  private readonly documents = new TextDocuments(TextDocument);
  private client: ClientCapabilities = {
    pullConfiguration: false,
    dynamicConfiguration: false,
    watchFiles: false,
    versionedEdits: false,
    resolveSupport: false,
    disabledSupport: false,
    createFiles: false,
  };
  private readonly settings: ClientSettings;
  private readonly configs: ConfigFiles;
  private readonly manager: DocumentManager;
  /** Registry access for pinning: trust, timeouts, the last digest check of each document. */
  private readonly registry = new RegistryAccess(`dockerfile-hardener/${version}`);
  /** What hover explains: the findings last published for each open document (their rule, range and fixes' titles). */
  private readonly published = new Map<string, PublishedFinding[]>();
  /** What registries said of each document's images (the disk cache; a hover's lookups). */
  private readonly facts: EditorFacts;
  /** ShellCheck on the documents' scripts, batched (scriptChecks.ts). */
  private readonly scripts = new ScriptChecks(
    () =>
      void this.connection.window.showInformationMessage(
        'Dockerfile Hardener: shellcheck is not installed, so RUN scripts are not checked by ShellCheck (Debian and Ubuntu: apt-get install shellcheck).',
      ),
  );

  constructor(
    private readonly connection: Connection,
    private readonly hooks: ServerHooks,
  ) {
    const pull = (uri: string): Promise<unknown> =>
      this.client.pullConfiguration
        ? connection.workspace.getConfiguration({ scopeUri: uri, section: 'dockerfileHardener' })
        : Promise.resolve(undefined);
    this.settings = new ClientSettings(pull, (m) => connection.console.warn(m));
    this.configs = new ConfigFiles(
      (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }),
      (m) => connection.console.warn(m),
      () => this.manager.invalidateAll(),
    );
    this.manager = new DocumentManager({
      documents: this.documents,
      settings: (uri) => this.settings.for(uri),
      options: (uri, settings) => this.lintOptionsFor(uri, settings),
      publish: (uri, v, findings) => {
        this.published.set(uri, findings.map(published));
        this.facts.afterPublish(uri);
        void connection.sendDiagnostics({ uri, version: v, diagnostics: findings.map(toDiagnostic) });
      },
      log: { warn: (m) => connection.console.warn(m), error: (m) => connection.console.error(m) },
      onWork: () => this.work(),
      shellcheck: (model, options, signal) => this.scripts.findings(model, options, signal),
    });
    this.facts = new EditorFacts({
      lookupClient: async (uri) => {
        const s = await this.settings.for(uri);
        const client = s.registryLookups ? await this.registry.factsClient() : undefined;
        return client && { client, timeoutMs: s.registryTimeout * 1000 };
      },
      model: async (uri) => (await this.manager.stateOf(uri))?.model,
      relint: (uri) => this.manager.relint(uri),
      isOpen: (uri) => this.documents.get(uri) !== undefined,
      log: (m) => connection.console.log(m),
    });
    this.registry.onResolved = (name, digest) => this.facts.noteTag(name, digest);
  }

  listen(): void {
    const { connection, documents, manager } = this;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => this.initialized());
    connection.onDidChangeWatchedFiles((params) => {
      const changes: unknown = params?.changes;
      const files = Array.isArray(changes)
        ? changes.flatMap((c: { uri?: unknown } | null) => (typeof c?.uri === 'string' ? [URI.parse(c.uri).fsPath] : []))
        : undefined;
      if (!files) invalidateContextWalks();
      // Walks are forgotten where a change may touch what one found. Every deletion comes (CONTEXT_DELETE_GLOB):
      // one that forgot no walk and is not of a name watched for changes nothing.
      else if (!invalidateContextWalksFor(files) && !files.some((f) => CONFIG_NAMES.has(path.basename(f)) || contextWatchedName(f))) return;
      this.configs.invalidate();
      manager.invalidateAll();
    });
    connection.onDidChangeConfiguration((change) => {
      this.settings.push((change.settings as { dockerfileHardener?: unknown } | null)?.dockerfileHardener);
      manager.invalidateAll();
    });
    documents.onDidOpen((e) => manager.schedule(e.document));
    documents.onDidChangeContent((e) => manager.schedule(e.document));
    documents.onDidClose((e) => {
      const uri = e.document.uri;
      this.registry.forget(uri);
      this.published.delete(uri);
      this.facts.forget(uri);
      manager.close(uri);
      this.settings.forget(uri);
      void connection.sendDiagnostics({ uri, diagnostics: [] });
    });
    connection.onCodeAction((params) => this.codeAction(params));
    connection.onExecuteCommand((params, token) => this.executeCommand(params, token));
    connection.onCodeActionResolve((action, token) => this.resolve(action, token));
    connection.onDocumentFormatting((params) => {
      this.work();
      return formattingEdits(documents.get(params.textDocument.uri));
    });
    connection.onDocumentRangeFormatting((params) => {
      this.work();
      return formattingEdits(documents.get(params.textDocument.uri), params.range);
    });
    connection.onHover(async (params) => {
      this.work();
      const uri = params.textDocument.uri;
      const image = await this.facts.hover(uri, params.position, async () => this.lintOptionsFor(uri, await this.settings.for(uri)));
      return joinHovers(image, hoverAt({ findings: this.published.get(uri) ?? [] }, params.position));
    });
    connection.languages.inlayHint.on(async (params, token) => {
      const state = await this.manager.stateOf(params.textDocument.uri);
      return state ? this.facts.inlayHints(params.textDocument.uri, state.model, params.range, token) : [];
    });
    connection.onCompletion((params, token) => this.completion(params, token));
    connection.onNotification(TRUST_NOTIFICATION, () => this.registry.trust());
    documents.listen(connection);
    connection.listen();
  }

  private work(): void {
    this.hooks.onWork?.();
  }

  private initialize(params: InitializeParams): InitializeResult {
    const workspace = params.capabilities.workspace;
    const codeAction = params.capabilities.textDocument?.codeAction;
    this.client = {
      pullConfiguration: !!workspace?.configuration,
      dynamicConfiguration: !!workspace?.didChangeConfiguration?.dynamicRegistration,
      watchFiles: !!workspace?.didChangeWatchedFiles?.dynamicRegistration,
      versionedEdits: !!workspace?.workspaceEdit?.documentChanges,
      resolveSupport: !!codeAction?.resolveSupport?.properties.includes('edit'),
      disabledSupport: !!codeAction?.disabledSupport,
      createFiles: !!workspace?.workspaceEdit?.resourceOperations?.includes('create'),
    };
    const init = params.initializationOptions as { settings?: unknown } | undefined;
    this.settings.push(init?.settings);
    this.registry.initialize(params.initializationOptions);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND, CONVERT_KIND, PIN_KIND], resolveProvider: true },
        executeCommandProvider: { commands: [CONVERT_COMMAND, ...PIN_COMMANDS] },
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
        hoverProvider: true,
        inlayHintProvider: true,
        completionProvider: { triggerCharacters: COMPLETION_TRIGGERS },
      },
      serverInfo: { name: 'dockerfile-hardener', version },
    };
  }

  private initialized(): void {
    if (this.client.pullConfiguration && this.client.dynamicConfiguration) {
      void this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'dockerfileHardener' });
    }
    if (this.client.watchFiles) {
      const watchers: FileSystemWatcher[] = [...[...CONFIG_NAMES].map((n) => `**/${n}`), ...CONTEXT_WATCH_GLOBS].map((globPattern) => ({
        globPattern,
      }));
      // A deleted or renamed directory is reported alone, whatever its name: a walk may have found keys in it.
      watchers.push({ globPattern: CONTEXT_DELETE_GLOB, kind: WatchKind.Delete });
      void this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers });
      setContextWatched(true); // build-context walks are then forgotten when a watched change may touch them
    }
  }

  /** A document's lint options: its project config, its settings, registry facts; undefined when the config ignores it. */
  private lintOptionsFor(uri: string, settings: Settings): LintOptions | undefined {
    const config = this.configs.configFor(uri);
    const parsed = URI.parse(uri);
    if (config && isIgnoredPath(config, parsed.fsPath)) return undefined;
    const options = lintOptions(config, settings, parsed.scheme === 'file' ? parsed.fsPath : undefined, this.configs.buildFor(uri));
    return this.facts.withFacts(uri, config?.imageFacts, options, this.registry.lintOptions(uri));
  }

  /** Registry access for one request (none in an untrusted workspace), with its timeout and cancellation. */
  private async fixContext(uri: string, token?: CancellationToken): Promise<FixContext> {
    return this.registry.context((await this.settings.for(uri)).registryTimeout, token);
  }

  private actionOptions(context: FixContext = {}): ActionOptions {
    return {
      versionedEdits: this.client.versionedEdits,
      resolve: this.client.resolveSupport,
      disabledSupport: this.client.disabledSupport,
      createFiles: this.client.createFiles,
      context,
      onError: (what, e) => this.connection.console.error(`${what}: ${e instanceof Error ? e.stack : String(e)}`),
    };
  }

  private async codeAction(params: CodeActionParams): Promise<CodeAction[]> {
    this.work();
    const uri = params.textDocument.uri;
    const state = await this.manager.stateOf(uri);
    if (!state) return [];
    return codeActions(
      state,
      params.range,
      params.context.diagnostics,
      params.context.only,
      this.actionOptions(await this.fixContext(uri)),
    );
  }

  private async resolve(action: CodeAction, token: CancellationToken): Promise<CodeAction> {
    this.work();
    const uri = (action.data as { uri?: string } | undefined)?.uri;
    const state = uri ? await this.manager.stateOf(uri) : undefined;
    return resolveAction(action, state, this.actionOptions(uri && this.documents.get(uri) ? await this.fixContext(uri, token) : {}));
  }

  /** Tags, digests and stage names (completion.ts): registry lookups only when trusted and `registry.lookups` is on. */
  private async completion(params: CompletionParams, token: CancellationToken): Promise<CompletionList> {
    this.work();
    const uri = params.textDocument.uri;
    const doc = this.documents.get(uri);
    if (!doc) return { isIncomplete: false, items: [] };
    const settings = await this.settings.for(uri);
    return completionsAt(params.position, token, {
      line: (p) => {
        const offset = doc.offsetAt({ line: p.line, character: 0 });
        return {
          text: doc.getText({ start: { line: p.line, character: 0 }, end: { line: p.line + 1, character: 0 } }).replace(/\r?\n$/, ''),
          offset,
        };
      },
      model: async () => (await this.manager.stateOf(uri))?.model,
      lookups: () => (settings.registryLookups ? this.registry.lookups(settings.registryTimeout, token) : undefined),
      log: (m) => this.connection.console.log(m),
    });
  }

  private async executeCommand(params: ExecuteCommandParams, token: CancellationToken): Promise<unknown> {
    this.work();
    const { connection } = this;
    const pin = await executePinCommand(params.command, params.arguments, token, {
      stateOf: (uri) => this.manager.stateOf(uri),
      context: (uri, t) => this.fixContext(uri, t),
      versionedEdits: this.client.versionedEdits,
      applyEdit: (label, edit) => connection.workspace.applyEdit({ label, edit }),
      relint: (uri) => this.manager.relint(uri),
      access: this.registry,
    });
    if (pin) return pin;
    if (params.command !== CONVERT_COMMAND) return undefined;
    const arg = (params.arguments?.[0] ?? {}) as { uri?: string; apply?: boolean };
    const result = convertCommand(arg.uri ? await this.manager.stateOf(arg.uri) : undefined, this.client.versionedEdits);
    if (result.ok && arg.apply && result.edit) {
      const applied = await connection.workspace.applyEdit({ label: CONVERT_TITLE, edit: result.edit });
      if (!applied.applied) return { ok: false, reason: applied.failureReason ?? 'the editor did not apply the edit' };
    }
    return result;
  }
}
