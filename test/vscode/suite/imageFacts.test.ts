/**
 * Image facts in the real editor: hover on an image, the inlay hint on the shipped FROM, and
 * completion of stage names, through VS Code's own providers (vscode.execute…Provider) and, in the
 * VS Code server host, a screenshot of the hover. The facts come from the disk cache the server
 * shares with the CLI (test/vscode/run.ts points DOCKERFILE_HARDENER_CACHE_DIR at a temporary
 * directory); this test writes them there with the cache's own code, as a lookup would. The lookup
 * itself, against a real registry, is tested over JSON-RPC (test/protocol/imageFacts.test.ts): the
 * suite's registry cannot be reached under the image name the facts need.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { FactCache } from '../../../server/src/registry/factCache';
import type { ImageFacts } from '../../../server/src/model/imageFacts';
import { log, open, ours, ruleOf, screenshot, waitFor, workspaceUri } from './support';

const DIGEST = `sha256:${'4'.repeat(64)}`;
const IMAGE = 'registry.example.com/team/base:2';

describe('image facts in VS Code (hover, inlay hint, completion)', () => {
  before(function () {
    if (!process.env.DOCKERFILE_HARDENER_CACHE_DIR) {
      log('      (skipped: DOCKERFILE_HARDENER_CACHE_DIR is not set by the runner)');
      this.skip();
    }
    const facts: ImageFacts = {
      digest: DIGEST,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      index: true,
      platforms: [
        {
          platform: 'linux/amd64',
          digest: `sha256:${'5'.repeat(64)}`,
          size: 48_200_000,
          config: {
            user: 'app',
            env: [],
            exposedPorts: ['8080/tcp'],
            labels: { 'org.opencontainers.image.source': 'https://example.com/team/base' },
            created: '2024-03-01T00:00:00Z',
            entrypoint: ['/usr/bin/tini', '--'],
          },
        },
        { platform: 'linux/arm64', digest: `sha256:${'6'.repeat(64)}` },
      ],
      supplyChain: { cosign: 'present', referrers: 'unknown', attestations: 'present' },
      fetchedAt: new Date().toISOString(),
    };
    const cache = new FactCache(process.env.DOCKERFILE_HARDENER_CACHE_DIR);
    cache.putDigest({ registry: 'registry.example.com', repository: 'team/base' }, facts);
    cache.putTag({ registry: 'registry.example.com', repository: 'team/base', tag: '2' }, DIGEST);
    mkdirSync(workspaceUri('facts').fsPath, { recursive: true });
    writeFileSync(
      workspaceUri('facts/Dockerfile').fsPath,
      `FROM golang:1.26 AS build\nRUN true\nFROM ${IMAGE}\nCOPY --from= /out /app\nCMD ["/app"]\n`,
    );
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('lints with the facts, hovers them, and hints the base size', async () => {
    const doc = await open('facts/Dockerfile');
    const editor = await vscode.window.showTextDocument(doc);
    // root-user is silent (the config says app) and stale-base reports the 2024 base.
    await waitFor('stale-base from the cached facts', () => (ours(doc.uri).some((d) => ruleOf(d) === 'stale-base') ? true : undefined));
    assert.ok(!ours(doc.uri).some((d) => ruleOf(d) === 'root-user'));

    const at = new vscode.Position(2, 10);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    for (const want of [
      /Default user \| `app`/,
      /linux\/amd64 ≈ 48\.2 MB/,
      /linux\/arm64 \(not fetched\)/,
      /cosign: present/,
      /Created \| 2024-03-01/,
      /not verification/,
    ])
      assert.match(text, want);

    const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>(
      'vscode.executeInlayHintProvider',
      doc.uri,
      new vscode.Range(0, 0, 5, 0),
    );
    const labels = hints.map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')));
    assert.deepEqual(labels, [' ≈ 48.2 MB (linux/amd64)']);
    assert.equal(hints[0].position.line, 2);

    if (process.env.HARDENER_TEST_SCREENSHOT_URL) {
      editor.selection = new vscode.Selection(at, at);
      await vscode.commands.executeCommand('editor.action.showHover');
      const file = await screenshot('image-hover', '.monaco-hover .hover-contents');
      assert.ok(file?.endsWith('image-hover.png'));
      await vscode.commands.executeCommand('editor.action.hideHover');
    }
  });

  it('completes stage names in COPY --from=', async () => {
    const doc = await open('facts/Dockerfile');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      new vscode.Position(3, 12),
    );
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('build'), labels.join(', '));
  });
});
