/**
 * Quick-fixes and "fix all" in the real editor: vscode.executeCodeActionProvider offers each rule's
 * fix (resolved by the language server), applying one changes the document and clears its
 * diagnostic, and source.fixAll.dockerfile-hardener applies every safe fix at once.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { log, open, ours, ruleOf, waitFor } from './support';

const FIX_ALL = 'source.fixAll.dockerfile-hardener';

const SAFE = [
  'FROM golang:1.26 AS build',
  'WORKDIR /src',
  'COPY . .',
  'RUN --mount=type=cache,target=/root/.cache/go-build go build -ldflags="-s -w" -o /out/api .',
  '',
  'FROM alpine:3.23',
  'RUN apk add --no-cache curl',
  'COPY --from=build /out/api /api',
  'ENTRYPOINT ["/api", "--listen", ":8080"]',
  '',
].join('\n');

async function actions(doc: vscode.TextDocument, range: vscode.Range, kind?: string): Promise<vscode.CodeAction[]> {
  // Resolve every item (the server builds edits on codeAction/resolve).
  return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, range, kind, 100)) ?? [];
}

/**
 * Asks until the answer has what `enough` looks for; on timeout says what came instead. Twice, in
 * fresh-clone CI runs only, one of the first code action requests of a session came back empty while
 * the diagnostic it asked about was shown (never seen locally in 20 runs, idle or under load; cause
 * not found). A user's editor asks again as the cursor moves; the test asks again with a deadline,
 * and logs when a first answer fell short, so that CI output shows how often it happens.
 */
async function offeredUntil(
  doc: vscode.TextDocument,
  range: vscode.Range,
  kind: string,
  enough: (offered: vscode.CodeAction[]) => boolean,
): Promise<vscode.CodeAction[]> {
  const started = Date.now();
  let asked = 0;
  let last: vscode.CodeAction[] = [];
  const offered = await waitFor(
    `the ${kind} actions`,
    async () => (asked++, enough((last = await actions(doc, range, kind))) ? last : undefined),
  ).catch((e: Error) => {
    throw new Error(
      `${e.message}; asked ${asked} times; version ${doc.version}, dirty ${doc.isDirty}; offered: ${JSON.stringify(last.map((a) => a.title))}; our diagnostics: ${ours(doc.uri).map(ruleOf).join(', ')}`,
    );
  });
  if (asked > 1) log(`      (the ${kind} actions came on request ${asked}, after ${Date.now() - started} ms)`);
  return offered;
}

describe('quick-fixes and fix all', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it("offers each finding's fix; applying one changes the document and clears the diagnostic", async () => {
    const doc = await open('fixes/Dockerfile');
    await vscode.window.showTextDocument(doc);
    const diag = await waitFor('the go-build-unstripped diagnostic', () => ours(doc.uri).find((d) => ruleOf(d) === 'go-build-unstripped'));
    const wanted = ['Add -ldflags="-s -w"', 'Ignore go-build-unstripped for this instruction', 'Ignore go-build-unstripped in this file'];
    const offered = await offeredUntil(doc, diag.range, vscode.CodeActionKind.QuickFix.value, (all) =>
      wanted.every((t) => all.some((a) => a.title === t)),
    );
    const fix = offered.find((a) => a.title === 'Add -ldflags="-s -w"')!;
    assert.equal(fix.isPreferred, true);
    assert.ok(fix.edit, 'resolved with an edit');
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(doc.lineAt(3).text, 'RUN --mount=type=cache,target=/root/.cache/go-build go build -ldflags="-s -w" -a -o /out/api .');
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
    const fixAll = (await offeredUntil(doc, all, FIX_ALL, (offered) => offered.some((a) => a.kind?.value === FIX_ALL))).find(
      (a) => a.kind?.value === FIX_ALL,
    )!;
    assert.ok(await vscode.workspace.applyEdit(fixAll.edit!));
    assert.equal(doc.getText(), SAFE);
    await waitFor('the fixed findings to clear', () => {
      const left = ours(doc.uri).map(ruleOf).sort();
      return left.join(',') === 'root-user,unpinned-digest,unpinned-digest' ? true : undefined;
    });
  });
});
