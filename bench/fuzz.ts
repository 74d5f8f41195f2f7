/**
 * The large fuzz budget of issue 9: 100,000 inputs (by default) through the properties of
 * test/fuzz/properties.ts `check` (no rule throws, no input takes more than 1 s, every range inside
 * the document, fix-all re-lints cleanly and is stable, the conversion refuses or keeps every
 * instruction), in equal parts from the three generators the fuzz tests use: mutated real-world
 * Dockerfiles (../shared/corpus/realworld), Dockerfile-like piece soup, arbitrary UTF-16 text.
 *
 *   npm run bench:fuzz                      # 100,000 inputs, seed 9
 *   npx tsx bench/fuzz.ts --runs 5000 --seed 42
 *
 * Reports inputs tried, crashes, hangs and violations, and writes them as JSON (default
 * out/bench/fuzz.json) with every failing input, for replay. The inputs run in a worker thread
 * watched from here: an input that never returns (a real hang, which `check` cannot time itself) is
 * counted after 10 s, the worker replaced, and the run goes on with the next input. Exit status 1
 * when anything failed.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { anyText, check, mutated, pieceText, TIME_LIMIT_MS } from '../test/fuzz/properties';
import { CORPUS } from '../test/support/corpus';

const KINDS = ['mutated real-world files', 'piece soup', 'arbitrary UTF-16'] as const;
type Kind = (typeof KINDS)[number];
const BATCH = 500;
const STUCK_MS = 10_000;

interface Job {
  seed: number;
  /** Inputs to run, the kinds taking turns. */
  total: number;
  /** Global index to start at (inputs before it were done by a previous worker). */
  from: number;
}

type Report =
  | { i: number; kind: Kind; ms: number; verdict: 'ok' | 'crash' | 'hang' | 'violation'; detail?: string; input?: string }
  | { i: number; starting: true }
  | { done: true };

function seeds(): string[] {
  const dir = path.join(CORPUS, 'realworld');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f !== 'MANIFEST.tsv')
    .map((f) => readFileSync(path.join(dir, f), 'utf8'))
    .filter((t) => t.length < 20_000);
}

/** Input `i` of the run: kinds interleaved, each drawn in batches from its own seeded stream. */
function inputs(job: Job, corpus: string[]): Generator<{ i: number; kind: Kind; text: string }> {
  const arbitraries: Record<Kind, fc.Arbitrary<string> | undefined> = {
    'mutated real-world files': corpus.length ? mutated(corpus) : undefined,
    'piece soup': pieceText,
    'arbitrary UTF-16': anyText,
  };
  const kinds = KINDS.filter((k) => arbitraries[k]);
  const total = job.total;
  return (function* () {
    const cache = new Map<string, string[]>();
    for (let i = job.from; i < total; i++) {
      const kind = kinds[i % kinds.length];
      const n = Math.floor(i / kinds.length);
      const batch = Math.floor(n / BATCH);
      const key = `${kind}/${batch}`;
      let texts = cache.get(key);
      if (!texts) {
        cache.clear();
        texts = fc.sample(arbitraries[kind]!, { seed: job.seed * 1_000_003 + KINDS.indexOf(kind) * 10_007 + batch, numRuns: BATCH });
        cache.set(key, texts);
      }
      yield { i, kind, text: texts[n % BATCH] };
    }
  })();
}

async function work(job: Job): Promise<void> {
  const corpus = seeds();
  for (const { i, kind, text } of inputs(job, corpus)) {
    parentPort!.postMessage({ i, starting: true } satisfies Report);
    const started = performance.now();
    const v = await check(text);
    const ms = performance.now() - started;
    parentPort!.postMessage(
      (v.ok
        ? { i, kind, ms, verdict: 'ok' }
        : { i, kind, ms, verdict: v.kind, detail: v.detail.slice(0, 2000), input: text }) satisfies Report,
    );
  }
  parentPort!.postMessage({ done: true } satisfies Report);
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const runs = Number(arg('runs') ?? 100_000);
  const seed = Number(arg('seed') ?? 9);
  const out = path.resolve(arg('json') ?? path.join(__dirname, '..', 'out', 'bench', 'fuzz.json'));
  const corpusSize = seeds().length;
  const kinds = KINDS.filter((k) => k !== 'mutated real-world files' || corpusSize > 0);
  if (kinds.length < KINDS.length) console.log(`fuzz: ${path.join(CORPUS, 'realworld')} is missing: no mutated real-world files`);
  const total = runs;
  const counts = { tried: 0, ok: 0, crash: 0, hang: 0, violation: 0 };
  const byKind = Object.fromEntries(kinds.map((k) => [k, 0])) as Record<Kind, number>;
  const failures: Extract<Report, { verdict: string }>[] = [];
  let slowest = { ms: 0, kind: '' as string, i: -1 };
  const started = Date.now();
  let from = 0;
  console.log(
    `fuzz: ${total.toLocaleString('en-US')} inputs (${kinds.join(', ')}; ${corpusSize} corpus files to mutate), seed ${seed}, ${TIME_LIMIT_MS} ms per input at most`,
  );

  while (from < total) {
    // The worker runs this file again, through tsx's require hook (as mocha does).
    const worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(__filename)});`, {
      eval: true,
      workerData: { seed, total, from } satisfies Job,
    });
    from = await new Promise<number>((resolve, reject) => {
      let current = from;
      let last = Date.now();
      const watchdog = setInterval(() => {
        if (Date.now() - last < STUCK_MS) return;
        // The input never returned: a hang `check` could not time. Count it, go on after it.
        clearInterval(watchdog);
        counts.tried++;
        counts.hang++;
        byKind[kinds[current % kinds.length]]++;
        failures.push({
          i: current,
          kind: kinds[current % kinds.length],
          ms: Date.now() - last,
          verdict: 'hang',
          detail: `no answer after ${STUCK_MS} ms; the worker was stopped`,
        });
        void worker.terminate().then(() => resolve(current + 1));
      }, 500);
      worker.on('message', (m: Report) => {
        last = Date.now();
        if ('done' in m) {
          clearInterval(watchdog);
          void worker.terminate().then(() => resolve(total));
          return;
        }
        if ('starting' in m) {
          current = m.i;
          return;
        }
        counts.tried++;
        counts[m.verdict]++;
        byKind[m.kind]++;
        if (m.ms > slowest.ms) slowest = { ms: m.ms, kind: m.kind, i: m.i };
        if (m.verdict !== 'ok') {
          failures.push(m);
          console.log(`fuzz: ${m.verdict} on input ${m.i} (${m.kind}): ${m.detail?.split('\n')[0]}`);
        }
        if (counts.tried % 10_000 === 0)
          console.log(`fuzz: ${counts.tried.toLocaleString('en-US')} inputs, ${((Date.now() - started) / 1000).toFixed(0)} s`);
      });
      worker.on('error', (e) => {
        clearInterval(watchdog);
        reject(e);
      });
    });
  }

  const seconds = (Date.now() - started) / 1000;
  const summary = {
    seed,
    inputsTried: counts.tried,
    byKind,
    crashes: counts.crash,
    hangs: counts.hang,
    violations: counts.violation,
    seconds: Math.round(seconds),
    slowestMs: Math.round(slowest.ms),
    slowestInput: `${slowest.kind} #${slowest.i}`,
    failures,
  };
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(summary, null, 2)}\n`);
  console.log('');
  console.log(
    `fuzz: ${counts.tried.toLocaleString('en-US')} inputs tried in ${seconds.toFixed(0)} s (${kinds.map((k) => `${byKind[k].toLocaleString('en-US')} ${k}`).join(', ')})`,
  );
  console.log(
    `fuzz: crashes ${counts.crash}, hangs ${counts.hang}, violations ${counts.violation}; slowest input ${slowest.ms.toFixed(0)} ms (${slowest.kind} #${slowest.i})`,
  );
  console.log(`fuzz: written to ${path.relative(process.cwd(), out)}`);
  return counts.crash + counts.hang + counts.violation > 0 ? 1 : 0;
}

if (isMainThread) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e);
      process.exit(2);
    },
  );
} else {
  void work(workerData as Job);
}
