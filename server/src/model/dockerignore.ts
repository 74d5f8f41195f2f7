/**
 * `.dockerignore` as the builder reads and applies it: one pattern a line (`#` comment lines and blank
 * lines skipped, blanks around a pattern trimmed), each path cleaned (`a//b/../c/` is `a/c`) with a
 * leading `/` dropped, `!` before a pattern making it an exception. A path is excluded when the last
 * pattern that matches it, or one of the directories above it, is not an exception.
 *
 * Patterns are Go `filepath.Match` globs per path element (`*` and `?` never match `/`, `[a-z]` and
 * `[^a-z]` classes, `\` before a character makes it literal), with `**` for any number of elements:
 * `**` alone matches everything, a leading `**` any suffix, a trailing `**` any prefix.
 */

export interface IgnorePattern {
  /** The cleaned pattern, without its `!`. */
  text: string;
  /** `!pattern`: an exception, a path it matches is back in the context. */
  exception: boolean;
  /** Its 1-based line in the file. */
  line: number;
  matches(path: string): boolean;
}

export interface IgnoreFile {
  patterns: IgnorePattern[];
  /** The patterns include exceptions (`!…`). */
  hasExceptions: boolean;
}

/** Go's `path.Clean`: the shortest equivalent path (`.` for an empty one). */
export function cleanPath(p: string): string {
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  return rooted ? `/${joined}` : joined || '.';
}

/**
 * The patterns of an ignore file, or undefined when the builder would refuse it (a pattern that is
 * not a valid glob, such as an unclosed `[`, or a lone `!`): the build then fails, nothing to lint.
 */
export function parseDockerignore(text: string): IgnoreFile | undefined {
  const patterns: IgnorePattern[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith('#')) continue;
    let p = lines[i].trim();
    if (!p) continue;
    const exception = p.startsWith('!');
    if (exception) p = p.slice(1).trim();
    if (!p) return undefined;
    p = cleanPath(p);
    if (p.length > 1 && p.startsWith('/')) p = p.slice(1);
    const matches = compile(p);
    if (!matches) return undefined;
    patterns.push({ text: p, exception, line: i + 1, matches });
  }
  return { patterns, hasExceptions: patterns.some((p) => p.exception) };
}

/** The pattern that decides whether `path` (relative, cleaned) is excluded, or undefined when it is not. */
export function excludedBy(file: IgnoreFile, path: string): IgnorePattern | undefined {
  const parts = path.split('/');
  const parents = parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
  let decided: IgnorePattern | undefined;
  for (const p of file.patterns) {
    // An exclusion can change nothing once excluded, an exception nothing until then.
    if (p.exception !== (decided !== undefined)) continue;
    if (p.matches(path) || parents.some((d) => p.matches(d))) decided = p.exception ? undefined : p;
  }
  return decided;
}

/**
 * Whether an exception could bring back something below `path` (a directory excluded as a whole,
 * with `!dir/keep` after): then copying the directory still copies what the exception keeps.
 */
export function exceptionBelow(file: IgnoreFile, path: string): boolean {
  const parts = path.split('/');
  return file.patterns.some((p) => {
    if (!p.exception) return false;
    const elems = p.text.split('/');
    for (let i = 0; i < elems.length; i++) {
      // `**` matches any number of elements: whatever follows may lie below the path.
      if (elems[i].includes('**')) return true;
      if (i >= parts.length) return true; // the pattern goes deeper than the path, and agrees so far
      const one = compile(elems[i]);
      if (!one || !one(parts[i])) return false;
    }
    return false;
  });
}

/** A pattern as a test on slash-separated paths; undefined when it is not a valid glob. */
function compile(pattern: string): ((path: string) => boolean) | undefined {
  let re = '^';
  let kind: 'exact' | 'prefix' | 'suffix' | 'regexp' = 'exact';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (inClass) {
      if (c === ']') inClass = false;
      if (c === '\\' && i + 1 < pattern.length) re += `\\${pattern[++i]}`;
      else re += c === '[' ? '\\[' : c;
      continue;
    }
    if (c === '*' && pattern[i + 1] === '*') {
      i++;
      if (pattern[i + 1] === '/') i++;
      if (i + 1 >= pattern.length) {
        re += '.*';
        kind = kind === 'exact' ? 'prefix' : 'regexp';
      } else {
        re += '(.*/)?';
        kind = 'regexp';
      }
      if (i <= 2 && pattern.startsWith('**')) kind = 'suffix';
    } else if (c === '*') {
      re += '[^/]*';
      kind = 'regexp';
    } else if (c === '?') {
      re += '[^/]';
      kind = 'regexp';
    } else if (c === '\\') {
      if (i + 1 < pattern.length) re += escapeChar(pattern[++i]);
      else re += '\\\\';
      kind = 'regexp';
    } else if (c === '[') {
      inClass = true;
      re += '[';
      if (pattern[i + 1] === '^') {
        re += '^';
        i++;
      }
      kind = 'regexp';
    } else if (c === ']') {
      return undefined;
    } else re += escapeChar(c);
  }
  if (inClass) return undefined;
  if (kind === 'exact') return (p) => p === pattern;
  if (kind === 'prefix') {
    const prefix = pattern.slice(0, -2);
    return (p) => p.startsWith(prefix);
  }
  if (kind === 'suffix' && !/[*?[\\]/.test(pattern.slice(2))) {
    // `**` then a plain path: any path that ends so (and `**/foo` matches `foo` itself).
    const suffix = pattern.slice(2);
    return (p) => p.endsWith(suffix) || (suffix.startsWith('/') && p === suffix.slice(1));
  }
  let regexp: RegExp;
  try {
    regexp = new RegExp(`${re}$`);
  } catch {
    return undefined;
  }
  return (p) => regexp.test(p);
}

function escapeChar(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}
