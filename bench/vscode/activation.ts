/**
 * Runs inside a VS Code extension host (bench/vscode.ts bundles it as the `--extensionTestsPath`):
 * activates the extension under development and opens a Dockerfile, and writes how long each took
 * to the file named by HARDENER_BENCH_OUT. VS Code calls `run()`.
 */
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';

const EXTENSION_ID = 'dockerfile-hardener.dockerfile-hardener';

async function poll<T>(probe: () => T | undefined, deadlineMs = 30_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 2));
  }
}

const FLOOR_ID = 'dockerfile-hardener-bench.activation-floor';

async function timeActivation(id: string): Promise<number> {
  const ext = vscode.extensions.getExtension(id);
  if (!ext) throw new Error(`${id} is not loaded`);
  const t0 = performance.now();
  await ext.activate();
  return performance.now() - t0;
}

export async function run(): Promise<void> {
  // The floor: in its own host, an extension that does nothing is activated the same way, so that
  // what activation costs in this host before any extension code runs is measured beside ours.
  if (process.env.HARDENER_BENCH_TARGET === 'floor') {
    const floor = await timeActivation(FLOOR_ID);
    writeFileSync(process.env.HARDENER_BENCH_OUT!, JSON.stringify({ wasActive: false, activate: floor, firstDiagnostics: Number.NaN }));
    return;
  }
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not loaded`);
  // Nothing in the workspace is open yet, so the extension is not active: activate() here is what
  // VS Code does on the first Dockerfile (load the code, call activate, wait for its promise).
  const wasActive = ext.isActive;
  const activate = await timeActivation(EXTENSION_ID);
  const folder = vscode.workspace.workspaceFolders![0].uri;
  const t1 = performance.now();
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'Dockerfile'));
  await vscode.window.showTextDocument(doc);
  await poll(() => (vscode.languages.getDiagnostics(doc.uri).some((d) => d.source === 'dockerfile-hardener') ? true : undefined));
  const firstDiagnostics = performance.now() - t1;
  writeFileSync(process.env.HARDENER_BENCH_OUT!, JSON.stringify({ wasActive, activate, firstDiagnostics }));
}
