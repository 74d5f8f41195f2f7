/**
 * `dockerfile-hardener convert FILE [--write]`: prints the multi-stage scratch version of a
 * single-stage Go Dockerfile, or with --write replaces the file atomically. When the conversion
 * refuses, the reason goes to stderr, the exit status is 2, and the file is untouched.
 */
import { fileBuildContext } from '../engine/buildContext';
import { promises as fs } from 'node:fs';
import { convertToScratch } from '../convert/convert';
import { writeFileAtomic } from './atomicWrite';
import { readStdin } from './inputs';
import { parseArgs, UsageError } from './args';
import type { Io } from './io';

export function parseConvertArgs(argv: string[]): { file: string; write: boolean } {
  const { flags, positional } = parseArgs(argv, { flags: ['--write'] });
  const write = flags.has('--write');
  if (positional.length !== 1) throw new UsageError('convert takes exactly one FILE');
  if (positional[0] === '-' && write) throw new UsageError('--write needs a file, not standard input');
  return { file: positional[0], write };
}

export async function runConvert(args: { file: string; write: boolean }, io: Io): Promise<number> {
  let text: string;
  try {
    text = args.file === '-' ? await readStdin() : await fs.readFile(args.file, 'utf8');
  } catch (e) {
    io.err(`dockerfile-hardener: ${args.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return 2;
  }
  // The Dockerfile's directory is the build context it reads run-time files and binaries from.
  const result = convertToScratch(text, { buildContext: args.file === '-' ? undefined : fileBuildContext(args.file) });
  if (!result.ok) {
    io.err(`dockerfile-hardener: cannot convert ${args.file}: ${result.reason}\n`);
    return 2;
  }
  for (const note of result.notes) io.err(`dockerfile-hardener: note: ${note}\n`);
  if (!args.write) {
    io.out(result.text);
    return 0;
  }
  try {
    await writeFileAtomic(args.file, result.text);
  } catch (e) {
    io.err(
      `dockerfile-hardener: ${args.file}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); left unchanged\n`,
    );
    return 2;
  }
  io.err(`${args.file}: converted to a multi-stage build shipping ${result.binary} in scratch as appuser\n`);
  return 0;
}
