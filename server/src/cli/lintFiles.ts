/**
 * `lint`'s work on each file, the same on the main thread and in a worker (parallel.ts): the file
 * read with its config and build entry (inputs.ts), its lint options, registry facts where asked for,
 * the rules, and at the end ShellCheck on all the RUN scripts at once (shellcheckPass.ts).
 */
import type { Severity } from '../engine/rule';
import { lint } from '../linter/lint';
import type { LintOptions } from '../engine/findings';
import { lintOptions, standardInputContext } from '../config/options';
import type { Inputs, Input } from './inputs';
import type { CliImageFacts } from './imageFacts';
import type { ImageFactsMode } from '../config/projectConfig';
import { addShellCheckFindings, scriptsOf, type LintedFile, type ShellCheckNotes } from './shellcheckPass';
import type { Timings } from './timings';
import type { FileFindings } from './formats';

/** What of `lint`'s arguments the work on one file reads (plain data: a worker receives it). */
export interface FileLintArgs {
  /** undefined: the config's (hadolint failure-threshold), else warning. */
  failLevel?: Severity | 'none';
  targetStage?: string;
  /** The build's arguments (`--build-arg K=V`): ARGs take these values, as in the build. */
  buildArgs?: Record<string, string>;
  /** The build's named contexts (`--build-context NAME=VALUE`). */
  namedContexts?: Record<string, string>;
  /** The platforms the build targets (`--platform`). */
  targetPlatforms?: string[];
  config?: string;
  /** The build context's root (`--context`). */
  context?: string;
  /** The shellcheck binary (`--shellcheck`); default: shellcheck on PATH. */
  shellcheck?: string;
  /** Where image facts come from (`--image-facts`); undefined: the config's, else off. */
  imageFacts?: ImageFactsMode;
  paths: string[];
}

export type Linted = LintedFile & { shown: string; text: string; failLevel: Severity | 'none' };

/** A file's findings as the outputs read them, and the level at which it fails the run. */
export type Checked = FileFindings & { failLevel: Severity | 'none' };

export class FileLinter {
  // Loaded only when asked for: the registry client brings Node's network modules (http, tls…).
  private facts?: CliImageFacts;
  readonly linted: Linted[] = [];

  constructor(
    private readonly args: FileLintArgs,
    private readonly inputs: Inputs,
    private readonly err: (s: string) => void,
    private readonly timings?: Timings,
  ) {}

  /** Reads and lints one file (nothing when it is ignored or cannot be read). */
  async lintFile(file: string): Promise<Linted | undefined> {
    const input = await this.inputs.read(file);
    if (!input) return undefined;
    const linted = await this.lintInput(input);
    this.linted.push(linted);
    return linted;
  }

  private async lintInput(input: Input): Promise<Linted> {
    const { args, inputs } = this;
    // Editors hide a byte-order mark: columns count from the first character after it.
    const text = input.text.charCodeAt(0) === 0xfeff ? input.text.slice(1) : input.text;
    const stdin = input.file === '-';
    const options: LintOptions = {
      ...lintOptions(input.config, { targetStage: args.targetStage, context: args.context }, stdin ? undefined : input.file, input.build),
      // Standard input has no directory to take a context from: --context names it.
      ...(stdin && args.context ? standardInputContext(args.context) : {}),
      // --build-arg over the Compose or Bake file's arguments, as a command line over a file.
      ...(args.buildArgs ? { buildArgs: { ...input.build?.args, ...args.buildArgs } } : {}),
      ...(args.namedContexts ? { namedContexts: { ...input.build?.contexts, ...args.namedContexts } } : {}),
      ...(args.targetPlatforms ? { targetPlatforms: args.targetPlatforms } : {}),
      onRuleError: (rule, error) =>
        inputs.errors.push(`${input.file}: internal error in rule ${rule}: ${error instanceof Error ? error.message : String(error)}`),
    };
    const factsMode = args.imageFacts ?? input.config?.imageFacts ?? 'off';
    if (factsMode !== 'off') {
      this.facts ??= new (await import('./imageFacts')).CliImageFacts();
      Object.assign(options, await this.facts.optionsFor(factsMode, text, options, (m) => this.err(`${input.shown}: ${m}\n`)));
    }
    this.timings?.mark('reading');
    const { findings, model } = lint(text, options);
    // docker build refuses a target that is not a stage; the lint goes on with the last one, and says so.
    if (model.targetMissing)
      this.err(
        `dockerfile-hardener: ${input.shown}: no stage is named "${options.targetStage}": the last stage is taken as the one that ships\n`,
      );
    this.timings?.mark('lint');
    // What the outputs read, and no more: a finding's fixes (built lazily) would keep the model alive.
    const shown = findings.map(({ rule, severity, message, range }) => ({ rule, severity, message, range }));
    return {
      findings: shown,
      scripts: args.shellcheck === 'off' ? undefined : scriptsOf(model, options),
      text: model.lines.text,
      shown: input.shown,
      failLevel: args.failLevel ?? input.config?.failLevel ?? 'warning',
    };
  }

  /** What the ShellCheck pass had to say (finish fills it; the caller says it). */
  shellcheck: ShellCheckNotes = { skipped: [], notes: [] };

  /** Ends the work: ShellCheck on every file's scripts; each file's findings as the outputs read them. */
  async finish(): Promise<Checked[]> {
    this.facts?.close();
    this.timings?.mark('reading');
    if (this.args.shellcheck !== 'off') this.shellcheck = await addShellCheckFindings(this.linted, this.args.shellcheck);
    this.timings?.mark('shellcheck');
    return this.linted.map((f) => ({ file: f.shown, findings: f.findings, text: f.text, failLevel: f.failLevel }));
  }
}
