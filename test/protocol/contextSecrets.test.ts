/**
 * context-secret-copied through the real server over JSON-RPC: a Dockerfile on disk whose `COPY . .`
 * takes an .env from its directory gets the finding; the quick-fix is a workspace edit that creates
 * .dockerignore (only for a client that says it can create files); once the file is there and the
 * editor reports the change, the finding is gone.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CreateFile, Diagnostic, TextDocumentEdit } from 'vscode-languageserver-protocol/node';
import { SERVER, TestClient } from '../support/lspClient';

const RULE = 'context-secret-copied';
const DOCKERFILE = 'FROM node:22-alpine\nWORKDIR /srv\nCOPY . .\nCMD ["node", "server.js"]\n';

describe('context-secret-copied over the protocol (a build context on disk)', function () {
  this.timeout(30_000);
  let client: TestClient | undefined;
  let dir = '';
  let uri = '';

  before(function () {
    if (!existsSync(SERVER)) this.skip();
  });
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dh-lsp-secrets-'));
    // A token-shaped value, built here so that no secret scanner takes this file for a leak.
    writeFileSync(path.join(dir, '.env'), `API_TOKEN=${['tok', 'en-', 'value-', '1234567890'].join('')}\n`);
    writeFileSync(path.join(dir, 'server.js'), 'console.log("ok")\n');
    writeFileSync(path.join(dir, 'Dockerfile'), DOCKERFILE);
    uri = pathToFileURL(path.join(dir, 'Dockerfile')).href;
  });
  afterEach(async () => {
    await client?.stop();
    client = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const finding = async (c: TestClient, version: number): Promise<Diagnostic | undefined> =>
    (await c.diagnosticsFor(uri, version)).diagnostics.find((d) => d.code === RULE);

  it('reports the .env, creates .dockerignore with the fix, and drops the finding once the file is there', async () => {
    client = await TestClient.start({ createFiles: true, watchFiles: true });
    await client.open(uri, DOCKERFILE, 1);
    const diag = await finding(client, 1);
    assert.ok(diag, 'a context-secret-copied finding');
    assert.equal(diag.severity, 1);
    assert.equal(diag.range.start.line, 2);
    assert.match(String(diag.message), /\.env/);

    const actions = await client.codeActions(uri, [diag]);
    const add = actions.find((a) => a.title.startsWith('Add .env to .dockerignore')) as CodeAction;
    assert.ok(add, actions.map((a) => a.title).join('\n'));
    assert.notEqual(add.isPreferred, true, 'never preferred: the app may read its .env');
    const resolved = add.edit ? add : await client.resolveAction(add);
    const ignore = pathToFileURL(path.join(dir, '.dockerignore')).href;
    const changes = resolved.edit?.documentChanges ?? [];
    assert.deepEqual(changes[0], { kind: 'create', uri: ignore, options: { ignoreIfExists: true } } satisfies CreateFile);
    const text = changes[1] as TextDocumentEdit;
    assert.equal(text.textDocument.uri, ignore);
    assert.deepEqual(
      text.edits.map((e) => ('newText' in e ? e.newText : '')),
      ['.env\n'],
    );

    // The editor applies it and reports the new file: the server lints again, without the finding.
    writeFileSync(path.join(dir, '.dockerignore'), '.env\n');
    await client.filesChanged([{ uri: ignore, type: 1 }]);
    const after = await client.waitFor('a publication without the finding', () => {
      const last = [...client!.published].reverse().find((p) => p.uri === uri);
      return last && !last.diagnostics.some((d) => d.code === RULE) ? last : undefined;
    });
    assert.ok(after.diagnostics.length > 0, 'the other findings are still published');
  });

  it('shows the fix disabled, with the reason, to a client that cannot create files', async () => {
    client = await TestClient.start();
    await client.open(uri, DOCKERFILE, 1);
    const diag = await finding(client, 1);
    assert.ok(diag);
    const add = (await client.codeActions(uri, [diag])).find((a) => a.title.startsWith('Add .env'));
    assert.ok(add?.disabled, 'disabled');
    assert.match(add.disabled.reason, /create/);
  });

  it('says nothing of an unsaved document: its build context is unknown', async () => {
    client = await TestClient.start();
    await client.open('untitled:Untitled-1', DOCKERFILE, 1);
    const p = await client.diagnosticsFor('untitled:Untitled-1', 1);
    assert.equal(
      p.diagnostics.some((d) => d.code === RULE),
      false,
    );
  });
});
