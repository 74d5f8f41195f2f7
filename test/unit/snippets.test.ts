/**
 * The contributed snippets: each expansion (placeholders at their defaults) lints clean of the
 * hardening rules, with their default settings. unpinned-digest is the exception: a snippet cannot
 * know a real digest, so the pinned-FROM snippet holds a placeholder. Fragments are checked inside a
 * minimal Dockerfile.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { lint } from '../../server/src/linter/lint';

const snippets = JSON.parse(readFileSync(path.resolve(__dirname, '../../snippets/dockerfile.json'), 'utf8')) as Record<
  string,
  { prefix: string[]; body: string[]; description: string }
>;

/** A snippet body with every ${n:default} replaced by its default and $n / $0 by nothing. */
export function expand(body: string[]): string {
  return body
    .join('\n')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\d+/g, '');
}

/** Where a fragment goes: before it, after it. */
const CONTEXT: Record<string, [string, string]> = {
  'Non-root user (Alpine)': ['FROM alpine:3.23\nRUN apk add --no-cache curl\n', 'CMD ["/app"]\n'],
  'Non-root user (Debian/Ubuntu)': ['FROM debian:12-slim\n', 'CMD ["/app"]\n'],
  'CA certificates into scratch': [
    'FROM golang:1.26-alpine AS build\nRUN CGO_ENABLED=0 go build -ldflags="-s -w" -o /out/app .\n\nFROM scratch\nCOPY --from=build /out/app /app\nUSER 10001:10001\n',
    'ENTRYPOINT ["/app"]\n',
  ],
  'Distroless static nonroot final stage': [
    'FROM golang:1.26-alpine AS build\nRUN CGO_ENABLED=0 go build -ldflags="-s -w" -o /out/app .\n\n',
    '',
  ],
  'FROM pinned by digest': ['', 'USER 10001\n'],
};

describe('snippets', () => {
  it('has the snippets the extension promises', () => {
    assert.deepEqual(Object.keys(snippets).sort(), [
      'CA certificates into scratch',
      'Distroless static nonroot final stage',
      'FROM pinned by digest',
      'Multi-stage Go build into scratch',
      'Non-root user (Alpine)',
      'Non-root user (Debian/Ubuntu)',
    ]);
  });
  for (const [name, snippet] of Object.entries(snippets)) {
    it(`${name}: its expansion lints clean`, () => {
      const [before, after] = CONTEXT[name] ?? ['', ''];
      const text = before + expand(snippet.body).replace(/\n*$/, '\n') + after;
      const found = lint(text, { rules: { 'unpinned-digest': 'off' } }).findings.map(
        (f) => `${f.range.start.line + 1} ${f.rule}: ${f.message}`,
      );
      assert.deepEqual(found, [], text);
    });
  }
});
