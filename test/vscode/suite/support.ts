/**
 * Helpers for the tests that run inside the VS Code extension host. Everything waited for is polled
 * with a deadline; nothing sleeps a fixed time.
 */
import * as assert from 'node:assert/strict';
import { request } from 'node:http';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { renderPicture } from '../../../server/src/engine/pictures';

export const EXTENSION_ID = 'dockerfile-hardener.dockerfile-hardener';
export const SOURCE = 'dockerfile-hardener';
/** How long anything may take to show up: the first lint also waits for the server to start. */
export const DEADLINE_MS = 20_000;

/** Prints with the test report (console.log is not shown in every host: see index.ts). */
export function log(...args: unknown[]): void {
  Mocha.reporters.Base.consoleLog(...args);
}

/** Polls `probe` until it returns something other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = DEADLINE_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export function workspaceUri(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need the fixture workspace open');
  return vscode.Uri.joinPath(folder.uri, ...relative.split('/'));
}

export async function open(relative: string): Promise<vscode.TextDocument> {
  return vscode.workspace.openTextDocument(workspaceUri(relative));
}

export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

const SEVERITY: Record<vscode.DiagnosticSeverity, string> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

export function ruleOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

/**
 * The document with our diagnostics drawn under it as a caret picture (engine/pictures.ts), each
 * labelled `rule (severity)`: one string compare checks every range, id and severity.
 */
export function picture(doc: vscode.TextDocument, diagnostics = ours(doc.uri)): string {
  return renderPicture(
    doc.getText(),
    diagnostics.map((d) => ({ rule: `${ruleOf(d)} (${SEVERITY[d.severity]})`, range: d.range })),
  );
}

/** Waits until the document's picture is `expected` (lines joined with \n); fails with a diff. */
export async function expectPicture(doc: vscode.TextDocument, expected: string[], timeoutMs = DEADLINE_MS): Promise<void> {
  const want = expected.join('\n');
  try {
    await waitFor(
      `the diagnostics of ${vscode.workspace.asRelativePath(doc.uri)}`,
      () => (picture(doc) === want ? true : undefined),
      timeoutMs,
    );
  } catch (e) {
    assert.equal(picture(doc), want, e instanceof Error ? e.message : String(e));
  }
}

/**
 * Asks the stand-in that runs the workbench (test/vscode/host/code.ts) for a screenshot, once
 * `waitFor` (a CSS selector) is visible. Undefined when the host cannot take one (desktop VS Code).
 */
export async function screenshot(name: string, waitFor?: string): Promise<string | undefined> {
  const base = process.env.HARDENER_TEST_SCREENSHOT_URL;
  if (!base) return undefined;
  const url = new URL(base);
  url.searchParams.set('name', name);
  if (waitFor) url.searchParams.set('waitFor', waitFor);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`screenshot ${name}: ${res.statusCode} ${body}`))));
    });
    req.on('error', reject);
    req.end();
  });
}
