/**
 * Command-line arguments, read the same way by every command: `--name value` or `--name=value` for
 * options that take a value, bare `--name` for flags, `--` ends the options (what follows is a path
 * even if it starts with `-`), and `-` alone is a path (standard input, where a command reads it).
 * Each command then checks the values it got; anything wrong is a UsageError (exit status 2).
 */

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
  positional: string[];
}

export function parseArgs(argv: readonly string[], spec: ArgSpec): ParsedArgs {
  const out: ParsedArgs = { flags: new Set(), values: new Map(), positional: [] };
  let options = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!options || a === '-' || !a.startsWith('-')) {
      out.positional.push(a);
      continue;
    }
    if (a === '--') {
      options = false;
      continue;
    }
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (spec.flags?.includes(name)) {
      if (eq > 0) throw new UsageError(`${name} takes no value`);
      out.flags.add(name);
    } else if (spec.values?.includes(name)) {
      if (eq > 0) out.values.set(name, a.slice(eq + 1));
      else if (i + 1 < argv.length) out.values.set(name, argv[++i]);
      else throw new UsageError(`${name} needs a value`);
    } else {
      throw new UsageError(`unknown option ${name}`);
    }
  }
  return out;
}
