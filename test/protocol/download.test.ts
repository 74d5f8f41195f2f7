/**
 * download-without-checksum's fix through the real protocol: the built server over stdio and a
 * loopback HTTP server (never the internet). The file is downloaded only when the fix is resolved,
 * never while linting or listing code actions, and never in an untrusted workspace.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol/node';
import { applyLspEdits as applyEdits, editsOf } from '../support/lspEdits';
import { SERVER, TestClient } from '../support/lspClient';

const BODY = Buffer.from('a tarball, as far as this test is concerned\n'.repeat(100));
const SHA = createHash('sha256').update(BODY).digest('hex');
const TITLE = /^Add a sha256 check \(of what 127\.0\.0\.1:\d+ serves now — compare it with the publisher's\)$/;

describe('download-without-checksum fix over the protocol (loopback HTTP server)', function () {
  this.timeout(30_000);
  let server: http.Server;
  let origin: string;
  const hits: string[] = [];
  let client: TestClient | undefined;
  let version = 1;

  before(async () => {
    assert.ok(existsSync(SERVER), `${SERVER} is missing: run npm run build first`);
    server = http.createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/tool-1.0.tar.gz') res.end(BODY);
      else {
        res.writeHead(404, 'Not Found');
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  afterEach(async () => {
    await client?.stop();
    client = undefined;
  });

  async function open(c: TestClient, name: string, text: string): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
    const uri = `file:///work/download/${name}/Dockerfile`;
    const v = version++;
    await c.open(uri, text, v);
    return { uri, diagnostics: (await c.diagnosticsFor(uri, v)).diagnostics };
  }

  async function checksumAction(c: TestClient, uri: string, diagnostics: Diagnostic[]): Promise<CodeAction> {
    const d = diagnostics.filter((x) => x.code === 'download-without-checksum');
    assert.equal(d.length, 1);
    const action = (await c.codeActions(uri, d)).find((a) => TITLE.test(a.title));
    assert.ok(action, 'the checksum quick-fix');
    return action;
  }

  it('downloads only on resolve, then adds the sha256 of what the server served', async () => {
    client = await TestClient.start();
    const text = `FROM debian:12\nRUN curl -fsSL ${origin}/tool-1.0.tar.gz | tar xz -C /opt\n`;
    const { uri, diagnostics } = await open(client, 'ok', text);
    const action = await checksumAction(client, uri, diagnostics);
    assert.equal(action.disabled, undefined);
    assert.equal(hits.length, 0, 'nothing downloaded while linting or listing actions');
    const resolved = await client.resolveAction(action);
    assert.deepEqual(hits.splice(0), ['/tool-1.0.tar.gz']);
    assert.equal(
      applyEdits(text, editsOf(resolved.edit, uri)),
      `FROM debian:12\nRUN curl -fsSL ${origin}/tool-1.0.tar.gz -o /tmp/tool-1.0.tar.gz && echo "${SHA}  /tmp/tool-1.0.tar.gz" | sha256sum -c - && tar xz -C /opt -f /tmp/tool-1.0.tar.gz && rm -f /tmp/tool-1.0.tar.gz\n`,
    );
  });

  it('a 404 resolves to a disabled action with the reason, and no edit', async () => {
    client = await TestClient.start();
    const { uri, diagnostics } = await open(
      client,
      'missing',
      `FROM debian:12\nRUN wget -qO /usr/local/bin/gone ${origin}/gone && chmod +x /usr/local/bin/gone\n`,
    );
    const resolved = await client.resolveAction(await checksumAction(client, uri, diagnostics));
    hits.splice(0);
    assert.equal(resolved.edit, undefined);
    assert.match(resolved.disabled?.reason ?? '', /answered 404 Not Found/);
  });

  it('untrusted workspace: offered disabled with the reason, nothing downloaded, even on a forged resolve', async () => {
    client = await TestClient.start({ initializationOptions: { workspaceTrusted: false } });
    const { uri, diagnostics } = await open(client, 'untrusted', `FROM debian:12\nRUN curl -fsSL ${origin}/tool-1.0.tar.gz | tar xz\n`);
    const action = await checksumAction(client, uri, diagnostics);
    assert.match(action.disabled?.reason ?? '', /^Downloads are off in an untrusted workspace/);
    const d = diagnostics.find((x) => x.code === 'download-without-checksum')!;
    const forged = await client.resolveAction({
      title: action.title,
      data: { uri, version: version - 1, rule: 'download-without-checksum', range: d.range, fix: 0, network: true },
    });
    assert.equal(forged.edit, undefined);
    assert.equal(hits.length, 0);
  });
});
