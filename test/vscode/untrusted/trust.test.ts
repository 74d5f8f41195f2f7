/**
 * The extension in an untrusted workspace (VS Code's restricted mode), run by test/vscode/run.ts with
 * workspace trust on and a fresh folder: it lints as usual, and makes no network request, runs no
 * credential helper and reads no Docker config. The Docker config (DOCKER_CONFIG) and the helper on
 * PATH are the probes of test/support/trustProbe.ts, set for the whole VS Code process tree by
 * run.ts: reading the config or running the helper would show.
 */
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { silentRegistry, type FakeServer } from '../../support/fakeRegistry';
import { trustProbe, type TrustProbe } from '../../support/trustProbe';
import { EXTENSION_ID, open, ours, ruleOf, waitFor, workspaceUri } from '../suite/support';

const UNTRUSTED =
  /^Pinning is off in an untrusted workspace: it would contact the registries this Dockerfile names and run Docker credential helpers\. Trust the workspace to pin images\.$/;

describe('an untrusted workspace', () => {
  let registry: FakeServer;
  let probe: TrustProbe;

  before(async () => {
    const dir = process.env.HARDENER_TRUST_PROBE;
    assert.ok(dir, 'HARDENER_TRUST_PROBE is not set: run this suite through test/vscode/run.ts');
    probe = trustProbe(dir);
    registry = await silentRegistry();
  });

  after(async () => {
    await registry?.stop();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('is untrusted, and the extension says in its manifest what is limited there', () => {
    assert.equal(vscode.workspace.isTrusted, false, 'VS Code did not open the workspace untrusted');
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'the extension is loaded in restricted mode');
    const capability = (ext.packageJSON as { capabilities?: { untrustedWorkspaces?: { supported: unknown; description?: string } } })
      .capabilities?.untrustedWorkspaces;
    assert.equal(capability?.supported, 'limited');
    assert.match(
      capability?.description ?? '',
      /images are not pinned, digests are not checked, and neither completion nor hover looks anything up: that would contact the registries a Dockerfile names and run Docker credential helpers\. Linting works as usual, with the image facts already cached on this machine\./,
    );
  });

  it('lints, and pins and checks nothing: no registry asked, no credential helper run, no Docker config read', async () => {
    const text = `FROM ${registry.host}/team/app:1.0\nRUN sudo apk add curl\n`;
    writeFileSync(workspaceUri('untrusted.Dockerfile').fsPath, text);
    const doc = await open('untrusted.Dockerfile');
    await vscode.window.showTextDocument(doc);
    const unpinned = await waitFor('the unpinned-digest diagnostic', () => ours(doc.uri).find((d) => ruleOf(d) === 'unpinned-digest'));
    assert.deepEqual(ours(doc.uri).map(ruleOf).sort(), ['apk-cache', 'root-user', 'sudo', 'unpinned-digest']);

    for (const command of ['dockerfileHardener.pinAll', 'dockerfileHardener.checkDigests']) {
      const result = await vscode.commands.executeCommand<{ ok: boolean; message: string }>(command);
      assert.equal(result?.ok, false, command);
      assert.match(result.message, UNTRUSTED);
    }
    const actions =
      (await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        doc.uri,
        unpinned.range,
        vscode.CodeActionKind.QuickFix.value,
      )) ?? [];
    const pin = actions.find((a) => a.title === 'Pin to digest');
    if (pin) {
      assert.equal(pin.edit, undefined);
      assert.match(pin.disabled?.reason ?? '', UNTRUSTED);
    }
    assert.ok(
      actions.some((a) => a.title === 'Ignore unpinned-digest for this instruction'),
      'the other quick-fixes are there',
    );
    // The preferred quick-fix, as a user applies it: nothing changes.
    await vscode.commands.executeCommand('editor.action.autoFix');
    assert.equal(doc.getText(), text);

    assert.equal(registry.requests.length, 0, 'a registry was contacted');
    assert.deepEqual(probe.helperRuns(), [], 'a credential helper ran');
    assert.equal(probe.configRead(), false, "Docker's config was opened");
  });
});
