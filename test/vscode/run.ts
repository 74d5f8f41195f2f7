/**
 * Runs the VS Code suite (test/vscode/suite/*.test.ts) inside a real VS Code extension host through
 * @vscode/test-electron's runTests, on the fixture workspace (a fresh copy of test/vscode/fixtures/
 * workspace each run). `npm run test:vscode` builds the extension first.
 *
 * Which VS Code:
 *   - VSCODE_EXECUTABLE=/path/to/code: that VS Code (desktop, or any build that takes its arguments).
 *   - Otherwise, with a display (or not on Linux), test-electron's own download of desktop VS Code
 *     (cached in .vscode-test/); if that fails, the VS Code server below.
 *   - Otherwise (a headless Linux machine, CI), the VS Code server inside npm code-server, installed
 *     by test/vscode/host/setup.ts into .cache/vscode-host/ and driven in headless Chromium by the
 *     stand-in executable test/vscode/host/code.ts. It takes screenshots into test-artifacts/vscode/.
 *   HARDENER_VSCODE_HOST=desktop|server forces one; HARDENER_VSCODE_BROWSER names the Chromium.
 *
 * Then the untrusted-workspace suite (untrusted/*.test.ts): the same extension in a fresh copy of the
 * workspace with workspace trust on, so that VS Code opens it untrusted (restricted mode), with a
 * Docker config and credential helper that record any use (test/support/trustProbe.ts). Only the
 * VS Code server host can run it: test-electron's runTests always passes --disable-workspace-trust,
 * which the stand-in drops on request; desktop VS Code says SKIPPED for this suite.
 *
 * Then the packaged extension: the .vsix that `npm run package` builds (scripts/package.ts) is
 * installed with `code --install-extension` into a fresh extensions folder, and packaged/*.test.ts
 * run in that VS Code beside an empty development extension (packaged/probe): the installed copy must
 * activate on a Dockerfile and report.
 *
 * When what a host needs is missing (no Chromium, the install fails, no download), it says so and
 * exits 0, except under CI (env CI set), where that is a failure like a failing test.
 */
import { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests } from '@vscode/test-electron';
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setUpHost } from './host/setup';
import { packageVsix } from '../../scripts/package';
import { trustProbe } from '../support/trustProbe';
import '../support/clock';

const ROOT = path.resolve(__dirname, '../..');
const OUT = path.join(ROOT, 'out', 'vscode-test');
const SUITE = path.join(__dirname, 'suite');
const STAND_IN = path.join(OUT, 'code');
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'vscode');
const FIXTURES = path.join(__dirname, 'fixtures', 'workspace');
const PACKAGED = path.join(__dirname, 'packaged');
const UNTRUSTED = path.join(__dirname, 'untrusted');

class MissingPrerequisite extends Error {}

interface Host {
  name: string;
  executable: string;
  env: Record<string, string>;
  /** The stand-in takes `--install-extension` itself; desktop VS Code has a separate CLI. */
  standIn: boolean;
}

async function bundle(): Promise<void> {
  rmSync(OUT, { recursive: true, force: true });
  const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'warning' } as const;
  await Promise.all([
    build({
      ...common,
      entryPoints: readdirSync(SUITE)
        .filter((f) => f === 'index.ts' || f.endsWith('.test.ts'))
        .map((f) => path.join(SUITE, f)),
      outdir: path.join(OUT, 'suite'),
      external: ['vscode', 'mocha'],
      sourcemap: 'inline',
    }),
    // The packaged and untrusted suites run with the same mocha entry (suite/index.ts) over their own tests.
    ...[PACKAGED, UNTRUSTED].map((dir) =>
      build({
        ...common,
        entryPoints: {
          index: path.join(SUITE, 'index.ts'),
          ...Object.fromEntries(
            readdirSync(dir)
              .filter((f) => f.endsWith('.test.ts'))
              .map((f) => [f.replace(/\.ts$/, ''), path.join(dir, f)]),
          ),
        },
        outdir: path.join(OUT, path.basename(dir)),
        external: ['vscode', 'mocha'],
        sourcemap: 'inline',
      }),
    ),
    build({
      ...common,
      entryPoints: [path.join(__dirname, 'host', 'code.ts')],
      outfile: STAND_IN,
      packages: 'external',
      banner: { js: '#!/usr/bin/env node' },
    }),
  ]);
  chmodSync(STAND_IN, 0o755);
}

function findBrowser(): string {
  const given = process.env.HARDENER_VSCODE_BROWSER;
  if (given) {
    if (!existsSync(given)) throw new MissingPrerequisite(`HARDENER_VSCODE_BROWSER=${given} does not exist`);
    return given;
  }
  const found = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
  if (!found)
    throw new MissingPrerequisite("no Chromium for the VS Code server host: install Debian's chromium, or set HARDENER_VSCODE_BROWSER");
  return found;
}

function serverHost(): Host {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new MissingPrerequisite(
      `the VS Code server host is set up for Linux x64, not ${process.platform} ${process.arch}: set VSCODE_EXECUTABLE or let test-electron download VS Code`,
    );
  }
  const browser = findBrowser();
  let host;
  try {
    host = setUpHost();
  } catch (e) {
    throw new MissingPrerequisite(
      `the VS Code server could not be installed (${e instanceof Error ? e.message : String(e)}); it needs the npm registry, g++, make, python3, pkg-config and libkrb5-dev`,
    );
  }
  return {
    name: `VS Code server ${host.vscodeVersion} in ${path.basename(browser)}`,
    executable: STAND_IN,
    env: { HARDENER_VSCODE_NODE: host.node, HARDENER_VSCODE_SERVER: host.serverMain, HARDENER_VSCODE_BROWSER: browser },
    standIn: true,
  };
}

async function chooseHost(): Promise<Host> {
  const given = process.env.VSCODE_EXECUTABLE;
  if (given) {
    if (!existsSync(given)) throw new MissingPrerequisite(`VSCODE_EXECUTABLE=${given} does not exist`);
    return { name: given, executable: given, env: {}, standIn: false };
  }
  const headlessLinux = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
  const mode = process.env.HARDENER_VSCODE_HOST ?? (headlessLinux ? 'server' : 'auto');
  if (!['auto', 'desktop', 'server'].includes(mode)) throw new Error(`HARDENER_VSCODE_HOST=${mode}: use desktop or server`);
  if (mode !== 'server') {
    try {
      const executable = await downloadAndUnzipVSCode({ cachePath: path.join(ROOT, '.vscode-test') });
      return { name: `desktop VS Code (${executable})`, executable, env: {}, standIn: false };
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      if (mode === 'desktop') throw new MissingPrerequisite(`desktop VS Code could not be downloaded: ${why}`);
      console.log(`test:vscode: desktop VS Code could not be downloaded (${why}); using the VS Code server`);
    }
  }
  return serverHost();
}

/** `code --install-extension VSIX --extensions-dir=DIR`, through the host's command line. */
function installExtension(host: Host, vsix: string, extensionsDir: string, userDataDir: string): void {
  const [command, ...args] = host.standIn
    ? [host.executable]
    : resolveCliArgsFromVSCodeExecutablePath(host.executable, { reuseMachineInstall: true });
  const r = spawnSync(
    command!,
    [...args, '--install-extension', vsix, `--extensions-dir=${extensionsDir}`, `--user-data-dir=${userDataDir}`],
    {
      env: { ...process.env, ...host.env },
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  if (r.error || r.status !== 0)
    throw new Error(
      `code --install-extension ${path.basename(vsix)} failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`}): ${output}`,
    );
}

/** Runs untrusted/*.test.ts with workspace trust on: the fresh workspace opens untrusted. */
async function runUntrusted(host: Host, tmp: string): Promise<void> {
  if (!host.standIn) {
    console.log(
      'test:vscode: SKIPPED the untrusted-workspace suite: desktop VS Code runs with --disable-workspace-trust under test-electron (the VS Code server host runs it)',
    );
    return;
  }
  const workspace = path.join(tmp, 'untrusted-workspace');
  cpSync(FIXTURES, workspace, { recursive: true });
  const probe = trustProbe(path.join(tmp, 'untrusted-probe'));
  console.log('test:vscode: running the untrusted-workspace suite');
  await runTests({
    vscodeExecutablePath: host.executable,
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: path.join(OUT, 'untrusted', 'index.js'),
    launchArgs: [
      workspace,
      '--disable-extensions',
      `--user-data-dir=${path.join(tmp, 'untrusted-user-data')}`,
      `--extensions-dir=${path.join(tmp, 'untrusted-extensions')}`,
    ],
    extensionTestsEnv: {
      ...host.env,
      ...probe.env,
      HARDENER_VSCODE_WORKSPACE_TRUST: 'on',
      HARDENER_TRUST_PROBE: probe.dir,
      HARDENER_TEST_ARTIFACTS: path.join(ARTIFACTS, 'untrusted'),
      DOCKERFILE_HARDENER_CACHE_DIR: path.join(tmp, 'facts-cache-untrusted'),
    },
  });
}

/** Packages the .vsix, installs it into a fresh extensions folder and runs packaged/*.test.ts there. */
async function runPackaged(host: Host, tmp: string): Promise<void> {
  const started = Date.now();
  const vsix = packageVsix(path.join(OUT, 'dockerfile-hardener.vsix'));
  const extensions = path.join(tmp, 'packaged-extensions');
  const userData = path.join(tmp, 'packaged-user-data');
  installExtension(host, vsix.file, extensions, userData);
  console.log(
    `test:vscode: packaged the .vsix (${(vsix.bytes / 1024).toFixed(1)} KB) and installed it in ${((Date.now() - started) / 1000).toFixed(1)} s; running the packaged suite`,
  );
  const workspace = path.join(tmp, 'packaged-workspace');
  cpSync(path.join(PACKAGED, 'workspace'), workspace, { recursive: true });
  await runTests({
    vscodeExecutablePath: host.executable,
    extensionDevelopmentPath: path.join(PACKAGED, 'probe'),
    extensionTestsPath: path.join(OUT, 'packaged', 'index.js'),
    launchArgs: [workspace, `--user-data-dir=${userData}`, `--extensions-dir=${extensions}`],
    extensionTestsEnv: {
      ...host.env,
      HARDENER_TEST_ARTIFACTS: path.join(ARTIFACTS, 'packaged'),
      HARDENER_PACKAGED_EXTENSIONS: extensions,
      DOCKERFILE_HARDENER_CACHE_DIR: path.join(tmp, 'facts-cache-packaged'),
    },
  });
}

/** Each suite's user data folder (in the run's temporary folder) and its artifacts folder. */
const SUITE_DATA: [string, string][] = [
  ['user-data', ARTIFACTS],
  ['untrusted-user-data', path.join(ARTIFACTS, 'untrusted')],
  ['packaged-user-data', path.join(ARTIFACTS, 'packaged')],
];

/** Keeps the extension hosts' logs with the artifacts; returns the copies of our output channel's log. */
function keepLogs(tmp: string): string[] {
  const channels: string[] = [];
  for (const [data, artifacts] of SUITE_DATA) {
    const logs = path.join(tmp, data, 'logs');
    if (!existsSync(logs)) continue;
    const kept = path.join(artifacts, 'extension-host-logs');
    cpSync(logs, kept, { recursive: true });
    for (const f of readdirSync(kept, { recursive: true, encoding: 'utf8' }))
      if (path.basename(f) === 'Dockerfile Hardener.log') channels.push(path.join(kept, f));
  }
  return channels;
}

function tail(file: string, lines: number): string {
  const text = readFileSync(file, 'utf8').trimEnd();
  return text ? text.split('\n').slice(-lines).join('\n') : '(empty: nothing was logged)';
}

async function main(): Promise<number> {
  const started = Date.now();
  await bundle();
  const host = await chooseHost();
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'dfh-vscode-'));
  let failed = false;
  try {
    const workspace = path.join(tmp, 'workspace');
    cpSync(FIXTURES, workspace, { recursive: true });
    console.log(`test:vscode: running the suite in ${host.name}`);
    await runTests({
      vscodeExecutablePath: host.executable,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: path.join(OUT, 'suite', 'index.js'),
      launchArgs: [
        workspace,
        '--disable-extensions',
        `--user-data-dir=${path.join(tmp, 'user-data')}`,
        `--extensions-dir=${path.join(tmp, 'extensions')}`,
      ],
      // The image-facts cache the server reads (suite/imageFacts.test.ts fills it): never the user's own.
      extensionTestsEnv: { ...host.env, HARDENER_TEST_ARTIFACTS: ARTIFACTS, DOCKERFILE_HARDENER_CACHE_DIR: path.join(tmp, 'facts-cache') },
    });
    await runUntrusted(host, tmp);
    await runPackaged(host, tmp);
    console.log(
      `test:vscode: passed in ${((Date.now() - started) / 1000).toFixed(1)} s; artifacts in ${path.relative(process.cwd(), ARTIFACTS)}`,
    );
    return 0;
  } catch (e) {
    failed = true;
    console.error(
      `test:vscode: FAILED after ${((Date.now() - started) / 1000).toFixed(1)} s: ${e instanceof Error ? e.message : String(e)}`,
    );
    console.error(`test:vscode: the server's and the workbench's logs are in ${path.relative(process.cwd(), ARTIFACTS)}`);
    return 1;
  } finally {
    const channels = keepLogs(tmp);
    // CI keeps only what is printed: on failure, the end of our output channel's log (what the
    // language client logged: failed requests, the server's errors and warnings).
    if (failed) for (const f of channels) console.error(`test:vscode: the end of ${path.relative(process.cwd(), f)}:\n${tail(f, 80)}`);
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof MissingPrerequisite) {
      if (process.env.CI) {
        console.error(`test:vscode: FAILED: ${e.message} (CI must run the VS Code tests)`);
        process.exit(1);
      }
      console.log(`test:vscode: SKIPPED, the VS Code tests did not run: ${e.message}`);
      process.exit(0);
    }
    console.error(e);
    process.exit(1);
  },
);
