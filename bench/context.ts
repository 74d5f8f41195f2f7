/**
 * The build-context figure of context-secret-copied: one Dockerfile (`COPY . .`) linted with a
 * context of 100,000 files (1,000 directories, a `.dockerignore` with `**` and `!` patterns, a few
 * credentials and JSON files among them), the way the server lints it (lintOptions: a fresh
 * BuildContext per lint, the walk kept between lints). Cold: the first lint after the walks were
 * forgotten (the file system's own cache is warm, as in an editor). Cached: an edit re-linted once
 * the walk is kept (five edits a run). Baseline: the same lint without a build context. In-process, of this checkout.
 *
 *   npx tsx bench/context.ts [--runs N] [--files N]
 * (bench/run.ts runs it as its `context` section.)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lint } from '../server/src/linter/lint';
import { lintOptions } from '../server/src/config/options';
import { invalidateContextWalks, setContextWatched } from '../server/src/engine/contextFiles';

export interface ContextTimes {
  files: number;
  findings: number;
  /** Milliseconds per lint. */
  cold: number[];
  cached: number[];
  baseline: number[];
}

const DOCKERFILE = `FROM node:22-alpine AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:22-alpine
WORKDIR /app
COPY --from=build /src/dist ./dist
COPY . .
USER node
CMD ["node", "dist/index.js"]
`;

/** A tree of `files` files in directories of 100, a few of them credentials. */
function makeTree(root: string, files: number): void {
  const perDir = 100;
  for (let d = 0; d * perDir < files; d++) {
    const dir = path.join(root, `pkg${d % 10}`, `mod${d}`);
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < perDir && d * perDir + i < files; i++) {
      const name = i === 0 && d % 10 === 0 ? 'data.json' : i === 1 ? 'README.md' : `file${i}.${i % 3 ? 'ts' : 'js'}`;
      writeFileSync(path.join(dir, name), name.endsWith('.json') ? '{ "name": "x" }\n' : 'export {};\n');
    }
  }
  writeFileSync(path.join(root, '.env'), 'DB_PASSWORD=x\n');
  writeFileSync(path.join(root, 'pkg3', 'mod3', 'server.key'), '-----BEGIN PRIVATE KEY-----\n');
  writeFileSync(path.join(root, '.dockerignore'), '**/*.md\n!pkg1/**/README.md\npkg9/mod99\n*.log\n');
  writeFileSync(path.join(root, 'Dockerfile'), DOCKERFILE);
}

export function contextTimes(runs: number, files = 100_000): ContextTimes {
  const root = mkdtempSync(path.join(os.tmpdir(), 'dh-bench-context-'));
  try {
    makeTree(root, files);
    const file = path.join(root, 'Dockerfile');
    setContextWatched(true); // as in the server: walks kept a minute, or until a watched change touches them
    const once = (text: string, withContext = true) => {
      const t0 = performance.now();
      const r = lint(text, withContext ? lintOptions(undefined, {}, file) : {});
      return { ms: performance.now() - t0, findings: r.findings.filter((f) => f.rule === 'context-secret-copied').length };
    };
    // Warm the engine (module loading, JIT) on the Dockerfile alone.
    for (let i = 0; i < 3; i++) once(DOCKERFILE, false);
    const out: ContextTimes = { files, findings: 0, cold: [], cached: [], baseline: [] };
    for (let r = 0; r < runs; r++) {
      invalidateContextWalks();
      const cold = once(DOCKERFILE);
      out.cold.push(cold.ms);
      out.findings = cold.findings;
      // Edits: the text changes, the context does not.
      for (let e = 0; e < 5; e++) {
        const edited = DOCKERFILE.replace('USER node', `USER node\nENV EDIT=${r}.${e}`);
        out.cached.push(once(edited).ms);
        out.baseline.push(once(edited, false).ms);
      }
    }
    return out;
  } finally {
    setContextWatched(false);
    invalidateContextWalks();
    rmSync(root, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? Number(process.argv[i + 1]) : undefined;
  };
  const t = contextTimes(arg('runs') ?? 7, arg('files') ?? 100_000);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const show = (xs: number[]) => `${median(xs).toFixed(2)} ms (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;
  console.log(
    `context of ${t.files} files, ${t.findings} finding(s) of context-secret-copied; median (min–max) of ${t.cold.length} cold lints, ${t.cached.length} edits`,
  );
  console.log(`  cold lint (walk):        ${show(t.cold)}   target < 200 ms`);
  console.log(`  edit, walk cached:       ${show(t.cached)}   target < 5 ms`);
  console.log(`  same edit, no context:   ${show(t.baseline)}`);
}
