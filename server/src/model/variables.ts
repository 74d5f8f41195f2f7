/**
 * Build-time variable substitution as the Dockerfile builder does it for FROM, USER, COPY, ENV, ARG…:
 * `$NAME`, `${NAME}`, `${NAME:-word}`, `${NAME-word}`, `${NAME:+word}`, `${NAME+word}`, and the escape
 * character before `$`. A value that depends on something the text does not fix (a build argument
 * without default, a predefined platform argument) is `undefined`: unknown, never guessed.
 */

/**
 * A variable's value in scope: a string when the text fixes it, `undefined` when it is declared but
 * unknown (no default, or set from a build argument), and absent from the scope when not declared.
 */
export type Scope = ReadonlyMap<string, string | undefined>;

/** Arguments the builder predefines; their values depend on the build, so they are unknown. */
export const PREDEFINED_ARGS = new Set([
  'TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT',
  'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT',
  'HTTP_PROXY', 'HTTPS_PROXY', 'FTP_PROXY', 'NO_PROXY', 'ALL_PROXY',
  'http_proxy', 'https_proxy', 'ftp_proxy', 'no_proxy', 'all_proxy',
  'BUILDKIT_SYNTAX', 'SOURCE_DATE_EPOCH',
]);

export function hasVariable(text: string, escapeChar = '\\'): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === escapeChar) {
      i++;
      continue;
    }
    if (c === '$' && i + 1 < text.length && /[A-Za-z_{]/.test(text[i + 1])) return true;
  }
  return false;
}

/**
 * Substitutes variables in `text`. Returns undefined when any substitution is unknown. Undeclared
 * variables are unknown too: the builder would use an empty string, but that is almost always a
 * mistake another tool reports, not a value to lint.
 */
export function expand(text: string, scope: Scope, escapeChar = '\\'): string | undefined {
  if (!text.includes('$')) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === escapeChar && text[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    if (text[i + 1] === '{') {
      const close = findClose(text, i + 2);
      if (close < 0) return undefined;
      const inner = text.slice(i + 2, close);
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])(.*))?$/s.exec(inner);
      if (!m) return undefined;
      const [, name, op, word] = m;
      const declared = scope.has(name);
      const value = scope.get(name);
      if (!op) {
        if (!declared || value === undefined) return undefined;
        out += value;
      } else {
        if (declared && value === undefined) return undefined; // depends on a build argument
        const set = declared && (op.startsWith(':') ? value !== '' : true);
        if (op.endsWith('-')) {
          if (set) out += value;
          else {
            const w = expand(word, scope, escapeChar);
            if (w === undefined) return undefined;
            out += w;
          }
        } else {
          if (set) {
            const w = expand(word, scope, escapeChar);
            if (w === undefined) return undefined;
            out += w;
          }
        }
      }
      i = close + 1;
      continue;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1));
    if (!m) {
      out += '$';
      i++;
      continue;
    }
    const name = m[0];
    if (!scope.has(name)) return undefined;
    const value = scope.get(name);
    if (value === undefined) return undefined;
    out += value;
    i += 1 + name.length;
  }
  return out;
}

function findClose(text: string, from: number): number {
  let depth = 1;
  for (let j = from; j < text.length; j++) {
    if (text[j] === '{') depth++;
    else if (text[j] === '}') {
      depth--;
      if (depth === 0) return j;
    }
  }
  return -1;
}
