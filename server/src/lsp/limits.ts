/**
 * How large a document the language server lints. Linting runs on the server's one thread, so a huge
 * document would hold up every other document and request for as long as it takes; above the limit
 * the document is not linted, and one diagnostic on its first line says so.
 *
 * The limit, 2 MiB (2,097,152 UTF-16 code units), measured on the stress corpus
 * (../shared/corpus/stress/stress-50k.Dockerfile: 50,103 lines, 1,887,548 characters, 1,136 stages)
 * over the real protocol on the development machine: opened, its diagnostics come back in about 1 s
 * and an edit is linted again in about 0.6 s; twice that file (3.8 MB) takes 3.7 s to open and 1.4 s
 * per edit, and four times (7.5 MB) more than 10 s. The largest real-world Dockerfile in the corpus
 * is 25 KB, so the limit leaves room for any hand-written file, and stress-50k is still linted.
 */
import type { Finding } from '../engine/findings';

export const MAX_DOCUMENT_LENGTH = 2 * 1024 * 1024;
/** The diagnostic's code: not a rule, so no ignore comment or setting applies to it. */
export const TOO_LARGE = 'document-too-large';
export const TOO_LARGE_DOCS = 'https://github.com/dockerfile-hardener/dockerfile-hardener#robustness';

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
