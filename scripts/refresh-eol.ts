/**
 * Refreshes the release table of server/src/model/eolData.ts (eol-base-image) from the
 * endoflife.date project, and sets EOL_COMPILED to the date of that data: today for the API, the
 * clone's last commit for --repo.
 *
 *   npx tsx scripts/refresh-eol.ts                 # asks https://endoflife.date/api/<product>.json
 *   npx tsx scripts/refresh-eol.ts --repo <path>   # reads products/<product>.md of a clone of
 *                                                  # github.com/endoflife-date/endoflife.date
 *                                                  # (a work tree, or a bare git directory: HEAD)
 *
 * Only the lines between the BEGIN/END markers and the EOL_COMPILED line are rewritten; the image
 * mapping around them is kept. Review the diff before committing: a release line upstream renamed
 * or dropped changes what the rule reports.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { compareVersions, EOL_PRODUCTS, type EolProduct } from '../server/src/model/eolData';

const TARGET = join(__dirname, '..', 'server', 'src', 'model', 'eolData.ts');
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Release lines whose support ended before Docker's first release: no image carries them. */
const BEFORE_DOCKER = '2013-03-20';

/** One release line as the API (or a product page's front matter, renamed) gives it. */
interface UpstreamCycle {
  cycle: string;
  eol: string | boolean;
  extendedSupport?: string | boolean;
  codename?: string;
}

export type Row = [product: EolProduct, cycle: string, eol: string, codename?: string];

/** The date support ends for one release line ('' when none is known yet), or undefined to leave it out. */
function endOf(product: EolProduct, c: UpstreamCycle): string | undefined {
  // Debian LTS is free and published in the same archives the images use: its end is the end.
  const date = EOL_PRODUCTS[product].until === 'lts' && typeof c.extendedSupport === 'string' ? c.extendedSupport : c.eol;
  if (date === false) return '';
  if (typeof date !== 'string' || !DATE.test(date) || Number.isNaN(Date.parse(date))) return undefined; // eol: true, no date
  return date;
}

/** The rows of one product, newest release first. */
export function rowsOf(product: EolProduct, cycles: UpstreamCycle[]): Row[] {
  const out: Row[] = [];
  for (const c of cycles) {
    const cycle = String(c.cycle);
    if (!/^\d+(?:\.\d+)*$/.test(cycle)) continue;
    const eol = endOf(product, c);
    if (eol === undefined || (eol !== '' && eol < BEFORE_DOCKER)) continue;
    const codename = EOL_PRODUCTS[product].codenames && c.codename ? c.codename.split(/\s+/)[0].toLowerCase() : undefined;
    out.push(codename ? [product, cycle, eol, codename] : [product, cycle, eol]);
  }
  return out.sort((a, b) => compareVersions(b[1], a[1]));
}

/** The release table as the module writes it: one line a release. */
export function formatRows(rows: Row[]): string {
  return rows.map((r) => `  [${r.map((v) => `'${v as string}'`).join(', ')}],`).join('\n');
}

/** `source` with the table and the compiled date replaced. */
export function replaceTable(source: string, rows: Row[], compiled: string): string {
  const begin = source.indexOf('// BEGIN RELEASES');
  const end = source.indexOf('  // END RELEASES');
  if (begin < 0 || end < begin) throw new Error('eolData.ts: the BEGIN/END RELEASES markers are missing');
  const head = source.slice(0, source.indexOf('\n', begin) + 1);
  return (head + formatRows(rows) + '\n' + source.slice(end)).replace(
    /export const EOL_COMPILED = '[^']*';/,
    `export const EOL_COMPILED = '${compiled}';`,
  );
}

async function fromApi(product: EolProduct): Promise<UpstreamCycle[]> {
  const url = `https://endoflife.date/api/${product}.json`;
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(20_000) });
  } catch (e) {
    throw new Error(`cannot reach ${url} (${(e as Error).message}); this script needs a network, or --repo <clone>`);
  }
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as UpstreamCycle[];
}

function fromRepo(repo: string, product: EolProduct): UpstreamCycle[] {
  const file = join(repo, 'products', `${product}.md`);
  const text = existsSync(file)
    ? readFileSync(file, 'utf8')
    : execFileSync('git', [`--git-dir=${repo}`, 'show', `HEAD:products/${product}.md`], { encoding: 'utf8' });
  const front = text.split(/^---\s*$/m)[1] ?? '';
  const data = parseYaml(front) as { releases?: Record<string, unknown>[] };
  return (data.releases ?? []).map((r) => ({
    cycle: String(r.releaseCycle),
    eol: r.eol as string | boolean,
    extendedSupport: r.eoes as string | boolean | undefined,
    codename: r.codename as string | undefined,
  }));
}

/** The date of a clone's last commit (a work tree or a bare git directory). */
function repoDate(repo: string): string {
  const gitDir = existsSync(join(repo, '.git')) ? join(repo, '.git') : repo;
  return execFileSync('git', [`--git-dir=${gitDir}`, 'log', '-1', '--format=%cs'], { encoding: 'utf8' }).trim();
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--repo');
  const repo = at >= 0 ? process.argv[at + 1] : undefined;
  const rows: Row[] = [];
  for (const product of Object.keys(EOL_PRODUCTS) as EolProduct[]) {
    const cycles = repo ? fromRepo(repo, product) : await fromApi(product);
    const mine = rowsOf(product, cycles);
    if (!mine.length) throw new Error(`${product}: no release lines with dates; check the upstream data`);
    rows.push(...mine);
  }
  const compiled = repo ? repoDate(repo) : new Date().toISOString().slice(0, 10);
  writeFileSync(TARGET, replaceTable(readFileSync(TARGET, 'utf8'), rows, compiled));
  console.log(`eolData.ts: ${rows.length} release lines of ${Object.keys(EOL_PRODUCTS).length} products, compiled ${compiled}`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(`refresh-eol: ${(e as Error).message}`);
    process.exit(1);
  });
}
