/**
 * The project config files (`.dockerfile-hardener.yaml`, `.hadolint.yaml`) of open documents, with
 * their problems published as diagnostics on the config file, and cleared once it is fixed; and the
 * Compose or Bake file that builds each document (config/buildFiles.ts), read again when one changes.
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import { ConfigResolver } from '../config/resolve';
import { HADOLINT_CONFIG_NAMES, OWN_CONFIG_NAMES, type ProjectConfig } from '../config/projectConfig';
import { BUILD_FILE_NAMES, BuildFiles, type BuildEntry } from '../config/buildFiles';

/** The names of the files read here: a change of one calls for new lints (the server watches them). */
export const CONFIG_NAMES = new Set([...OWN_CONFIG_NAMES, ...HADOLINT_CONFIG_NAMES, ...BUILD_FILE_NAMES]);
import { SOURCE } from './codeActions';

export class ConfigFiles {
  private readonly resolver = new ConfigResolver();
  /** Config files whose problems are published, so that fixing them clears the diagnostics. */
  private readonly published = new Set<string>();

  private buildFiles: BuildFiles;

  /**
   * @param relintAll called when what the build files say may have changed without a file changing:
   *   the HCL parser finished loading for a docker-bake.hcl that was met before it had.
   */
  constructor(
    private readonly publish: (uri: string, diagnostics: Diagnostic[]) => void,
    private readonly warn: (message: string) => void = () => undefined,
    private readonly relintAll: () => void = () => undefined,
  ) {
    this.buildFiles = this.newBuildFiles();
  }

  private newBuildFiles(): BuildFiles {
    return new BuildFiles(process.env, () => this.relintAll());
  }

  /** A config, Compose or Bake file changed on disk: read them all again. */
  invalidate(): void {
    this.resolver.invalidate();
    this.buildFiles = this.newBuildFiles();
  }

  /** The Compose service or Bake target that builds a document on disk, if one names it. */
  buildFor(uri: string): BuildEntry | undefined {
    let u: URI;
    try {
      u = URI.parse(uri);
    } catch {
      return undefined;
    }
    if (u.scheme !== 'file') return undefined;
    const entry = this.buildFiles.forDockerfile(u.fsPath);
    for (const p of this.buildFiles.problems.splice(0)) this.warn(p);
    return entry;
  }

  /** The project config for a document (file: URIs only), with its problems published. */
  configFor(uri: string): ProjectConfig | undefined {
    let file: string;
    try {
      const u = URI.parse(uri);
      if (u.scheme !== 'file') return undefined;
      file = u.fsPath;
    } catch {
      return undefined;
    }
    const config = this.resolver.configFor(file);
    if (config) this.publishProblems(config);
    return config;
  }

  private publishProblems(config: ProjectConfig): void {
    const uri = URI.file(config.file).toString();
    if (!config.problems.length && !this.published.has(uri)) return;
    const diagnostics: Diagnostic[] = config.problems.map((p) => ({
      range: { start: { line: p.line - 1, character: p.column - 1 }, end: { line: p.line - 1, character: Number.MAX_SAFE_INTEGER } },
      severity: p.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
      source: SOURCE,
      message: p.severity === 'error' ? `${p.message} (ignored: the defaults apply)` : p.message,
    }));
    if (diagnostics.length) this.published.add(uri);
    else this.published.delete(uri);
    this.publish(uri, diagnostics);
  }
}
