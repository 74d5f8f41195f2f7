/**
 * One measurement in a fresh Node process, so that no subject warms the JIT or the heap for another.
 * The orchestrator (run.ts) bundles it as `out/bench/child.js` beside `engine.js`, the engine of the
 * checkout measured (our sources bundled and minified as `npm run build` does; every npm package is
 * left to node_modules, so the peers run exactly as published). It prints one JSON line.
 *
 *   node out/bench/child.js corpus SUBJECT DIR PASSES   lint every file of DIR (read first) PASSES times
 *   node out/bench/child.js file SUBJECT FILE WARMUP ITERATIONS
 *
 * SUBJECT: hardener (our lint, as our CLI and server run it), hardener-default (the same with Node's
 * default V8 settings), parse (dockerfile-ast's bare parse), utils (dockerfile-utils
 * validate), dockerfilelint (dockerfilelint's run). Module loading and file reading are not timed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The engine of the checkout measured, bundled beside this file by run.ts. */
const engine = require(path.join(__dirname, 'engine.js')) as typeof import('./engine');
const { lint } = engine;

type Subject = (text: string) => number;
/** Files a subject threw on (in the last pass). */
let crashes = 0;

function subject(name: string, dir: string): Subject {
  switch (name) {
    case 'hardener':
      // As dist/cli.js and dist/server.js run it: with their V8 settings (engine/v8Tuning.ts;
      // a checkout from before them has none).
      engine.tuneV8?.();
      return (text) => lint(text).findings.length;
    case 'hardener-default':
      // The same engine with Node's default V8 settings, to show what the settings give.
      return (text) => lint(text).findings.length;
    case 'parse': {
      const { DockerfileParser } = require('dockerfile-ast') as typeof import('dockerfile-ast');
      return (text) => DockerfileParser.parse(text).getInstructions().length;
    }
    case 'utils': {
      const utils = require('dockerfile-utils') as { validate(text: string): unknown[] };
      return (text) => utils.validate(text).length;
    }
    case 'dockerfilelint': {
      // dockerfilelint looks for a .dockerfilelintrc in the directory it is given, as its CLI does.
      // It throws on a few files (a HEALTHCHECK it cannot read): those count as crashes, not findings.
      const dfl = require('dockerfilelint') as { run(configDir: string, text: string): unknown[] };
      return (text) => {
        try {
          return dfl.run(dir, text).length;
        } catch {
          crashes++;
          return 0;
        }
      };
    }
  }
  throw new Error(`unknown subject ${name}`);
}

function memory(): { rssMB: number; maxRssMB: number; heapUsedMB: number } {
  const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
  return {
    rssMB: mb(process.memoryUsage().rss),
    maxRssMB: mb(process.resourceUsage().maxRSS * 1024),
    heapUsedMB: mb(process.memoryUsage().heapUsed),
  };
}

function main(): void {
  const [mode, name, target, a, b] = process.argv.slice(2);
  const t0 = performance.now();
  if (mode === 'corpus') {
    const files = readdirSync(target)
      .filter((f) => f !== 'MANIFEST.tsv')
      .sort()
      .map((f) => readFileSync(path.join(target, f), 'utf8'));
    const run = subject(name, target);
    const loadMs = performance.now() - t0;
    const passes: number[] = [];
    let findings = 0;
    for (let p = 0; p < Number(a); p++) {
      findings = 0;
      crashes = 0;
      const start = performance.now();
      for (const text of files) findings += run(text);
      passes.push(performance.now() - start);
    }
    process.stdout.write(JSON.stringify({ files: files.length, findings, crashes, loadMs, passes, ...memory() }) + '\n');
    return;
  }
  if (mode === 'file') {
    const text = readFileSync(target, 'utf8');
    const run = subject(name, path.dirname(target));
    const loadMs = performance.now() - t0;
    let findings = 0;
    crashes = 0;
    const warm: number[] = [];
    for (let i = 0; i < Number(a); i++) {
      const start = performance.now();
      findings = run(text);
      warm.push(performance.now() - start);
    }
    const times: number[] = [];
    for (let i = 0; i < Number(b); i++) {
      const start = performance.now();
      findings = run(text);
      times.push(performance.now() - start);
    }
    process.stdout.write(JSON.stringify({ findings, crashes, loadMs, warm, times, ...memory() }) + '\n');
    return;
  }
  throw new Error(`usage: child.js corpus|file SUBJECT TARGET ...`);
}

main();
