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
  'TARGETPLATFORM',
  'TARGETOS',
  'TARGETARCH',
  'TARGETVARIANT',
  'BUILDPLATFORM',
  'BUILDOS',
  'BUILDARCH',
  'BUILDVARIANT',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'FTP_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  'http_proxy',
  'https_proxy',
  'ftp_proxy',
  'no_proxy',
  'all_proxy',
  'BUILDKIT_SYNTAX',
  'SOURCE_DATE_EPOCH',
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

export interface VariableReference {
  name: string;
  /** Offsets in the text given: from `$` to the end of the reference. */
  start: number;
  end: number;
  /** What follows the name inside braces (`:-default`, `+alt`), if anything. */
  modifier?: string;
}

/**
 * The `$NAME` and `${NAME…}` references the builder would substitute in `text`, as written: not after
 * the escape character, nor inside single quotes, nor braces with a modifier it does not know.
 */
export function variableReferences(text: string, escapeChar = '\\'): VariableReference[] {
  const out: VariableReference[] = [];
  let single = false;
  let double = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'" && !double) single = !single;
    if (c === '"' && !single) double = !double;
    if (single) continue;
    if (c === escapeChar) {
      i++;
      continue;
    }
    if (c !== '$') continue;
    const plain = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1));
    if (plain) {
      out.push({ name: plain[0], start: i, end: i + 1 + plain[0].length });
      i += plain[0].length;
      continue;
    }
    const braced = /^\{([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i + 1));
    if (!braced) continue;
    let depth = 0;
    let end = -1;
    for (let j = i + 1; j < text.length; j++) {
      if (text[j] === '{') depth++;
      else if (text[j] === '}' && --depth === 0) {
        end = j + 1;
        break;
      }
    }
    if (end < 0) continue;
    const rest = text.slice(i + 2 + braced[1].length, end - 1);
    // Only the modifiers the builder knows (`:-`, `-`, `:+`, `+`, `:?`, `?`): anything else, such as a
    // template placeholder `\${option:name}`, is no reference it substitutes (it refuses the line).
    if (rest && !/^:?[-+?]/.test(rest)) {
      i = end - 1;
      continue;
    }
    out.push({ name: braced[1], start: i, end, ...(rest ? { modifier: rest } : {}) });
    i = end - 1;
  }
  return out;
}

/**
 * Substitutes variables in `text`, a value whose quotes were already removed (escape before `$` still
 * means a literal `$`). Returns undefined when any substitution is unknown. Undeclared variables are
 * unknown too: the builder would use an empty string, but that is almost always a mistake another
 * tool reports, not a value to lint.
 */
export function expand(text: string, scope: Scope, escapeChar = '\\'): string | undefined {
  if (!text.includes('$')) return text;
  return substitute(text, scope, escapeChar, false);
}

/**
 * A word as written in FROM, USER, WORKDIR, COPY, ENV, ARG…, processed as the builder does: quotes
 * removed (`'…'` literal, `"…"` with substitution inside), the escape character taken out, variables
 * substituted. Undefined when a substitution is unknown.
 */
export function expandWord(text: string, scope: Scope, escapeChar = '\\'): string | undefined {
  if (!/["'$]/.test(text) && !text.includes(escapeChar)) return text;
  return substitute(text, scope, escapeChar, true);
}

function substitute(text: string, scope: Scope, escapeChar: string, quotes: boolean): string | undefined {
  let out = '';
  let i = 0;
  let inDouble = false;
  while (i < text.length) {
    const c = text[i];
    if (quotes && c === "'" && !inDouble) {
      const close = text.indexOf("'", i + 1);
      const stop = close < 0 ? text.length : close;
      out += text.slice(i + 1, stop);
      i = stop + 1;
      continue;
    }
    if (quotes && c === '"') {
      inDouble = !inDouble;
      i++;
      continue;
    }
    if (c === escapeChar) {
      const n = text[i + 1];
      if (n === '$' || (quotes && n !== undefined && (!inDouble || n === '"' || n === escapeChar))) {
        out += n;
        i += 2;
        continue;
      }
      // Kept: an escape before an ordinary character inside double quotes (or anywhere, unquoted
      // values); dropped at the very end of a word.
      if (!(quotes && n === undefined)) out += c;
      i++;
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
      const braced = expandBraced(text.slice(i + 2, close), scope, escapeChar, quotes);
      if (braced === undefined) return undefined;
      out += braced;
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

/** `${NAME}`, `${NAME:-word}`, `${NAME+word}`…: the value, or undefined when it depends on an unknown. */
function expandBraced(inner: string, scope: Scope, escapeChar: string, quotes: boolean): string | undefined {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])(.*))?$/s.exec(inner);
  if (!m) return undefined;
  const [, name, op, word] = m;
  const declared = scope.has(name);
  const value = scope.get(name);
  if (!op) return declared ? value : undefined;
  if (declared && value === undefined) return undefined; // depends on a build argument
  const set = declared && (op.startsWith(':') ? value !== '' : true);
  if (op.endsWith('-')) return set ? value : substitute(word, scope, escapeChar, quotes);
  return set ? substitute(word, scope, escapeChar, quotes) : '';
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
