/**
 * A stand-in for the `code` executable, for machines without desktop VS Code. @vscode/test-electron's
 * runTests({ vscodeExecutablePath }) starts it with the arguments it would give VS Code; it runs the
 * real workbench and extension host instead from the VS Code server (test/vscode/host/setup.ts),
 * opened in headless Chromium:
 *
 *   1. starts the VS Code server on 127.0.0.1 in its own process group;
 *   2. opens the workbench with the smoke-test driver's payload, which makes it load the extension
 *      under development and run its tests in the (Node) extension host;
 *   3. prints the test output that the workbench hands to `codeAutomationLog`, and exits with the
 *      code handed to `codeAutomationExit`, after closing the browser and killing the server's group.
 *
 * `code --install-extension FILE.vsix --extensions-dir=D` installs a packaged extension instead, with
 * the VS Code server's own command line, and exits with its status, as desktop VS Code's CLI does.
 *
 * It also serves POST http://127.0.0.1:<port>/screenshot?name=N[&waitFor=CSS] to the tests (the URL is
 * in HARDENER_TEST_SCREENSHOT_URL): a screenshot of the workbench into the artifacts folder.
 *
 * The workbench hands `codeAutomationLog` its whole log; the tests' output (test/vscode/suite/index.ts
 * marks it with HARDENER_TEST_OUTPUT_PREFIX) goes to stdout, the rest to workbench-output.log.
 *
 * Environment (set by test/vscode/run.ts):
 *   HARDENER_VSCODE_NODE     the Node 24 binary        HARDENER_VSCODE_SERVER   server-main.js
 *   HARDENER_VSCODE_BROWSER  Chromium (/usr/bin/chromium)
 *   HARDENER_TEST_ARTIFACTS  screenshots, the workbench's logs and the server's output go here
 *   HARDENER_VSCODE_TIMEOUT  seconds before the whole run is abandoned as failed (default 300)
 *   HARDENER_VSCODE_WORKSPACE_TRUST=on   keep workspace trust on despite --disable-workspace-trust
 *                            (a fresh folder then opens untrusted: the untrusted-workspace suite)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, writeFileSync, type WriteStream } from 'node:fs';
import { createServer, type Server } from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { groupAlive, killGroup } from '../../support/processGroup';

const BROWSER_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface Args {
  disableWorkspaceTrust: boolean;
  installExtension?: string;
  extensionDevelopmentPath: string[];
  extensionTestsPath?: string;
  userDataDir?: string;
  extensionsDir?: string;
  folder?: string;
}

function parseArgs(argv: string[]): Args {
  const out: Args = { disableWorkspaceTrust: false, extensionDevelopmentPath: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const m = /^--([^=]+)(?:=(.*))?$/s.exec(a);
    if (!m) {
      out.folder = path.resolve(a);
      continue;
    }
    const [, name, inline] = m;
    const takesValue = ['extensionDevelopmentPath', 'extensionTestsPath', 'user-data-dir', 'extensions-dir', 'install-extension'].includes(
      name!,
    );
    const value = takesValue ? (inline ?? argv[++i]) : inline;
    if (takesValue && value === undefined) throw new Error(`${a} needs a value`);
    if (name === 'extensionDevelopmentPath') out.extensionDevelopmentPath.push(path.resolve(value!));
    else if (name === 'extensionTestsPath') out.extensionTestsPath = path.resolve(value!);
    else if (name === 'user-data-dir') out.userDataDir = path.resolve(value!);
    else if (name === 'extensions-dir') out.extensionsDir = path.resolve(value!);
    else if (name === 'install-extension') out.installExtension = path.resolve(value!);
    // test-electron's runTests always passes it; the untrusted-workspace suite (run.ts) asks to keep
    // workspace trust on with HARDENER_VSCODE_WORKSPACE_TRUST=on.
    else if (name === 'disable-workspace-trust') out.disableWorkspaceTrust = process.env.HARDENER_VSCODE_WORKSPACE_TRUST !== 'on';
    // The rest (--no-sandbox, --disable-updates, --skip-welcome, --disable-extensions, ...) are
    // desktop switches; the server's fresh data folders give the same clean start.
  }
  return out;
}

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the suite through test/vscode/run.ts`);
  return v;
}

const args = parseArgs(process.argv.slice(2));
const nodeBin = required('HARDENER_VSCODE_NODE');
const serverMain = required('HARDENER_VSCODE_SERVER');
if (args.installExtension) process.exit(installExtension(args.installExtension));
const browserPath = process.env.HARDENER_VSCODE_BROWSER || '/usr/bin/chromium';
const artifacts = process.env.HARDENER_TEST_ARTIFACTS;
const timeoutSeconds = Number(process.env.HARDENER_VSCODE_TIMEOUT || 300);
const dataDir = args.userDataDir ?? mkdtempSync(path.join(os.tmpdir(), 'vscode-host-'));
const extensionsDir = args.extensionsDir ?? path.join(dataDir, 'extensions');
mkdirSync(extensionsDir, { recursive: true });
if (artifacts) mkdirSync(artifacts, { recursive: true });

/** `code --install-extension`: the VS Code server's CLI installs the .vsix into the extensions folder. */
function installExtension(vsix: string): number {
  if (!args.extensionsDir) {
    console.error('[vscode-host] --install-extension needs --extensions-dir');
    return 2;
  }
  const data = args.userDataDir ?? mkdtempSync(path.join(os.tmpdir(), 'vscode-host-'));
  const r = spawnSync(
    nodeBin,
    [
      serverMain,
      '--accept-server-license-terms',
      '--server-data-dir',
      data,
      '--user-data-dir',
      data,
      '--extensions-dir',
      args.extensionsDir,
      '--install-extension',
      vsix,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'], timeout: 120_000 },
  );
  if (r.error) console.error(`[vscode-host] the VS Code server could not install ${vsix}: ${r.error.message}`);
  return r.status ?? 1;
}

let server: ChildProcess | undefined;
let browser: Browser | undefined;
let page: Page | undefined;
let screenshotServer: Server | undefined;
let serverLog: WriteStream | undefined;
let finishing = false;
/** Marks the tests' own output among the workbench's log messages. */
const OUTPUT_PREFIX = `[hardener-test:${process.pid}] `;
const workbenchOutput = artifacts ? createWriteStream(path.join(artifacts, 'workbench-output.log')) : undefined;
/** The workbench's last messages, shown when the run fails. */
const recentWorkbench: string[] = [];

async function killServerGroup(): Promise<void> {
  const pid = server?.pid;
  if (!pid || !groupAlive(pid)) return;
  process.kill(-pid, 'SIGTERM');
  const deadline = Date.now() + 5000;
  while (groupAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  killGroup(pid);
}

async function finish(code: number, why?: string): Promise<never> {
  if (finishing) return new Promise<never>(() => {});
  finishing = true;
  if (why) console.error(`[vscode-host] ${why}`);
  if (code !== 0 && recentWorkbench.length) console.error(`[vscode-host] the workbench's last messages:\n${recentWorkbench.join('\n')}`);
  await Promise.race([browser?.close().catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
  await killServerGroup().catch((e: unknown) => console.error(`[vscode-host] could not stop the server: ${String(e)}`));
  screenshotServer?.close();
  serverLog?.end();
  workbenchOutput?.end();
  process.exit(code);
}

process.on('SIGINT', () => void finish(130, 'interrupted'));
process.on('SIGTERM', () => void finish(143, 'terminated'));
process.on('SIGHUP', () => void finish(129, 'hung up'));
const deadline = setTimeout(() => void finish(1, `no result after ${timeoutSeconds} s: giving up`), timeoutSeconds * 1000);
deadline.unref();

/** The tests ask for screenshots of the workbench here; only this machine can reach it. */
function startScreenshotServer(): Promise<string | undefined> {
  if (!artifacts) return Promise.resolve(undefined);
  screenshotServer = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const name = url.searchParams.get('name') ?? '';
    if (req.method !== 'POST' || url.pathname !== '/screenshot' || !/^[a-z0-9-]+$/.test(name) || !page) {
      res.writeHead(400).end('POST /screenshot?name=[a-z0-9-]+[&waitFor=CSS selector]\n');
      return;
    }
    const waitFor = url.searchParams.get('waitFor');
    const file = path.join(artifacts, `${name}.png`);
    void (async () => {
      try {
        if (waitFor) await page!.waitForSelector(waitFor, { state: 'visible', timeout: 15_000 });
        await page!.screenshot({ path: file, animations: 'disabled' });
        res.writeHead(200, { 'content-type': 'text/plain' }).end(file);
      } catch (e) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(e instanceof Error ? e.message : String(e));
      }
    })();
  });
  return new Promise((resolve) => {
    screenshotServer!.listen(0, '127.0.0.1', () => {
      const address = screenshotServer!.address();
      resolve(typeof address === 'object' && address ? `http://127.0.0.1:${address.port}/screenshot` : undefined);
    });
  });
}

function remoteUri(port: number, p: string): string {
  return `vscode-remote://127.0.0.1:${port}${p.split(path.sep).map(encodeURIComponent).join('/')}`;
}

async function openWorkbench(port: number): Promise<void> {
  // Playwright's own signal handlers would exit before the server's group is killed: finish() does it.
  browser = await chromium.launch({
    executablePath: browserPath,
    headless: true,
    args: BROWSER_FLAGS,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 840 } });
  const pageLog = artifacts ? createWriteStream(path.join(artifacts, 'browser-console.log')) : undefined;
  page.on('console', (m) => pageLog?.write(`[${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => pageLog?.write(`[pageerror] ${e.stack ?? e.message}\n`));
  page.on('close', () => pageLog?.end());
  await page.exposeFunction('codeAutomationLog', (level: string, message: unknown) => {
    // A message is the logger's arguments: a string, or console-style [format, ...args].
    const text = Array.isArray(message) ? (message.length === 1 ? String(message[0]) : format(...(message as unknown[]))) : String(message);
    if (text.startsWith(OUTPUT_PREFIX)) {
      process.stdout.write(`${text.slice(OUTPUT_PREFIX.length)}\n`);
      return;
    }
    const line = `[${level}] ${text}`;
    workbenchOutput?.write(`${line}\n`);
    recentWorkbench.push(line.length > 500 ? `${line.slice(0, 500)}…` : line);
    if (recentWorkbench.length > 30) recentWorkbench.shift();
  });
  await page.exposeFunction('codeAutomationExit', (code: number, logs?: { relativePath: string; contents: string }[]) => {
    if (artifacts && Array.isArray(logs)) {
      for (const l of logs) {
        const file = path.join(artifacts, 'workbench-logs', path.normalize(l.relativePath).replace(/^(\.\.[/\\])+/, ''));
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, l.contents);
      }
    }
    void finish(typeof code === 'number' ? code : 1);
  });
  const payload: [string, string][] = [
    ...args.extensionDevelopmentPath.map((p): [string, string] => ['extensionDevelopmentPath', remoteUri(port, p)]),
    ['extensionTestsPath', remoteUri(port, args.extensionTestsPath!)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  const query = new URLSearchParams();
  if (args.folder) query.set('folder', remoteUri(port, args.folder));
  query.set('payload', JSON.stringify(payload));
  await page.goto(`http://127.0.0.1:${port}/?${query.toString()}`);
}

async function main(): Promise<void> {
  if (!args.extensionTestsPath || args.extensionDevelopmentPath.length === 0) {
    throw new Error('usage: code [FOLDER] --extensionDevelopmentPath=P --extensionTestsPath=P [--user-data-dir=D] [--extensions-dir=D]');
  }
  const screenshotUrl = await startScreenshotServer();
  server = spawn(
    nodeBin,
    [
      serverMain,
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--without-connection-token',
      '--accept-server-license-terms',
      '--enable-smoke-test-driver',
      '--disable-telemetry',
      ...(args.disableWorkspaceTrust ? ['--disable-workspace-trust'] : []),
      '--server-data-dir',
      dataDir,
      '--user-data-dir',
      dataDir,
      '--extensions-dir',
      extensionsDir,
    ],
    {
      detached: true, // its own process group, killed as a whole at the end
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        HARDENER_TEST_OUTPUT_PREFIX: OUTPUT_PREFIX,
        ...(screenshotUrl ? { HARDENER_TEST_SCREENSHOT_URL: screenshotUrl } : {}),
      },
    },
  );
  serverLog = artifacts ? createWriteStream(path.join(artifacts, 'server.log')) : undefined;
  let recent = '';
  let launched = false;
  const onOutput = (chunk: Buffer) => {
    const text = chunk.toString();
    serverLog?.write(text);
    recent = (recent + text).slice(-4000);
    const m = /Extension host agent listening on (\d+)/.exec(recent);
    if (m && !launched) {
      launched = true;
      openWorkbench(Number(m[1])).catch(
        (e: unknown) => void finish(1, `the workbench could not be opened: ${e instanceof Error ? e.message : String(e)}`),
      );
    }
  };
  server.stdout!.on('data', onOutput);
  server.stderr!.on('data', onOutput);
  server.on('error', (e) => void finish(1, `the VS Code server could not be started: ${e.message}`));
  server.on('exit', (code, signal) => {
    if (!finishing) void finish(1, `the VS Code server exited early (${code ?? signal}); its last output:\n${recent}`);
  });
}

main().catch((e: unknown) => void finish(1, e instanceof Error ? e.message : String(e)));
