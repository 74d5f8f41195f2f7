/**
 * Workspace trust through the initialization options, over the real protocol: in an untrusted
 * workspace the server lints, and makes no network request, runs no credential helper and reads no
 * Docker config (the file that names helpers and registries' credentials). Watched, not assumed: the
 * Docker config is a FIFO that shows whether anyone opened it, the helper logs each run, the registry
 * counts connections (test/support/trustProbe.ts). Trusting the workspace later
 * (`dockerfile-hardener/workspaceTrusted`) makes the same request read the config, run the helper and
 * pin: the probes work.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol/node';
import { applyLspEdits as applyEdits, type TextEdit } from '../support/lspEdits';
import { hostileServer, type HostileServer } from '../support/hostileServer';
import { SERVER, TestClient } from '../support/lspClient';
import { OCI_INDEX } from '../support/registry';
import { assertPinningRefused, PROBE_PASSWORD, PROBE_USER, trustProbe, UNTRUSTED, type TrustProbe } from '../support/trustProbe';

const INDEX = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] }));
const DIGEST = `sha256:${createHash('sha256').update(INDEX).digest('hex')}`;

describe('workspace trust (initializationOptions.workspaceTrusted)', function () {
  this.timeout(30_000);
  let probe: TrustProbe;
  let registry: HostileServer;
  let saved: { DOCKER_CONFIG?: string; PATH?: string };
  let client: TestClient | undefined;
  let n = 0;

  before(async () => {
    assert.ok(existsSync(SERVER), `${SERVER} is missing: run npm run build first`);
    probe = trustProbe();
    // A registry that wants the probe's credentials (which only the helper knows).
    const expected = `Basic ${Buffer.from(`${PROBE_USER}:${PROBE_PASSWORD}`).toString('base64')}`;
    registry = await hostileServer((req, res) => {
      if (req.headers.authorization !== expected) return void res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="probe"' }).end();
      res.writeHead(200, { 'Content-Type': OCI_INDEX, 'Docker-Content-Digest': DIGEST }).end(req.method === 'GET' ? INDEX : undefined);
    });
    saved = { DOCKER_CONFIG: process.env.DOCKER_CONFIG, PATH: process.env.PATH };
    Object.assign(process.env, probe.env);
  });

  after(async () => {
    for (const [k, v] of Object.entries(saved ?? {})) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await registry?.stop();
    probe?.dispose();
  });

  afterEach(async () => {
    await client?.stop();
    client = undefined;
  });

  async function open(c: TestClient): Promise<{ uri: string; text: string; diagnostics: Diagnostic[] }> {
    const uri = `file:///work/trust-${n++}/Dockerfile`;
    const text = `FROM ${registry.host}/team/app:1.0\nRUN sudo true\n`;
    await c.open(uri, text, 1);
    return { uri, text, diagnostics: (await c.diagnosticsFor(uri, 1)).diagnostics };
  }

  /** Nothing was asked, run or read. */
  function untouched(): void {
    assert.equal(registry.connections, 0, 'a registry was contacted');
    assert.deepEqual(probe.helperRuns(), [], 'a credential helper ran');
    assert.equal(probe.configRead(), false, "Docker's config was opened");
  }

  for (const [label, init] of [
    ['workspaceTrusted: false', { workspaceTrusted: false }],
    ['a value that is not true ("false")', { workspaceTrusted: 'false' }],
  ] as const) {
    it(`untrusted (${label}): lints as usual; pins and checks nothing, and says why`, async () => {
      client = await TestClient.start({ initializationOptions: init });
      const { uri, diagnostics } = await open(client);
      assert.deepEqual(
        diagnostics.map((d) => d.code),
        ['root-user', 'unpinned-digest', 'sudo'],
        'linting works',
      );
      const unpinned = diagnostics.find((d) => d.code === 'unpinned-digest')!;
      await assertPinningRefused(client, uri, unpinned);
      const forged: CodeAction = {
        title: 'Pin to digest',
        data: { uri, version: 1, rule: 'unpinned-digest', range: unpinned.range, fix: 0, network: true },
      };
      assert.equal((await client.resolveAction(forged)).edit, undefined);
      const applyFix = (await client.executeCommand('dockerfile-hardener.applyFix', [forged.data])) as { ok: boolean; message: string };
      assert.deepEqual([applyFix.ok, UNTRUSTED.test(applyFix.message)], [false, true], JSON.stringify(applyFix));
      // Fixes that need no registry still work.
      const fixAll = await client.codeActionsAt(uri, unpinned.range, ['source.fixAll']);
      assert.equal(fixAll.length, 0, 'sudo has no safe fix; nothing else to fix');
      untouched();
    });
  }

  it('trusted later: the same request reads the config, runs the helper, sends its credentials and pins', async () => {
    client = await TestClient.start({ initializationOptions: { workspaceTrusted: false } });
    const { uri, text, diagnostics } = await open(client);
    const unpinned = diagnostics.find((d) => d.code === 'unpinned-digest')!;
    await client.connection.sendNotification('dockerfile-hardener/workspaceTrusted', {});
    const pin = (await client.codeActions(uri, [unpinned])).find((a) => a.title === 'Pin to digest')!;
    assert.equal(pin.disabled, undefined);
    untouched();
    const resolving = client.resolveAction(pin);
    // The server now waits on the config: the probe sees the read and hands it the config.
    const deadline = Date.now() + 10_000;
    while (!probe.configRead()) {
      assert.ok(Date.now() < deadline, 'the Docker config was never read');
      await new Promise((r) => setTimeout(r, 20));
    }
    const resolved = await resolving;
    const edits = (resolved.edit?.documentChanges?.[0] as { edits: TextEdit[] } | undefined)?.edits ?? [];
    assert.equal(applyEdits(text, edits), text.replace('app:1.0', `app:1.0@${DIGEST}`));
    assert.deepEqual(probe.helperRuns(), [registry.host]);
    assert.equal(
      registry.requests.at(-1)?.headers.authorization,
      `Basic ${Buffer.from(`${PROBE_USER}:${PROBE_PASSWORD}`).toString('base64')}`,
    );
  });
});
