/**
 * The editor reads a Dockerfile as the Compose or Bake file that builds it does (its args and target),
 * over JSON-RPC with the built server, and reads the file again when the client says it changed.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SERVER, TestClient } from '../support/lspClient';

describe('Compose and Bake build inputs in the editor (language server over stdio)', function () {
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

  it('a docker-bake.hcl: its parser loads on first need, then the document is linted with the target args', async () => {
    const bake = mkdtempSync(path.join(tmpdir(), 'dh-lsp-bake-'));
    const second = await TestClient.start({ watchFiles: true });
    try {
      mkdirSync(path.join(bake, 'api'));
      const text = 'ARG BASE=gcr.io/distroless/static-debian12:nonroot\nFROM ${BASE}\nCOPY app /app\nCMD ["/app"]\n';
      const dockerfile = path.join(bake, 'api', 'Dockerfile');
      writeFileSync(dockerfile, text);
      writeFileSync(
        path.join(bake, 'docker-bake.hcl'),
        'variable "GO" { default = "1.26" }\ntarget "api" {\n  context = "api"\n  args = { BASE = "golang:${GO}" }\n}\n',
      );
      const uri = pathToFileURL(dockerfile).toString();
      await second.open(uri, text, 1);
      const linted = await second.waitFor('diagnostics with the Bake args', () =>
        second.published.find((p) => p.uri === uri && p.diagnostics.some((d) => d.code === 'toolchain-final-stage')),
      );
      assert.ok(linted.diagnostics.some((d) => d.code === 'toolchain-final-stage'));
    } finally {
      await second.stop();
      rmSync(bake, { recursive: true, force: true });
    }
  });
});
