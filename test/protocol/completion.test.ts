/**
 * Tag, digest and stage-name completion through the real protocol: the built server over stdio, a
 * real registry on 127.0.0.1 (docker-registry, seeded over its API, with more tags pushed), and the
 * JSON-RPC client of test/support/lspClient.ts. Whether the registry was asked is read from its own
 * access log: linting never asks, completion asks only in a trusted workspace with
 * `registry.lookups` on, and a registry that does not answer gives no items, within the timeout.
 */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import {
  CancellationTokenSource,
  CompletionRequest,
  type CompletionItem,
  type CompletionList,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { DOCKER_MANIFEST, requireRegistry, seed, startRegistry, tempDir, type RegistryProcess, type Seeded } from '../support/registry';
import { silentRegistry, type FakeServer } from '../support/fakeRegistry';
import { SERVER, TestClient, type ClientOptions } from '../support/lspClient';

const TAGS = ['1.9', '1.10', '1.26', '1.26.1', '1.26-alpine', 'latest', 'edge'];

describe('completion over the protocol (real registry)', function () {
  this.timeout(30_000);
  let storage: ReturnType<typeof tempDir>;
  let dockerConfig: ReturnType<typeof tempDir>;
  let registry: RegistryProcess;
  let silent: FakeServer;
  let seeded: Seeded;
  let client: TestClient | undefined;
  let n = 0;

  before(async function () {
    const bin = requireRegistry(this);
    assert.ok(existsSync(SERVER), `${SERVER} is missing: run npm run build first`);
    storage = tempDir('dh-completion-registry-');
    registry = await startRegistry(bin, { storage: storage.dir });
    seeded = await seed(registry.host);
    const url = `http://${registry.host}/v2/hardener/single/manifests`;
    const manifest = Buffer.from(await (await fetch(`${url}/1.0`, { headers: { Accept: DOCKER_MANIFEST } })).arrayBuffer());
    for (const tag of TAGS) await fetch(`${url}/${tag}`, { method: 'PUT', body: manifest, headers: { 'Content-Type': DOCKER_MANIFEST } });
    silent = await silentRegistry();
    dockerConfig = tempDir('dh-completion-docker-config-'); // no credentials: nothing of this machine's is read
  });

  after(async () => {
    await registry?.stop();
    await silent?.stop();
    storage?.dispose();
    dockerConfig?.dispose();
  });

  afterEach(async () => {
    await client?.stop();
    client = undefined;
  });

  const start = (o: ClientOptions = {}) => TestClient.start({ env: { ...process.env, DOCKER_CONFIG: dockerConfig.dir }, ...o });

  /** Opens `text` (the cursor at `|`), waits for its diagnostics, and asks for completion at the cursor. */
  async function complete(
    c: TestClient,
    written: string,
    token?: CancellationTokenSource,
  ): Promise<{ list: CompletionList; text: string }> {
    const offset = written.indexOf('|');
    const text = written.replace('|', '');
    const before = text.slice(0, offset).split('\n');
    const uri = `file:///work/completion-${n++}/Dockerfile`;
    await c.open(uri, text, 1);
    await c.diagnosticsFor(uri, 1);
    const position = { line: before.length - 1, character: before[before.length - 1].length };
    const list = (await c.connection.sendRequest(
      CompletionRequest.type,
      { textDocument: { uri }, position },
      token?.token,
    )) as CompletionList;
    return { list, text };
  }
  /** Tag list requests the registry has answered. */
  const tagRequests = async () => {
    await registry.settle();
    return registry.accessLog.filter((l) => l.includes('/tags/list')).length;
  };
  const manifestRequests = async (method: string) => {
    await registry.settle();
    return registry.accessLog.filter((l) => l.includes(`"${method} /v2/hardener/`) && l.includes('/manifests/') && !l.includes('/settle-'))
      .length;
  };
  const labels = (items: CompletionItem[]) =>
    [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? '')).map((i) => i.label);

  it('offers the tags after FROM name:, newest versions first, replacing the tag written', async () => {
    client = await start();
    assert.deepEqual(client.initializeResult.capabilities.completionProvider?.triggerCharacters, [':', '@', '=']);
    const before = await tagRequests();
    const { list } = await complete(client, `FROM --platform=$BUILDPLATFORM ${registry.host}/hardener/single:1.|2 AS build\n`);
    assert.deepEqual(labels(list.items), ['1.26.1', '1.26', '1.26-alpine', '1.10', '1.9', '1.0']);
    const edit = list.items[0].textEdit as TextEdit;
    const tagAt = `FROM --platform=$BUILDPLATFORM ${registry.host}/hardener/single:`.length;
    assert.deepEqual(edit.range, { start: { line: 0, character: tagAt }, end: { line: 0, character: tagAt + 3 } });
    assert.equal(await tagRequests(), before + 1, 'one tag list: linting asked nothing');
  });

  it('in COPY --from=: tags for an image, the stages above for a name', async () => {
    client = await start();
    const image = await complete(client, `FROM alpine AS build\nFROM scratch\nCOPY --from=${registry.host}/hardener/single:| /a /b\n`);
    assert.deepEqual(labels(image.list.items), ['1.26.1', '1.26', '1.26-alpine', '1.10', '1.9', '1.0', 'latest', 'edge']);
    const stages = await complete(client, 'FROM alpine AS build\nFROM alpine AS tools\nFROM scratch AS final\nCOPY --from=|\n');
    assert.deepEqual(
      stages.list.items.map((i) => [i.label, i.detail]),
      [
        ['build', 'stage 0 (FROM alpine)'],
        ['tools', 'stage 1 (FROM alpine)'],
      ],
    );
  });

  it('offers the digest the tag points at now after name:tag@, asked with HEAD', async () => {
    client = await start();
    const gets = await manifestRequests('GET');
    const { list } = await complete(client, `FROM ${registry.host}/hardener/oci:1.0@|\n`);
    assert.deepEqual(
      list.items.map((i) => [i.label, (i.textEdit as TextEdit).newText, i.detail]),
      [[seeded.ociIndex, seeded.ociIndex, `${registry.host}/hardener/oci:1.0 now (multi-platform index)`]],
    );
    assert.equal(await manifestRequests('GET'), gets, 'no manifest GET (pull limits count them)');
  });

  for (const [label, options] of [
    ['an untrusted workspace', { initializationOptions: { workspaceTrusted: false } }],
    ['registry.lookups off', { settings: { registry: { lookups: false } } }],
    ['registry.lookups off (flattened key)', { settings: { 'registry.lookups': false } }],
  ] as const) {
    it(`${label}: no tags and no digest, no request to the registry; stage names still`, async () => {
      client = await start(options);
      const before = [await tagRequests(), await manifestRequests('HEAD')];
      assert.deepEqual((await complete(client, `FROM ${registry.host}/hardener/single:|\n`)).list.items, []);
      assert.deepEqual((await complete(client, `FROM ${registry.host}/hardener/single:1.0@|\n`)).list.items, []);
      assert.deepEqual(
        (await complete(client, 'FROM alpine AS build\nFROM scratch\nCOPY --from=b|\n')).list.items.map((i) => i.label),
        ['build'],
      );
      assert.deepEqual([await tagRequests(), await manifestRequests('HEAD')], before);
    });
  }

  it('a registry that never answers: no items and no error, within the registry timeout', async () => {
    client = await start({ settings: { registry: { timeout: 1 } } });
    const started = Date.now();
    const { list } = await complete(client, `FROM ${silent.host}/team/app:|\n`);
    assert.deepEqual(list.items, []);
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    await client.waitFor('the reason in the log', () => client!.logs.find((l) => /team\/app.*within 1 s/.test(l)));
  });

  it('a cancelled request ends at once, long before the registry timeout', async () => {
    client = await start({ settings: { registry: { timeout: 60 } } });
    const source = new CancellationTokenSource();
    const before = silent.requests.length;
    const asked = complete(client, `FROM ${silent.host}/team/other:|\n`, source);
    await silent.seen(before + 1);
    const started = Date.now();
    source.cancel();
    const outcome = await asked.then(
      (r) => r.list.items.length,
      (e: { code?: number }) => e.code,
    );
    assert.ok(outcome === 0 || outcome === -32800, `answered ${String(outcome)}`);
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms after the cancel`);
  });
});
