/**
 * The editor reads a Dockerfile as the Compose file that builds it does (its args and target), over
 * JSON-RPC with the built server, and reads the Compose file again when the client says it changed.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SERVER, TestClient } from '../support/lspClient';

describe('Compose build inputs in the editor (language server over stdio)', function () {
  this.timeout(30_000);
  let dir: string;
  let client: TestClient | undefined;
  before(() => {
    assert.ok(existsSync(SERVER), `${SERVER} is missing: run npm run build first`);
    dir = mkdtempSync(path.join(tmpdir(), 'dh-lsp-compose-'));
    mkdirSync(path.join(dir, 'api'));
  });
  after(async () => {
    await client?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lints with the service args, and again after the compose file changes', async () => {
    const text = 'ARG BASE=gcr.io/distroless/static-debian12:nonroot\nFROM ${BASE}\nCOPY app /app\nCMD ["/app"]\n';
    const dockerfile = path.join(dir, 'api', 'Dockerfile');
    writeFileSync(dockerfile, text);
    const compose = path.join(dir, 'compose.yaml');
    writeFileSync(compose, 'services:\n  api:\n    build:\n      context: api\n      args:\n        BASE: golang:1.26\n');
    client = await TestClient.start({ watchFiles: true });
    const uri = pathToFileURL(dockerfile).toString();
    await client.open(uri, text, 1);
    const first = await client.diagnosticsFor(uri, 1);
    assert.ok(
      first.diagnostics.some((d) => d.code === 'toolchain-final-stage'),
      JSON.stringify(first.diagnostics.map((d) => d.code)),
    );

    writeFileSync(compose, 'services:\n  api:\n    build:\n      context: api\n');
    const before = client.published.length;
    await client.filesChanged([{ uri: pathToFileURL(compose).toString(), type: 2 }]);
    const after = await client.waitFor('diagnostics after the compose change', () =>
      client!.published.slice(before).find((p) => p.uri === uri && !p.diagnostics.some((d) => d.code === 'toolchain-final-stage')),
    );
    assert.ok(!after.diagnostics.some((d) => d.code === 'toolchain-final-stage'));
  });
});
