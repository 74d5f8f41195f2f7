/**
 * The language server: editor-agnostic. VS Code starts it over IPC; any other client runs
 * `node dist/server.js --stdio`. It lints each open Dockerfile once per version (a burst of edits
 * lints only the newest), publishes diagnostics with the rule id as `code` and its docs page as
 * `codeDescription`, and reads per-rule severities from the `dockerfileHardener` settings.
 */
import {
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  DidChangeConfigurationNotification,
  DiagnosticSeverity,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { lint, type Finding } from '../engine/lint';
import { docsUrl, type Severity } from '../engine/rule';
import { parseSettings, type Settings } from './settings';
import { version } from '../../../package.json';

export const SOURCE = 'dockerfile-hardener';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(f: Finding): Diagnostic {
  return {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.rule,
    codeDescription: { href: docsUrl(f.rule) },
    source: SOURCE,
    message: f.message,
  };
}

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): void {
  const documents = new TextDocuments(TextDocument);
  let pullConfiguration = false;
  let dynamicConfiguration = false;
  /** Settings pushed by the client (initializationOptions or didChangeConfiguration). */
  let pushedSettings: Settings = parseSettings(undefined);
  const settingsCache = new Map<string, Promise<Settings>>();
  /** Latest version scheduled per document; a stale job returns without linting. */
  const scheduled = new Map<string, number>();

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    pullConfiguration = !!params.capabilities.workspace?.configuration;
    dynamicConfiguration = !!params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration;
    const init = params.initializationOptions as { settings?: unknown } | undefined;
    if (init?.settings !== undefined) pushedSettings = parseSettings(init.settings);
    return {
      capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
      serverInfo: { name: 'dockerfile-hardener', version },
    };
  });

  connection.onInitialized(() => {
    if (pullConfiguration && dynamicConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'dockerfileHardener' });
    }
  });

  connection.onDidChangeConfiguration((change) => {
    settingsCache.clear();
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
    scheduled.set(doc.uri, doc.version);
    // vscode-jsonrpc handles one queued message per setImmediate turn. Waiting two turns lets a
    // didChange already queued behind this one be handled first, so a burst of edits lints only
    // its newest version, without adding a timer's latency to a single edit.
    const { uri, version } = doc;
    setImmediate(() => setImmediate(() => void validate(uri, version)));
  }

  async function validate(uri: string, version: number): Promise<void> {
    if (scheduled.get(uri) !== version) return;
    const settings = await settingsFor(uri);
    const doc = documents.get(uri);
    if (!doc || doc.version !== version || scheduled.get(uri) !== version) return;
    scheduled.delete(uri);
    const { findings, model } = lint(doc.getText(), {
      rules: settings.rules,
      targetStage: settings.targetStage,
      onRuleError: (rule, error) => connection.console.error(`rule ${rule} failed on ${uri}: ${error instanceof Error ? error.stack : String(error)}`),
    });
    if (model.targetMissing) connection.console.warn(`dockerfileHardener.targetStage "${settings.targetStage}" is not a stage of ${uri}; using the last stage.`);
    void connection.sendDiagnostics({ uri, version, diagnostics: findings.map(toDiagnostic) });
  }

  documents.onDidOpen((e) => schedule(e.document));
  documents.onDidChangeContent((e) => schedule(e.document));
  documents.onDidClose((e) => {
    scheduled.delete(e.document.uri);
    settingsCache.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  documents.listen(connection);
  connection.listen();
}
