/**
 * The CLI: the same engine as the editor, for CI.
 *
 *   dockerfile-hardener lint [--format text|json|sarif] [--fail-level error|warning|info|hint|none]
 *                            [--target-stage NAME] [--config FILE] PATH…
 *   dockerfile-hardener rules
 *
 * Exit status: 0 when no finding reaches the fail level (default warning), 1 when one does, 2 on
 * usage or I/O errors (with a message on stderr; the files that could be read are still reported).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { lint } from '../engine/lint';
import { SEVERITIES, type Severity } from '../engine/rule';
import { rules } from '../rules';
import { discover } from './files';
import { ConfigResolver } from '../config/resolve';
import { isIgnoredPath, type ProjectConfig } from '../config/projectConfig';
import { lintOptions } from '../config/options';
import { formatJson, formatSarif, formatText, type FileFindings } from './formats';
import { version } from '../../../package.json';
import { FixUsageError, parseFixArgs, runFix } from './fix';
import { ConvertUsageError, parseConvertArgs, runConvert } from './convert';
import { pinCommand } from './pin';

const USAGE = `Usage:
  dockerfile-hardener lint [options] PATH...   lint Dockerfiles (files, or directories searched for
                                              Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*…)
  dockerfile-hardener fix [options] PATH...    apply the safe fixes (files are written atomically)
  dockerfile-hardener convert FILE [--write]   turn a single-stage Go Dockerfile into a builder stage
                                              and a scratch stage (printed, or written with --write)
  dockerfile-hardener pin [--check] [--timeout S] PATH...
                                              pin images to the digests their tags point at now,
                                              asking the registries (--check: report, write nothing)
  dockerfile-hardener rules                    list the rules
  dockerfile-hardener --version | --help

Options for lint:
  --format text|json|sarif      output format (default text)
  --fail-level error|warning|info|hint|none
                                exit 1 when a finding is at least this severe (default warning)
  --target-stage NAME           the stage that ships (default: the last stage)
  --config FILE                 use this config file (default: the nearest .dockerfile-hardener.yaml
                                above each Dockerfile, else the nearest .hadolint.yaml)
  -                             as a PATH: read a Dockerfile from standard input

Options for fix:
  --dry-run                     print a unified diff, write nothing
  --unsafe                      also apply each finding's preferred suggestion (fixes that change
                                what is built or run, e.g. adding a non-root USER)
  --config FILE, --target-stage NAME   as for lint

Exit status of lint: 0 no finding at the fail level, 1 findings at the fail level, 2 usage or I/O
error. Of fix: 0, or 2 when a file could not be read or written (it is left unchanged).
`;

export class UsageError extends Error {}

export interface LintArgs {
  format: 'text' | 'json' | 'sarif';
  /** undefined: the config's (hadolint failure-threshold), else warning. */
  failLevel?: Severity | 'none';
  targetStage?: string;
  config?: string;
  paths: string[];
}

export function parseLintArgs(argv: string[]): LintArgs {
  const args: LintArgs = { format: 'text', paths: [] };
  const take = (i: number, name: string, inline: string | undefined): [string, number] => {
    if (inline !== undefined) return [inline, i];
    if (i + 1 >= argv.length) throw new UsageError(`${name} needs a value`);
    return [argv[i + 1], i + 1];
  };
  let options = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (options && a === '--') {
      options = false;
      continue;
    }
    if (options && a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(0, eq) : a;
      const inline = eq >= 0 ? a.slice(eq + 1) : undefined;
      let value: string;
      switch (name) {
        case '--format':
          [value, i] = take(i, name, inline);
          if (value !== 'text' && value !== 'json' && value !== 'sarif') throw new UsageError(`--format must be text, json or sarif, not "${value}"`);
          args.format = value;
          break;
        case '--fail-level':
          [value, i] = take(i, name, inline);
          if (value !== 'none' && !(SEVERITIES as readonly string[]).includes(value)) {
            throw new UsageError(`--fail-level must be error, warning, info, hint or none, not "${value}"`);
          }
          args.failLevel = value as Severity | 'none';
          break;
        case '--target-stage':
          [value, i] = take(i, name, inline);
          args.targetStage = value;
          break;
        case '--config':
          [value, i] = take(i, name, inline);
          args.config = value;
          break;
        default:
          throw new UsageError(`unknown option ${name}`);
      }
      continue;
    }
    if (options && a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
    args.paths.push(a);
  }
  if (!args.paths.length) throw new UsageError('lint needs at least one PATH');
  return args;
}

const RANK: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };

export function reachesFailLevel(severity: Severity, failLevel: Severity | 'none'): boolean {
  return failLevel !== 'none' && RANK[severity] >= RANK[failLevel];
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function displayName(file: string): string {
  if (file === '-') return '-';
  const rel = path.relative(process.cwd(), path.resolve(file));
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
}

export interface Io {
  out(s: string): void;
  err(s: string): void;
}

export async function runLint(args: LintArgs, io: Io): Promise<number> {
  const { files, errors } = await discover(args.paths);
  const resolver = new ConfigResolver();
  const reported = new Set<string>();
  let configErrors = false;
  const configFor = (file: string): ProjectConfig | undefined => {
    const config = args.config ? resolver.load(args.config) : resolver.configFor(file === '-' ? path.join(process.cwd(), 'Dockerfile') : file);
    if (config && !reported.has(config.file)) {
      reported.add(config.file);
      for (const p of config.problems) {
        if (p.severity === 'error') configErrors = true;
        io.err(`dockerfile-hardener: ${displayName(config.file)}:${p.line}:${p.column}: ${p.severity}: ${p.message}${p.severity === 'error' ? ' (ignored: the defaults apply)' : ''}\n`);
      }
    }
    return config;
  };
  if (args.config) configFor(args.config);
  const results: FileFindings[] = [];
  let failed = false;
  for (const file of files) {
    const config = configFor(file);
    // Files excluded by the config's ignore globs, unless named on the command line.
    if (config && file !== '-' && !args.paths.includes(file) && isIgnoredPath(config, path.resolve(file))) continue;
    let text: string;
    try {
      text = file === '-' ? await readStdin() : await fs.readFile(file, 'utf8');
    } catch (e) {
      errors.push(`${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      continue;
    }
    // Editors hide a byte-order mark: columns count from the first character after it.
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const options = lintOptions(config, { targetStage: args.targetStage });
    const { findings } = lint(text, {
      ...options,
      onRuleError: (rule, error) => errors.push(`${file}: internal error in rule ${rule}: ${error instanceof Error ? error.message : String(error)}`),
    });
    const failLevel = args.failLevel ?? config?.failLevel ?? 'warning';
    if (findings.some((f) => reachesFailLevel(f.severity, failLevel))) failed = true;
    results.push({ file: displayName(file), findings });
  }
  const out = args.format === 'json' ? formatJson(results) : args.format === 'sarif' ? formatSarif(results) : formatText(results);
  io.out(out);
  for (const e of errors) io.err(`dockerfile-hardener: ${e}\n`);
  const count = results.reduce((n, r) => n + r.findings.length, 0);
  if (args.format === 'text') io.err(`${count} finding${count === 1 ? '' : 's'} in ${results.length} file${results.length === 1 ? '' : 's'}\n`);
  if (!files.length && !errors.length) io.err('dockerfile-hardener: no Dockerfiles found\n');
  if (errors.length || configErrors) return 2;
  return failed ? 1 : 0;
}

function listRules(io: Io): number {
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
      case 'fix':
        return await runFix(parseFixArgs(rest), io);
      case 'pin':
        return await pinCommand(rest, io);
      case 'convert':
        return await runConvert(parseConvertArgs(rest), io);
      case 'rules':
        if (rest.length) throw new UsageError('rules takes no arguments');
        return listRules(io);
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
    if (e instanceof UsageError || e instanceof FixUsageError || e instanceof ConvertUsageError) {
      io.err(`dockerfile-hardener: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    io.err(`dockerfile-hardener: ${e instanceof Error ? e.stack : String(e)}\n`);
    return 2;
  }
}
