/**
 * The hardening snippets (snippets/dockerfile.json) are offered by completion in a Dockerfile, under
 * every prefix, with their bodies.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, open } from './support';

interface Snippet {
  prefix: string | string[];
  body: string | string[];
  description?: string;
}

async function contributedSnippets(): Promise<[string, Snippet][]> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded`);
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extension.extensionUri, 'snippets', 'dockerfile.json'));
  return Object.entries(JSON.parse(new TextDecoder().decode(bytes)) as Record<string, Snippet>);
}

function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

describe('snippets', () => {
  it('offers every hardening snippet by completion in a Dockerfile', async () => {
    const snippets = await contributedSnippets();
    assert.ok(snippets.length >= 6, `only ${snippets.length} snippets in snippets/dockerfile.json`);
    const doc = await open('snippets/Dockerfile');
    // Line 1 is empty: completion there offers every snippet.
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      new vscode.Position(1, 0),
    );
    const offered = new Map(list.items.filter((i) => i.kind === vscode.CompletionItemKind.Snippet).map((i) => [labelOf(i), i]));
    for (const [name, snippet] of snippets) {
      const body = Array.isArray(snippet.body) ? snippet.body.join('\n') : snippet.body;
      for (const prefix of [snippet.prefix].flat()) {
        const item = offered.get(prefix);
        assert.ok(item, `snippet "${name}" is not offered as ${prefix}; offered: ${[...offered.keys()].join(', ')}`);
        assert.ok(item.insertText instanceof vscode.SnippetString, `${prefix} does not insert a snippet`);
        assert.equal(item.insertText.value, body, `the body that ${prefix} inserts`);
        if (typeof item.label === 'object') assert.equal(item.label.description, name);
      }
    }
  });
});
