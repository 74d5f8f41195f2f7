/**
 * textDocument/completion for image references (issue 27):
 *
 *   FROM [--platform=…] name:|          the repository's tags, newest versions first
 *   COPY [--chown=…] --from=name:|      the same (an image, not a stage)
 *   FROM name:tag@|, --from=name:tag@|  the digest the tag points at now (`sha256:…`)
 *   COPY --from=|, FROM |               the names of the stages above (no network)
 *
 * Tags come from the registry's tag list (registry/tags.ts) and digests from a HEAD request (which
 * registries do not count against pull limits), with the client, credentials and consent of pinning
 * (RegistryAccess): only in a trusted workspace and while `registry.lookups` is on; otherwise only
 * stage names are offered. A lookup that fails or runs out of time gives no items, never an error:
 * the reason goes to the log. Completion returns within the registry timeout and stops waiting when
 * the request is cancelled.
 */
import {
  CompletionItemKind,
  type CancellationToken,
  type CompletionItem,
  type CompletionList,
  type Position,
  type Range,
} from 'vscode-languageserver/node';
import { parseImageRef } from '../model/imageRef';
import type { ImageName } from '../model/registryNames';
import type { DockerfileModel } from '../model/model';
import type { RegistryLookups } from './pinActions';

export const COMPLETION_TRIGGERS = [':', '@', '='];

/** Items sent at most; more (a repository with thousands of tags) make the list incomplete, asked again as the user types. */
const MAX_ITEMS = 500;
const EMPTY: CompletionList = { isIncomplete: false, items: [] };

/** What is being written at the cursor: columns on its line are [start, end) of the text an item replaces. */
export type CompletionSpot =
  | { kind: 'stage'; prefix: string; start: number; end: number; fromCopy: boolean }
  | { kind: 'tag'; name: ImageName; shown: string; prefix: string; start: number; end: number }
  | { kind: 'digest'; name: ImageName; shown: string; prefix: string; start: number; end: number };

const FROM = /^(\s*from\s+(?:--\S+\s+)*)(\S*)$/i;
const COPY_FROM = /^(\s*(?:onbuild\s+)?copy\s+(?:--\S+\s+)*--from=)(\S*)$/i;

/** The spot at `character` of `line` (the line's text), or undefined when nothing is completed there. */
export function completionSpot(line: string, character: number): CompletionSpot | undefined {
  const before = line.slice(0, character);
  const m = FROM.exec(before) ?? COPY_FROM.exec(before);
  if (!m) return undefined;
  const fromCopy = !/^\s*from\b/i.test(m[1]);
  const tokenStart = m[1].length;
  const typed = m[2];
  const rest = /^[^\s]*/.exec(line.slice(character))![0];
  const at = typed.indexOf('@');
  if (at >= 0) {
    const ref = imageName(typed.slice(0, at));
    if (!ref?.name.tag) return undefined;
    return {
      kind: 'digest',
      name: ref.name,
      shown: ref.shown,
      prefix: typed.slice(at + 1),
      start: tokenStart + at + 1,
      end: character + rest.length,
    };
  }
  const colon = typed.lastIndexOf(':');
  if (colon < 0 || colon < typed.lastIndexOf('/')) {
    if (typed.includes('/') || typed.includes(':')) return undefined;
    return { kind: 'stage', prefix: typed, start: tokenStart, end: character + (/^[^\s@:]*/.exec(rest)?.[0].length ?? 0), fromCopy };
  }
  const ref = imageName(typed.slice(0, colon));
  if (!ref) return undefined;
  const tagEnd = character + (/^[^\s@]*/.exec(rest)?.[0].length ?? 0);
  return { kind: 'tag', name: ref.name, shown: ref.shown, prefix: typed.slice(colon + 1), start: tokenStart + colon + 1, end: tagEnd };
}

/**
 * The image a partial reference names (`name`, or `name:tag` before `@`); undefined for a variable,
 * a malformed name, or a registry host being typed (`localhost`, `127.0.0.1`: no Docker Hub image).
 */
function imageName(text: string): { name: ImageName; shown: string } | undefined {
  const ref = parseImageRef(text, { start: 0, end: text.length }, false);
  if (!ref || ref.digest !== undefined) return undefined;
  if (!ref.explicitRegistry && !ref.name.includes('/') && (ref.name.includes('.') || ref.name === 'localhost')) return undefined;
  return { name: { registry: ref.registry, repository: ref.repository, tag: ref.tag }, shown: ref.name };
}

export interface CompletionHost {
  /** The document's line at the cursor (without its line break), and the offset where it starts. */
  line(position: Position): { text: string; offset: number } | undefined;
  /** The document's model (for stage names). */
  model(): Promise<DockerfileModel | undefined>;
  /** Registry lookups for this request, or undefined (untrusted workspace, `registry.lookups` off). */
  lookups(): RegistryLookups | undefined;
  log(message: string): void;
}

/** The completion list at `position`. */
export async function completionsAt(position: Position, token: CancellationToken, host: CompletionHost): Promise<CompletionList> {
  const line = host.line(position);
  const spot = line && completionSpot(line.text, position.character);
  if (!spot) return EMPTY;
  const range = { start: { line: position.line, character: spot.start }, end: { line: position.line, character: spot.end } };
  if (spot.kind === 'stage') {
    const model = await host.model();
    return { isIncomplete: false, items: model ? stageItems(model, line.offset, spot.fromCopy, range) : [] };
  }
  const lookups = host.lookups();
  if (!lookups || token.isCancellationRequested) return EMPTY;
  try {
    if (spot.kind === 'digest') {
      const { digest, mediaType } = await lookups.resolve(spot.name);
      const index = /index|list/.test(mediaType);
      const item: CompletionItem = {
        label: digest,
        kind: CompletionItemKind.Constant,
        detail: `${spot.shown}:${spot.name.tag} now (${index ? 'multi-platform index' : 'single-platform manifest'})`,
        textEdit: { range, newText: digest },
        filterText: digest,
      };
      return { isIncomplete: false, items: [item] };
    }
    const list = await lookups.tags(spot.name);
    if (list.partial) host.log(`Tag completion for ${spot.shown}: ${list.reason ?? 'the tag list is partial'}`);
    const matching = list.tags.filter((t) => t.startsWith(spot.prefix));
    const items = matching.slice(0, MAX_ITEMS).map((tag, i): CompletionItem => ({
      label: tag,
      kind: CompletionItemKind.Value,
      detail: `tag of ${spot.shown}`,
      sortText: String(i).padStart(5, '0'),
      filterText: tag,
      textEdit: { range, newText: tag },
    }));
    return { isIncomplete: matching.length > MAX_ITEMS, items };
  } catch (e) {
    if (!token.isCancellationRequested) host.log(`Completion for ${spot.shown}: ${e instanceof Error ? e.message : String(e)}`);
    return EMPTY;
  }
}

/** The stages above the cursor's line that can be named here (COPY --from: not the stage being written). */
function stageItems(model: DockerfileModel, lineStart: number, fromCopy: boolean, range: Range): CompletionItem[] {
  const above = model.stages.filter((s) => !s.implicit && s.from.span.start < lineStart);
  if (fromCopy) above.pop();
  return above
    .filter((s) => s.name)
    .map((s): CompletionItem => ({
      label: s.name!,
      kind: CompletionItemKind.Module,
      detail: `stage ${s.index}${s.imageRaw ? ` (FROM ${s.imageRaw})` : ''}`,
      sortText: String(s.index).padStart(5, '0'),
      textEdit: { range, newText: s.name! },
    }));
}
