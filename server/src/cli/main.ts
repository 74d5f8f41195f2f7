/**
 * The CLI: the same engine as the editor, for CI.
 *
 *   dockerfile-hardener lint [--format FORMAT [--output FILE]]... [--fail-level error|warning|info|hint|none]
 *                            [--target NAME] [--build-arg K=V] [--build-context NAME=VALUE] [--config FILE] PATH…
 *   dockerfile-hardener rules
 *   dockerfile-hardener explain RULE
 *
 * Exit status: 0 when no finding reaches the fail level (default warning), 1 when one does, 2 on
 * usage or I/O errors (with a message on stderr; the files that could be read are still reported).
 */
import { SEVERITIES, type Severity } from '../engine/rule';
import { rules } from '../rules';
import { ruleInfo } from '../linter/ruleInfo';
import { Inputs } from './inputs';
import type { FileFindings } from './formats';
import { parseOutputs, render, writeOutputs, type Output, type OutputFormat } from './outputs';
import { version } from '../../../package.json';
import { IMAGE_FACTS_MODES, type ImageFactsMode } from '../config/projectConfig';
import { BUILD_INPUT_OPTIONS, buildInputs, contextArg, parseArgs, UsageError } from './args';
import type { Io } from './io';
import { FileLinter, type Checked, type FileLintArgs } from './lintFiles';
import { lintInParallel } from './parallel';
import { skippedNote } from './shellcheckPass';
import { Timings } from './timings';

const USAGE = `Usage:
  dockerfile-hardener lint [options] PATH...   lint Dockerfiles (files, or directories searched for
                                              Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*…)
  dockerfile-hardener fix [options] PATH...    apply the safe fixes (files are written atomically)
  dockerfile-hardener format [--check] PATH... format Dockerfiles: keyword case, continuation indentation,
                                              trailing blanks (--check: list the files that would
                                              change, write nothing)
  dockerfile-hardener convert FILE [--write]   turn a single-stage Go Dockerfile into a builder stage
                                              and a scratch stage (printed, or written with --write)
  dockerfile-hardener pin [--check] [--timeout S] PATH...
                                              pin images to the digests their tags point at now,
                                              asking the registries (--check: report, write nothing)
  dockerfile-hardener rules [--format text|json]
                                              list the rules (json: id, default severity or off,
                                              summary, equivalents, fix kinds, docs path)
  dockerfile-hardener explain RULE             print a rule's page: why, examples, fixes (RULE: a rule
                                              id, or a hadolint code or BuildKit check it covers)
  dockerfile-hardener --version | --help

Options for lint:
  --format FORMAT               output format: text (the default), json, sarif, github (workflow
                                command annotations), checkstyle, codeclimate (GitLab code quality),
                                junit or markdown (a pull request comment); repeatable
  --output FILE                 write the --format just before it to FILE (atomically), not to
                                standard output, where one format at most goes
  --fail-level error|warning|info|hint|none
                                exit 1 when a finding is at least this severe (default warning)
  --target NAME                 the stage that ships, as docker build names it (default: the last
                                stage; --target-stage NAME is the same)
  --build-arg NAME=VALUE        a build argument, as docker build takes it (repeatable; NAME alone
                                takes its value from the environment): ARGs get these values
  --build-context NAME=VALUE    a named context, as docker build takes it (repeatable): a FROM or
                                --from of that name is that context, not an image or stage
  --platform OS/ARCH[,...]      the platforms the build targets, as docker buildx takes them
                                (platform-unavailable checks them where image facts are known)
  --context DIR                 the build context's root, as given to docker build (default: each
                                Dockerfile's directory, or the config's context; standard input
                                has a context only with --context)
  --config FILE                 use this config file (default: the nearest .dockerfile-hardener.yaml
                                above each Dockerfile, else the nearest .hadolint.yaml)
  --shellcheck PATH|off         the shellcheck binary that checks RUN scripts (default: shellcheck on
                                PATH; without one, RUN scripts are not checked); off: do not run it
                                (as rules: { shellcheck: off } in the config)
  --image-facts off|cache|fetch what registries said of the images, for the rules that read it
                                (default off, or the config's imageFacts): cache reads what the
                                editor and earlier runs stored; fetch asks the registries first
                                (credentials as for pin)
  --jobs N                      lint many files on N threads (default: one per core, at most 4;
                                a thread takes at least 100 files); 1: on this thread alone
  -                             as a PATH: read a Dockerfile from standard input

Options for fix:
  --dry-run                     print a unified diff, write nothing
  --unsafe                      also apply each finding's preferred suggestion (fixes that change
                                what is built or run, e.g. adding a non-root USER)
  --config FILE, --target NAME, --build-arg K=V, --build-context NAME=VALUE, --context DIR
                                as for lint

Options for format:
  --check                       write nothing: print the files formatting would change, exit 1 if any
  --config FILE                 as for lint (its ignore globs apply to directories)

Every command: an option's value follows it or an "=" (--format=json); "--" ends the options.

Exit status of lint: 0 no finding at the fail level, 1 findings at the fail level, 2 usage or I/O
error. Of fix and format: 0, or 2 when a file could not be read or written (it is left unchanged);
format --check: 1 when a file would change. Of explain: 0, or 2 for a RULE that is none.
`;

export interface LintArgs extends FileLintArgs {
  /** The format for standard output. */
  format: OutputFormat;
  /** The formats written to files (`--format X --output FILE`), where asked for. */
  outputs?: Output[];
  /** How many threads lint many files (`--jobs`); undefined: one per core, at most 4 (parallel.ts). */
  jobs?: number;
}

function imageFactsArg(value: string | undefined): ImageFactsMode | undefined {
  if (value === undefined) return undefined;
  if (!(IMAGE_FACTS_MODES as readonly string[]).includes(value))
    throw new UsageError(`--image-facts must be ${IMAGE_FACTS_MODES.join(', ')}, not "${value}"`);
  return value as ImageFactsMode;
}

function jobsArg(value: string | undefined): { jobs?: number } {
  if (value === undefined) return {};
  if (!/^[1-9]\d{0,2}$/.test(value)) throw new UsageError(`--jobs must be a whole number from 1, not "${value}"`);
  return { jobs: Number(value) };
}

export function parseLintArgs(argv: string[]): LintArgs {
  const parsed = parseArgs(argv, {
    values: [
      '--format',
      '--output',
      '--fail-level',
      '--config',
      '--shellcheck',
      '--context',
      '--image-facts',
      '--jobs',
      ...BUILD_INPUT_OPTIONS,
    ],
  });
  const { values, positional } = parsed;
  const [{ format }, ...outputs] = parseOutputs(parsed.sequence);
  const failLevel = values.get('--fail-level');
  if (failLevel !== undefined && failLevel !== 'none' && !(SEVERITIES as readonly string[]).includes(failLevel)) {
    throw new UsageError(`--fail-level must be error, warning, info, hint or none, not "${failLevel}"`);
  }
  if (!positional.length) throw new UsageError('lint needs at least one PATH');
  return {
    format,
    ...(outputs.length ? { outputs } : {}),
    failLevel: failLevel as LintArgs['failLevel'],
    ...buildInputs(parsed),
    config: values.get('--config'),
    context: contextArg(values.get('--context')),
    shellcheck: values.get('--shellcheck'),
    imageFacts: imageFactsArg(values.get('--image-facts')),
    ...jobsArg(values.get('--jobs')),
    paths: positional,
  };
}

const RANK: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };

export function reachesFailLevel(severity: Severity, failLevel: Severity | 'none'): boolean {
  return failLevel !== 'none' && RANK[severity] >= RANK[failLevel];
}

export type { Io } from './io';

/** Each file read and linted in turn on this thread. */
async function lintInTurn(paths: string[], args: LintArgs, inputs: Inputs, io: Io, timings: Timings): Promise<Checked[]> {
  const linter = new FileLinter(args, inputs, io.err, timings);
  for (const file of paths) await linter.lintFile(file);
  const checked = await linter.finish();
  for (const line of [...skippedNote(linter.shellcheck.skipped), ...linter.shellcheck.notes]) io.err(line);
  return checked;
}

export async function runLint(args: LintArgs, io: Io): Promise<number> {
  const timings = new Timings();
  const inputs = new Inputs(args, io.err, timings);
  const paths = await inputs.files();
  const files = (await lintInParallel(paths, args, inputs, io, timings)) ?? (await lintInTurn(paths, args, inputs, io, timings));
  const results: FileFindings[] = files.map((f) => ({ file: f.file, findings: f.findings, text: f.text }));
  const failed = files.some((f) => f.findings.some((x) => reachesFailLevel(x.severity, f.failLevel)));
  io.out(render(args.format, results));
  const unwritten = await writeOutputs(args.outputs ?? [], results);
  for (const e of unwritten) io.err(e);
  inputs.report();
  const count = results.reduce((n, r) => n + r.findings.length, 0);
  if (args.format === 'text')
    io.err(`${count} finding${count === 1 ? '' : 's'} in ${results.length} file${results.length === 1 ? '' : 's'}\n`);
  if (!inputs.count && !inputs.errors.length) io.err('dockerfile-hardener: no Dockerfiles found\n');
  timings.mark('output');
  const timed = timings.report(inputs.count);
  if (timed) io.err(timed);
  if (inputs.failed || unwritten.length) return 2;
  return failed ? 1 : 0;
}

/** `rules [--format text|json]`: the rules, one a line, or as JSON for scripts (linter/ruleInfo.ts). */
export function parseRulesArgs(argv: string[]): { format: 'text' | 'json' } {
  const { values, positional } = parseArgs(argv, { values: ['--format'] });
  if (positional.length) throw new UsageError('rules takes no arguments');
  const format = values.get('--format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError('--format must be text or json');
  return { format };
}

function listRules(args: { format: 'text' | 'json' }, io: Io): number {
  if (args.format === 'json') {
    io.out(JSON.stringify(rules.map(ruleInfo), null, 2) + '\n');
    return 0;
  }
  const width = Math.max(...rules.map((r) => r.id.length));
  for (const r of rules) io.out(`${r.id.padEnd(width)}  ${r.severity.padEnd(7)}  ${r.summary}\n`);
  return 0;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'lint':
        return await runLint(parseLintArgs(rest), io);
      // The other commands' modules are loaded only when they run: between them they load Node's
      // crypto, http, https, tls and child_process, start-up that `lint` does not need (bench/HISTORY.md).
      case 'fix': {
        const { parseFixArgs, runFix } = await import('./fix');
        return await runFix(parseFixArgs(rest), io);
      }
      case 'format': {
        const { parseFormatArgs, runFormat } = await import('./format');
        return await runFormat(parseFormatArgs(rest), io);
      }
      case 'pin': {
        const { pinCommand } = await import('./pin');
        return await pinCommand(rest, io);
      }
      case 'convert': {
        const { parseConvertArgs, runConvert } = await import('./convert');
        return await runConvert(parseConvertArgs(rest), io);
      }
      case 'rules':
        return listRules(parseRulesArgs(rest), io);
      case 'explain': {
        const { parseExplainArgs, runExplain } = await import('./explain');
        return runExplain(parseExplainArgs(rest), io);
      }
      case '--version':
      case '-v':
        io.out(`${version}\n`);
        return 0;
      case '--help':
      case '-h':
      case 'help':
        io.out(USAGE);
        return 0;
      case undefined:
        throw new UsageError('missing command');
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`dockerfile-hardener: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    io.err(`dockerfile-hardener: ${e instanceof Error ? e.stack : String(e)}\n`);
    return 2;
  }
}
