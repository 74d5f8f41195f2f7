/**
 * How large a document the language server lints. Linting runs on the server's one thread, so a huge
 * document would hold up every other document and request for as long as it takes; above the limit
 * the document is not linted, and one diagnostic on its first line says so.
 *
 * The limit, 2 MiB (2,097,152 UTF-16 code units), is set from the stress corpus over the real
 * protocol: the 50k-line stress file is still linted, a file twice its size holds the server up for
 * seconds per edit, and any hand-written Dockerfile is far below it (the measurements: bench/
 * HISTORY.md, "Measurements behind the code").
 */
import type { Finding } from '../engine/findings';

export const MAX_DOCUMENT_LENGTH = 2 * 1024 * 1024;
/** The diagnostic's code: not a rule, so no ignore comment or setting applies to it, and it has no page (its message says it all). */
export const TOO_LARGE = 'document-too-large';

/** The one finding of a document too large to lint, or undefined when it is linted as usual. */
export function tooLargeFinding(text: string): Finding | undefined {
  if (text.length <= MAX_DOCUMENT_LENGTH) return undefined;
  const eol = text.search(/\r|\n/);
  const firstLine = eol < 0 ? Math.min(text.length, 200) : Math.min(eol, 200);
  return {
    rule: TOO_LARGE,
    severity: 'warning',
    message: `This file is not linted: it has ${text.length.toLocaleString('en-US')} characters, more than the ${MAX_DOCUMENT_LENGTH.toLocaleString('en-US')} (2 MiB) Dockerfile Hardener lints while you type. The CLI lints it: dockerfile-hardener lint FILE.`,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: firstLine } },
  };
}
