/**
 * Lint options for one Dockerfile from its project config and the editor's settings. Settings the
 * user set win over the config file, which wins over the rules' defaults.
 */
import type { LintOptions } from '../engine/lint';
import type { SeveritySetting } from '../engine/rule';
import type { ProjectConfig } from './projectConfig';

export interface EditorSettings {
  rules?: Record<string, SeveritySetting>;
  targetStage?: string;
}

export function lintOptions(config: ProjectConfig | undefined, settings: EditorSettings = {}): LintOptions {
  return {
    rules: { ...config?.rules, ...settings.rules },
    targetStage: settings.targetStage ?? config?.targetStage,
    hadolint: config?.hadolint,
    trustedRegistries: config?.trustedRegistries,
  };
}
