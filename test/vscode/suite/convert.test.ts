/**
 * The palette command "Dockerfile Hardener: Convert to Multi-Stage Scratch Build": rewrites a
 * single-stage Go Dockerfile as one undoable edit, and refuses a Node one with a message and no edit.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { open, waitFor } from './support';

describe('convert to multi-stage scratch build', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('is in the command palette for Dockerfiles, with its category', async () => {
    const pkg = vscode.extensions.getExtension('dockerfile-hardener.dockerfile-hardener')!.packageJSON as {
      contributes: { commands: { command: string; title: string; category: string }[] };
    };
    const cmd = pkg.contributes.commands.find((c) => c.command === 'dockerfileHardener.convertToScratch');
    assert.deepEqual(cmd, {
      command: 'dockerfileHardener.convertToScratch',
      title: 'Convert to Multi-Stage Scratch Build',
      category: 'Dockerfile Hardener',
    });
    assert.ok((await vscode.commands.getCommands(true)).includes('dockerfileHardener.convertToScratch'));
  });

  it('rewrites a single-stage Go Dockerfile as one undoable edit', async () => {
    const doc = await open('convert/go/Dockerfile');
    const before = doc.getText();
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('dockerfileHardener.convertToScratch');
    await waitFor('the converted file', () => (doc.getText().includes('\nFROM scratch\n') ? true : undefined));
    const text = doc.getText();
    assert.match(text, /^FROM golang:1\.26 AS builder\n/);
    assert.match(text, /\nRUN CGO_ENABLED=0 go build -ldflags="-s -w" -o hello \.\n/);
    assert.match(text, /\nFROM scratch\n[\s\S]*\nWORKDIR \/src\nUSER appuser:appuser\nEXPOSE 8080\nCMD \["\/hello"\]\n$/);
    await vscode.commands.executeCommand('undo');
    await waitFor('one undo to restore the original', () => (doc.getText() === before ? true : undefined));
  });

  it('refuses a Node Dockerfile with the reason, and changes nothing', async () => {
    const doc = await open('convert/node/Dockerfile');
    const before = doc.getText();
    await vscode.window.showTextDocument(doc);
    // The refusal the palette command shows comes from the server's answer to the same request.
    const answer = await vscode.commands.executeCommand<{ ok: boolean; reason: string }>('dockerfile-hardener.convertToScratch', {
      uri: doc.uri.toString(),
    });
    assert.equal(answer.ok, false);
    assert.match(answer.reason, /Node\.js program \(it runs node\): use gcr\.io\/distroless\/nodejs22/);
    await vscode.commands.executeCommand('dockerfileHardener.convertToScratch');
    assert.equal(doc.getText(), before);
    assert.equal(doc.isDirty, false);
  });
});
