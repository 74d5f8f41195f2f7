/**
 * docker-bake.hcl, parsed by tree-sitter's HCL grammar (hclParser.ts) and evaluated here as far as a
 * linter can know the values without running Bake:
 *   - literals, strings with `${…}` interpolation, lists and maps;
 *   - `variable "NAME" { default = … }` blocks, a variable set in the environment winning over its
 *     default and one with no default empty, as in Bake; top-level attributes, which Bake also takes
 *     as values (the environment does not override those);
 *   - `target "name" { … }` blocks, several blocks of one name merged, `inherits` followed (bake.ts).
 * What Bake computes and this does not (function calls, conditionals, operations, `for`, references to
 * other targets' attributes, template directives, heredocs, matrix targets) is never guessed, and each
 * is named once in the file's problems: a build argument given such a value is passed on as unknown;
 * a target whose context, dockerfile, target or whole args is such a value is not used at all (which
 * Dockerfile it builds, or how, is not known); platforms, inherits or a named context given one are
 * left out.
 */
import * as path from 'node:path';
import type { BuildFileRead } from './buildEntry';
import { bakeEntries, type BakeRead, type BakeTarget } from './bake';
import type { HclParser, SyntaxNode } from './hclParser';

/** A value the linter cannot work out, and why. */
class Unknown {
  constructor(readonly why: string) {}
}
type Value = string | number | boolean | null | Value[] | { [key: string]: Value } | Unknown;

const BUILT_IN = new Set(['BAKE_CMD_CONTEXT', 'BAKE_LOCAL_PLATFORM']);

const named = (n: SyntaxNode): SyntaxNode[] => n.namedChildren.filter((c): c is SyntaxNode => !!c);

/** A string literal's text with HCL's escapes decoded. */
function unescape(raw: string): string {
  return raw.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{/g, (all, esc: string | undefined) => {
    if (esc === undefined) return all.slice(1);
    if (esc[0] === 'u' || esc[0] === 'U') return String.fromCodePoint(parseInt(esc.slice(1), 16));
    return ({ n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' } as Record<string, string>)[esc] ?? all;
  });
}

class Evaluator {
  private readonly variables = new Map<string, SyntaxNode | undefined>();
  private readonly values = new Map<string, Value>();
  private readonly evaluating = new Set<string>();
  /** Names declared by `variable` blocks: the environment overrides only these. */
  private readonly fromEnv = new Set<string>();
  private depth = 0;

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /** A `variable` block (`isVariable`) or a top-level attribute. */
  declare(name: string, defaultExpr: SyntaxNode | undefined, isVariable: boolean): void {
    this.variables.set(name, defaultExpr);
    if (isVariable) this.fromEnv.add(name);
    else this.fromEnv.delete(name);
  }

  variable(name: string): Value {
    const known = this.values.get(name);
    if (known !== undefined) return known;
    let value: Value;
    if (!this.variables.has(name)) value = new Unknown(BUILT_IN.has(name) ? `the built-in ${name}` : `the undeclared variable ${name}`);
    else if (this.fromEnv.has(name) && this.env[name] !== undefined) value = this.env[name]!;
    else if (this.evaluating.has(name)) value = new Unknown(`the variable ${name}, which refers to itself`);
    else {
      const expr = this.variables.get(name);
      this.evaluating.add(name);
      value = expr ? this.expression(expr) : '';
      this.evaluating.delete(name);
    }
    this.values.set(name, value);
    return value;
  }

  expression(node: SyntaxNode): Value {
    // Deep nesting is not evaluated (the recursion would otherwise run out of stack on a crafted file).
    if (this.depth > 64) return new Unknown('a value nested too deeply');
    this.depth++;
    try {
      return this.value(node);
    } finally {
      this.depth--;
    }
  }

  private value(node: SyntaxNode): Value {
    const kids = named(node);
    switch (node.type) {
      case 'expression':
        if (kids.length !== 1) return new Unknown('a reference to another value');
        return this.expression(kids[0]);
      case 'literal_value':
        return this.expression(kids[0]);
      case 'numeric_lit': {
        // An integer beyond what a double holds exactly keeps its digits.
        const n = Number(node.text);
        return /^\d+$/.test(node.text) && !Number.isSafeInteger(n) ? node.text : n;
      }
      case 'bool_lit':
        return node.text === 'true';
      case 'null_lit':
        return null;
      case 'string_lit':
      case 'template_expr':
      case 'quoted_template':
        return this.template(node);
      case 'variable_expr':
        return this.variable(node.text);
      case 'collection_value':
        return this.expression(kids[0]);
      case 'tuple':
        return kids.filter((k) => k.type === 'expression').map((k) => this.expression(k));
      case 'object': {
        const out: Record<string, Value> = {};
        for (const elem of kids.filter((k) => k.type === 'object_elem')) {
          const key = elem.childForFieldName('key');
          const val = elem.childForFieldName('val');
          if (!key || !val) continue;
          // A bare name is the key itself, as in HCL; any other key expression is evaluated.
          const bare = named(key).length === 1 && named(key)[0].type === 'variable_expr';
          const k = bare ? key.text : this.expression(key);
          if (typeof k === 'string' || typeof k === 'number') out[String(k)] = this.expression(val);
        }
        return out;
      }
      case 'function_call':
        return new Unknown(`a call of ${named(node)[0]?.text ?? 'a function'}()`);
      case 'conditional':
        return new Unknown('a conditional');
      case 'operation':
        return new Unknown('an operation');
      case 'for_expr':
        return new Unknown('a for expression');
      case 'heredoc_template':
        return new Unknown('a heredoc');
      default:
        return new Unknown(`an expression (${node.type})`);
    }
  }

  /** A quoted string: its pieces joined, interpolations evaluated; a directive makes it unknown. */
  private template(node: SyntaxNode): Value {
    const quoted = node.type === 'template_expr' ? named(node)[0] : node;
    if (!quoted || quoted.type === 'heredoc_template') return new Unknown('a heredoc');
    let out = '';
    for (const part of named(quoted)) {
      if (part.type === 'quoted_template_start' || part.type === 'quoted_template_end') continue;
      if (part.type === 'template_literal') out += unescape(part.text);
      else if (part.type === 'template_interpolation') {
        const expr = named(part).find((k) => k.type === 'expression');
        const v = expr ? this.expression(expr) : new Unknown('an empty interpolation');
        if (v instanceof Unknown) return v;
        if (v === null || typeof v === 'object') return new Unknown('a list or map in a string');
        out += String(v);
      } else if (part.type === 'template_directive') return new Unknown('a template directive');
    }
    return out;
  }
}

const attributes = (body: SyntaxNode | undefined): SyntaxNode[] => (body ? named(body).filter((k) => k.type === 'attribute') : []);
const blocks = (body: SyntaxNode | undefined): SyntaxNode[] => (body ? named(body).filter((k) => k.type === 'block') : []);
const nameOf = (n: SyntaxNode): string => named(n)[0]?.text ?? '';
const exprOf = (attr: SyntaxNode): SyntaxNode | undefined => named(attr).find((k) => k.type === 'expression');
/** A block's type and its labels' values (`target "app"` → ['target', 'app']). */
function header(block: SyntaxNode): string[] {
  const kids = named(block);
  const out = [kids[0]?.text ?? ''];
  for (const k of kids.slice(1)) {
    if (k.type === 'block_start') break;
    if (k.type === 'string_lit') out.push(unescape(named(k).find((p) => p.type === 'template_literal')?.text ?? ''));
    else if (k.type === 'identifier') out.push(k.text);
  }
  return out;
}

/** The build entries of a docker-bake.hcl file, with what could not be worked out named in its problems. */
export function readBakeHcl(file: string, text: string, parser: HclParser, env: NodeJS.ProcessEnv = process.env): BuildFileRead {
  const { targets, problems } = readBakeHclTargets(file, text, parser, env);
  return { entries: bakeEntries(file, targets), problems };
}

/** The targets a docker-bake.hcl file states (before `inherits`), and what could not be worked out. */
export function readBakeHclTargets(file: string, text: string, parser: HclParser, env: NodeJS.ProcessEnv = process.env): BakeRead {
  const name = path.basename(file);
  return parser.parse(text, (root) => {
    if (root.hasError) {
      const bad = findError(root);
      const where = bad ? ` at line ${bad.startPosition.row + 1}` : '';
      return { targets: new Map(), problems: [`${name}: not read: the HCL parser finds a syntax error${where}`] };
    }
    const body = named(root).find((k) => k.type === 'body');
    const ev = new Evaluator(env);
    for (const attr of attributes(body)) ev.declare(nameOf(attr), exprOf(attr), false);
    for (const b of blocks(body)) {
      const [kind, label] = header(b);
      if (kind !== 'variable' || !label) continue;
      const def = attributes(named(b).find((k) => k.type === 'body')).find((a) => nameOf(a) === 'default');
      ev.declare(label, def && exprOf(def), true);
    }
    const problems = new Set<string>();
    const targets = new Map<string, BakeTarget>();
    const matrix = new Set<string>();
    for (const b of blocks(body)) {
      const [kind, label] = header(b);
      if (kind !== 'target' || !label || matrix.has(label)) continue;
      const t = targets.get(label) ?? { args: {}, contexts: {}, inherits: [] };
      targets.set(label, t);
      const say = (problem: string) => problems.add(`${name}: target ${label}: ${problem}`);
      for (const attr of attributes(named(b).find((k) => k.type === 'body'))) {
        const expr = exprOf(attr);
        if (!expr) continue;
        if (nameOf(attr) === 'matrix') {
          say('a matrix target is not read (its generated targets are not linted with their values)');
          targets.delete(label);
          matrix.add(label);
          break;
        }
        readAttribute(t, nameOf(attr), ev.expression(expr), say);
      }
    }
    return { targets, problems: [...problems] };
  });
}

/** One attribute of a target block, its value worked out, into the target; what is not known is said. */
function readAttribute(t: BakeTarget, key: string, v: Value, say: (problem: string) => void): void {
  const unknown = (what: string, x: Unknown, consequence: string) =>
    say(`${what} is ${x.why}, which the linter does not evaluate: ${consequence}`);
  const str = (what: string, x: Value): string | undefined => {
    if (x instanceof Unknown) unknown(what, x, 'it is left out');
    return typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean' ? String(x) : undefined;
  };
  switch (key) {
    case 'context':
    case 'dockerfile':
    case 'target':
      if (v instanceof Unknown) {
        t.unknown = true;
        return unknown(key, v, 'the target is not used (which Dockerfile it builds, or how, is not known)');
      }
      t[key] = str(key, v);
      return;
    case 'dockerfile-inline':
      t.inline = true;
      return;
    case 'platforms':
    case 'inherits': {
      if (v instanceof Unknown) return unknown(key, v, 'it is left out');
      if (!Array.isArray(v)) return;
      const list = v.map((x, i) => str(`${key}[${i}]`, x)).filter((x): x is string => !!x);
      if (key === 'platforms') t.platforms = list;
      // A second block of the same target adds its parents to the first's, as Bake merges them.
      else t.inherits = [...t.inherits, ...list];
      return;
    }
    case 'args':
    case 'contexts': {
      if (v instanceof Unknown) {
        if (key === 'contexts') return unknown(key, v, 'it is left out');
        t.unknown = true;
        return unknown(key, v, 'the target is not used (which build arguments it gives is not known)');
      }
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return;
      for (const [k, x] of Object.entries(v)) {
        if (x === null) continue; // a null build argument is not passed
        if (key === 'contexts') {
          const s = str(`contexts.${k}`, x);
          if (s !== undefined) t.contexts[k] = s;
        } else if (x instanceof Unknown || typeof x === 'object') {
          unknown(`args.${k}`, x instanceof Unknown ? x : new Unknown('a list or map'), 'the ARG is taken as unknown');
          t.args[k] = undefined;
        } else t.args[k] = str(`args.${k}`, x);
      }
      return;
    }
  }
}

function findError(node: SyntaxNode): SyntaxNode | undefined {
  if (node.type === 'ERROR' || node.isMissing) return node;
  for (const k of node.children) {
    if (k && k.hasError) return findError(k) ?? k;
  }
  return undefined;
}
