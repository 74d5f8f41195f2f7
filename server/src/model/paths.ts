/** POSIX path helpers for image file systems (never the host's). */

export function normalizePath(p: string): string {
  const abs = p.startsWith('/');
  const parts: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return (abs ? '/' : '') + parts.join('/') || (abs ? '/' : '.');
}

/** Resolves `p` against `cwd`; undefined when `p` is relative and `cwd` unknown. */
export function resolvePath(p: string, cwd: string | undefined): string | undefined {
  if (p.startsWith('/')) return normalizePath(p);
  if (cwd === undefined) return undefined;
  return normalizePath(`${cwd}/${p}`);
}

export function dirname(p: string): string {
  const n = normalizePath(p);
  const k = n.lastIndexOf('/');
  return k <= 0 ? '/' : n.slice(0, k);
}

export function basename(p: string): string {
  const n = p.endsWith('/') && p.length > 1 ? p.slice(0, -1) : p;
  return n.slice(n.lastIndexOf('/') + 1);
}

/** `ancestor` is `p` itself or a directory above it. */
export function isWithin(p: string, ancestor: string): boolean {
  if (ancestor === '/') return p.startsWith('/');
  return p === ancestor || p.startsWith(ancestor + '/');
}

export function hasGlob(p: string): boolean {
  return /[*?[]/.test(p);
}

/** Matches a path against a glob of `*`, `?` and `[…]` (no `**`), segment by segment. */
export function globMatch(glob: string, p: string): boolean {
  let re = '^';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) re += '\\[';
      else {
        re +=
          '[' +
          glob
            .slice(i + 1, close)
            .replace(/^!/, '^')
            .replace(/\\/g, '\\\\') +
          ']';
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  try {
    return new RegExp(re + '$').test(p);
  } catch {
    return false;
  }
}
