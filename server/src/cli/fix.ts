/**
 * `dockerfile-hardener fix [--dry-run] [--unsafe] [--config FILE] [--target-stage NAME] PATH…`
 *
 * Applies the safe fixes (with --unsafe, each finding's preferred suggestion too) and writes each
 * changed file atomically; --dry-run prints a unified diff instead and writes nothing. A file that
 * cannot be read or written is an error for that file and stays as it was. Exit status: 0, or 2 when
 * a file could not be read or written (or on a usage error).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fixAll } from '../engine/fix';
import { unifiedDiff } from '../engine/diff';
import { ConfigResolver } from '../config/resolve';
import { isIgnoredPath } from '../config/projectConfig';
import { lintOptions } from '../config/options';
import { discover } from './files';
import { writeFileAtomic } from './atomicWrite';
import type { Io } from './main';

export interface FixArgs {
  dryRun: boolean;
  unsafe: boolean;
  config?: string;
  targetStage?: string;
  paths: string[];
}

export class FixUsageError extends Error {}

export function parseFixArgs(argv: string[]): FixArgs {
  const args: FixArgs = { dryRun: false, unsafe: false, paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const value = () => {
      if (eq > 0) return a.slice(eq + 1);
      if (i + 1 >= argv.length) throw new FixUsageError(`${name} needs a value`);
      return argv[++i];
    };
    if (a === '--dry-run') args.dryRun = true;
    else if (a === '--unsafe') args.unsafe = true;
    else if (name === '--config') args.config = value();
    else if (name === '--target-stage') args.targetStage = value();
    else if (a.startsWith('-') && a !== '-') throw new FixUsageError(`unknown option ${a}`);
    else if (a === '-') throw new FixUsageError('fix works on files; standard input is not supported');
    else args.paths.push(a);
  }
  if (!args.paths.length) throw new FixUsageError('fix needs at least one PATH');
  return args;
}

function shown(file: string): string {
  const rel = path.relative(process.cwd(), path.resolve(file));
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
}

export async function runFix(args: FixArgs, io: Io): Promise<number> {
  const { files, errors } = await discover(args.paths);
  const resolver = new ConfigResolver();
  let changed = 0;
  let applied = 0;
  let remaining = 0;
  for (const file of files) {
    const config = args.config ? resolver.load(args.config) : resolver.configFor(file);
    if (config && !args.paths.includes(file) && isIgnoredPath(config, path.resolve(file))) continue;
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (e) {
      errors.push(`${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      continue;
    }
    const result = await fixAll(text, { ...lintOptions(config, { targetStage: args.targetStage }), unsafe: args.unsafe });
    remaining += result.remaining.length;
    if (result.text === text) continue;
    const name = shown(file);
    if (args.dryRun) {
      io.out(unifiedDiff(text, result.text, `a/${name}`, `b/${name}`));
    } else {
      try {
        await writeFileAtomic(file, result.text);
      } catch (e) {
        errors.push(`${file}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); left unchanged`);
        continue;
      }
      const byRule = new Map<string, number>();
      for (const a of result.applied) byRule.set(a.rule, (byRule.get(a.rule) ?? 0) + 1);
      io.out(`${name}: ${result.applied.length} fix${result.applied.length === 1 ? '' : 'es'} (${[...byRule].map(([r, n]) => (n > 1 ? `${r} ×${n}` : r)).join(', ')})\n`);
    }
    changed++;
    applied += result.applied.length;
  }
  for (const e of errors) io.err(`dockerfile-hardener: ${e}\n`);
  const verb = args.dryRun ? 'would change' : 'changed';
  io.err(`${changed} file${changed === 1 ? '' : 's'} ${verb}, ${applied} fix${applied === 1 ? '' : 'es'}, ${remaining} finding${remaining === 1 ? '' : 's'} left${args.unsafe ? '' : ' (some have suggestions: see --unsafe, or the editor\'s quick-fixes)'}\n`);
  return errors.length ? 2 : 0;
}
