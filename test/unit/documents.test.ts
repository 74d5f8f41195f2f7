/**
 * The language server's document manager on its own, without a connection: when documents are
 * linted, which version's diagnostics are published, what is kept, and what a closed or ignored
 * document leaves behind. Jobs run when the test says (a queue instead of the event loop's turns).
 */
import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, LintOptions } from '../../server/src/engine/findings';
import { DocumentManager, KEPT_STATES, type DocumentManagerHost } from '../../server/src/lsp/documents';
import { ClientSettings, parseSettings, type Settings } from '../../server/src/lsp/settings';
import { MAX_DOCUMENT_LENGTH, TOO_LARGE } from '../../server/src/lsp/limits';

const ROOT_FILE = 'FROM alpine:3.20\nRUN apk add curl\nCMD ["server"]\n';

class Harness {
  readonly docs = new Map<string, TextDocument>();
  readonly jobs: (() => void)[] = [];
  readonly published: { uri: string; version: number; rules: string[] }[] = [];
  readonly warnings: string[] = [];
  readonly ignored = new Set<string>();
  settingsAsked = 0;
  /** Resolves the settings promise when the test says, to let a version be overtaken meanwhile. */
  hold?: Promise<void>;
  readonly manager: DocumentManager;

  /** The versions ShellCheck was asked to check (set `scripts` to give the host the hook). */
  readonly checked: number[] = [];

  constructor(scripts = false) {
    const host: DocumentManagerHost = {
      documents: { get: (uri) => this.docs.get(uri), all: () => [...this.docs.values()] },
      settings: async (): Promise<Settings> => {
        this.settingsAsked++;
        await this.hold;
        return parseSettings({ rules: { 'latest-tag': 'warning' } });
      },
      options: (uri, settings): LintOptions | undefined => (this.ignored.has(uri) ? undefined : { rules: settings.rules }),
      publish: (uri, version, findings: Finding[]) => this.published.push({ uri, version, rules: findings.map((f) => f.rule) }),
      log: { warn: (m) => this.warnings.push(m), error: (m) => assert.fail(m) },
      defer: (job) => this.jobs.push(job),
      ...(scripts
        ? {
            shellcheck: async (model) => {
              this.checked.push(this.docs.get('file:///a/Dockerfile')?.version ?? -1);
              return model.instructions.length ? [] : undefined;
            },
          }
        : {}),
    };
    this.manager = new DocumentManager(host);
  }

  open(uri: string, text: string, version = 1): TextDocument {
    const doc = TextDocument.create(uri, 'dockerfile', version, text);
    this.docs.set(uri, doc);
    this.manager.schedule(doc);
    return doc;
  }

  edit(uri: string, text: string): TextDocument {
    const old = this.docs.get(uri)!;
    const doc = TextDocument.create(uri, 'dockerfile', old.version + 1, text);
    this.docs.set(uri, doc);
    this.manager.schedule(doc);
    return doc;
  }

  /** Runs the queued jobs and waits for what they started. */
  async run(): Promise<void> {
    while (this.jobs.length) this.jobs.shift()!();
    await new Promise((r) => setImmediate(r));
  }
}

describe('document manager', () => {
  it('lints a burst of edits once, at its newest version', async () => {
    const h = new Harness();
    h.open('file:///a/Dockerfile', ROOT_FILE);
    h.edit('file:///a/Dockerfile', ROOT_FILE.replace('alpine:3.20', 'alpine'));
    h.edit('file:///a/Dockerfile', ROOT_FILE.replace('alpine:3.20', 'alpine:latest'));
    await h.run();
    assert.equal(h.published.length, 1);
    assert.equal(h.published[0].version, 3);
    assert.ok(h.published[0].rules.includes('latest-tag'), h.published[0].rules.join(', '));
    assert.equal(h.settingsAsked, 1);
  });

  it('publishes nothing for a version overtaken while its settings were asked for', async () => {
    const h = new Harness();
    let release!: () => void;
    h.hold = new Promise((r) => (release = r));
    h.open('file:///a/Dockerfile', ROOT_FILE);
    await h.run(); // waiting for settings
    h.edit('file:///a/Dockerfile', ROOT_FILE + 'USER 10001\n');
    release();
    await h.run();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(
      h.published.map((p) => p.version),
      [2],
    );
    assert.ok(!h.published[0].rules.includes('root-user'));
  });

  it('keeps the state of the last linted documents only, and lints on demand for the others', async () => {
    const h = new Harness();
    for (let i = 0; i < KEPT_STATES + 3; i++) h.open(`file:///d${i}/Dockerfile`, ROOT_FILE);
    await h.run();
    assert.equal(h.published.length, KEPT_STATES + 3);
    assert.equal(h.manager.keptStates, KEPT_STATES);
    const asked = h.settingsAsked;
    // The newest is kept: no lint; the oldest was dropped: linted again, with fixes.
    const kept = await h.manager.stateOf(`file:///d${KEPT_STATES + 2}/Dockerfile`);
    assert.equal(h.settingsAsked, asked);
    const again = await h.manager.stateOf('file:///d0/Dockerfile');
    assert.equal(h.settingsAsked, asked + 1);
    assert.equal(kept?.version, 1);
    assert.ok(again?.findings.some((f) => f.fixes?.length));
    assert.equal(h.manager.keptStates, KEPT_STATES);
  });

  it('answers code actions from the current version only', async () => {
    const h = new Harness();
    h.open('file:///a/Dockerfile', ROOT_FILE);
    await h.run();
    h.edit('file:///a/Dockerfile', 'FROM alpine:latest\n');
    const state = await h.manager.stateOf('file:///a/Dockerfile');
    assert.equal(state?.version, 2);
    assert.equal(state?.text, 'FROM alpine:latest\n');
    assert.equal(await h.manager.stateOf('file:///not-open/Dockerfile'), undefined);
  });

  it('forgets a closed document: a job still queued for it publishes nothing', async () => {
    const h = new Harness();
    h.open('file:///a/Dockerfile', ROOT_FILE);
    h.docs.delete('file:///a/Dockerfile');
    h.manager.close('file:///a/Dockerfile');
    await h.run();
    assert.deepEqual(h.published, []);
    assert.equal(h.manager.keptStates, 0);
  });

  it('publishes no findings for a document the project config ignores, and one for a document too large', async () => {
    const h = new Harness();
    h.ignored.add('file:///vendor/Dockerfile');
    h.open('file:///vendor/Dockerfile', ROOT_FILE);
    h.open('file:///big/Dockerfile', 'FROM alpine:latest\n' + '#'.repeat(MAX_DOCUMENT_LENGTH));
    await h.run();
    assert.deepEqual(
      h.published.map((p) => [p.uri, p.rules]),
      [
        ['file:///vendor/Dockerfile', []],
        ['file:///big/Dockerfile', [TOO_LARGE]],
      ],
    );
  });

  it('lints everything again when settings or config files change, and one document after an edit it applied', async () => {
    const h = new Harness();
    h.open('file:///a/Dockerfile', ROOT_FILE);
    h.open('file:///b/Dockerfile', ROOT_FILE);
    await h.run();
    h.manager.invalidateAll();
    await h.run();
    assert.equal(h.published.length, 4);
    h.manager.relint('file:///b/Dockerfile');
    await h.run();
    assert.deepEqual(
      h.published.slice(4).map((p) => p.uri),
      ['file:///b/Dockerfile'],
    );
  });

  it('warns once per lint when the target stage is not a stage of the file', async () => {
    const h = new Harness();
    const manager = new DocumentManager({
      documents: { get: (uri) => h.docs.get(uri), all: () => [...h.docs.values()] },
      settings: async () => parseSettings(undefined),
      options: () => ({ targetStage: 'nope' }),
      publish: () => undefined,
      log: { warn: (m) => h.warnings.push(m), error: (m) => assert.fail(m) },
      defer: (job) => h.jobs.push(job),
    });
    const doc = TextDocument.create('file:///a/Dockerfile', 'dockerfile', 1, ROOT_FILE);
    h.docs.set(doc.uri, doc);
    manager.schedule(doc);
    await h.run();
    assert.deepEqual(h.warnings, ['targetStage "nope" is not a stage of file:///a/Dockerfile; using the last stage.']);
  });
});

describe('client settings', () => {
  it('asks the client once per document, falls back to the pushed settings, and reports what it cannot use', async () => {
    const asked: string[] = [];
    const warnings: string[] = [];
    const answers: Record<string, unknown> = {
      'file:///a': { rules: { 'root-user': 'off' } },
      'file:///b': null,
      'file:///c': { rules: { 'no-such-rule': 'off' } },
    };
    const s = new ClientSettings(
      async (uri) => {
        asked.push(uri);
        if (uri === 'file:///broken') throw new Error('client went away');
        return answers[uri];
      },
      (m) => warnings.push(m),
    );
    s.push({ rules: { 'latest-tag': 'error' } });
    assert.equal((await s.for('file:///a')).rules['root-user'], 'off');
    await s.for('file:///a');
    assert.deepEqual(asked, ['file:///a']);
    assert.equal((await s.for('file:///b')).rules['latest-tag'], 'error');
    assert.equal((await s.for('file:///broken')).rules['latest-tag'], 'error');
    await s.for('file:///c');
    assert.deepEqual(warnings, ['dockerfileHardener settings: unknown rule "no-such-rule"']);
    s.forget('file:///a');
    await s.for('file:///a');
    assert.equal(asked.filter((u) => u === 'file:///a').length, 2);
    // A client that cannot be asked: the pushed settings, for every document.
    const pushedOnly = new ClientSettings(undefined, () => undefined);
    pushedOnly.push({ targetStage: 'app' });
    assert.equal((await pushedOnly.for('file:///x')).targetStage, 'app');
  });
  it('runs ShellCheck once typing pauses, on the version then current, never between edits', async () => {
    const h = new Harness(true);
    h.open('file:///a/Dockerfile', ROOT_FILE);
    await h.run();
    for (let k = 0; k < 3; k++) {
      h.edit('file:///a/Dockerfile', `${ROOT_FILE}# ${k}\n`);
      await h.run();
    }
    assert.deepEqual(
      h.published.map((p) => p.version),
      [1, 2, 3, 4],
    );
    assert.deepEqual(h.checked, [], 'nothing while the edits come');
    await new Promise((r) => setTimeout(r, 450));
    assert.deepEqual(h.checked, [4]);
  });
});
