/**
 * Section (9) of the bench: what a user waits for in CI (issue 29). Whole processes, interleaved, on
 * the corpus's files named on the command line with --format json:
 *   - ours (threads as it picks them, and --jobs 1), beside a node process that loads
 *     dockerfile-utils and runs validate() over the same files, tally (the Go linter, npm
 *     @wharflab/tally-linux-x64) with its ShellCheck off and on, and dockerfilelint's CLI;
 *   - ours with ShellCheck on, beside tally with its own;
 *   - --format sarif and text beside json;
 *   - where our time goes (DOCKERFILE_HARDENER_TIMINGS: start-up, discovery, reading, lint, output);
 *   - `lint DIR` of a generated tree of ~50k files (node_modules, .git, ignored build output, nested
 *     projects) holding the corpus's files at their real paths (MANIFEST.tsv), beside naming them.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Stat {
  median: number;
  min: number;
  max: number;
  n: number;
}

export interface CliBenchDeps {
  here: string;
  cli: string;
  files: string[];
  manifest: string;
  runs: number;
  wall(cmd: string, argv: string[], ours?: boolean, env?: NodeJS.ProcessEnv): number;
  stat(xs: number[]): Stat;
  row(...cells: string[]): void;
  log(s: string): void;
}

const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const show = (s: Stat) => `${ms(s.median)} ms (${ms(s.min)}–${ms(s.max)})`;
const r2 = (x: number) => Math.round(x * 100) / 100;

/** A node script that reads each file named and runs dockerfile-utils' validate() on it, printing JSON. */
function utilsScript(here: string): string {
  const file = path.join(here, 'out', 'bench', 'utils-process.js');
  mkdirSync(path.dirname(file), { recursive: true });
  const utils = JSON.stringify(path.join(here, 'node_modules', 'dockerfile-utils'));
  writeFileSync(
    file,
    [
      `const { readFileSync } = require('node:fs');`,
      `const { validate } = require(${utils});`,
      `const out = [];`,
      `for (const f of process.argv.slice(2)) out.push({ file: f, diagnostics: validate(readFileSync(f, 'utf8')) });`,
      `process.stdout.write(JSON.stringify(out));`,
    ].join('\n'),
  );
  return file;
}

/** The timings line of a run with DOCKERFILE_HARDENER_TIMINGS=1. */
/**
 * Runs `run` with an environment whose cache directory is new and empty: the CLI as a fresh CI machine
 * runs it, with no code cache of its bundle yet (server/src/cli/codeCache.ts; it writes one).
 */
function firstRun<T>(run: (env: NodeJS.ProcessEnv) => T): T {
  const empty = mkdtempSync(path.join(os.tmpdir(), 'bench-code-cache-'));
  try {
    return run({ ...process.env, DOCKERFILE_HARDENER_CACHE_DIR: empty });
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
}

function phases(cli: string, argv: string[]): Record<string, number> {
  const r = firstRun((env) =>
    spawnSync(process.execPath, [cli, ...argv], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      env: { ...env, DOCKERFILE_HARDENER_TIMINGS: '1' },
    }),
  );
  const line = r.stderr.split('\n').find((l) => l.startsWith('{"timings"'));
  return line ? (JSON.parse(line) as { timings: Record<string, number> }).timings : {};
}

/** A repository-like tree of about `total` files holding each corpus file at its real path. */
function generateTree(root: string, manifest: string, corpus: string, total: number): { named: string[]; count: number } {
  const rows = readFileSync(manifest, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'));
  let count = 0;
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    count++;
  };
  mkdirSync(path.join(root, '.git', 'objects'), { recursive: true });
  write(path.join(root, '.gitignore'), 'generated-out/\n*.log\n');
  const named: string[] = [];
  for (const [file, repo, rel] of rows) {
    const target = path.join(root, repo, rel);
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(path.join(corpus, file), target);
    named.push(target);
    count++;
  }
  const repos = [...new Set(rows.map((r) => r[1]))];
  // Noise, spread over the projects until the total: source files, dependencies with Dockerfiles of
  // their own (node_modules), ignored build output with Dockerfiles, Git objects.
  for (let i = 0; count < total; i++) {
    const repo = path.join(root, repos[i % repos.length]);
    const k = Math.floor(i / repos.length);
    for (let j = 0; j < 10; j++) write(path.join(repo, 'src', `m${k}`, `f${j}.ts`), `export const x${j} = ${j};\n`);
    for (let j = 0; j < 10; j++) write(path.join(repo, 'node_modules', `pkg${k}`, j ? `f${j}.js` : 'Dockerfile'), 'FROM scratch\n');
    write(path.join(repo, 'generated-out', `out${k}`, 'Dockerfile'), 'FROM scratch\n');
    write(path.join(repo, `run${k}.log`), 'log\n');
    for (let j = 0; j < 8; j++) write(path.join(root, '.git', 'objects', `${i % 256}`.padStart(2, '0'), `o${k}-${j}`), 'x');
  }
  return { named, count };
}

export function cliSection(d: CliBenchDeps, results: Record<string, unknown>): void {
  const { cli, files } = d;
  if (!existsSync(cli)) return d.log(`cli: skipped, ${cli} is not built`);
  if (!files.length) return d.log('cli: skipped, no corpus');
  const runs = Math.max(3, Math.min(d.runs, 5));
  d.log(`(9) the CLI in CI: ${runs} runs each, interleaved`);
  const utils = utilsScript(d.here);
  const tallyBin = path.join(d.here, 'node_modules', '@wharflab', 'tally-linux-x64', 'bin', 'tally');
  const dfl = path.join(d.here, 'node_modules', 'dockerfilelint', 'bin', 'dockerfilelint');
  const shellcheck = spawnSync('shellcheck', ['--version']).status === 0;
  // tally lints only files named like Dockerfiles: each file gets a folder (and it must find them all).
  // It stops, writing nothing, at a file with no FROM: those are left out, on both sides.
  const tallyFiles = files.filter((f) => /^\s*FROM\s/im.test(readFileSync(f, 'utf8')));
  const tallyTree = existsSync(tallyBin) ? mkdtempSync(path.join(os.tmpdir(), 'bench-tally-')) : undefined;
  if (tallyTree)
    tallyFiles.forEach((f, i) => {
      mkdirSync(path.join(tallyTree, String(i)));
      copyFileSync(f, path.join(tallyTree, String(i), 'Dockerfile'));
    });
  const tallyOut = path.join(os.tmpdir(), `bench-tally-${process.pid}.json`);
  // Its slow checks ask registries: off, as this machine reaches none (and ours asks none either).
  const tally = (extra: string[]) =>
    d.wall(
      tallyBin,
      [
        'lint',
        '--no-config',
        '--slow-checks',
        'off',
        '--format',
        'json',
        '--fail-level',
        'none',
        '--output',
        tallyOut,
        ...extra,
        tallyTree!,
      ],
      false,
    );
  const ours = (extra: string[], on = files) =>
    firstRun((env) => d.wall(process.execPath, [cli, 'lint', '--fail-level', 'none', ...extra, ...on], true, env));
  const t: Record<string, number[]> = {};
  const add = (k: string, v: number) => (t[k] ??= []).push(v);
  for (let r = 0; r < runs; r++) {
    add('json', ours(['--format', 'json', '--shellcheck', 'off']));
    add('json1', ours(['--format', 'json', '--shellcheck', 'off', '--jobs', '1']));
    add('utils', d.wall(process.execPath, [utils, ...files], false));
    add('sarif', ours(['--format', 'sarif', '--shellcheck', 'off']));
    add('text', ours(['--format', 'text', '--shellcheck', 'off']));
    if (tallyTree) {
      add('tallyOff', tally(['--ignore', 'shellcheck/*']));
      add('jsonTallyFiles', ours(['--format', 'json', '--shellcheck', 'off'], tallyFiles));
    }
    if (existsSync(dfl)) add('dockerfilelint', d.wall(process.execPath, [dfl, '-o', 'json', ...files], false));
  }
  // With ShellCheck on both sides: tally then takes ~100 s here, so one run each.
  for (let r = 0; r < 1; r++) {
    if (shellcheck) add('jsonShellCheck', ours(['--format', 'json'], tallyFiles));
    if (tallyTree) add('tallyOn', tally([]));
  }
  let tallyFound: number | undefined;
  if (tallyTree) {
    // The last run's output says how many files it scanned.
    tallyFound = (JSON.parse(readFileSync(tallyOut, 'utf8')) as { files?: unknown[]; files_scanned?: number }).files_scanned;
    rmSync(tallyTree, { recursive: true, force: true });
    rmSync(tallyOut, { force: true });
  }
  const s = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, d.stat(v)]));
  const split = [0, 1, 2].map(() => phases(cli, ['lint', '--format', 'json', '--shellcheck', 'off', '--fail-level', 'none', ...files]));
  const phase = Object.fromEntries(Object.keys(split[0]).map((k) => [k, d.stat(split.map((p) => p[k] ?? 0)).median]));
  d.row(`(9) the CLI in CI: ${files.length} corpus files named, whole processes, each a machine's first run (no code cache)`, '', '');
  d.row('  dockerfile-hardener lint --format json', show(s.json), `threads as it picks them`);
  d.row('    the same, --jobs 1', show(s.json1), `${r2(s.json1.median / s.json.median)}× with threads`);
  d.row(
    '    where the time goes (one thread: this one)',
    Object.entries(phase)
      .map(([k, v]) => `${k} ${ms(v)}`)
      .join(', '),
    '',
  );
  d.row('  node + dockerfile-utils validate()', show(s.utils), `ours: ${r2(s.json.median / s.utils.median)}×`);
  if (s.dockerfilelint)
    d.row('  dockerfilelint CLI', show(s.dockerfilelint), `ours: ${r2(s.json.median / s.dockerfilelint.median)}× (not a target)`);
  if (s.tallyOff)
    d.row(
      `  tally, its ShellCheck off (the ${tallyFiles.length} files with a FROM)`,
      show(s.tallyOff),
      `ours on them (ShellCheck off): ${show(s.jsonTallyFiles)}, ${r2(s.jsonTallyFiles.median / s.tallyOff.median)}×`,
    );
  if (s.tallyOn)
    d.row(
      `  tally, its ShellCheck on (it scanned ${tallyFound ?? '?'} of ${tallyFiles.length})`,
      show(s.tallyOn),
      s.jsonShellCheck ? `ours with ShellCheck: ${show(s.jsonShellCheck)}, ${r2(s.jsonShellCheck.median / s.tallyOn.median)}×` : '',
    );
  d.row('  --format sarif', show(s.sarif), `${r2(s.sarif.median / s.json.median)}× json`);
  d.row('  --format text', show(s.text), `${r2(s.text.median / s.json.median)}× json`);
  // The directory walk.
  let walk: Record<string, unknown> | undefined;
  if (existsSync(d.manifest)) {
    const root = mkdtempSync(path.join(os.tmpdir(), 'bench-walk-'));
    try {
      const tree = generateTree(root, d.manifest, path.dirname(d.manifest), 50_000);
      const found = spawnSync(process.execPath, [cli, 'lint', '--format', 'json', '--shellcheck', 'off', '--fail-level', 'none', root], {
        encoding: 'utf8',
        maxBuffer: 1 << 28,
      });
      const linted = (JSON.parse(found.stdout) as { file: string }[]).map((f) => f.file);
      const distinct = new Set(linted).size;
      const w: Record<string, number[]> = { dir: [], named: [] };
      for (let r = 0; r < runs; r++) {
        w.dir.push(
          firstRun((env) =>
            d.wall(process.execPath, [cli, 'lint', '--format', 'json', '--shellcheck', 'off', '--fail-level', 'none', root], true, env),
          ),
        );
        w.named.push(
          firstRun((env) =>
            d.wall(
              process.execPath,
              [cli, 'lint', '--format', 'json', '--shellcheck', 'off', '--fail-level', 'none', ...tree.named],
              true,
              env,
            ),
          ),
        );
      }
      const dir = d.stat(w.dir);
      const named = d.stat(w.named);
      d.row(
        `  lint DIR: ${tree.count} files, ${tree.named.length} Dockerfiles at their real paths`,
        show(dir),
        `files with findings: ${distinct}`,
      );
      d.row('    the same Dockerfiles named', show(named), `DIR: ${r2(dir.median / named.median)}×`);
      walk = {
        files: tree.count,
        dockerfiles: tree.named.length,
        filesWithFindings: distinct,
        dir,
        named,
        ratio: r2(dir.median / named.median),
      };
      // Discovery found exactly the corpus's files (none of the noise's Dockerfiles): checked with a run
      // that prints every file it linted.
      const listed = spawnSync(process.execPath, [cli, 'lint', '--format', 'text', '--shellcheck', 'off', '--fail-level', 'none', root], {
        encoding: 'utf8',
        maxBuffer: 1 << 28,
      });
      const summary = /(\d+) findings? in (\d+) files?/.exec(listed.stderr);
      walk.discovered = summary ? Number(summary[2]) : undefined;
      d.row('    Dockerfiles discovery found', String(walk.discovered), `of ${tree.named.length}`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  results.cli = {
    files: files.length,
    ...s,
    phases: phase,
    tallyFiles: tallyFiles.length,
    tallyFilesScanned: tallyFound,
    ratios: {
      utils: r2(s.json.median / s.utils.median),
      tallyOff: s.tallyOff ? r2(s.jsonTallyFiles.median / s.tallyOff.median) : undefined,
      tallyOn: s.tallyOn && s.jsonShellCheck ? r2(s.jsonShellCheck.median / s.tallyOn.median) : undefined,
      dockerfilelint: s.dockerfilelint ? r2(s.json.median / s.dockerfilelint.median) : undefined,
      sarif: r2(s.sarif.median / s.json.median),
      text: r2(s.text.median / s.json.median),
      jobs1: r2(s.json1.median / s.json.median),
    },
    walk,
  };
}
