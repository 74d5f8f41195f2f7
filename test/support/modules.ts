/**
 * Which of Node's built-in modules a child process loaded: `env` preloads test/support/moduleList.cjs,
 * which writes them when the process exits; `loaded()` reads them (after the exit).
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** Node's modules for the network: only pinning needs them. */
export const NETWORK_MODULES = ['http', 'https', 'tls', '_tls_wrap'];
/** Node's module for running programs (credential helpers, when pinning). */
export const PROGRAM_MODULES = ['child_process'];

export class ModuleList {
  private readonly dir = mkdtempSync(path.join(tmpdir(), 'dh-modules-'));
  private readonly file = path.join(this.dir, 'loaded.txt');
  readonly env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(path.join(__dirname, 'moduleList.cjs'))}`.trim(),
    DH_MODULE_LIST: this.file,
  };

  loaded(): string[] {
    const list = readFileSync(this.file, 'utf8').split('\n').filter(Boolean);
    // The preload saw the bundle's own loads, not only Node's bootstrap: v8 is loaded by the
    // V8 setting that dist/cli.js and dist/server.js make first (server/src/engine/v8Tuning.ts).
    assert.ok(list.includes('v8'), `the module list lacks v8: ${list.join(' ')}`);
    return list;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
