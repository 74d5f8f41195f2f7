/**
 * The open documents' lint state: when each is linted, with what, and what is kept of it.
 *
 * - Each document is linted once per version: a burst of edits lints only the newest (`schedule`
 *   waits two turns of the event loop, so that a didChange already queued is handled first), and a
 *   lint whose version was overtaken while it waited for settings publishes nothing.
 * - Diagnostics come from the incremental linter (a long document is re-checked only where an edit
 *   can change findings); code actions get the whole state (model, findings with their fixes),
 *   linted on demand when the kept one is older.
 * - Only the most recently linted documents keep their state: a workspace with hundreds of
 *   Dockerfiles open stays small.
 * - ShellCheck, where the host runs it, comes after: the rules' diagnostics are published first, then
 *   the same with ShellCheck's added when it answers for that version; an edit or a close cancels it.
 *
 * Editor-agnostic and without a connection: the server hands it the open documents, how to find a
 * document's options, and where to publish, so that it is tested on its own (test/unit/documents).
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { modelOptions, sortFindings, withoutBom, type Finding, type LintOptions } from '../engine/findings';
import { lint } from '../linter/lint';
import { IncrementalLinter } from '../linter/incremental';
import { DockerfileModel } from '../model/model';
import type { DocState } from './docState';
import { tooLargeFinding } from './limits';
import type { Settings } from './settings';

/** How many documents keep their last lint's model and fixes (the rest lint again on demand). */
export const KEPT_STATES = 8;

/** How long typing must pause before ShellCheck runs on a document's scripts. */
const SCRIPTS_AFTER_MS = 300;

export interface OpenDocuments {
  get(uri: string): TextDocument | undefined;
  all(): TextDocument[];
}

export interface DocumentManagerHost {
  documents: OpenDocuments;
  /** A document's editor settings (which a client may be asked for). */
  settings(uri: string): Promise<Settings>;
  /**
   * A document's lint options from its settings and its project's config, or undefined when the config
   * ignores it. Called only when the version is still current after the settings came.
   */
  options(uri: string, settings: Settings): LintOptions | undefined;
  publish(uri: string, version: number, findings: Finding[]): void;
  log: { warn(message: string): void; error(message: string): void };
  /** Called whenever there is work (see idleCollect.ts). */
  onWork?: () => void;
  /**
   * ShellCheck's findings on the model's RUN scripts (slow: an external process), or undefined when
   * there is nothing to add. `signal` aborts it when the document moves on.
   */
  shellcheck?: (model: DockerfileModel, options: LintOptions, signal: AbortSignal) => Promise<Finding[] | undefined>;
  /** Runs a job later; default: two turns of the event loop. */
  defer?: (job: () => void) => void;
}

const twoTurns = (job: () => void) => setImmediate(() => setImmediate(job));

export class DocumentManager {
  /** Latest version scheduled per document; a stale job returns without linting. */
  private readonly scheduled = new Map<string, number>();
  /** The last lints, most recent last. */
  private readonly states = new Map<string, DocState>();
  private readonly incremental = new Map<string, IncrementalLinter>();
  /** The ShellCheck run of each document, to cancel when a newer version comes. */
  private readonly scripts = new Map<string, AbortController>();

  constructor(private readonly host: DocumentManagerHost) {}

  /** Lints a document's current version soon, and publishes its diagnostics. */
  schedule(doc: TextDocument): void {
    this.host.onWork?.();
    const { uri, version } = doc;
    this.scheduled.set(uri, version);
    (this.host.defer ?? twoTurns)(() => void this.validate(uri, version));
  }

  /** Everything linted again: settings or config files changed. */
  invalidateAll(): void {
    this.states.clear();
    for (const doc of this.host.documents.all()) this.schedule(doc);
  }

  /** One document linted again (after an edit the server applied). */
  relint(uri: string): void {
    this.states.delete(uri);
    const doc = this.host.documents.get(uri);
    if (doc) this.schedule(doc);
  }

  /** A closed document: nothing of it is kept. */
  close(uri: string): void {
    this.scripts.get(uri)?.abort();
    this.scripts.delete(uri);
    this.states.delete(uri);
    this.incremental.delete(uri);
    this.scheduled.delete(uri);
  }

  /** The state of a document's current version (linted now when the last lint is older). */
  async stateOf(uri: string): Promise<DocState | undefined> {
    const doc = this.host.documents.get(uri);
    if (!doc) return undefined;
    const cached = this.states.get(uri);
    if (cached && cached.version === doc.version) return cached;
    const state = await this.lintNow(doc, false);
    return state && 'model' in state ? state : undefined;
  }

  /** How many documents keep a state (for tests). */
  get keptStates(): number {
    return this.states.size;
  }

  private async validate(uri: string, version: number): Promise<void> {
    if (this.scheduled.get(uri) !== version) return;
    const doc = this.host.documents.get(uri);
    if (!doc || doc.version !== version) return;
    const cached = this.states.get(uri);
    const state = cached && cached.version === version ? cached : await this.lintNow(doc, true);
    if (!state || this.scheduled.get(uri) !== version) return;
    this.scheduled.delete(uri);
    this.host.publish(uri, version, state.findings);
    if (this.host.shellcheck && state.options) void this.checkScripts(doc, state);
  }

  /** ShellCheck on a version's scripts, off the typing path: its findings join the rules' when it answers. */
  private async checkScripts(
    doc: TextDocument,
    state: { findings: Finding[]; options?: LintOptions; model?: DockerfileModel },
  ): Promise<void> {
    const { uri, version } = doc;
    const { findings, options = {} } = state;
    this.scripts.get(uri)?.abort();
    const controller = new AbortController();
    this.scripts.set(uri, controller);
    try {
      // Once typing pauses (the next edit aborts this one), and the lint's own model where it made one
      // (an incremental lint did not: the text is then read again, once). Started on every edit, the
      // model of a 10k-line file and the shellcheck process took the time of the next edit's lint.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, SCRIPTS_AFTER_MS);
        controller.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
      if (controller.signal.aborted || this.host.documents.get(uri)?.version !== version) return;
      const model = state.model ?? new DockerfileModel(withoutBom(doc.getText()), modelOptions(options));
      const extra = await this.host.shellcheck!(model, options, controller.signal);
      // A ShellCheck answer is work too: what the run held (the models of every document it checked,
      // its output) becomes garbage now, so the idle collection comes after it (idleCollect.ts).
      this.host.onWork?.();
      const current = this.host.documents.get(uri);
      if (controller.signal.aborted || !extra?.length || !current || current.version !== version) return;
      this.host.publish(uri, version, sortFindings([...findings, ...extra]));
    } catch (error) {
      this.host.log.error(`ShellCheck failed on ${uri}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      if (this.scripts.get(uri) === controller) this.scripts.delete(uri);
    }
  }

  /**
   * Lints a document's current version. `incrementally` (diagnostics while typing): a long document
   * is re-checked only where the edit can change findings, and then only the findings are returned.
   */
  private async lintNow(
    doc: TextDocument,
    incrementally: boolean,
  ): Promise<DocState | { findings: Finding[]; options?: LintOptions } | undefined> {
    const { uri, version } = doc;
    const settings = await this.host.settings(uri);
    const current = this.host.documents.get(uri);
    if (!current || current.version !== version) return undefined;
    const empty = (findings: Finding[]): DocState => ({ uri, version, text: '', model: new DockerfileModel(''), findings, options: {} });
    const options = this.host.options(uri, settings);
    if (!options) return empty([]);
    const text = doc.getText();
    // Too large to lint without holding up every other document: one diagnostic says so (limits.ts).
    const tooLarge = tooLargeFinding(text);
    if (tooLarge) return empty([tooLarge]);
    const withLog: LintOptions = {
      ...options,
      onRuleError: (rule, error) =>
        this.host.log.error(`rule ${rule} failed on ${uri}: ${error instanceof Error ? error.stack : String(error)}`),
    };
    let linter = incrementally ? this.incremental.get(uri) : undefined;
    if (incrementally && !linter) this.incremental.set(uri, (linter = new IncrementalLinter()));
    const partial = linter?.lint(text, withLog);
    if (partial && !partial.full) return { findings: partial.findings, options };
    const { findings, model } = partial?.full ?? lint(text, withLog);
    if (model.targetMissing) this.host.log.warn(`targetStage "${options.targetStage}" is not a stage of ${uri}; using the last stage.`);
    const state: DocState = { uri, version, text, model, findings, options };
    this.keep(state);
    return state;
  }

  private keep(state: DocState): void {
    this.states.delete(state.uri);
    this.states.set(state.uri, state);
    for (const old of this.states.keys()) {
      if (this.states.size <= KEPT_STATES) break;
      this.states.delete(old);
    }
  }
}
