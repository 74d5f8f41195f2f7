/**
 * Lint options for one Dockerfile from its project config and the editor's settings. Settings the
 * user set win over the config file, which wins over the rules' defaults.
 */
import type { LintOptions } from '../engine/findings';
import type { SeveritySetting } from '../engine/rule';
import { configuredRole, type ProjectConfig } from './projectConfig';
import { fileBuildContext, pathInRepository } from '../engine/buildContext';
import * as path from 'node:path';
import type { BuildEntry } from './buildFiles';

export interface EditorSettings {
  rules?: Record<string, SeveritySetting>;
  targetStage?: string;
  /** The build context's root (the CLI's `--context`), absolute or relative to the working directory. */
  context?: string;
}

/**
 * @param file the Dockerfile on disk, when it is one: its name and build context tell the rules what
 * the image is for and what its entrypoint does (standard input and unsaved documents have neither).
 */
export function lintOptions(
  config: ProjectConfig | undefined,
  settings: EditorSettings = {},
  file?: string,
  build?: BuildEntry,
): LintOptions {
  return {
    rules: { ...config?.rules, ...settings.rules },
    // What the build does (a Compose service's or Bake target's target) wins over the config file.
    targetStage: settings.targetStage ?? build?.target ?? config?.targetStage,
    ...(build && Object.keys(build.args).length ? { buildArgs: build.args } : {}),
    ...(build?.platforms?.length ? { targetPlatforms: build.platforms } : {}),
    ...(build?.contexts ? { namedContexts: build.contexts } : {}),
    hadolint: config?.hadolint,
    trustedRegistries: config?.trustedRegistries,
    labelSchema: config?.labelSchema,
    strictLabels: config?.strictLabels,
    customRules: config?.customRules,
    staleBaseDays: config?.staleBaseDays,
    ...(file ? onDisk(config, file, settings.context ?? build?.context ?? config?.context) : {}),
  };
}

/**
 * The build context `--context DIR` names for a Dockerfile read from standard input: it has no
 * directory, so its context is exactly DIR (and only DIR's .dockerignore applies).
 */
export function standardInputContext(dir: string): Pick<LintOptions, 'buildContext'> {
  try {
    // The Dockerfile stands in DIR under the name "-": no `<name>.dockerignore` of its own.
    return { buildContext: fileBuildContext(path.join(dir, '-'), dir) };
  } catch {
    return {};
  }
}

/** The path, build context and configured role of a Dockerfile on disk; none when the file system will not say. */
function onDisk(config: ProjectConfig | undefined, file: string, context?: string): Pick<LintOptions, 'path' | 'buildContext' | 'role'> {
  try {
    return {
      path: pathInRepository(file),
      buildContext: fileBuildContext(file, context),
      role: config ? configuredRole(config, file) : undefined,
    };
  } catch {
    return {}; // linting goes on without them: a finding then says what it could not read
  }
}
