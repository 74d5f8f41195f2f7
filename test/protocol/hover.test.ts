/**
 * Hover on a finding, over JSON-RPC with the built server (dist/server.js), which reads the rule's
 * page beside it (dist/../docs/rules): its bundle holds no rationale or examples of its own.
 */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { HoverRequest, type Hover, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { TestClient, SERVER } from '../support/lspClient';

const URI = 'file:///work/hover/Dockerfile';
const TEXT = 'FROM alpine:3.20\nRUN apk add --no-cache curl\nUSER root\nCMD ["/app"]\n';
//                                                        ^^^^ root-user (line 2, 5-9)

describe('hover on a finding (language server over stdio)', function () {
  this.timeout(30_000);
  let client: TestClient;

  before(function () {
    assert.ok(existsSync(SERVER), `${SERVER} is missing: run npm run build first`);
  });
  afterEach(async () => {
    await client?.stop();
  });

  const hover = (line: number, character: number) =>
    client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: URI },
      position: { line, character },
    }) as Promise<Hover | null>;

  it('advertises hover', async () => {
    client = await TestClient.start();
    assert.equal(client.initializeResult.capabilities.hoverProvider, true);
  });

  it("shows the rule's summary, why, an example, what its fixes do and its page, inside the finding's range only", async () => {
    client = await TestClient.start();
    await client.open(URI, TEXT, 1);
    const published = await client.diagnosticsFor(URI, 1);
    const d = published.diagnostics.find((x) => x.code === 'root-user');
    assert.deepEqual(d?.range, { start: { line: 2, character: 5 }, end: { line: 2, character: 9 } });

    const h = await hover(2, 6);
    assert.ok(h, 'no hover on the finding');
    const md = h.contents as MarkupContent;
    assert.equal(md.kind, 'markdown');
    assert.deepEqual(h.range, d.range);
    const page = pathToFileURL(path.resolve(__dirname, '../../docs/rules/root-user.md')).href;
    assert.match(
      md.value,
      /^\*\*root-user\*\*: The shipped image runs as root\.\n\n\*\*Why\.\*\* A process running as root in a container is root on the host's kernel/,
    );
    assert.match(
      md.value,
      /Reported, for example:\n\n```dockerfile\nFROM alpine:3\.20\nRUN apk add --no-cache curl\nUSER root\n# {4}\^{4} root-user\n```/,
    );
    // This finding's own quick fixes, with what each kind means.
    assert.match(
      md.value,
      /\*\*Quick fixes:\*\*\n- Create appuser .* \(suggestion: changes what is built or run; applied only when you pick it\)/,
    );
    assert.ok(md.value.endsWith(`[The rule's page](${page})`), md.value);

    // Both ends of the range are on it; a character outside, and a line without findings, are not.
    assert.ok(await hover(2, 5));
    assert.ok(await hover(2, 9));
    assert.equal(await hover(2, 3), null);
    assert.equal(await hover(1, 4), null);
  });

  it('says nothing for a document it has not published diagnostics for', async () => {
    client = await TestClient.start();
    assert.equal(await hover(0, 0), null);
  });
});
