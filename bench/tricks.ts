/**
 * What each piece of cleverness bought for a benchmark still earns today, measured with it and
 * without it in the same run (issue 23: keep each only where the figure says so):
 *
 *   outline       the model built from an outline of dockerfile-ast's parse (the default) vs the
 *                 plain full parse (test/support/referenceModel.ts): a lint of the 952 corpus files,
 *                 first pass in a fresh process (what the CLI does) and third pass (warm)
 *   incremental   re-linting while typing: the incremental linter vs a whole lint, per edit, on the
 *                 stress files and on the largest real-world file (seeded single-character edits)
 *   v8            the CLI's V8 setting (engine/v8Tuning.ts) vs Node's defaults: corpus first pass
 *
 * Idle collection (lsp/idleCollect.ts) is measured by `npm run bench` (settled RSS of the server with
 * the corpus open). Each subject runs in its own fresh process, subjects interleaved.
 *
 *   npx tsx bench/tricks.ts [--runs N]
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const CORPUS = process.env.DOCKERFILE_HARDENER_CORPUS ?? path.resolve(__dirname, '../../shared/corpus');
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1] || 5);

type Result = Record<string, number>;

async function child(subject: string): Promise<Result> {
  const { lint, lintModel } = await import('../server/src/linter/lint');
  const { DockerfileModel } = await import('../server/src/model/model');
  const { ReferenceModel } = await import('../test/support/referenceModel');
  const { IncrementalLinter } = await import('../server/src/linter/incremental');
  const { tuneV8 } = await import('../server/src/engine/v8Tuning');
  const dir = path.join(CORPUS, 'realworld');
  const texts = readdirSync(dir)
    .filter((f) => f !== 'MANIFEST.tsv')
    .map((f) => readFileSync(path.join(dir, f), 'utf8'));
  const time = (f: () => void) => {
    const t = process.hrtime.bigint();
    f();
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const corpusPass = (make: (t: string) => InstanceType<typeof DockerfileModel>) => () => {
    for (const t of texts) lintModel(make(t));
  };
  switch (subject) {
    case 'outline':
    case 'reference':
    case 'v8': {
      if (subject !== 'reference') tuneV8();
      const pass = corpusPass(subject === 'reference' ? (t) => new ReferenceModel(t) : (t) => new DockerfileModel(t));
      const first = time(pass);
      time(pass);
      return { first, warm: time(pass) };
    }
    case 'v8-default': {
      const pass = corpusPass((t) => new DockerfileModel(t));
      const first = time(pass);
      time(pass);
      return { first, warm: time(pass) };
    }
    case 'incremental':
    case 'whole': {
      tuneV8();
      const out: Result = {};
      const files = {
        'stress-10k': readFileSync(path.join(CORPUS, 'stress', 'stress-10k.Dockerfile'), 'utf8'),
        'stress-50k': readFileSync(path.join(CORPUS, 'stress', 'stress-50k.Dockerfile'), 'utf8'),
        'largest real': texts.reduce((a, b) => (b.length > a.length ? b : a)),
      };
      for (const [name, text] of Object.entries(files)) {
        const linter = new IncrementalLinter();
        const relint = subject === 'incremental' ? (t: string) => linter.lint(t) : (t: string) => lint(t);
        relint(text);
        let seed = 20261207;
        const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
        const times: number[] = [];
        let current = text;
        for (let k = 0; k < 40; k++) {
          // Type a character at a random place of a random line, as someone editing would.
          const at = Math.floor(rand() * current.length);
          const lineEnd = current.indexOf('\n', at);
          const i = lineEnd < 0 ? current.length : lineEnd;
          current = current.slice(0, i) + 'x' + current.slice(i);
          const t = time(() => relint(current));
          if (k >= 10) times.push(t);
        }
        times.sort((a, b) => a - b);
        out[name] = times[times.length >> 1];
      }
      return out;
    }
  }
  throw new Error(`unknown subject ${subject}`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function main(): Promise<void> {
  if (args[0] === '--child') {
    process.stdout.write(JSON.stringify(await child(args[1])) + '\n');
    return;
  }
  const pairs: [string, string, string][] = [
    ['outline', 'reference', 'model from the outline vs the full parse (corpus lint, ms)'],
    ['v8', 'v8-default', 'CLI V8 setting vs Node defaults (corpus lint, ms)'],
    ['incremental', 'whole', 'incremental vs whole re-lint per edit (median ms)'],
  ];
  for (const [a, b, what] of pairs) {
    const results: Record<string, Result[]> = { [a]: [], [b]: [] };
    for (let r = 0; r < RUNS; r++) {
      for (const s of r % 2 ? [b, a] : [a, b]) {
        const p = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--child', s], {
          encoding: 'utf8',
          cwd: path.resolve(__dirname, '..'),
        });
        if (p.status !== 0) throw new Error(`${s}: ${p.stderr}`);
        results[s].push(JSON.parse(p.stdout.trim().split('\n').pop()!) as Result);
      }
    }
    console.log(`\n${what}, ${RUNS} fresh processes each`);
    for (const key of Object.keys(results[a][0])) {
      const x = median(results[a].map((r) => r[key]));
      const y = median(results[b].map((r) => r[key]));
      console.log(`  ${key.padEnd(14)} ${a} ${x.toFixed(1).padStart(8)}   ${b} ${y.toFixed(1).padStart(8)}   ratio ${(x / y).toFixed(2)}`);
    }
  }
}

void main();
