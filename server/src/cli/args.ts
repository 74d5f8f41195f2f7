/**
 * Command-line arguments, read the same way by every command with Node's `util.parseArgs`:
 * `--name value` or `--name=value` for options that take a value, bare `--name` for flags, `--` ends
 * the options (what follows is a path even if it starts with `-`), and `-` alone is a path (standard
 * input, where a command reads it). Each command then checks the values it got; anything wrong is a
 * UsageError (exit status 2).
 */
import { parseArgs as nodeParseArgs } from 'node:util';
import { statSync } from 'node:fs';
import * as path from 'node:path';

export class UsageError extends Error {}

export interface ArgSpec {
  /** Options without a value, e.g. `--write`. */
  flags?: readonly string[];
  /** Options with a value, e.g. `--config`. */
  values?: readonly string[];
}

export interface ParsedArgs {
  flags: Set<string>;
  /** The last value given for each option. */
  values: Map<string, string>;
  /** Every value option as given, in order (repeatable options: `--build-arg A=1 --build-arg B=2`). */
  sequence: { name: string; value: string }[];
  positional: string[];
}

/** Every value given for a repeatable option, in order. */
export function allValues(args: ParsedArgs, name: string): string[] {
  return args.sequence.filter((o) => o.name === name).map((o) => o.value);
}

export function parseArgs(argv: readonly string[], spec: ArgSpec): ParsedArgs {
  const options: Record<string, { type: 'boolean' | 'string' }> = {};
  for (const f of spec.flags ?? []) options[f.replace(/^--/, '')] = { type: 'boolean' };
  for (const v of spec.values ?? []) options[v.replace(/^--/, '')] = { type: 'string' };
  // Not strict: the tokens are checked here, so that every command words its errors the same way.
  const { tokens } = nodeParseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const out: ParsedArgs = { flags: new Set(), values: new Map(), sequence: [], positional: [] };
  for (const t of tokens) {
    if (t.kind === 'positional') out.positional.push(t.value);
    if (t.kind !== 'option') continue;
    const name = t.rawName;
    if (!name.startsWith('--') || !(t.name in options)) throw new UsageError(`unknown option ${name}`);
    if (options[t.name].type === 'boolean') {
      if (t.inlineValue) throw new UsageError(`${name} takes no value`);
      out.flags.add(name);
    } else {
      if (t.value === undefined) throw new UsageError(`${name} needs a value`);
      out.values.set(name, t.value);
      out.sequence.push({ name, value: t.value });
    }
  }
  return out;
}

/** A `--context DIR` value: an existing directory, absolute. */
export function contextArg(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const dir = path.resolve(value);
  let ok = false;
  try {
    ok = statSync(dir).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok) throw new UsageError(`--context must be a directory: "${value}" is not one`);
  return dir;
}

/** The options that give the build's own inputs, as `docker build` spells them. */
export const BUILD_INPUT_OPTIONS = ['--target', '--target-stage', '--build-arg', '--build-context', '--platform'] as const;

/**
 * `--target NAME` (docker build's spelling; `--target-stage` is the same), `--build-arg K=V`
 * (repeatable; `--build-arg K` alone takes K from the environment, as docker build does, and is
 * left out when the environment has no K), `--build-context NAME=VALUE` (repeatable: a named context,
 * which a FROM or --from of that name takes instead of an image or stage) and `--platform os/arch[,…]`
 * (the build's platforms).
 */
export function buildInputs(
  args: ParsedArgs,
  env: NodeJS.ProcessEnv = process.env,
): { targetStage?: string; buildArgs?: Record<string, string>; namedContexts?: Record<string, string>; targetPlatforms?: string[] } {
  const target = args.values.get('--target');
  const stage = args.values.get('--target-stage');
  if (target !== undefined && stage !== undefined && target !== stage)
    throw new UsageError(`--target ${target} and --target-stage ${stage} name different stages; give one`);
  const buildArgs: Record<string, string> = {};
  for (const given of allValues(args, '--build-arg')) {
    const eq = given.indexOf('=');
    const name = eq < 0 ? given : given.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError(`--build-arg needs NAME=VALUE (or NAME), not "${given}"`);
    if (eq >= 0) buildArgs[name] = given.slice(eq + 1);
    else if (env[name] !== undefined) buildArgs[name] = env[name]!;
  }
  const namedContexts: Record<string, string> = {};
  for (const given of allValues(args, '--build-context')) {
    const eq = given.indexOf('=');
    if (eq <= 0 || eq === given.length - 1) throw new UsageError(`--build-context needs NAME=VALUE, not "${given}"`);
    namedContexts[given.slice(0, eq)] = given.slice(eq + 1);
  }
  const platforms = allValues(args, '--platform')
    .flatMap((p) => p.split(','))
    .map((p) => p.trim())
    .filter(Boolean);
  for (const p of platforms)
    if (!/^[a-z0-9_]+\/[a-z0-9_]+(\/[a-z0-9_.]+)?$/i.test(p)) throw new UsageError(`--platform needs os/arch[/variant], not "${p}"`);
  return {
    targetStage: target ?? stage,
    ...(Object.keys(buildArgs).length ? { buildArgs } : {}),
    ...(Object.keys(namedContexts).length ? { namedContexts } : {}),
    ...(platforms.length ? { targetPlatforms: platforms } : {}),
  };
}
