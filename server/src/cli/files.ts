/**
 * Which files the CLI lints: a file named on the command line whatever its name; in a directory,
 * the files named like Dockerfiles (the names the extension contributes the language for).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn']);

export function isDockerfileName(name: string): boolean {
  return (
    name === 'Dockerfile' ||
    name === 'Containerfile' ||
    name.endsWith('.Dockerfile') ||
    name.endsWith('.dockerfile') ||
    name.startsWith('Dockerfile.') ||
    name.startsWith('Containerfile.')
  );
}

export interface Discovery {
  files: string[];
  errors: string[];
}

/** Expands the command line's paths into files, in a stable order. */
export async function discover(paths: string[]): Promise<Discovery> {
  const files: string[] = [];
  const errors: string[] = [];
  const walk = async (dir: string) => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (e) {
      errors.push(`${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) await walk(p);
      } else if ((e.isFile() || e.isSymbolicLink()) && isDockerfileName(e.name)) {
        files.push(p);
      }
    }
  };
  for (const p of paths) {
    if (p === '-') {
      files.push('-');
      continue;
    }
    let st: import('node:fs').Stats;
    try {
      st = await fs.stat(p);
    } catch (e) {
      errors.push(`${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
      continue;
    }
    if (st.isDirectory()) await walk(p);
    else files.push(p);
  }
  return { files: [...new Set(files)], errors };
}
