/**
 * `dockerfile-hardener format [--check] [--config FILE] PATH…`
 *
 * format:          formats each Dockerfile (format/format.ts: keyword case, one space after the
 *                  keyword, continuation indentation, trailing blanks, a final line break) and
 *                  writes each changed file atomically, printing its name.
 * format --check:  writes nothing; prints the files that formatting would change.
 *
 * Exit status: 0 (with --check: every file is formatted already); 1 with --check when a file would
 * change; 2 on a usage error or when a file could not be read or written (it is left unchanged).
 */
import { applyEdits } from '../engine/edits';
import { formatDockerfile } from '../format/format';
import { Inputs } from './inputs';
import { parseArgs, UsageError } from './args';
import { writeFileAtomic } from './atomicWrite';
import type { Io } from './io';

export interface FormatArgs {
  check: boolean;
  config?: string;
  paths: string[];
}

export function parseFormatArgs(argv: string[]): FormatArgs {
  const { flags, values, positional } = parseArgs(argv, { flags: ['--check'], values: ['--config'] });
  if (positional.includes('-')) throw new UsageError('format works on files; standard input is not supported');
  if (!positional.length) throw new UsageError('format needs at least one PATH');
  return { check: flags.has('--check'), config: values.get('--config'), paths: positional };
}

export async function runFormat(args: FormatArgs, io: Io): Promise<number> {
  // The config file decides which files a directory holds (its ignore globs), nothing else here.
  const inputs = new Inputs(args, io.err);
  let changed = 0;
  let unwritten = 0;
  for await (const { file, shown, text } of inputs.each()) {
    const edits = formatDockerfile(text);
    if (!edits.length) continue;
    const formatted = applyEdits(text, edits);
    if (formatted === text) continue;
    if (!args.check) {
      try {
        await writeFileAtomic(file, formatted);
      } catch (e) {
        inputs.errors.push(`${file}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); left unchanged`);
        unwritten++;
        continue;
      }
    }
    io.out(`${shown}\n`);
    changed++;
  }
  inputs.report();
  const files = (n: number) => `${n} file${n === 1 ? '' : 's'}`;
  io.err(
    `${files(changed)} ${args.check ? 'would be formatted' : 'formatted'}, ${files(inputs.count - changed - unwritten)} already formatted\n`,
  );
  if (!inputs.count && !inputs.errors.length) io.err('dockerfile-hardener: no Dockerfiles found\n');
  if (inputs.failed) return 2;
  return args.check && changed ? 1 : 0;
}
