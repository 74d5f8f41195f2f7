/**
 * Formatting over the protocol: the server declares document and range formatting, and answers with
 * text edits that, applied by the client, give the formatted document (CRLF and heredocs kept).
 */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TestClient, SERVER } from '../support/lspClient';

const MESSY = 'FROM alpine:3.23 as base\r\nrun   apk add \\  \r\ncurl\r\nRUN <<EOF\r\n  keep  \r\nEOF\r\ncopy a b';
const TIDY = 'FROM alpine:3.23 AS base\r\nRUN apk add \\\r\n    curl\r\nRUN <<EOF\r\n  keep  \r\nEOF\r\nCOPY a b\r\n';

describe('formatting over the protocol', function () {
  this.timeout(30_000);
  let client: TestClient;

  before(function () {
    assert.ok(existsSync(SERVER), `${SERVER} is missing: run npm run build first`);
  });
  afterEach(async () => {
    await client?.stop();
  });

  it('declares document and range formatting, and formats a document', async () => {
    client = await TestClient.start();
    const caps = client.initializeResult.capabilities;
    assert.equal(caps.documentFormattingProvider, true);
    assert.equal(caps.documentRangeFormattingProvider, true);
    const uri = 'file:///tmp/format/Dockerfile';
    await client.open(uri, MESSY);
    const edits = await client.formatting(uri);
    const doc = TextDocument.create(uri, 'dockerfile', 1, MESSY);
    assert.equal(TextDocument.applyEdits(doc, edits), TIDY);
    await client.change(uri, 2, TIDY);
    assert.deepEqual(await client.formatting(uri), []);
  });

  it('formats only the instructions a range intersects', async () => {
    client = await TestClient.start();
    const uri = 'file:///tmp/format/Dockerfile.range';
    await client.open(uri, MESSY);
    const range = { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } };
    const edits = await client.formatting(uri, range);
    const doc = TextDocument.create(uri, 'dockerfile', 1, MESSY);
    assert.equal(
      TextDocument.applyEdits(doc, edits),
      'FROM alpine:3.23 as base\r\nRUN apk add \\\r\n    curl\r\nRUN <<EOF\r\n  keep  \r\nEOF\r\ncopy a b',
    );
  });

  it('answers with no edits for a document it does not have', async () => {
    client = await TestClient.start();
    assert.deepEqual(await client.formatting('file:///tmp/format/unknown'), []);
  });
});
