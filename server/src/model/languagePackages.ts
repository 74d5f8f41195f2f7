/**
 * Language package managers in RUN commands (pip, pipx, npm, yarn, gem), with their subcommand,
 * options (with their values) and arguments, for the rules about version pins and caches. Go has its
 * own model (go.ts).
 */
import type { DockerfileModel, RunInfo, Stage } from './model';
import { unwrap, commandName, type EffectiveCommand, type Word } from './shell';
import type { Span } from './text';

export type LanguageTool = 'pip' | 'pipx' | 'npm' | 'yarn' | 'gem';

export interface LanguageOption {
  /** The option as written before any `=`: `--index-url`, `-r`. */
  name: string;
  /** Its value, inline (`--x=v`: the whole word) or the next word. */
  value?: Word;
  word: Word;
}

export interface LanguageCommand {
  stage: Stage;
  run: RunInfo;
  /** Index in run.commands. */
  index: number;
  command: EffectiveCommand;
  tool: LanguageTool;
  /** `install`, `add`, `i`…; '' for a bare `yarn`. */
  sub: string;
  subWord?: Word;
  /** From the program's name to the subcommand. */
  span: Span;
  options: LanguageOption[];
  /** The arguments after the subcommand, option values excluded (for gem, those before `--`). */
  args: Word[];
}

/** Options that take the next word as their value (when written without `=`). */
const VALUE_OPTIONS: Record<LanguageTool, Set<string>> = {
  pip: new Set([
    ...['-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-i', '--index-url', '--extra-index-url', '-f', '--find-links'],
    ...['-t', '--target', '--prefix', '--root', '--build', '-b', '--src', '--upgrade-strategy', '--root-user-action', '--platform'],
    ...['--python-version', '--implementation', '--abi', '--progress-bar', '--log', '--proxy', '--retries', '--timeout', '--cert'],
    ...['--client-cert', '--cache-dir', '--trusted-host', '--global-option', '--install-option', '-C', '--config-settings'],
    ...['--no-binary', '--only-binary', '--exists-action', '--report', '--python', '--use-feature', '--use-deprecated', '-d', '--dest'],
  ]),
  pipx: new Set(['--python', '--index-url', '-i', '--pip-args', '--suffix', '--editable', '-e', '--preinstall']),
  npm: new Set([
    ...['--registry', '--loglevel', '--prefix', '--cache', '--tag', '--only', '--omit', '--include', '--save-prefix', '-w'],
    ...['--workspace', '--userconfig', '--globalconfig', '--install-strategy', '--before', '--scope', '--otp', '-C'],
  ]),
  yarn: new Set(['--cache-folder', '--modules-folder', '--registry', '--network-timeout', '--mutex', '--cwd', '--global-folder']),
  gem: new Set([
    ...['-v', '--version', '-i', '--install-dir', '-n', '--bindir', '-s', '--source', '-p', '--http-proxy', '--platform'],
    ...['-g', '--file', '--document', '--build-root', '--config-file', '-P', '--trust-policy', '--target-rbconfig'],
  ]),
};

/** The tool a command runs, and where its own words start: `pip3 …`, `python3 -m pip …`. */
function toolOf(argv: Word[]): { tool: LanguageTool; from: number } | undefined {
  const name = commandName(argv);
  if (!name) return undefined;
  if (/^pip[\d.]*$/.test(name)) return { tool: 'pip', from: 1 };
  if (name === 'pipx' || name === 'npm' || name === 'yarn' || name === 'gem') return { tool: name, from: 1 };
  if (/^python[\d.]*$/.test(name)) {
    // python [-u -I -E -s -B -O…] -m pip …
    for (let k = 1; k < argv.length; k++) {
      const v = argv[k].value;
      if (v === '-m') return argv[k + 1]?.value === 'pip' ? { tool: 'pip', from: k + 2 } : undefined;
      if (!/^-[a-zA-Z]+$/.test(v) || /[cWX]/.test(v)) return undefined;
    }
  }
  return undefined;
}

function parse(
  argv: Word[],
  tool: LanguageTool,
  from: number,
): Omit<LanguageCommand, 'stage' | 'run' | 'index' | 'command' | 'tool' | 'span'> {
  const options: LanguageOption[] = [];
  const args: Word[] = [];
  let subWord: Word | undefined;
  const valueOptions = VALUE_OPTIONS[tool];
  for (let k = from; k < argv.length; k++) {
    const w = argv[k];
    if (w.value === '--') {
      if (tool === 'gem') break; // build options for the gem's extensions follow
      continue;
    }
    if (w.value.startsWith('-') && w.value.length > 1) {
      const eq = w.value.indexOf('=');
      const name = eq > 0 ? w.value.slice(0, eq) : w.value;
      const next = argv[k + 1];
      // gem's extension options (`--use-system-libraries true`) take a boolean word.
      const takesNext = eq < 0 && next && (valueOptions.has(name) || (tool === 'gem' && /^(true|false)$/.test(next.value)));
      options.push({ name, value: eq > 0 ? w : takesNext ? next : undefined, word: w });
      if (takesNext) k++;
      continue;
    }
    if (!subWord) subWord = w;
    else args.push(w);
  }
  return { sub: subWord?.value ?? '', subWord, options, args };
}

/** Every pip, pipx, npm, yarn and gem command of every RUN, in file order. */
export function languageCommands(model: DockerfileModel): LanguageCommand[] {
  return model.cached('languagePackages.commands', () => {
    const out: LanguageCommand[] = [];
    for (const stage of model.stages) {
      for (const run of stage.runs) {
        run.commands.forEach((c, index) => {
          const command = unwrap(c);
          const found = toolOf(command.argv);
          if (!found) return;
          const parsed = parse(command.argv, found.tool, found.from);
          if (parsed.subWord?.dynamic) return;
          const end = parsed.subWord?.end ?? command.argv[found.from - 1].end;
          out.push({ stage, run, index, command, tool: found.tool, span: { start: command.argv[0].start, end }, ...parsed });
        });
      }
    }
    return out;
  });
}

export function hasLanguageOption(cmd: LanguageCommand, ...names: string[]): boolean {
  return cmd.options.some((o) => names.includes(o.name));
}

/** npm's install aliases (and its own misspellings). */
export const NPM_INSTALL = new Set(['install', 'i', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal', 'isntall', 'add']);

/**
 * The values a package word stands for when the command runs: variables substituted from ENV and
 * ENV (a list variable gives several words). A build argument (`args`: an ARG anywhere in the file)
 * is unknown: the build sets it, whatever its default. A variable nothing declares is empty, as the
 * builder makes it, unless the RUN itself may set it (`V=…`, `for V`, `read V`). Undefined when unknown.
 */
export function wordValues(run: RunInfo, word: Word, runText: string, args: ReadonlySet<string>): string[] | undefined {
  if (!word.dynamic) return [word.value];
  if (/\$\(|`/.test(word.value)) return undefined;
  let unknown = false;
  const value = word.value.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_, braced, modifier, bare) => {
    const name = (braced ?? bare) as string;
    if (modifier) unknown = true;
    // A build argument is the builder's to set, whatever its default.
    if (args.has(name)) unknown = true;
    if (run.scope.has(name)) {
      const v = run.scope.get(name);
      if (v === undefined) unknown = true;
      return v ?? '';
    }
    if (new RegExp(`\\b${name}=|\\b(for|read)\\s+([-\\w]+\\s+)*${name}\\b`).test(runText)) unknown = true;
    return '';
  });
  if (unknown || value.includes('$')) return undefined;
  return value.split(/\s+/).filter(Boolean);
}
