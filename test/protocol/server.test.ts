/**
 * The built language server over stdio, as any LSP client (Neovim, Emacs, Helix) runs it.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TestClient, SERVER } from '../support/lspClient';

const FIXTURE = [
  'FROM golang:1.26 AS build', //        0
  'WORKDIR /src', //                     1
  'COPY . .', //                         2
  'RUN go build -o /out/app .', //       3
  '', //                                 4
  'FROM scratch', //                     5
  'COPY --from=build /out/app /app', //  6
  'USER appuser', //                     7
  'CMD /app', //                         8
  '',
].join('\n');

function summary(p: {
  diagnostics: {
    code?: unknown;
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    severity?: number;
  }[];
}) {
  return p.diagnostics.map(
    (d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.severity} ${d.code}`,
  );
}

describe('language server over stdio', function () {
  this.timeout(30_000);
  let client: TestClient;

  before(function () {
    assert.ok(existsSync(SERVER), `${SERVER} is missing: run npm run build first`);
  });
  afterEach(async () => {
    await client?.stop();
  });

  it('with the default settings, publishes no unpinned-digest (off by default)', async () => {
    client = await TestClient.start({ pinning: false });
    const uri = 'file:///work/defaults/Dockerfile';
    await client.open(uri, 'FROM alpine:3.23\nUSER 10001\n', 1);
    assert.deepEqual(summary(await client.diagnosticsFor(uri, 1)), []);
  });

  it('answers initialize with incremental sync and its name', async () => {
    client = await TestClient.start();
    assert.equal(client.initializeResult.serverInfo?.name, 'dockerfile-hardener');
    assert.equal(client.initializeResult.capabilities.textDocumentSync, 2);
  });

  it('publishes the hardening diagnostics of a fixture with codes, ranges, severities and docs links', async () => {
    client = await TestClient.start();
    const uri = 'file:///work/app/Dockerfile';
    await client.open(uri, FIXTURE, 1);
    const p = await client.diagnosticsFor(uri, 1);
    assert.deepEqual(summary(p), [
      '0:5-0:16 3 unpinned-digest',
      '3:4-3:12 3 go-build-unstripped',
      '3:4-3:12 2 go-cgo-in-scratch',
      '7:5-7:12 1 scratch-user-unresolvable',
      '8:4-8:8 1 scratch-shell-form',
    ]);
    for (const d of p.diagnostics) {
      assert.equal(d.source, 'dockerfile-hardener');
      // The page shipped beside the server (dist/../docs/rules), on this machine.
      assert.equal(d.codeDescription?.href, pathToFileURL(path.resolve(__dirname, '../../docs/rules', `${d.code}.md`)).href);
      assert.ok(typeof d.message === 'string' && d.message.length > 20);
    }
  });

  it('reads the entrypoint script beside a Dockerfile on disk, and the role its name says', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dh-lsp-context-'));
    try {
      const text = 'FROM debian:12-slim\nRUN useradd --system app\nCOPY start.sh /start.sh\nENTRYPOINT ["/start.sh"]\n';
      writeFileSync(path.join(dir, 'start.sh'), '#!/bin/sh\nexec setpriv --reuid=app --regid=app --init-groups /usr/local/bin/server\n');
      client = await TestClient.start();
      const uri = pathToFileURL(path.join(dir, 'Dockerfile')).href;
      await client.open(uri, text, 1);
      const p = await client.diagnosticsFor(uri, 1);
      const ours = p.diagnostics.filter((d) => String(d.code).startsWith('root-'));
      assert.deepEqual(
        ours.map((d) => `${d.code} ${d.range.start.line}`),
        ['root-entrypoint 3'],
      );
      assert.match(String(ours[0].message), /start.sh line 2 steps down to app with setpriv/);
      // An unsaved document has no build context: the same text says the script could not be read.
      await client.open('untitled:Untitled-1', text, 1);
      const u = await client.diagnosticsFor('untitled:Untitled-1', 1);
      assert.match(String(u.diagnostics.find((d) => d.code === 'root-user')?.message ?? ''), /could not be read/);
      // Dockerfile.dev beside it is a development image: no root-user.
      const dev = pathToFileURL(path.join(dir, 'Dockerfile.dev')).href;
      await client.open(dev, 'FROM debian:12-slim\nCMD ["/app"]\n', 1);
      assert.deepEqual(
        (await client.diagnosticsFor(dev, 1)).diagnostics.filter((d) => d.code === 'root-user'),
        [],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('speaks Node IPC too, as the VS Code client starts it', async () => {
    client = await TestClient.start({ transport: 'ipc' });
    const uri = 'file:///work/ipc/Dockerfile';
    await client.open(uri, 'FROM alpine\n', 1);
    const p = await client.diagnosticsFor(uri, 1);
    assert.deepEqual(summary(p), ['0:5-0:11 2 latest-tag', '0:5-0:11 3 unpinned-digest']);
  });

  it('re-lints on change and clears diagnostics on close', async () => {
    client = await TestClient.start();
    const uri = 'file:///work/app/Dockerfile';
    await client.open(uri, 'FROM alpine\n', 1);
    const first = await client.diagnosticsFor(uri, 1);
    assert.deepEqual(summary(first), ['0:5-0:11 2 latest-tag', '0:5-0:11 3 unpinned-digest']);
    await client.change(uri, 2, 'FROM alpine:3.23\nUSER 10001\n');
    const second = await client.diagnosticsFor(uri, 2);
    assert.deepEqual(summary(second), ['0:5-0:16 3 unpinned-digest']);
    await client.close(uri);
    const closed = await client.waitFor('empty diagnostics after close', () => {
      const last = client.published[client.published.length - 1];
      return last.uri === uri && last.version === undefined && last.diagnostics.length === 0 ? last : undefined;
    });
    assert.equal(closed.diagnostics.length, 0);
  });

  it('lints only the newest version of a burst of changes', async () => {
    client = await TestClient.start();
    const uri = 'file:///work/burst/Dockerfile';
    await client.open(uri, 'FROM alpine:3.23\n', 1);
    await client.diagnosticsFor(uri, 1);
    const before = client.published.length;
    for (let v = 2; v <= 40; v++) await client.change(uri, v, `FROM alpine:3.23\nUSER ${v % 2 ? 'root' : '10001'}\n`);
    const last = await client.diagnosticsFor(uri, 40);
    assert.deepEqual(summary(last), ['0:5-0:16 3 unpinned-digest']);
    const burst = client.published.slice(before).filter((p) => p.uri === uri);
    assert.ok(burst.length < 39, `expected fewer publications than changes, got ${burst.length}`);
    assert.ok(
      burst.every((p, i) => i === 0 || (p.version ?? 0) > (burst[i - 1].version ?? 0)),
      'versions only go forward',
    );
  });

  it('takes rule severities from workspace/configuration and re-lints when they change', async () => {
    client = await TestClient.start({ settings: { rules: { 'latest-tag': 'error', 'unpinned-digest': 'off' } } });
    const uri = 'file:///work/cfg/Dockerfile';
    await client.open(uri, 'FROM alpine\nUSER 10001\n', 1);
    const p = await client.diagnosticsFor(uri, 1);
    assert.deepEqual(summary(p), ['0:5-0:11 1 latest-tag']);
    assert.equal(p.diagnostics[0].severity, DiagnosticSeverity.Error);
    const count = client.published.length;
    await client.changeConfiguration({ rules: { 'latest-tag': 'off', 'unpinned-digest': 'hint' } });
    const after = await client.waitFor('re-lint after configuration change', () =>
      client.published.slice(count).find((x) => x.uri === uri),
    );
    assert.deepEqual(summary(after), ['0:5-0:11 4 unpinned-digest']);
  });

  it('takes settings from initializationOptions when the client cannot be asked', async () => {
    client = await TestClient.start({
      pullConfiguration: false,
      initializationOptions: { settings: { rules: { 'root-user': 'off', 'unpinned-digest': 'off' } } },
    });
    const uri = 'file:///work/init/Dockerfile';
    await client.open(uri, 'FROM alpine:3.23\n', 1);
    const p = await client.diagnosticsFor(uri, 1);
    assert.deepEqual(summary(p), []);
  });

  it('honours targetStage from the settings', async () => {
    client = await TestClient.start({ settings: { targetStage: 'runtime', rules: { 'unpinned-digest': 'off' } } });
    const uri = 'file:///work/target/Dockerfile';
    await client.open(uri, 'FROM alpine:3.23 AS runtime\nUSER 10001\n\nFROM alpine:3.23 AS debug\n', 1);
    const p = await client.diagnosticsFor(uri, 1);
    assert.deepEqual(summary(p), []);
  });

  it('offers "ignore here" and "ignore in file" for every finding; applying one silences it', async () => {
    client = await TestClient.start();
    const uri = 'file:///work/ignore/Dockerfile';
    const text = 'FROM alpine:3.23\nRUN sudo apk add curl\n';
    await client.open(uri, text, 1);
    const p = await client.diagnosticsFor(uri, 1);
    const sudo = p.diagnostics.find((d) => d.code === 'sudo')!;
    const actions = await client.codeActions(uri, [sudo]);
    assert.deepEqual(
      actions.map((a) => `${a.kind} ${a.title}`),
      ['quickfix Ignore sudo for this instruction', 'quickfix Ignore sudo in this file'],
    );
    assert.deepEqual(actions[0].diagnostics, [sudo]);
    const change = actions[0].edit!.documentChanges![0] as unknown as {
      textDocument: { version: number };
      edits: { range: never; newText: string }[];
    };
    assert.equal(change.textDocument.version, 1);
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'dockerfile', 1, text), change.edits);
    assert.equal(fixed, 'FROM alpine:3.23\n# dockerfile-hardener ignore=sudo\nRUN sudo apk add curl\n');
    await client.change(uri, 2, fixed);
    const after = await client.diagnosticsFor(uri, 2);
    assert.ok(!after.diagnostics.some((d) => d.code === 'sudo'));
    assert.ok(
      after.diagnostics.some((d) => d.code === 'apk-cache'),
      'other rules still report',
    );
    const source = await client.codeActions(uri, [sudo], ['source.fixAll']);
    assert.deepEqual(
      source.map((a) => a.kind),
      ['source.fixAll.dockerfile-hardener'],
      'no quick-fixes when only source actions are asked for',
    );
  });

  describe('fixes', () => {
    const text =
      'FROM golang:1.26 AS build\nRUN --mount=type=cache,target=/root/.cache/go-build go build -a -o /out/app .\n\nFROM alpine:3.23\nRUN apk update && apk add curl\nCOPY --from=build /out/app /app\nENTRYPOINT /app --serve\n';
    const safe =
      'FROM golang:1.26 AS build\nRUN --mount=type=cache,target=/root/.cache/go-build go build -ldflags="-s -w" -o /out/app .\n\nFROM alpine:3.23\nRUN apk add --no-cache curl\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app", "--serve"]\n';
    const apply = (t: string, edit: { documentChanges?: unknown[]; changes?: Record<string, unknown> }) => {
      const change = (edit.documentChanges?.[0] ?? { edits: Object.values(edit.changes ?? {})[0] }) as { edits: never[] };
      return TextDocument.applyEdits(TextDocument.create('x', 'dockerfile', 1, t), change.edits);
    };

    it("offers each finding's fixes as quick-fixes, building the edit on codeAction/resolve", async () => {
      client = await TestClient.start();
      const uri = 'file:///work/fix/Dockerfile';
      await client.open(uri, text, 1);
      const p = await client.diagnosticsFor(uri, 1);
      const unstripped = p.diagnostics.find((d) => d.code === 'go-build-unstripped')!;
      const actions = await client.codeActions(uri, [unstripped]);
      assert.deepEqual(
        actions.map((a) => `${a.isPreferred ? '*' : ' '} ${a.title}`),
        ['* Add -ldflags="-s -w"', '  Ignore go-build-unstripped for this instruction', '  Ignore go-build-unstripped in this file'],
      );
      assert.equal(actions[0].edit, undefined, 'the edit is built on resolve');
      const resolved = await client.resolveAction(actions[0]);
      const fixed = apply(text, resolved.edit!);
      assert.equal(fixed, text.replace('go build -a', 'go build -ldflags="-s -w" -a'));
      await client.change(uri, 2, fixed);
      const after = await client.diagnosticsFor(uri, 2);
      assert.ok(!after.diagnostics.some((d) => d.code === 'go-build-unstripped'));
    });

    it("finds the finding from the diagnostic's data when a client sends it back with other columns", async () => {
      client = await TestClient.start();
      const uri = 'file:///work/utf8/Dockerfile';
      const utf = 'FROM alpine:3.23\nRUN echo "h\u00e9llo" && apk add curl\n';
      await client.open(uri, utf, 1);
      const p = await client.diagnosticsFor(uri, 1);
      const apk = p.diagnostics.find((d) => d.code === 'apk-cache')!;
      // Neovim 0.7 counts bytes: é is two, so everything after it moves right by one.
      const asBytes = {
        ...apk,
        range: {
          start: { ...apk.range.start, character: apk.range.start.character + 1 },
          end: { ...apk.range.end, character: apk.range.end.character + 1 },
        },
      };
      const titles = (await client.codeActions(uri, [asBytes])).map((a) => a.title);
      assert.ok(titles.includes('Use apk add --no-cache'), JSON.stringify(titles));
    });

    it('puts the edit in the action for clients without resolve', async () => {
      client = await TestClient.start({ resolve: false });
      const uri = 'file:///work/fix2/Dockerfile';
      await client.open(uri, text, 1);
      const p = await client.diagnosticsFor(uri, 1);
      const cmd = p.diagnostics.find((d) => d.code === 'shell-form-cmd')!;
      const [first] = await client.codeActions(uri, [cmd]);
      assert.equal(first.title, 'Use the exec form: ["/app", "--serve"]');
      assert.equal(apply(text, first.edit!), text.replace('ENTRYPOINT /app --serve', 'ENTRYPOINT ["/app", "--serve"]'));
    });

    it('offers source.fixAll.dockerfile-hardener with every safe fix, as small edits', async () => {
      client = await TestClient.start();
      const uri = 'file:///work/fixall/Dockerfile';
      await client.open(uri, text, 1);
      await client.diagnosticsFor(uri, 1);
      const actions = await client.codeActions(uri, [], ['source.fixAll']);
      assert.deepEqual(
        actions.map((a) => `${a.kind} ${a.title}`),
        ['source.fixAll.dockerfile-hardener Fix all safe Dockerfile Hardener findings (4)'],
      );
      const edits = (actions[0].edit!.documentChanges![0] as unknown as { edits: { range: { start: { line: number } } }[] }).edits;
      assert.deepEqual(
        edits.map((e) => e.range.start.line),
        [1, 4, 6],
        'only the changed lines',
      );
      assert.equal(apply(text, actions[0].edit!), safe);
      assert.deepEqual(await client.codeActions(uri, [], ['quickfix']), [], 'no fix-all among quick-fixes');
    });

    it('a stale resolve (the document changed) returns no edit rather than a wrong one', async () => {
      client = await TestClient.start();
      const uri = 'file:///work/stale/Dockerfile';
      await client.open(uri, text, 1);
      const p = await client.diagnosticsFor(uri, 1);
      const [action] = await client.codeActions(uri, [p.diagnostics.find((d) => d.code === 'go-build-unstripped')!]);
      await client.change(uri, 2, 'FROM golang:1.26 AS build\nRUN echo nothing\n');
      await client.diagnosticsFor(uri, 2);
      const resolved = await client.resolveAction(action);
      assert.equal(resolved.edit, undefined);
    });
  });

  describe('convert to multi-stage scratch build', () => {
    const single = 'FROM golang:1.26\nWORKDIR /src\nCOPY go.mod go.sum main.go ./\nRUN go build -o app .\nCMD ["./app"]\n';
    const at = (line: number) => ({ start: { line, character: 2 }, end: { line, character: 2 } });

    it('offers a refactor.rewrite action on the FROM line, building the edit on resolve', async () => {
      client = await TestClient.start();
      const uri = 'file:///work/convert/Dockerfile';
      await client.open(uri, single, 1);
      await client.diagnosticsFor(uri, 1);
      assert.deepEqual(await client.codeActionsAt(uri, at(3), ['refactor']), [], 'not on other lines');
      const [action] = await client.codeActionsAt(uri, at(0), ['refactor']);
      assert.equal(action.title, 'Convert to multi-stage scratch build');
      assert.equal(action.kind, 'refactor.rewrite');
      assert.equal(action.edit, undefined);
      const resolved = await client.resolveAction(action);
      const change = resolved.edit!.documentChanges![0] as unknown as { edits: never[] };
      const after = TextDocument.applyEdits(TextDocument.create(uri, 'dockerfile', 1, single), change.edits);
      assert.match(after, /^FROM golang:1\.26 AS builder\n[\s\S]*\nFROM scratch\n[\s\S]*\nUSER appuser:appuser\nCMD \["\/app"\]\n$/);
      await client.change(uri, 2, after);
      const p = await client.diagnosticsFor(uri, 2);
      assert.deepEqual(
        p.diagnostics.map((d) => d.code).filter((c) => c !== 'unpinned-digest'),
        [],
      );
    });

    it('shows the action disabled, with the reason, where the conversion refuses', async () => {
      client = await TestClient.start();
      const uri = 'file:///work/convert-node/Dockerfile';
      await client.open(uri, 'FROM node:22\nCOPY . .\nCMD ["node", "server.js"]\n', 1);
      const [action] = await client.codeActionsAt(uri, at(0), ['refactor.rewrite']);
      assert.match(action.disabled!.reason, /Node\.js.*distroless/);
    });

    it('answers the convertToScratch command with the edit, or applies it when asked', async () => {
      client = await TestClient.start();
      const uri = 'file:///work/convert-cmd/Dockerfile';
      await client.open(uri, single, 1);
      const result = (await client.executeCommand('dockerfile-hardener.convertToScratch', [{ uri }])) as { ok: boolean; edit?: unknown };
      assert.equal(result.ok, true);
      assert.ok(result.edit);
      const applied = (await client.executeCommand('dockerfile-hardener.convertToScratch', [{ uri, apply: true }])) as { ok: boolean };
      assert.equal(applied.ok, true);
      assert.equal(client.appliedEdits.length, 1);
      assert.equal(client.appliedEdits[0].label, 'Convert to multi-stage scratch build');
      const refused = (await client.executeCommand('dockerfile-hardener.convertToScratch', [{ uri: 'file:///not/open' }])) as {
        ok: boolean;
        reason: string;
      };
      assert.deepEqual(refused, { ok: false, reason: 'the document is not open' });
    });
  });

  describe('project config files', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'dh-lsp-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('applies the nearest config file, with settings the user set winning over it', async () => {
      writeFileSync(path.join(dir, '.dockerfile-hardener.yaml'), 'rules:\n  unpinned-digest: off\n  latest-tag: hint\n');
      client = await TestClient.start({ settings: { rules: { 'root-user': 'off' } }, pinning: false });
      const uri = pathToFileURL(path.join(dir, 'Dockerfile')).toString();
      await client.open(uri, 'FROM alpine\n', 1);
      assert.deepEqual(summary(await client.diagnosticsFor(uri, 1)), ['0:5-0:11 4 latest-tag']);
    });

    it("publishes a config file's problems on that file and lints with the rest", async () => {
      const cfg = path.join(dir, '.hadolint.yaml');
      writeFileSync(cfg, 'ignored: [DL3002]\nno-color: true\noverride:\n  fatal: [DL3006]\n');
      client = await TestClient.start();
      const uri = pathToFileURL(path.join(dir, 'Dockerfile')).toString();
      await client.open(uri, 'FROM alpine\n', 1);
      assert.deepEqual(summary(await client.diagnosticsFor(uri, 1)), ['0:5-0:11 2 latest-tag', '0:5-0:11 3 unpinned-digest']);
      const problems = await client.diagnosticsFor(pathToFileURL(cfg).toString());
      assert.deepEqual(
        problems.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.severity} ${d.message}`),
        [
          '1:0 2 hadolint\'s "no-color" has no equivalent in dockerfile-hardener and is not applied',
          '3:2 1 override: "fatal" is not one of error, warning, info, style (ignored: the defaults apply)',
        ],
      );
    });
  });
});
