/**
 * Extension activation time, in a real VS Code extension host: the VS Code that test/vscode uses
 * (VSCODE_EXECUTABLE, or the VS Code server host that `npm run setup:vscode-host` installs, shown in
 * headless Chromium by test/vscode/host/code.ts). One fresh VS Code per run; bench/vscode/activation.ts
 * measures inside it. When no host is installed this says so and measures nothing (it never
 * installs one: that takes minutes and is the VS Code suite's business).
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';

interface Stat {
  median: number;
  min: number;
  max: number;
  n: number;
}
export type Activation = { activate: Stat; floor: Stat; firstDiagnostics: Stat; host: string } | { skipped: string };

function stat(xs: number[]): Stat {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, min: s[0], max: s[s.length - 1], n: s.length };
}

export async function activationTimes(root: string, runs: number): Promise<Activation> {
  const here = path.resolve(__dirname, '..');
  if (!existsSync(path.join(root, 'dist', 'client.js'))) return { skipped: 'dist/client.js is not built' };
  let executable = process.env.VSCODE_EXECUTABLE;
  let env: Record<string, string> = {};
  let hostName = executable ?? '';
  const out = path.join(here, 'out', 'bench', 'vscode');
  const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'warning' } as const;
  if (!executable) {
    const setup = path.join(here, 'test', 'vscode', 'host', 'setup.ts');
    const standIn = path.join(here, 'test', 'vscode', 'host', 'code.ts');
    if (!existsSync(setup) || !existsSync(standIn)) return { skipped: 'no VS Code host in this checkout' };
    const { installedHost } = (await import(setup)) as typeof import('../test/vscode/host/setup');
    const host = installedHost();
    if (!host) return { skipped: 'no VS Code installed for tests: set VSCODE_EXECUTABLE, or run npm run setup:vscode-host' };
    const browser = process.env.HARDENER_VSCODE_BROWSER ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
    if (!browser) return { skipped: 'no Chromium for the VS Code server host' };
    executable = path.join(out, 'code');
    await build({ ...common, entryPoints: [standIn], outfile: executable, packages: 'external', banner: { js: '#!/usr/bin/env node' } });
    chmodSync(executable, 0o755);
    env = { HARDENER_VSCODE_NODE: host.node, HARDENER_VSCODE_SERVER: host.serverMain, HARDENER_VSCODE_BROWSER: browser };
    hostName = `VS Code server ${host.vscodeVersion} in headless Chromium`;
  }
  await build({
    ...common,
    entryPoints: { index: path.join(here, 'bench', 'vscode', 'activation.ts') },
    outdir: path.join(out, 'suite'),
    external: ['vscode'],
  });
  const { runTests } = await import('@vscode/test-electron');
  const activate: number[] = [];
  const floor: number[] = [];
  const first: number[] = [];
  // Ours and the floor alternate, each in a fresh VS Code, so that both see the same noise.
  for (let r = 0; r < 2 * runs; r++) {
    const target = r % 2 ? 'floor' : 'ours';
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'dfh-bench-vscode-'));
    try {
      const workspace = path.join(tmp, 'workspace');
      const result = path.join(tmp, 'result.json');
      const fixture = path.join(here, 'test', 'vscode', 'fixtures', 'workspace', 'Dockerfile');
      mkdirSync(workspace);
      writeFileSync(path.join(workspace, 'Dockerfile'), existsSync(fixture) ? readFileSync(fixture) : 'FROM alpine\nUSER root\n');
      await runTests({
        vscodeExecutablePath: executable,
        extensionDevelopmentPath: target === 'floor' ? path.join(here, 'bench', 'vscode', 'empty') : root,
        extensionTestsPath: path.join(out, 'suite', 'index.js'),
        launchArgs: [
          workspace,
          '--disable-extensions',
          `--user-data-dir=${path.join(tmp, 'user-data')}`,
          `--extensions-dir=${path.join(tmp, 'extensions')}`,
        ],
        extensionTestsEnv: {
          ...env,
          HARDENER_BENCH_OUT: result,
          HARDENER_TEST_ARTIFACTS: path.join(tmp, 'artifacts'),
          HARDENER_BENCH_TARGET: target,
        },
      });
      const m = JSON.parse(readFileSync(result, 'utf8')) as { wasActive: boolean; activate: number; firstDiagnostics: number };
      if (m.wasActive) return { skipped: 'the extension was already active when the measure started' };
      if (target === 'floor') floor.push(m.activate);
      else {
        activate.push(m.activate);
        first.push(m.firstDiagnostics);
      }
    } catch (e) {
      return { skipped: `the VS Code host failed: ${e instanceof Error ? e.message : String(e)}` };
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  return { activate: stat(activate), floor: stat(floor), firstDiagnostics: stat(first), host: hostName };
}
