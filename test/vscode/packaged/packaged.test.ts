/**
 * The extension as users get it: test/vscode/run.ts packages the .vsix (scripts/package.ts),
 * installs it with `code --install-extension` into a fresh extensions folder, and runs this file in
 * that VS Code beside an empty development extension (probe/: VS Code runs tests only beside one).
 * The installed copy, not the sources, must activate on a Dockerfile and report.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, expectPicture, open, ours, waitFor } from '../suite/support';

const WORKSPACE_DOCKERFILE = [
  '# Installed from the .vsix: the same findings as from the sources.',
  'FROM alpine',
  'RUN apk add curl',
  '#   ^^^^^^^ apk-cache (info)',
  'USER 10001',
  '',
];

describe('the packaged extension, installed from its .vsix', () => {
  it('is the installed copy, with only what the .vsix holds', () => {
    const extensionsDir = process.env.HARDENER_PACKAGED_EXTENSIONS;
    assert.ok(extensionsDir, 'HARDENER_PACKAGED_EXTENSIONS is not set: run through test/vscode/run.ts');
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    assert.equal(path.dirname(extension.extensionPath), path.resolve(extensionsDir));
    const top = readdirSync(extension.extensionPath)
      .filter((f) => f !== '.vsixmanifest')
      .sort();
    assert.deepEqual(top, ['LICENSE.txt', 'changelog.md', 'dist', 'docs', 'images', 'package.json', 'readme.md', 'snippets']);
    assert.ok(!existsSync(path.join(extension.extensionPath, 'node_modules')));
    // The rules' pages, which diagnostics link to and hover reads, offline.
    assert.deepEqual(readdirSync(path.join(extension.extensionPath, 'docs')), ['rules']);
    assert.ok(existsSync(path.join(extension.extensionPath, 'docs', 'rules', 'root-user.md')));
  });

  it('activates when a Dockerfile opens, and its server reports the findings', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    assert.equal(extension.isActive, false, 'active before any Dockerfile was opened');
    const doc = await open('Dockerfile');
    assert.equal(doc.languageId, 'dockerfile');
    await waitFor('the installed extension to activate', () => (extension.isActive ? true : undefined));
    await expectPicture(doc, WORKSPACE_DOCKERFILE);
    // Each diagnostic's code opens its page inside the installed extension.
    for (const d of ours(doc.uri)) {
      const target = typeof d.code === 'object' ? d.code.target : undefined;
      assert.ok(target, `no page for ${String(typeof d.code === 'object' ? d.code.value : d.code)}`);
      assert.ok(target.fsPath.startsWith(path.join(extension.extensionPath, 'docs', 'rules')), target.toString());
      assert.ok(existsSync(target.fsPath), target.fsPath);
    }
  });

  it('reads a project config file (its YAML parser is a bundle of its own, dist/yaml.js)', async () => {
    const doc = await open('configured/Dockerfile');
    await expectPicture(doc, [
      'FROM alpine',
      '#    ^^^^^^ latest-tag (error)',
      '#    ^^^^^^ unpinned-digest (info)',
      'RUN apk add curl',
      'USER 10001',
      '',
    ]);
  });

  it('reads a docker-bake.hcl (its HCL parser is WebAssembly beside the bundles, dist/*.wasm)', async () => {
    const doc = await open('baked/Dockerfile');
    // The parser loads on the first Bake HCL file; the document is linted again once it has.
    await waitFor('the Bake args to apply', () => (ours(doc.uri).some((d) => codeOf(d) === 'toolchain-final-stage') ? true : undefined));
    const found = ours(doc.uri).find((d) => codeOf(d) === 'toolchain-final-stage')!;
    assert.equal(found.range.start.line, 1);
    assert.match(found.message, /golang:1\.26/);
  });
});

const codeOf = (d: vscode.Diagnostic): string | undefined =>
  typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? undefined : String(d.code);
