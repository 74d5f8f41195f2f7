/**
 * The model's data: what a Dockerfile's instructions, stages, commands, copies, users and
 * declarations are, as every rule reads them (model.ts builds them; stage.ts holds a stage).
 */
import type { Instruction } from 'dockerfile-ast';
import type { ImageFactsRecord } from './imageFacts';
import type { LineIndex, Span } from './text';
import type { Outline } from './outline';
import type { LogicalText } from './logical';
import type { ShellScript, SimpleCommand } from './shell';
import type { Scope } from './variables';
import type { ImageRef } from './imageRef';
import type { BuildContext } from './context';
import type { RoleKind } from './runtime';
import type { Stage } from './stage';

export interface ModelOptions {
  /** The stage that ships: a stage name or index. Default: the last stage. */
  targetStage?: string;
  /**
   * Internal (linter/incremental.ts): the outline of `text` to build from, which may list only some of
   * its instructions (the model then has only those), and the text's line index.
   */
  outline?: Outline;
  lines?: LineIndex;
  /** The build context, where it can be read (entrypoint scripts, directories copied in). */
  context?: BuildContext;
  /** The Dockerfile's path in its repository (its name tells a dev or CI image from a service), where known. */
  path?: string;
  /** The image's role as the configuration states it (runtime.ts), overriding what the file suggests. */
  role?: RoleKind;
  /** What registries said about the images the file names (imageFacts.ts), where looked up. */
  imageFacts?: ImageFactsRecord;
  /**
   * The build's arguments (`--build-arg`, a Compose or Bake file), where known: a declared ARG takes
   * its value from them, as in the build, whatever its default. A name given `undefined` has a value
   * the linter could not work out (a Bake expression): the ARG is then unknown, not its default.
   */
  buildArgs?: Readonly<Record<string, string | undefined>>;
  /**
   * The build's named contexts (Bake's `contexts`, Compose's `additional_contexts`): a FROM or
   * `--from` that names one takes it instead of an image or stage of that name, so it is unknown here.
   */
  namedContexts?: Readonly<Record<string, string>>;
}

export interface FlagInfo {
  name: string;
  value: string | null;
  span: Span;
  nameSpan: Span;
  valueSpan?: Span;
  /** `key=value` options of the value (e.g. `--mount=type=cache,from=x`). */
  options: { name: string; value: string | null; span: Span; valueSpan?: Span }[];
}

export interface Instr {
  /** Upper-case keyword (`RUN`, `FROM`…). */
  keyword: string;
  /**
   * dockerfile-ast's instruction, from a full parse of the document (built on first use: the model
   * itself reads the text, and only asks dockerfile-ast for the details of a few instructions).
   */
  readonly ast: Instruction;
  span: Span;
  keywordSpan: Span;
  flags: FlagInfo[];
  /** Where the arguments start after the flags (== span.end when there are none). */
  argsStart: number;
  /** The stage the instruction belongs to (undefined before the first FROM). */
  stage?: Stage;
  /** The working directory when the instruction runs, if known. */
  workdir?: string;
  /** The variables (stage ARGs and ENV) visible to the instruction; global ARGs for FROM. */
  scope?: Scope;
  /** A trigger of `ONBUILD`: it runs when another build uses this image as its base. */
  onbuild?: boolean;
}

/** An ARG or ENV declaration, one per name. */
export interface Declaration {
  keyword: 'ARG' | 'ENV';
  name: string;
  nameSpan: Span;
  /** The value as written (continuations removed); undefined for a bare `ARG NAME`. */
  raw?: string;
  /** Its value after substitution; undefined when unknown or absent. */
  value?: string;
  instr: Instr;
  /** undefined for a global ARG (before the first FROM). */
  stage?: Stage;
}

/** An exec-form (JSON) argument list entry. */
export interface JsonString {
  value: string;
  span: Span;
  /** The decoded string, mapped back to the document. */
  logical: LogicalText;
}

/** The command of RUN / CMD / ENTRYPOINT / HEALTHCHECK CMD in one of its two forms. */
export interface CommandArgs {
  form: 'exec' | 'shell';
  /** Exec form: the JSON strings. */
  exec?: JsonString[];
  /** Shell form: the command text with continuations removed. */
  shell?: LogicalText;
  /** Span of the command (arguments after flags). */
  span: Span;
  /** Starts with `[` but is not a JSON array of strings, so the builder runs it through a shell. */
  invalidJson: boolean;
}

export interface RunInfo {
  instr: Instr;
  command: CommandArgs;
  /** The shell script run (shell form, or exec form of `sh -c`), undefined when it is not a shell. */
  script?: ShellScript;
  /** Every simple command, heredoc scripts included, in order. */
  commands: SimpleCommand[];
  mounts: FlagInfo[];
  /** Build arguments and ENV visible to the command, by name. */
  scope: Scope;
}

export interface PathArg {
  /** As written. */
  raw: string;
  /** After variable substitution; undefined when unknown. */
  value?: string;
  span: Span;
}

export type CopySource = { kind: 'stage'; stage: Stage } | { kind: 'image'; ref: ImageRef } | { kind: 'unknown' };

export interface CopyInfo {
  instr: Instr;
  keyword: 'COPY' | 'ADD';
  /** `--from=` */
  from?: { raw: string; value?: string; span: Span; source: CopySource };
  sources: PathArg[];
  /** Heredoc sources (`COPY <<EOF /dest`). */
  heredocs: string[];
  dest?: PathArg;
  /** The destination as an absolute path, when known. */
  destPath?: string;
  destIsDir: boolean;
}

export interface UserInfo {
  /** The USER instruction, or undefined when the user comes from the base image. */
  instr?: Instr;
  /** `user[:group]` after substitution; undefined when unknown. */
  text?: string;
  user?: string;
  group?: string;
  userSpan?: Span;
  groupSpan?: Span;
  /** true / false, or undefined when it cannot be known (a variable, an unknown base image). */
  root: boolean | undefined;
  /** The base image's administrator account, where it is not called root (Windows: ContainerAdministrator). */
  baseUser?: string;
  /** For a user that comes from the base image: where the tool knows it from, for messages. */
  source?: string;
}

export interface EnvEntry {
  value: string | undefined;
  instr: Instr;
  nameSpan: Span;
}

export type Base =
  { kind: 'scratch' } | { kind: 'image'; ref: ImageRef } | { kind: 'stage'; stage: Stage } | { kind: 'unknown'; raw: string };

export type Presence = 'yes' | 'maybe' | 'no';

export interface Directives {
  syntax?: { value: string; span: Span };
  escape?: { value: string; span: Span };
  /** `# check=skip=…` as a parser directive (file-wide; the same comment above an instruction is local). */
  checkSkip: Set<string>;
  checkSkipAll: boolean;
}

export interface ArgDecl {
  name: string;
  value: string | undefined;
  instr: Instr;
  nameSpan: Span;
}
