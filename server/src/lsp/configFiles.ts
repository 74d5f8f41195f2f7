/**
 * The project config files (`.dockerfile-hardener.yaml`, `.hadolint.yaml`) of open documents, with
 * their problems published as diagnostics on the config file, and cleared once it is fixed.
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import { ConfigResolver } from '../config/resolve';
import type { ProjectConfig } from '../config/projectConfig';
import { SOURCE } from './codeActions';

export class ConfigFiles {
  private readonly resolver = new ConfigResolver();
  /** Config files whose problems are published, so that fixing them clears the diagnostics. */
  private readonly published = new Set<string>();

  constructor(private readonly publish: (uri: string, diagnostics: Diagnostic[]) => void) {}

  /** A config file changed on disk: read them all again. */
  invalidate(): void {
    this.resolver.invalidate();
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
