/**
 * `lint`'s outputs: which formats a run writes, and where. `--format X` alone goes to standard
 * output (one at most; text when none does); `--format X --output FILE` writes X to FILE, atomically.
 * `--format` repeats, so one run can print text for the log, annotate the pull request and write
 * SARIF for code scanning: `lint --format text --format sarif --output out.sarif --format github .`
 */
import { UsageError } from './args';
import { formatJson, formatSarif, formatText, type FileFindings } from './formats';
import { formatCheckstyle, formatCodeclimate, formatGithub, formatJunit, formatMarkdown } from './ciFormats';
import { writeFileAtomic } from './atomicWrite';

const FORMATTERS = {
  text: formatText,
  json: formatJson,
  sarif: formatSarif,
  github: formatGithub,
  checkstyle: formatCheckstyle,
  codeclimate: formatCodeclimate,
  junit: formatJunit,
  markdown: formatMarkdown,
} satisfies Record<string, (results: FileFindings[]) => string>;

export type OutputFormat = keyof typeof FORMATTERS;
const OUTPUT_FORMATS = Object.keys(FORMATTERS) as OutputFormat[];

export interface Output {
  format: OutputFormat;
  /** undefined: standard output. */
  file?: string;
}

function formatArg(value: string): OutputFormat {
  if (!(OUTPUT_FORMATS as string[]).includes(value))
    throw new UsageError(`--format must be ${OUTPUT_FORMATS.slice(0, -1).join(', ')} or ${OUTPUT_FORMATS.at(-1)}, not "${value}"`);
  return value as OutputFormat;
}

/**
 * The outputs asked for by `--format` and `--output`, in command-line order: each `--output FILE`
 * belongs to the `--format` just before it. The first is the one for standard output (text when no
 * `--format` is without an `--output`), the others are files.
 */
export function parseOutputs(sequence: readonly { name: string; value: string }[]): [Output, ...Output[]] {
  const outputs: Output[] = [];
  for (const { name, value } of sequence) {
    if (name === '--format') outputs.push({ format: formatArg(value) });
    if (name !== '--output') continue;
    const last = outputs.at(-1);
    if (!last || last.file !== undefined)
      throw new UsageError(`--output ${value}: name the format it is for just before it (--format sarif --output ${value})`);
    if (!value) throw new UsageError('--output needs a file name');
    if (outputs.some((o) => o.file === value)) throw new UsageError(`--output ${value} is given twice`);
    last.file = value;
  }
  const stdout = outputs.filter((o) => o.file === undefined);
  if (stdout.length > 1)
    throw new UsageError(
      `only one format can go to standard output, not ${stdout.map((o) => o.format).join(' and ')}: give the others --output FILE`,
    );
  return [stdout[0] ?? { format: 'text' }, ...outputs.filter((o) => o.file !== undefined)];
}

export function render(format: OutputFormat, results: FileFindings[]): string {
  return FORMATTERS[format](results);
}

/** Writes each file output; returns what could not be written, as messages for standard error. */
export async function writeOutputs(outputs: readonly Output[], results: FileFindings[]): Promise<string[]> {
  const errors: string[] = [];
  for (const o of outputs) {
    if (o.file === undefined) continue;
    try {
      await writeFileAtomic(o.file, render(o.format, results));
    } catch (e) {
      errors.push(`dockerfile-hardener: ${o.file}: cannot write the ${o.format} output: ${(e as Error).message}\n`);
    }
  }
  return errors;
}
