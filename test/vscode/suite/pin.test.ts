/**
 * Pinning in the real editor against a real registry on 127.0.0.1 (Debian's docker-registry, started
 * by this test and seeded over its API): the preferred quick-fix "Pin to digest" through VS Code's own
 * auto-fix command (resolved through the client's progress middleware), the palette commands "Pin all
 * images in this Dockerfile" (one undoable edit) and "Check pinned digests" (stale-digest appears,
 * "Update digest" clears it). Without docker-registry a local run skips with a message; under CI it
 * fails.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { registryBinary, seed, startRegistry, tempDir, type RegistryProcess, type Seeded } from '../../support/registry';
import { silentRegistry } from '../../support/fakeRegistry';
import { log, open, ours, ruleOf, waitFor, workspaceUri } from './support';

describe('pinning images to digests (real registry on loopback)', function () {
  let storage: ReturnType<typeof tempDir> | undefined;
  let registry: RegistryProcess | undefined;
  let seeded: Seeded;

  before(async function () {
    const bin = registryBinary();
    if (!bin) {
      const why = 'docker-registry is not installed (Debian: apt-get install --no-install-recommends docker-registry)';
      if (process.env.CI) throw new Error(`${why}: CI must run the registry tests`);
      log(`      SKIPPED: ${why}; the VS Code pinning tests did not run`);
      this.skip();
    }
    storage = tempDir('dh-vscode-registry-');
    registry = await startRegistry(bin!, { storage: storage.dir });
    seeded = await seed(registry.host);
    mkdirSync(workspaceUri('pin').fsPath, { recursive: true });
  });

  after(async () => {
    await registry?.stop();
    storage?.dispose();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  /** A Dockerfile in the workspace naming the test registry. */
  async function dockerfile(name: string, text: string): Promise<vscode.TextDocument> {
    writeFileSync(workspaceUri(`pin/${name}`).fsPath, text);
    const doc = await open(`pin/${name}`);
    await vscode.window.showTextDocument(doc);
    return doc;
  }

  it('puts both commands in the palette for Dockerfiles, with the titles the issue names', async () => {
    const pkg = vscode.extensions.getExtension('dockerfile-hardener.dockerfile-hardener')!.packageJSON as {
      contributes: { commands: { command: string; title: string; category: string }[] };
    };
    const titles = Object.fromEntries(pkg.contributes.commands.map((c) => [c.command, `${c.category}: ${c.title}`]));
    assert.equal(titles['dockerfileHardener.pinAll'], 'Dockerfile Hardener: Pin all images in this Dockerfile');
    assert.equal(titles['dockerfileHardener.checkDigests'], 'Dockerfile Hardener: Check pinned digests');
    const registered = await vscode.commands.getCommands(true);
    for (const id of ['dockerfileHardener.pinAll', 'dockerfileHardener.checkDigests']) assert.ok(registered.includes(id), id);
  });

  it('"Pin to digest" is the preferred quick-fix: auto-fix pins the image, keeping --platform and AS', async () => {
    const doc = await dockerfile(
      'quickfix.Dockerfile',
      `FROM --platform=linux/amd64 ${registry!.host}/hardener/list:1.0 AS app\nUSER 10001\n`,
    );
    const diag = await waitFor('the unpinned-digest diagnostic', () => ours(doc.uri).find((d) => ruleOf(d) === 'unpinned-digest'));
    const editor = vscode.window.activeTextEditor!;
    editor.selection = new vscode.Selection(diag.range.start, diag.range.start);
    // auto-fix does nothing (beyond an inline "no auto fixes" hint) when it runs before the editor has
    // the action or the focus: wait until the action is offered (not resolved: no registry request),
    // and give the editor the focus, as a user's keyboard shortcut has it.
    const here = new vscode.Range(diag.range.start, diag.range.start);
    const offered = () =>
      vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        doc.uri,
        here,
        vscode.CodeActionKind.QuickFix.value,
      );
    await waitFor('the preferred "Pin to digest" action', async () =>
      (await offered()).some((a) => a.isPreferred && /^Pin to digest/.test(a.title)) ? true : undefined,
    );
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    const before = await registry!.count('HEAD', '/v2/hardener/list/manifests/1.0');
    await vscode.commands.executeCommand('editor.action.autoFix');
    await waitFor('the pinned reference', () => (doc.lineAt(0).text.includes('@sha256:') ? true : undefined)).catch(async (e: Error) => {
      // Say how far it got: whether the registry was asked, and what the editor offers now.
      const asked = (await registry!.count('HEAD', '/v2/hardener/list/manifests/1.0')) - before;
      const actions = (await offered()).map((a) => `${a.title}${a.isPreferred ? ' (preferred)' : ''}`).join('; ');
      throw new Error(`${e.message}; registry asked ${asked} time(s); line 0: ${doc.lineAt(0).text}; offered: ${actions}`);
    });
    assert.equal(doc.lineAt(0).text, `FROM --platform=linux/amd64 ${registry!.host}/hardener/list:1.0@${seeded.dockerList} AS app`);
    assert.equal((await registry!.count('HEAD', '/v2/hardener/list/manifests/1.0')) - before, 1);
    await waitFor('the diagnostic to clear', () => (ours(doc.uri).some((d) => ruleOf(d) === 'unpinned-digest') ? undefined : true));
  });

  it('"Pin all images in this Dockerfile" pins every image as one undoable edit', async () => {
    const text = `FROM ${registry!.host}/hardener/oci:1.0 AS build\nFROM ${registry!.host}/hardener/single:1.0\nCOPY --from=${registry!.host}/hardener/oci:1.0 /a /a\n`;
    const doc = await dockerfile('all.Dockerfile', text);
    await waitFor('diagnostics', () => (ours(doc.uri).length ? true : undefined));
    const result = await vscode.commands.executeCommand<{ ok: boolean; message: string }>('dockerfileHardener.pinAll');
    assert.equal(result?.ok, true, result?.message);
    assert.equal(result.message, 'Pinned 3 images.');
    assert.equal(
      doc.getText(),
      text
        .replaceAll('hardener/oci:1.0', `hardener/oci:1.0@${seeded.ociIndex}`)
        .replace('hardener/single:1.0', `hardener/single:1.0@${seeded.single}`),
    );
    await vscode.commands.executeCommand('undo');
    await waitFor('one undo to restore the file', () => (doc.getText() === text ? true : undefined));
  });

  it('"Check pinned digests" shows stale-digest; "Update digest" clears it', async () => {
    // (The shell-form CMD gives a diagnostic to wait for: the file is linted before the check.)
    const doc = await dockerfile(
      'check.Dockerfile',
      `FROM ${registry!.host}/hardener/moving:1.0@${seeded.movedFrom}\nUSER 10001\nCMD serve --port 8080\n`,
    );
    await waitFor('the file to be linted', () => ours(doc.uri).find((d) => ruleOf(d) === 'shell-form-cmd'));
    assert.ok(!ours(doc.uri).some((d) => ruleOf(d) === 'stale-digest'), 'nothing stale before a check');
    const result = await vscode.commands.executeCommand<{ ok: boolean; stale: number; message: string }>('dockerfileHardener.checkDigests');
    assert.equal(result?.stale, 1, result?.message);
    const stale = await waitFor('the stale-digest diagnostic', () => ours(doc.uri).find((d) => ruleOf(d) === 'stale-digest'));
    assert.equal(stale.severity, vscode.DiagnosticSeverity.Information);
    const actions =
      (await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        doc.uri,
        stale.range,
        vscode.CodeActionKind.QuickFix.value,
        1,
      )) ?? [];
    const update = actions.find((a) => a.title === 'Update digest');
    assert.ok(update?.edit, JSON.stringify(actions.map((a) => a.title)));
    assert.ok(await vscode.workspace.applyEdit(update.edit));
    assert.equal(doc.lineAt(0).text, `FROM ${registry!.host}/hardener/moving:1.0@${seeded.moving}`);
    await waitFor('stale-digest to clear', () => (ours(doc.uri).some((d) => ruleOf(d) === 'stale-digest') ? undefined : true));
  });

  it('takes the registry timeout from the settings: a registry that never answers changes nothing', async () => {
    const silent = await silentRegistry();
    const config = vscode.workspace.getConfiguration('dockerfileHardener');
    await config.update('registry.timeout', 2, vscode.ConfigurationTarget.Workspace);
    try {
      const text = `FROM ${silent.host}/hardener/slow:1\nUSER 10001\n`;
      const doc = await dockerfile('slow.Dockerfile', text);
      await waitFor('the unpinned-digest diagnostic', () => ours(doc.uri).find((d) => ruleOf(d) === 'unpinned-digest'));
      const started = Date.now();
      const result = await vscode.commands.executeCommand<{ ok: boolean; message: string }>('dockerfileHardener.pinAll');
      assert.equal(silent.requests.length, 1, 'the registry was asked');
      assert.ok(Date.now() - started < 20_000);
      assert.equal(result?.ok, false);
      assert.match(
        result.message,
        /^Nothing was changed: a registry could not answer\. line 1: 127\.0\.0\.1:\d+\/hardener\/slow:1: no answer from 127\.0\.0\.1:\d+ within 2 s \(the registry timeout\)$/,
      );
      assert.equal(doc.getText(), text);
    } finally {
      await config.update('registry.timeout', undefined, vscode.ConfigurationTarget.Workspace);
      await silent.stop();
    }
  });
});
