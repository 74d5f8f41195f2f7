/**
 * The build inputs that Compose and Bake files give a Dockerfile: its build arguments, the stage it
 * builds (target), its context and platforms, so that the linter reads the file as that build does
 * (a FROM built from an ARG resolves; the stage that ships is the one built).
 *
 *   compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml:
 *     services.<name>.build: a context path, or { context, dockerfile, args (map or list), target,
 *     platforms, additional_contexts } with Compose's interpolation of ${VAR}, ${VAR:-default},
 *     ${VAR-default} and $$ from the environment and the project's .env file.
 *   docker-bake.json: target.<name>: { context, dockerfile, args, target, platforms, contexts, inherits } (bake.ts)
 *   docker-bake.hcl: the same, from HCL (bakeHcl.ts); its parser loads on the first one found.
 *
 * A Dockerfile is matched by its real path. Build files are looked for in the Dockerfile's directory
 * and each one above it; the nearest that names the file wins, and within it the first service or
 * target (in file order) that builds it.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseYaml } from './projectConfig';
import {
  argsOf,
  contextsOf,
  interpolate,
  isObject,
  isRemoteContext,
  readDotEnv,
  scalar,
  type BuildEntry,
  type BuildFileRead,
} from './buildEntry';
import { bakeEntries, mergeTargets, readBakeJsonTargets, type BakeRead, type BakeTarget } from './bake';
import { readBakeHclTargets } from './bakeHcl';
import { hclParser, loadHclParser } from './hclParser';

export type { BuildEntry } from './buildEntry';

export const COMPOSE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
/** Bake's own files, in the order Bake reads them by default (a later file's values win). */
export const BAKE_NAMES = ['docker-bake.json', 'docker-bake.hcl', 'docker-bake.override.json', 'docker-bake.override.hcl'];
/** Every build file name (the editor watches them). */
export const BUILD_FILE_NAMES = [...COMPOSE_NAMES, ...BAKE_NAMES];

/** The services of a Compose file that build an image from a Dockerfile. */
export function readCompose(file: string, text: string, processEnv: NodeJS.ProcessEnv = process.env): BuildFileRead {
  const dir = path.dirname(file);
  const name = path.basename(file);
  const problems: string[] = [];
  const dotEnvFile = path.join(dir, '.env');
  const dotEnv = existsSync(dotEnvFile) ? readDotEnv(readFileSync(dotEnvFile, 'utf8')) : {};
  // The shell's environment wins over .env, as in Compose.
  const env: Record<string, string | undefined> = { ...dotEnv, ...processEnv };
  const expand = (s: string) => interpolate(s, env);
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    return { entries: [], problems: [`${name}: not read: ${(e as Error).message.split('\n')[0]}`] };
  }
  const services = isObject(doc) && isObject(doc.services) ? doc.services : {};
  const entries: BuildEntry[] = [];
  for (const [service, def] of Object.entries(services)) {
    const build = isObject(def) ? def.build : undefined;
    if (build === undefined || build === null) continue;
    const b = isObject(build) ? build : { context: build };
    const context = scalar(b.context) ?? '.';
    if (isRemoteContext(expand(context))) continue; // a Git or HTTP context: not on this disk
    if (b.dockerfile_inline !== undefined) continue;
    const contextDir = path.resolve(dir, expand(context));
    const dockerfile = path.resolve(contextDir, expand(scalar(b.dockerfile) ?? 'Dockerfile'));
    const target = scalar(b.target);
    const platforms = Array.isArray(b.platforms)
      ? b.platforms
          .map(scalar)
          .filter((p): p is string => !!p)
          .map(expand)
      : undefined;
    entries.push({
      source: `${name} service ${service}`,
      dockerfile,
      context: contextDir,
      args: argsOf(b.args, env, expand),
      ...(target ? { target: expand(target) } : {}),
      ...(platforms?.length ? { platforms } : {}),
      ...withContexts(contextsOf(b.additional_contexts, contextDir, expand)),
    });
  }
  return { entries, problems };
}

const withContexts = (contexts: Record<string, string> | undefined) => (contexts ? { contexts } : {});

/**
 * Finds, for each Dockerfile, the nearest Compose or Bake file that builds it (cached per directory).
 * The HCL parser loads on the first docker-bake.hcl met: until it has, that file's targets are not
 * known; `forDockerfileAsync` waits for it (the CLI), and `onParserLoaded` tells a caller that reads
 * synchronously (the editor) to ask again.
 */
export class BuildFiles {
  private readonly dirs = new Map<string, BuildFileRead>();
  /** Problems already said (a file that does not parse, a value not evaluated), each once. */
  readonly problems: string[] = [];
  private readonly said = new Set<string>();
  private loading?: Promise<void>;
  /** Why the HCL parser could not be loaded, if it could not: HCL files are then said not to be read. */
  private parserFailed?: string;

  constructor(
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly onParserLoaded: () => void = () => undefined,
  ) {}

  /** The build entry for a Dockerfile on disk, if a build file above it names it. */
  forDockerfile(file: string): BuildEntry | undefined {
    const target = path.resolve(file);
    for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
      const read = this.readDir(dir);
      const found = read.entries.find((e) => e.dockerfile === target);
      if (found) return found;
      // A nearer Bake HCL file waits for its parser: one farther up must not answer for it meanwhile.
      if (!this.dirs.has(dir)) return undefined;
      if (path.dirname(dir) === dir) return undefined;
    }
  }

  /** The same, once the HCL parser has loaded where a docker-bake.hcl needs it. */
  async forDockerfileAsync(file: string): Promise<BuildEntry | undefined> {
    const entry = this.forDockerfile(file);
    if (!this.loading) return entry;
    await this.loading;
    return this.forDockerfile(file);
  }

  /**
   * The build entries of one directory's files: each Compose file's services, and the Bake files
   * (docker-bake.json, docker-bake.hcl, then their .override files) merged into one set of targets,
   * as Bake merges them. Cached, except while the HCL parser loads.
   */
  private readDir(dir: string): BuildFileRead {
    const cached = this.dirs.get(dir);
    if (cached) return cached;
    const read: BuildFileRead = { entries: [], problems: [] };
    let waiting = false;
    let bake: { file: string; targets: Map<string, BakeTarget> } | undefined;
    for (const name of [...COMPOSE_NAMES, ...BAKE_NAMES]) {
      const file = path.join(dir, name);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      try {
        if (COMPOSE_NAMES.includes(name)) {
          const r = readCompose(file, text, this.env);
          read.entries.push(...r.entries);
          for (const p of r.problems) this.say(path.join(dir, p));
          continue;
        }
        let r: BakeRead;
        if (name.endsWith('.hcl')) {
          const parser = hclParser();
          if (!parser) {
            if (this.parserFailed) this.say(`${file}: not read: the HCL parser did not load (${this.parserFailed})`);
            else waiting = this.loadParser();
            continue;
          }
          r = readBakeHclTargets(file, text, parser, this.env);
        } else r = readBakeJsonTargets(file, text, this.env);
        for (const p of r.problems) this.say(path.join(dir, p));
        if (bake) mergeTargets(bake.targets, r.targets);
        else bake = { file, targets: r.targets };
      } catch (e) {
        // A file this cannot read (a value nested past the stack, say) is said; the others are still read.
        this.say(`${file}: not read: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (bake) read.entries.push(...bakeEntries(bake.file, bake.targets));
    // A directory whose HCL file waits for the parser is read again once it has loaded.
    if (!waiting) this.dirs.set(dir, read);
    return read;
  }

  /** Starts loading the HCL parser (once); true while it loads. */
  private loadParser(): boolean {
    this.loading ??= loadHclParser().then(
      () => {
        this.loading = undefined;
        this.onParserLoaded();
      },
      (e: Error) => {
        this.loading = undefined;
        this.parserFailed = e.message.split('\n')[0];
        this.dirs.clear();
        this.onParserLoaded();
      },
    );
    return true;
  }

  private say(problem: string): void {
    if (this.said.has(problem)) return;
    this.said.add(problem);
    this.problems.push(problem);
  }
}
