/**
 * Finding the configuration that applies to a Dockerfile: the nearest `.dockerfile-hardener.yaml`
 * upward from its directory; failing that, the nearest `.hadolint.yaml`/`.yml`. Results are cached
 * per directory until `invalidate()` (the server calls it when a config file changes).
 */
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { HADOLINT_CONFIG_NAMES, OWN_CONFIG_NAMES, parseConfig, type ProjectConfig } from './projectConfig';

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

export class ConfigResolver {
  private readonly byDir = new Map<string, string | null>();
  private readonly parsed = new Map<string, ProjectConfig>();

  /** The config file for a Dockerfile at `file`, or undefined. */
  fileFor(file: string): string | undefined {
    return this.search(path.dirname(path.resolve(file))) ?? undefined;
  }

  /** The parsed config for a Dockerfile at `file`, or undefined when there is none. */
  configFor(file: string): ProjectConfig | undefined {
    const f = this.fileFor(file);
    return f ? this.load(f) : undefined;
  }

  /** Parses a config file (once). A file that cannot be read is a problem on line 1. */
  load(file: string): ProjectConfig {
    const abs = path.resolve(file);
    let c = this.parsed.get(abs);
    if (!c) {
      let text = '';
      let unreadable: string | undefined;
      try {
        text = readFileSync(abs, 'utf8');
      } catch (e) {
        unreadable = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      }
      // Only the read is caught: an error of the parser itself is not a problem of the file.
      c = parseConfig(abs, text);
      if (unreadable !== undefined)
        c.problems.push({ line: 1, column: 1, message: `cannot read the file: ${unreadable}`, severity: 'error' });
      this.parsed.set(abs, c);
    }
    return c;
  }

  invalidate(): void {
    this.byDir.clear();
    this.parsed.clear();
  }

  private search(dir: string): string | null {
    const cached = this.byDir.get(dir);
    if (cached !== undefined) return cached;
    // Own files win over hadolint's anywhere up the tree.
    const own = this.searchNames(dir, OWN_CONFIG_NAMES);
    const found = own ?? this.searchNames(dir, HADOLINT_CONFIG_NAMES);
    this.byDir.set(dir, found);
    return found;
  }

  private searchNames(start: string, names: string[]): string | null {
    for (let dir = start; ;) {
      for (const n of names) {
        const p = path.join(dir, n);
        if (isFile(p)) return p;
      }
      const up = path.dirname(dir);
      if (up === dir) return null;
      dir = up;
    }
  }
}
