/**
 * The language server: editor-agnostic. VS Code starts it over IPC; any other client runs
 * `node dist/server.js --stdio`. It lints each open Dockerfile once per version (a burst of edits
 * lints only the newest), publishes diagnostics with the rule id as `code` and its docs page as
 * `codeDescription`. Options come from the project's config file (`.dockerfile-hardener.yaml`, or
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
  DiagnosticSeverity,
  CodeActionKind,
  type CancellationToken,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { lint } from '../linter/lint';
import { type Finding } from '../engine/findings';
import { IncrementalLinter } from '../linter/incremental';
import { DockerfileModel } from '../model/model';
import { codeActions, resolveAction, FIX_ALL_KIND, SOURCE, type ActionOptions, type DocState } from './codeActions';
import { convertCommand, CONVERT_COMMAND, CONVERT_KIND, CONVERT_TITLE } from './convertAction';
import { executePinCommand, RegistryAccess, PIN_COMMANDS, PIN_KIND, TRUST_NOTIFICATION } from './pinActions';
import { docsUrl, type FixContext, type Severity } from '../engine/rule';
import { tooLargeFinding, TOO_LARGE, TOO_LARGE_DOCS } from './limits';
import { parseSettings, type Settings } from './settings';
import { ConfigResolver } from '../config/resolve';
import { isIgnoredPath, HADOLINT_CONFIG_NAMES, OWN_CONFIG_NAMES, type ProjectConfig } from '../config/projectConfig';
import { lintOptions } from '../config/options';
import { URI } from 'vscode-uri';
import { version } from '../../../package.json';

export { SOURCE };

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** How many documents keep their last lint's model and fixes (the rest lint again on demand). */
const KEPT_STATES = 8;

export function toDiagnostic(f: Finding): Diagnostic {
  return {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.rule,
    codeDescription: { href: f.rule === TOO_LARGE ? TOO_LARGE_DOCS : docsUrl(f.rule) },
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
  const work = () => hooks.onWork?.();
  const documents = new TextDocuments(TextDocument);
  let pullConfiguration = false;
  let dynamicConfiguration = false;
  let watchFiles = false;
  const configs = new ConfigResolver();
  /** Config files whose problems are published, so that fixing them clears the diagnostics. */
  const configDiagnostics = new Set<string>();
  /** Settings pushed by the client (initializationOptions or didChangeConfiguration). */
  let pushedSettings: Settings = parseSettings(undefined);
  const settingsCache = new Map<string, Promise<Settings>>();
  /** Latest version scheduled per document; a stale job returns without linting. */
  const scheduled = new Map<string, number>();
  /** Each open document's last lint (model, findings with their fixes), for code actions. */
  const states = new Map<string, DocState>();
  let versionedEdits = false;
  let resolveSupport = false;
  let disabledSupport = false;
  /** Registry access for pinning: trust, timeouts, the last digest check of each document. */
  const registry = new RegistryAccess(`dockerfile-hardener/${version}`);

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    pullConfiguration = !!params.capabilities.workspace?.configuration;
    dynamicConfiguration = !!params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration;
    watchFiles = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    versionedEdits = !!params.capabilities.workspace?.workspaceEdit?.documentChanges;
    resolveSupport = !!params.capabilities.textDocument?.codeAction?.resolveSupport?.properties.includes('edit');
    disabledSupport = !!params.capabilities.textDocument?.codeAction?.disabledSupport;
    const init = params.initializationOptions as { settings?: unknown } | undefined;
    if (init?.settings !== undefined) pushedSettings = parseSettings(init.settings);
    registry.initialize(params.initializationOptions);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND, CONVERT_KIND, PIN_KIND], resolveProvider: true },
        executeCommandProvider: { commands: [CONVERT_COMMAND, ...PIN_COMMANDS] },
      },
      serverInfo: { name: 'dockerfile-hardener', version },
    };
  });

  connection.onInitialized(() => {
    if (pullConfiguration && dynamicConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'dockerfileHardener' });
    }
    if (watchFiles) {
      const names = [...OWN_CONFIG_NAMES, ...HADOLINT_CONFIG_NAMES];
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: names.map((n) => ({ globPattern: `**/${n}` })) });
    }
  });

  connection.onDidChangeWatchedFiles(() => {
    configs.invalidate();
    states.clear();
    for (const doc of documents.all()) schedule(doc);
  });

  /** The project config for a document (file: URIs only), with its problems published. */
  function configFor(uri: string): ProjectConfig | undefined {
    let file: string;
    try {
      const u = URI.parse(uri);
      if (u.scheme !== 'file') return undefined;
      file = u.fsPath;
    } catch {
      return undefined;
    }
    const config = configs.configFor(file);
    if (config) publishConfigProblems(config);
    return config;
  }

  function publishConfigProblems(config: ProjectConfig): void {
    const uri = URI.file(config.file).toString();
    if (!config.problems.length && !configDiagnostics.has(uri)) return;
    const diagnostics: Diagnostic[] = config.problems.map((p) => ({
      range: { start: { line: p.line - 1, character: p.column - 1 }, end: { line: p.line - 1, character: Number.MAX_SAFE_INTEGER } },
      severity: p.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
      source: SOURCE,
      message: p.severity === 'error' ? `${p.message} (ignored: the defaults apply)` : p.message,
    }));
    if (diagnostics.length) configDiagnostics.add(uri);
    else configDiagnostics.delete(uri);
    void connection.sendDiagnostics({ uri, diagnostics });
  }

  connection.onDidChangeConfiguration((change) => {
    settingsCache.clear();
    states.clear();
    const s = (change.settings as { dockerfileHardener?: unknown } | null)?.dockerfileHardener;
    if (s !== undefined) {
      pushedSettings = parseSettings(s);
      for (const problem of pushedSettings.problems) connection.console.warn(`dockerfileHardener settings: ${problem}`);
    }
    for (const doc of documents.all()) schedule(doc);
  });

  function settingsFor(uri: string): Promise<Settings> {
    if (!pullConfiguration) return Promise.resolve(pushedSettings);
    let p = settingsCache.get(uri);
    if (!p) {
      p = connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'dockerfileHardener' })
        .then((raw: unknown) => {
          if (raw === null || raw === undefined) return pushedSettings;
          const parsed = parseSettings(raw);
          for (const problem of parsed.problems) connection.console.warn(`dockerfileHardener settings: ${problem}`);
          return parsed;
        })
        .catch(() => pushedSettings);
      settingsCache.set(uri, p);
    }
    return p;
  }

  function schedule(doc: TextDocument): void {
    work();
    scheduled.set(doc.uri, doc.version);
    // vscode-jsonrpc handles one queued message per setImmediate turn. Waiting two turns lets a
    // didChange already queued behind this one be handled first, so a burst of edits lints only
    // its newest version, without adding a timer's latency to a single edit.
    const { uri, version } = doc;
    setImmediate(() => setImmediate(() => void validate(uri, version)));
  }

  /** Per open document: what the last re-lint for diagnostics can reuse (see linter/incremental.ts). */
  const incremental = new Map<string, IncrementalLinter>();

  /**
   * Lints a document's current version with its settings and project config. `incrementally` (for
   * diagnostics while typing): a long document is re-checked only where the edit can change findings,
   * and then only the findings are returned; code actions get the whole state, linted on demand.
   */
  async function lintNow(doc: TextDocument, incrementally = false): Promise<DocState | { findings: Finding[] } | undefined> {
    const { uri, version } = doc;
    const settings = await settingsFor(uri);
    const current = documents.get(uri);
    if (!current || current.version !== version) return undefined;
    const config = configFor(uri);
    if (config && isIgnoredPath(config, URI.parse(uri).fsPath))
      return { uri, version, text: '', model: new DockerfileModel(''), findings: [], options: {} };
    const parsed = URI.parse(uri);
    const options = {
      ...lintOptions(config, settings, parsed.scheme === 'file' ? parsed.fsPath : undefined),
      ...registry.lintOptions(uri),
    };
    const text = doc.getText();
    // Too large to lint without holding up every other document: one diagnostic says so (limits.ts).
    const tooLarge = tooLargeFinding(text);
    if (tooLarge) return { uri, version, text: '', model: new DockerfileModel(''), findings: [tooLarge], options: {} };
    const withLog = {
      ...options,
      onRuleError: (rule: string, error: unknown) =>
        connection.console.error(`rule ${rule} failed on ${uri}: ${error instanceof Error ? error.stack : String(error)}`),
    };
    let linter = incrementally ? incremental.get(uri) : undefined;
    if (incrementally && !linter) incremental.set(uri, (linter = new IncrementalLinter()));
    const partial = linter?.lint(text, withLog);
    if (partial && !partial.full) return { findings: partial.findings };
    const { findings, model } = partial?.full ?? lint(text, withLog);
    if (model.targetMissing)
      connection.console.warn(`targetStage "${options.targetStage}" is not a stage of ${uri}; using the last stage.`);
    const state: DocState = { uri, version, text, model, findings, options };
    // Only the most recently linted documents keep their model (for code actions, which lint again
    // when theirs is gone): a workspace with hundreds of Dockerfiles open stays small.
    states.delete(uri);
    states.set(uri, state);
    for (const old of states.keys()) {
      if (states.size <= KEPT_STATES) break;
      states.delete(old);
    }
    return state;
  }

  /** The state of a document's current version (linted now when the last lint is older). */
  async function stateOf(doc: TextDocument): Promise<DocState | undefined> {
    const cached = states.get(doc.uri);
    if (cached && cached.version === doc.version) return cached;
    const state = await lintNow(doc);
    return state && 'model' in state ? state : undefined;
  }

  async function validate(uri: string, version: number): Promise<void> {
    if (scheduled.get(uri) !== version) return;
    const doc = documents.get(uri);
    if (!doc || doc.version !== version) return;
    const cached = states.get(uri);
    const state = cached && cached.version === version ? cached : await lintNow(doc, true);
    if (!state || scheduled.get(uri) !== version) return;
    scheduled.delete(uri);
    void connection.sendDiagnostics({ uri, version, diagnostics: state.findings.map(toDiagnostic) });
  }

  documents.onDidOpen((e) => schedule(e.document));
  documents.onDidChangeContent((e) => schedule(e.document));

  /** Registry access for one request (none in an untrusted workspace), with its timeout and cancellation. */
  const fixContext = async (uri: string, token?: CancellationToken): Promise<FixContext> =>
    registry.context((await settingsFor(uri)).registryTimeout, token);
  const actionOptions = (context: FixContext = {}): ActionOptions => ({
    versionedEdits,
    resolve: resolveSupport,
    disabledSupport,
    context,
    onError: (what, e) => connection.console.error(`${what}: ${e instanceof Error ? e.stack : String(e)}`),
  });

  connection.onCodeAction(async (params) => {
    work();
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return [];
    const state = await stateOf(doc);
    if (!state) return [];
    return codeActions(state, params.range, params.context.diagnostics, params.context.only, actionOptions(await fixContext(doc.uri)));
  });

  connection.onExecuteCommand(async (params, token) => {
    work();
    const pin = await executePinCommand(params.command, params.arguments, token, {
      stateOf: async (uri) => (documents.get(uri) ? stateOf(documents.get(uri)!) : undefined),
      context: fixContext,
      versionedEdits,
      applyEdit: (label, edit) => connection.workspace.applyEdit({ label, edit }),
      relint: (uri) => {
        states.delete(uri);
        const doc = documents.get(uri);
        if (doc) schedule(doc);
      },
      access: registry,
    });
    if (pin) return pin;
    if (params.command !== CONVERT_COMMAND) return undefined;
    const arg = (params.arguments?.[0] ?? {}) as { uri?: string; apply?: boolean };
    const doc = arg.uri ? documents.get(arg.uri) : undefined;
    const result = convertCommand(doc ? await stateOf(doc) : undefined, versionedEdits);
    if (result.ok && arg.apply && result.edit) {
      const applied = await connection.workspace.applyEdit({ label: CONVERT_TITLE, edit: result.edit });
      if (!applied.applied) return { ok: false, reason: applied.failureReason ?? 'the editor did not apply the edit' };
    }
    return result;
  });

  connection.onCodeActionResolve(async (action, token) => {
    work();
    const uri = (action.data as { uri?: string } | undefined)?.uri;
    const doc = uri ? documents.get(uri) : undefined;
    return resolveAction(action, doc ? await stateOf(doc) : undefined, actionOptions(doc ? await fixContext(doc.uri, token) : {}));
  });

  connection.onNotification(TRUST_NOTIFICATION, () => registry.trust());

  documents.onDidClose((e) => {
    registry.forget(e.document.uri);
    states.delete(e.document.uri);
    incremental.delete(e.document.uri);
    scheduled.delete(e.document.uri);
    settingsCache.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  documents.listen(connection);
  connection.listen();
}
