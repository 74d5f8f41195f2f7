/**
 * What a person sees: the Problems panel, the hover and the quick-fix menu on a Dockerfile, saved as screenshots in
 * test-artifacts/vscode/ by the host that runs the workbench (test/vscode/host/code.ts). Desktop
 * VS Code runs without that host, and these tests skip there.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { log, open, ours, ruleOf, screenshot, waitFor } from './support';

describe('workbench screenshots', () => {
  before(async function () {
    if (!process.env.HARDENER_TEST_SCREENSHOT_URL) {
      log('      (skipped: screenshots are taken by the VS Code server host only)');
      this.skip();
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
  });

  async function showDockerfile(): Promise<vscode.TextEditor> {
    const doc = await open('Dockerfile');
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    await waitFor('the Dockerfile diagnostics', () => (ours(doc.uri).length === 5 ? true : undefined));
    return editor;
  }

  it('shows our diagnostics in the Problems panel', async () => {
    await showDockerfile();
    // Opens the Problems panel without focusing it: a focused row shows a light bulb in place of
    // its severity icon.
    await vscode.commands.executeCommand('workbench.action.showErrorsWarnings');
    // The other fixtures' problems are there too: show the active file's only (a fresh profile has
    // this filter off, so one toggle turns it on).
    await vscode.commands.executeCommand('workbench.actions.workbench.panel.markers.view.toggleActiveFile');
    const file = await screenshot('problems-panel', '.markers-panel .monaco-list-row');
    assert.ok(file?.endsWith('problems-panel.png'));
  });

  it('shows a diagnostic with its rule and docs link on hover', async () => {
    const editor = await showDockerfile();
    const target = ours(editor.document.uri).find((d) => ruleOf(d) === 'scratch-user-unresolvable');
    assert.ok(target);
    editor.selection = new vscode.Selection(target.range.start, target.range.start);
    await vscode.commands.executeCommand('editor.action.showHover');
    const file = await screenshot('diagnostic-hover', '.monaco-hover .marker.hover-contents');
    assert.ok(file?.endsWith('diagnostic-hover.png'));
  });

  it('shows the diagnostics with the quick-fix menu open on one of them', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors'); // and the hover of the last test
    const editor = await showDockerfile();
    await vscode.commands.executeCommand('workbench.action.showErrorsWarnings');
    const target = ours(editor.document.uri).find((d) => ruleOf(d) === 'scratch-user-unresolvable');
    assert.ok(target);
    editor.selection = new vscode.Selection(target.range.start, target.range.start);
    await vscode.commands.executeCommand('editor.action.quickFix');
    const file = await screenshot('quick-fix-menu', '.action-widget .monaco-list-row');
    assert.ok(file?.endsWith('quick-fix-menu.png'));
    await vscode.commands.executeCommand('hideCodeActionWidget');
  });
});
