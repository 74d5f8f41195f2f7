/**
 * Image facts in the editor, over JSON-RPC with the built server: a real registry on 127.0.0.1 holding
 * real images (buildah-built, test/support/realImages.ts), the server's disk cache in a temporary
 * directory. Hover answers from the cache, starts a lookup of an image it has not seen (never waiting
 * for it) only in a trusted workspace with registry.lookups on, and the diagnostics follow the facts.
 * What the registry served is read from its own access log.
 */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import {
  HoverRequest,
  InlayHintRequest,
  type Hover,
  type InlayHint,
  type InlayHintLabelPart,
  type MarkupContent,
} from 'vscode-languageserver-protocol/node';
import { SERVER, TestClient } from '../support/lspClient';
import { applyLspEdits as applyEdits, editsOf } from '../support/lspEdits';
import type { RegistryProcess } from '../support/registry';
import { RealRegistry, type RealImages } from '../support/realImages';

describe('image facts in the editor (real registry, real images)', function () {
  this.timeout(120_000);
  let real: RealRegistry | undefined;
  let registry: RegistryProcess;
  let images: RealImages;
  let work: { dir: string };
  let client: TestClient | undefined;

  before(async function () {
    assert.ok(existsSync(SERVER), `${SERVER} is missing: run npm run build first`);
    real = await RealRegistry.start(this, 'dh-lsp-facts');
    ({ registry, images, work } = real);
  });
  after(async () => {
    await real?.dispose();
  });
  afterEach(async () => {
    await client?.stop();
    client = undefined;
  });

  const start = (cache: string, o: { trusted?: boolean; lookups?: boolean } = {}) =>
    TestClient.start({
      env: {
        ...process.env,
        DOCKERFILE_HARDENER_CACHE_DIR: path.join(work.dir, cache),
        DOCKERFILE_HARDENER_TODAY: '2026-12-07',
        DOCKER_CONFIG: work.dir,
      },
      initializationOptions: o.trusted === false ? { workspaceTrusted: false } : undefined,
      settings: o.lookups === false ? { registry: { lookups: false } } : undefined,
      pinning: false,
    });
  const hover = (c: TestClient, uri: string, line: number, character: number) =>
    c.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } }) as Promise<Hover | null>;
  const text = (h: Hover | null) => (h?.contents as MarkupContent | undefined)?.value ?? '';
  /** Registry requests for hardener images other than the settle probes, since `from`. */
  const served = async (from: number) => {
    await registry.settle();
    return registry.accessLog.slice(from).filter((l) => /"(GET|HEAD) \/v2\/hardener\/(?!settle-)/.test(l));
  };

  it('hover looks the image up once, the diagnostics and a later hover follow; the cache answers a new session with no request', async () => {
    const uri = 'file:///work/facts/Dockerfile';
    const doc = `FROM ${registry.host}/hardener/named:1.0\nCOPY app /app\nCMD ["/app"]\n`;
    client = await start('cache-a');
    await client.open(uri, doc, 1);
    const first = await client.diagnosticsFor(uri, 1);
    assert.match(String(first.diagnostics.find((d) => d.code === 'root-user')?.message), /does not know the default user/);
    const log = registry.accessLog.length;

    const h1 = await hover(client, uri, 0, 8);
    assert.match(text(h1), /Looking up .*hardener\/named:1\.0 on 127\.0\.0\.1:\d+…/);
    assert.match(text(h1), /nothing here is guessed/);
    // The facts arrive: root-user goes (the image runs as app), stale-base comes (built 2020-01-01).
    const after = await client.waitFor(
      'diagnostics with the facts',
      () => {
        const last = [...client!.published].reverse().find((p) => p.uri === uri);
        return last && !last.diagnostics.some((d) => d.code === 'root-user') && last.diagnostics.some((d) => d.code === 'stale-base')
          ? last
          : undefined;
      },
      20_000,
    );
    assert.match(String(after.diagnostics.find((d) => d.code === 'stale-base')?.message), /created 2532 days ago \(2020-01-01/);
    const h2 = text(await hover(client, uri, 0, 8));
    for (const want of [
      /Default user \| `app`/,
      /Created \| 2020-01-01 \(2532 days ago\)/,
      /linux\/amd64 ≈ \d/,
      /single-platform manifest/,
      /cosign: absent/,
      /Presence of a signature is not verification/,
      new RegExp(images.named),
    ])
      assert.match(h2, want);
    const requests = await served(log);
    assert.ok(
      requests.some((l) => l.includes('"HEAD /v2/hardener/named/manifests/1.0')),
      requests.join('\n'),
    );
    assert.ok(
      requests.some((l) => l.includes(`"GET /v2/hardener/named/blobs/sha256:`)),
      requests.join('\n'),
    );
    // The inlay hint on the shipped FROM: the base's compressed size.
    const hints = (await client.connection.sendRequest(InlayHintRequest.type, {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } },
    })) as InlayHint[];
    assert.equal(hints.length, 1);
    assert.match((hints[0].label as InlayHintLabelPart[])[0].value, /^ ≈ \d+(\.\d)? (kB|MB) \(linux\/amd64\)$/);
    await client.stop();

    // A new session (the CLI, or the editor tomorrow) reads the same cache: facts at once, no request.
    const log2 = registry.accessLog.length;
    client = await start('cache-a');
    await client.open(uri, doc, 1);
    const again = await client.waitFor('facts from the cache', () => {
      const last = [...client!.published].reverse().find((p) => p.uri === uri);
      return last?.diagnostics.some((d) => d.code === 'stale-base') ? last : undefined;
    });
    assert.ok(!again.diagnostics.some((d) => d.code === 'root-user'));
    assert.match(text(await hover(client, uri, 0, 8)), /Default user \| `app`/);
    assert.deepEqual(await served(log2), []);
  });

  it('a multi-platform index: both platforms in the hover; a pinned platform digest is reported and fixed', async () => {
    const uri = 'file:///work/facts/multi/Dockerfile';
    const doc = `FROM ${registry.host}/hardener/multi:1.0@${images.multi.arm64}\nCMD ["/app"]\n`;
    client = await start('cache-b');
    await client.open(uri, doc, 1);
    await client.diagnosticsFor(uri, 1);
    await hover(client, uri, 0, 10);
    const reported = await client.waitFor(
      'platform-digest-pinned',
      () =>
        [...client!.published]
          .reverse()
          .find((p) => p.uri === uri)
          ?.diagnostics.find((d) => d.code === 'platform-digest-pinned'),
      20_000,
    );
    assert.match(String(reported.message), /is the linux\/arm64 manifest of .*multi:1\.0, not its multi-platform index/);
    const actions = await client.codeActions(uri, [reported]);
    const fix = actions.find((a) => a.title.startsWith('Pin the index digest'));
    assert.ok(fix, actions.map((a) => a.title).join(', '));
    assert.equal(fix.isPreferred, true);
    const resolved = fix.edit ? fix : await client.resolveAction(fix);
    assert.equal(applyEdits(doc, editsOf(resolved.edit, uri)), doc.replace(images.multi.arm64, images.multi.index));
    const h = text(await hover(client, uri, 0, 10));
    assert.match(h, /single-platform manifest/);
    assert.match(h, /Tag 1\.0 \| an index of linux\/amd64, linux\/arm64, in which this digest is linux\/arm64 only/);
  });

  it('untrusted, or registry.lookups off: hover says so and nothing is sent', async () => {
    for (const o of [{ trusted: false }, { lookups: false }]) {
      const uri = `file:///work/facts/${o.trusted === false ? 'untrusted' : 'off'}/Dockerfile`;
      client = await start(`cache-${o.trusted === false ? 'u' : 'o'}`, o);
      await client.open(uri, `FROM ${registry.host}/hardener/numeric:1.0\nCMD ["/app"]\n`, 1);
      await client.diagnosticsFor(uri, 1);
      const log = registry.accessLog.length;
      assert.match(text(await hover(client, uri, 0, 8)), /Not looked up: registry lookups are off here/);
      await new Promise((r) => setTimeout(r, 500));
      assert.deepEqual(await served(log), [], JSON.stringify(o));
      await client.stop();
      client = undefined;
    }
  });
});
