/**
 * The Dockerfiles a CLI command works on, the same way for lint, fix and pin: the paths expanded
 * (directories searched), each file's project config (reported once, with its problems), config
 * `ignore` globs applied to files found in directories, the text read (`-`: standard input).
 * Files that cannot be read are collected as errors for the command to report.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ConfigResolver } from '../config/resolve';
import { isIgnoredPath, type ProjectConfig } from '../config/projectConfig';
import { discover } from './files';
import type { Timings } from './timings';
import { BuildFiles, type BuildEntry } from '../config/buildFiles';

export interface Input {
  file: string;
  /** The path as shown to the user: relative to the working directory when inside it. */
  shown: string;
  config?: ProjectConfig;
  /** The Compose service or Bake target that builds it, where one names it. */
  build?: BuildEntry;
  text: string;
}

/** A path relative to the working directory when it is inside it, with `/` separators. */
export function shownPath(file: string): string {
  if (file === '-') return '-';
  const rel = path.relative(process.cwd(), path.resolve(file));
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export class Inputs {
  readonly errors: string[] = [];
  /** A config file had an error (a value that could not be used): the command exits 2. */
  configErrors = false;
  /** How many files there were to work on. */
  count = 0;
  private readonly resolver = new ConfigResolver();
  private readonly buildFiles = new BuildFiles();
  private readonly reported = new Set<string>();
  private named?: Set<string>;

  /** Every line said on stderr so far (lint in parallel says each line once: parallel.ts). */
  readonly said = new Set<string>();

  constructor(
    private readonly args: { paths: string[]; config?: string },
    private out: (s: string) => void,
    private readonly timings?: Timings,
  ) {}

  private err(s: string): void {
    this.said.add(s);
    this.out(s);
  }

  /** Sends what is said from now on to `to` instead; returns where it went until now. */
  redirect(to: (s: string) => void): (s: string) => void {
    const before = this.out;
    this.out = to;
    return before;
  }

  private configFor(file: string): ProjectConfig | undefined {
    const config = this.args.config
      ? this.resolver.load(this.args.config)
      : this.resolver.configFor(file === '-' ? path.join(process.cwd(), 'Dockerfile') : file);
    if (config && !this.reported.has(config.file)) {
      this.reported.add(config.file);
      for (const p of config.problems) {
        if (p.severity === 'error') this.configErrors = true;
        this.err(
          `dockerfile-hardener: ${shownPath(config.file)}:${p.line}:${p.column}: ${p.severity}: ${p.message}${p.severity === 'error' ? ' (ignored: the defaults apply)' : ''}\n`,
        );
      }
    }
    return config;
  }

  async *each(): AsyncGenerator<Input> {
    for (const file of await this.files()) {
      const input = await this.read(file);
      if (input) yield input;
    }
  }

  /** The files to work on: the paths, directories searched; what cannot be found is collected as an error. */
  async files(): Promise<string[]> {
    const { files, errors } = await discover(this.args.paths);
    this.timings?.mark('discovery');
    this.errors.push(...errors);
    if (this.args.config) this.configFor(this.args.config);
    return files;
  }

  /** One file with its config and build entry; undefined when its config ignores it or it cannot be read. */
  async read(file: string): Promise<Input | undefined> {
    const config = this.configFor(file);
    // Files excluded by the config's ignore globs, unless named on the command line.
    this.named ??= new Set(this.args.paths);
    if (config && file !== '-' && !this.named.has(file) && isIgnoredPath(config, path.resolve(file))) return undefined;
    let text: string;
    try {
      // Synchronous: files are read one after the other anyway, and an awaited read per file leaves
      // the process idle between them (half the time of a corpus run).
      text = file === '-' ? await readStdin() : readFileSync(file, 'utf8');
    } catch (e) {
      this.errors.push(`${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return undefined;
    }
    this.count++;
    const build = file === '-' ? undefined : await this.buildFiles.forDockerfileAsync(file);
    for (const p of this.buildFiles.problems.splice(0)) this.err(`dockerfile-hardener: ${shownPath(p)}\n`);
    return { file, shown: shownPath(file), config, text, ...(build ? { build } : {}) };
  }

  /** Prints the collected errors. */
  report(): void {
    for (const e of this.errors) this.err(`dockerfile-hardener: ${e}\n`);
  }

  /** Exit status 2 when a file could not be read or a config could not be used. */
  get failed(): boolean {
    return this.errors.length > 0 || this.configErrors;
  }
}
