/**
 * Quick-fixes and "fix all" in the real editor: vscode.executeCodeActionProvider offers each rule's
 * fix (resolved by the language server), applying one changes the document and clears its
 * diagnostic, and source.fixAll.dockerfile-hardener applies every safe fix at once.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { open, ours, ruleOf, waitFor } from './support';

const FIX_ALL = 'source.fixAll.dockerfile-hardener';

const SAFE = [
  'FROM golang:1.22 AS build',
  'WORKDIR /src',
  'COPY . .',
  'RUN go build -ldflags="-s -w" -o /out/api .',
  '',
  'FROM alpine:3.20',
  'RUN apk add --no-cache curl',
  'COPY --from=build /out/api /api',
  'CMD ["/api", "--listen", ":8080"]',
  '',
].join('\n');

async function actions(doc: vscode.TextDocument, range: vscode.Range, kind?: string): Promise<vscode.CodeAction[]> {
  // Resolve every item (the server builds edits on codeAction/resolve).
  return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, range, kind, 100)) ?? [];
}

describe('quick-fixes and fix all', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('offers each finding\'s fix; applying one changes the document and clears the diagnostic', async () => {
    const doc = await open('fixes/Dockerfile');
    await vscode.window.showTextDocument(doc);
    const diag = await waitFor('the go-build-unstripped diagnostic', () => ours(doc.uri).find((d) => ruleOf(d) === 'go-build-unstripped'));
    const offered = await actions(doc, diag.range, vscode.CodeActionKind.QuickFix.value);
    const titles = offered.map((a) => a.title);
    for (const t of ['Add -ldflags="-s -w"', 'Ignore go-build-unstripped for this instruction', 'Ignore go-build-unstripped in this file']) {
      assert.ok(titles.includes(t), `${t} not among ${JSON.stringify(titles)}`);
    }
    const fix = offered.find((a) => a.title === 'Add -ldflags="-s -w"')!;
    assert.equal(fix.isPreferred, true);
    assert.ok(fix.edit, 'resolved with an edit');
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(doc.lineAt(3).text, 'RUN go build -ldflags="-s -w" -a -o /out/api .');
    await waitFor('the diagnostic to clear', () => (ours(doc.uri).some((d) => ruleOf(d) === 'go-build-unstripped') ? undefined : true));
  });

  it('source.fixAll.dockerfile-hardener applies every safe fix', async () => {
    const doc = await open('fixes/Dockerfile');
    await vscode.window.showTextDocument(doc);
    // The test before this one edited the same file and afterEach reverted it: start from the file
    // as it is on disk, once its diagnostics (go-build-unstripped among them) are back.
    const onDisk = new TextDecoder().decode(await vscode.workspace.fs.readFile(doc.uri));
    await waitFor('the file as on disk, with its diagnostics', () =>
      doc.getText() === onDisk && ours(doc.uri).some((d) => ruleOf(d) === 'go-build-unstripped') ? true : undefined,
    );
    const all = new vscode.Range(0, 0, doc.lineCount, 0);
    // VS Code drops a code action request when the document changes while it runs (the revert can
    // still be settling): ask until the action comes, and say what came instead if it never does.
    let last: vscode.CodeAction[] = [];
    const fixAll = await waitFor('the fix-all action', async () => (last = await actions(doc, all, FIX_ALL)).find((a) => a.kind?.value === FIX_ALL)).catch((e: Error) => {
      throw new Error(`${e.message}; version ${doc.version}, dirty ${doc.isDirty}; offered: ${JSON.stringify(last.map((a) => a.title))}; our diagnostics: ${ours(doc.uri).map(ruleOf).join(', ')}`);
    });
    assert.ok(await vscode.workspace.applyEdit(fixAll.edit!));
    assert.equal(doc.getText(), SAFE);
    await waitFor('the fixed findings to clear', () => {
      const left = ours(doc.uri).map(ruleOf).sort();
      return left.join(',') === 'root-user,unpinned-digest,unpinned-digest' ? true : undefined;
    });
  });
});
