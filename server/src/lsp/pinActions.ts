/**
 * The LSP surfaces of pinning (issue 5). The network is used only on an explicit request:
 *
 *   - the quick-fixes "Pin to digest" (unpinned-digest) are built on codeAction/resolve, with the
 *     registry access this module gives the fix context (clients without resolve get the command
 *     `dockerfile-hardener.applyFix` instead, which builds and applies the edit);
 *   - the refactoring "Pin all images in this Dockerfile" (`refactor.rewrite.pin`), built on resolve;
 *   - the commands `dockerfile-hardener.pinAll` and `dockerfile-hardener.checkDigests`, each with
 *     `{ uri, apply? }`: they answer `{ ok, message, edit?, … }` (the editor applies the edit, or the
 *     server does when `apply` is true). A check keeps the registry's answers for the document and
 *     lints it again with them, which makes `stale-digest` report (with its fix "Update digest").
 *
 * Cancellation comes from the request's token; each image has the `registry.timeout` setting
 * (default 10 s). In an untrusted workspace (`initializationOptions.workspaceTrusted: false`, until
 * the client sends `dockerfile-hardener/workspaceTrusted`) nothing is pinned or checked and no
 * credential helper runs; the actions are disabled with the reason.
 */
import { CodeActionKind, type CancellationToken, type CodeAction, type Range, type WorkspaceEdit } from 'vscode-languageserver/node';
import type { Fix, FixContext } from '../engine/rule';
import { isDigestPinned } from '../model/imageRef';
import { imageUses } from '../model/imageUses';
import { pinDocument, summarize, STALE, UNPINNED, type PinNote, type PinReport } from '../pin/pinFile';
import type { RegistryClient, ResolvedDigest } from '../registry/client';
import type { TagList } from '../registry/tags';
import type { ImageName } from '../model/registryNames';
import { findingFor, workspaceEdit, type ActionData, type DocState } from './docState';

export const PIN_ALL_TITLE = 'Pin all images in this Dockerfile';
export const PIN_ALL_COMMAND = 'dockerfile-hardener.pinAll';
export const CHECK_DIGESTS_COMMAND = 'dockerfile-hardener.checkDigests';
/** For clients without codeAction/resolve: builds a quick-fix that asks a registry (`ActionData` argument) and applies it. */
export const APPLY_FIX_COMMAND = 'dockerfile-hardener.applyFix';
export const PIN_KIND = `${CodeActionKind.RefactorRewrite}.pin`;
/** Client → server: the user trusted the workspace (VS Code's onDidGrantWorkspaceTrust). */
export const TRUST_NOTIFICATION = 'dockerfile-hardener/workspaceTrusted';
export const UNTRUSTED_REASON =
  'Pinning is off in an untrusted workspace: it would contact the registries this Dockerfile names and run Docker credential helpers. Trust the workspace to pin images.';
export const UNTRUSTED_DOWNLOAD_REASON =
  'Downloads are off in an untrusted workspace: this fix would download a URL this Dockerfile names. Trust the workspace to add the checksum.';

/**
 * Why a fix that uses the network cannot be built with this context (no registry access for a pin
 * fix, no download access for a checksum fix), or undefined when it can (or needs no network).
 */
export function offlineReasonFor(fix: Pick<Fix, 'network'>, context: FixContext, fallback = UNTRUSTED_REASON): string | undefined {
  if (!fix.network) return undefined;
  if (fix.network === 'download')
    return context.fetchSha256 ? undefined : (context.downloadOfflineReason ?? context.offlineReason ?? UNTRUSTED_DOWNLOAD_REASON);
  return context.resolveDigest ? undefined : (context.offlineReason ?? fallback);
}

export interface PinAllData {
  uri: string;
  version: number;
  pinAll: true;
  /** Resolving it contacts registries (the VS Code client shows progress and a cancel button). */
  network: true;
}

export interface PinCommandResult {
  ok: boolean;
  /** For people: what was done, what was not and why. */
  message: string;
  edit?: WorkspaceEdit;
  pinned?: PinNote[];
  updated?: PinNote[];
  refused?: PinNote[];
  errors?: PinNote[];
  cannotCheck?: PinNote[];
  stale?: number;
  unpinned?: number;
  current?: number;
}

export function isPinAllData(data: unknown): data is PinAllData {
  return !!data && typeof data === 'object' && (data as PinAllData).pinAll === true;
}

function touches(a: Range, b: Range): boolean {
  const before = (x: Range['start'], y: Range['start']) => x.line < y.line || (x.line === y.line && x.character < y.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/** The refactoring, when the request range touches an instruction that uses an image and something in the file can be pinned. */
export function pinAllAction(
  state: DocState,
  range: Range,
  opts: { resolve: boolean; disabledSupport: boolean; context: FixContext },
): CodeAction | undefined {
  const uses = imageUses(state.model);
  if (!uses.some((u) => touches(range, state.model.range(u.instr.span)))) return undefined;
  const work = state.findings.filter((f) => (f.rule === UNPINNED || f.rule === STALE) && f.fixes?.some((x) => !x.unavailable));
  const pinnedWithTag = uses.some((u) => u.ref && isDigestPinned(u.ref) && u.ref.tag !== undefined);
  if (!work.length && !pinnedWithTag) return undefined;
  const action: CodeAction = { title: PIN_ALL_TITLE, kind: PIN_KIND };
  if (!opts.context.resolveDigest)
    return opts.disabledSupport ? { ...action, disabled: { reason: opts.context.offlineReason ?? UNTRUSTED_REASON } } : undefined;
  if (opts.resolve) action.data = { uri: state.uri, version: state.version, pinAll: true, network: true } satisfies PinAllData;
  else action.command = { title: PIN_ALL_TITLE, command: PIN_ALL_COMMAND, arguments: [{ uri: state.uri, apply: true }] };
  return action;
}

/** Builds the refactoring's edit against the document as it is now (asks the registries). */
export async function resolvePinAll(
  action: CodeAction,
  state: DocState | undefined,
  opts: { versionedEdits: boolean; context: FixContext },
): Promise<CodeAction> {
  if (!state) return action;
  const result = await pinCommand(state, opts.context, opts.versionedEdits);
  if (result.ok && result.edit) action.edit = result.edit;
  else action.disabled = { reason: result.message };
  return action;
}

/** "Pin all images in this Dockerfile": the edit and what it did. */
export async function pinCommand(state: DocState, context: FixContext, versionedEdits: boolean): Promise<PinCommandResult> {
  if (!context.resolveDigest) return { ok: false, message: context.offlineReason ?? UNTRUSTED_REASON };
  const report = await pinDocument(state.text, { mode: 'pin', lint: state.options, context });
  const changed = report.edits.length > 0;
  return {
    ok: !report.errors.length && (changed || !report.refused.length),
    message: summarize(report),
    edit: changed ? workspaceEdit(state, report.edits, versionedEdits) : undefined,
    pinned: report.pinned,
    updated: report.updated,
    refused: report.refused,
    errors: report.errors,
    cannotCheck: report.cannotCheck,
  };
}

/** "Check pinned digests": the registry's answers, kept by the caller for stale-digest. */
export async function checkCommand(state: DocState, context: FixContext): Promise<{ result: PinCommandResult; report?: PinReport }> {
  if (!context.resolveDigest) return { result: { ok: false, message: context.offlineReason ?? UNTRUSTED_REASON } };
  const report = await pinDocument(state.text, { mode: 'check', lint: state.options, context });
  return {
    report,
    result: {
      ok: !report.errors.length,
      message: summarize(report),
      errors: report.errors,
      cannotCheck: report.cannotCheck,
      stale: report.findings.filter((f) => f.rule === STALE).length,
      unpinned: report.findings.filter((f) => f.rule === UNPINNED).length,
      current: report.current.length,
    },
  };
}

/** What completion may ask a registry (RegistryAccess.lookups). */
export interface RegistryLookups {
  tags(name: ImageName): Promise<TagList>;
  resolve(name: ImageName): Promise<ResolvedDigest>;
}

/** Registry access for one request: trust, the timeout setting, the request's cancellation. */
export class RegistryAccess {
  private trusted = true;
  private client?: Promise<RegistryClient>;
  /** Per document: what the last check found (`registry/repository:tag` → digest). */
  private readonly checked = new Map<string, Record<string, string>>();

  /** Told of each tag a pin action resolved (the image-facts cache keeps what it points at). */
  onResolved?: (name: ImageName, digest: string) => void;

  constructor(private readonly userAgent: string) {}

  initialize(initializationOptions: unknown): void {
    // Trusted when the client says nothing (most editors have no workspace trust) or says true;
    // anything else it sends ("false", 0, null) fails closed.
    const o =
      initializationOptions && typeof initializationOptions === 'object'
        ? (initializationOptions as { workspaceTrusted?: unknown })
        : undefined;
    this.trusted = o?.workspaceTrusted === undefined || o.workspaceTrusted === true;
  }

  get isTrusted(): boolean {
    return this.trusted;
  }

  trust(): void {
    if (this.trusted) return;
    this.trusted = true;
    const old = this.client;
    this.client = undefined;
    void old?.then((c) => c.close()).catch(() => undefined);
  }

  /**
   * The registry client, made on first use: its modules load Node's http, https, tls and
   * child_process, which a server that never pins has no use for (memory at start: bench/HISTORY.md).
   */
  private registry(): Promise<RegistryClient> {
    // Credential helpers run only in a trusted workspace (and nothing runs in an untrusted one).
    const helpers = this.trusted;
    this.client ??= Promise.all([import('../registry/client'), import('../registry/credentials')]).then(
      ([{ RegistryClient }, { DockerCredentials }]) =>
        new RegistryClient({ credentials: new DockerCredentials({ helpers }), userAgent: this.userAgent }),
    );
    return this.client;
  }

  /** The fix context for a request: registry and download access bound to its token and timeout, or the reasons there is none. */
  context(timeoutSeconds: number, token?: CancellationToken): FixContext {
    if (!this.trusted) return { offlineReason: UNTRUSTED_REASON, downloadOfflineReason: UNTRUSTED_DOWNLOAD_REASON };
    const controller = new AbortController();
    token?.onCancellationRequested(() => controller.abort());
    const timeoutMs = timeoutSeconds * 1000;
    return {
      cancelled: () => !!token?.isCancellationRequested,
      resolveDigest: async (ref) => {
        const { digest } = await (await this.registry()).resolve(ref, { signal: controller.signal, timeoutMs });
        this.onResolved?.(ref, digest);
        return digest;
      },
      // A download may be large: the registry timeout bounds the server's silences, not the whole download (5 minutes).
      fetchSha256: async (url, options) =>
        (await import('../download/sha256')).fetchSha256(url, {
          signal: controller.signal,
          idleTimeoutMs: timeoutMs,
          userAgent: this.userAgent,
          followRedirects: options?.followRedirects,
        }),
    };
  }

  /**
   * Lookups a user's typing asks for (tag and digest completion), bound to a request's token and
   * timeout, with the client pinning uses: none in an untrusted workspace (the caller also obeys the
   * `registry.lookups` setting).
   */
  lookups(timeoutSeconds: number, token?: CancellationToken): RegistryLookups | undefined {
    if (!this.trusted) return undefined;
    const controller = new AbortController();
    token?.onCancellationRequested(() => controller.abort());
    const o = { signal: controller.signal, timeoutMs: timeoutSeconds * 1000 };
    return {
      tags: async (name) => (await import('../registry/tags')).listTags(await this.registry(), name, o),
      resolve: async (name) => (await this.registry()).resolve(name, o),
    };
  }

  remember(uri: string, digests: Record<string, string>): void {
    this.checked.set(uri, digests);
  }

  /** The registry client for image-fact lookups (a hover), or undefined in an untrusted workspace. */
  async factsClient(): Promise<RegistryClient | undefined> {
    return this.trusted ? this.registry() : undefined;
  }

  /** Lint options for a document: the last check's answers. */
  lintOptions(uri: string): { currentDigests?: Record<string, string> } {
    const d = this.checked.get(uri);
    return d ? { currentDigests: d } : {};
  }

  forget(uri: string): void {
    this.checked.delete(uri);
  }
}

export const PIN_COMMANDS = [PIN_ALL_COMMAND, CHECK_DIGESTS_COMMAND, APPLY_FIX_COMMAND];

/** What the command handler needs from the server. */
export interface PinCommandHost {
  stateOf(uri: string): Promise<DocState | undefined>;
  context(uri: string, token: CancellationToken): Promise<FixContext>;
  versionedEdits: boolean;
  applyEdit(label: string, edit: WorkspaceEdit): Promise<{ applied: boolean; failureReason?: string }>;
  /** Lint the document again (after a check changed what stale-digest knows) and publish. */
  relint(uri: string): void;
  access: RegistryAccess;
}

/** workspace/executeCommand for the pinning commands; undefined for other commands. */
export async function executePinCommand(
  command: string,
  args: unknown[] | undefined,
  token: CancellationToken,
  host: PinCommandHost,
): Promise<PinCommandResult | undefined> {
  if (!PIN_COMMANDS.includes(command)) return undefined;
  const arg = (args?.[0] ?? {}) as { uri?: string; apply?: boolean } & Partial<ActionData>;
  const state = arg.uri ? await host.stateOf(arg.uri) : undefined;
  if (!state) return { ok: false, message: 'The document is not open.' };
  const context = await host.context(state.uri, token);
  const apply = async (result: PinCommandResult, label: string): Promise<PinCommandResult> => {
    if (!result.edit || token.isCancellationRequested) return result;
    const applied = await host.applyEdit(label, result.edit);
    return applied.applied
      ? result
      : {
          ...result,
          ok: false,
          message: `Not applied: ${applied.failureReason ?? 'the editor refused the edit (did the document change?)'}`,
        };
  };
  if (command === CHECK_DIGESTS_COMMAND) {
    const { result, report } = await checkCommand(state, context);
    if (report && !token.isCancellationRequested) {
      host.access.remember(state.uri, report.currentDigests);
      host.relint(state.uri);
    }
    return result;
  }
  if (command === PIN_ALL_COMMAND) {
    const result = await pinCommand(state, context, host.versionedEdits);
    return arg.apply ? apply(result, PIN_ALL_TITLE) : result;
  }
  // APPLY_FIX_COMMAND: a quick-fix that asks a registry, for clients without codeAction/resolve.
  const finding = arg.rule && arg.range ? findingFor(state, arg.rule, arg.range) : undefined;
  const fix = finding?.fixes?.[arg.fix ?? -1];
  if (!fix) return { ok: false, message: 'The finding is gone: the document changed. Try again.' };
  if (fix.unavailable) return { ok: false, message: fix.unavailable };
  const offline = offlineReasonFor(fix, context);
  if (offline) return { ok: false, message: offline };
  try {
    const edit = workspaceEdit(state, await fix.edits(context), host.versionedEdits);
    return await apply({ ok: true, message: `${fix.title}: done.`, edit }, fix.title);
  } catch (e) {
    return { ok: false, message: `${fix.title}: ${e instanceof Error ? e.message : String(e)}` };
  }
}
