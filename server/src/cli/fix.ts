/**
 * `dockerfile-hardener fix [--dry-run] [--unsafe] [--config FILE] [--target NAME] [--build-arg K=V] [--build-context NAME=VALUE] [--context DIR] PATH…`
 *
 * Applies the safe fixes (with --unsafe, each finding's preferred suggestion too) and writes each
 * changed file atomically; --dry-run prints a unified diff instead and writes nothing. A file that
 * cannot be read or written is an error for that file and stays as it was. Exit status: 0, or 2 when
 * a file could not be read or written (or on a usage error).
 */
import { fixAll } from '../linter/fix';
import { unifiedDiff } from '../engine/diff';
import { lintOptions } from '../config/options';
import { Inputs } from './inputs';
import { BUILD_INPUT_OPTIONS, buildInputs, contextArg, parseArgs, UsageError } from './args';
import { writeFileAtomic } from './atomicWrite';
import type { Io } from './io';

export interface FixArgs {
  dryRun: boolean;
  unsafe: boolean;
  config?: string;
  targetStage?: string;
  /** The build's arguments (`--build-arg`). */
  buildArgs?: Record<string, string>;
  /** The build's named contexts (`--build-context`). */
  namedContexts?: Record<string, string>;
  /** The build context's root (`--context`). */
  context?: string;
  paths: string[];
}

export function parseFixArgs(argv: string[]): FixArgs {
  const parsed = parseArgs(argv, {
    flags: ['--dry-run', '--unsafe'],
    values: ['--config', '--context', ...BUILD_INPUT_OPTIONS],
  });
  const { flags, values, positional } = parsed;
  if (positional.includes('-')) throw new UsageError('fix works on files; standard input is not supported');
  if (!positional.length) throw new UsageError('fix needs at least one PATH');
  return {
    dryRun: flags.has('--dry-run'),
    unsafe: flags.has('--unsafe'),
    config: values.get('--config'),
    ...buildInputs(parsed),
    context: contextArg(values.get('--context')),
    paths: positional,
  };
}

export async function runFix(args: FixArgs, io: Io): Promise<number> {
  const inputs = new Inputs(args, io.err);
  let changed = 0;
  let applied = 0;
  let remaining = 0;
  for await (const { file, shown, config, text, build } of inputs.each()) {
    const result = await fixAll(text, {
      ...lintOptions(config, { targetStage: args.targetStage, context: args.context }, file, build),
      ...(args.buildArgs ? { buildArgs: { ...build?.args, ...args.buildArgs } } : {}),
      ...(args.namedContexts ? { namedContexts: { ...build?.contexts, ...args.namedContexts } } : {}),
      unsafe: args.unsafe,
    });
    remaining += result.remaining.length;
    if (result.text === text) continue;
    const name = shown;
    if (args.dryRun) {
      io.out(unifiedDiff(text, result.text, `a/${name}`, `b/${name}`));
    } else {
      try {
        await writeFileAtomic(file, result.text);
      } catch (e) {
        inputs.errors.push(`${file}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); left unchanged`);
        continue;
      }
      const byRule = new Map<string, number>();
      for (const a of result.applied) byRule.set(a.rule, (byRule.get(a.rule) ?? 0) + 1);
      io.out(
        `${name}: ${result.applied.length} fix${result.applied.length === 1 ? '' : 'es'} (${[...byRule].map(([r, n]) => (n > 1 ? `${r} ×${n}` : r)).join(', ')})\n`,
      );
    }
    changed++;
    applied += result.applied.length;
  }
  inputs.report();
  const verb = args.dryRun ? 'would change' : 'changed';
  io.err(
    `${changed} file${changed === 1 ? '' : 's'} ${verb}, ${applied} fix${applied === 1 ? '' : 'es'}, ${remaining} finding${remaining === 1 ? '' : 's'} left${args.unsafe ? '' : " (some have suggestions: see --unsafe, or the editor's quick-fixes)"}\n`,
  );
  return inputs.failed ? 2 : 0;
}
