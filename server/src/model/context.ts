/**
 * The build context as the model may read it: the files a COPY or ADD without --from takes, so that
 * an entrypoint script can be read and a directory copied to `/` looked into. The CLI and the server
 * give one rooted at the Dockerfile's directory (engine/buildContext.ts); without one (text from
 * standard input, an unsaved editor, tests) what the context holds is unknown.
 */
export interface BuildContext {
  /** A file's text, by its path relative to the context's root; undefined when it cannot be read. */
  readFile(path: string): string | undefined;
  /** Whether a path exists: true or false, or undefined when that cannot be told. */
  exists(path: string): boolean | undefined;
  /** The names in a directory of the context ('' for its root); undefined when it cannot be listed. */
  list?(path: string): string[] | undefined;
  /** The first bytes of a file (at most `max`), for a file that is not text (a binary's header). */
  head?(path: string, max: number): Uint8Array | undefined;
  /**
   * The ignore file the builder applies to this context, where it can be told: the Dockerfile's own
   * (`<Dockerfile>.dockerignore` beside it), else `.dockerignore` at the context's root; null when there
   * is none. Without this method a rule may read `.dockerignore` through `readFile`.
   */
  ignoreFile?(): { name: string; text: string } | null | undefined;
  /**
   * The credential files of the whole context that its ignore file lets through (engine/contextFiles.ts
   * walks it once and keeps the answer); undefined when the context cannot be walked.
   */
  secretFiles?(): ContextSecrets | undefined;
}

/** A credential file of the build context that the builder would send. */
export interface ContextSecret {
  /** Relative to the context's root, `/`-separated (`.git` for the repository itself). */
  path: string;
  /** What it holds, for the message (`an SSH private key`). */
  why: string;
  /**
   * false for what may hold secrets without the tool knowing it does: `.git` (its history) when its
   * config holds no credential. Everything else found holds one. Default true.
   */
  credential?: boolean;
}

export interface ContextSecrets {
  files: ContextSecret[];
  /** The walk stopped at its cap: there may be more. */
  truncated: boolean;
  /**
   * The ignore file a fix extends: the Dockerfile's own when it has one, else the context's
   * `.dockerignore`; absolute, and its text ('' when it is not there yet).
   */
  ignoreFile: { file: string; name: string; exists: boolean; text: string };
}
