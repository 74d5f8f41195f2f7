/**
 * ShellCheck in the language server, over stdio with the real shellcheck: the rules' diagnostics come
 * first, then the same version again with ShellCheck's added; an edit starts over.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { TestClient } from '../support/lspClient';

const URI = 'file:///work/shellcheck/Dockerfile';
const codes = (p: { diagnostics: { code?: unknown }[] }) => p.diagnostics.map((d) => String(d.code));

describe('language server: ShellCheck on RUN scripts', function () {
  this.timeout(30_000);
  let client: TestClient | undefined;
  afterEach(async () => {
    await client?.stop();
    client = undefined;
  });

  it('publishes the rules’ diagnostics, then ShellCheck’s with them, for the same version', async function () {
    if (spawnSync('shellcheck', ['--version']).status !== 0) {
      if (process.env.CI) throw new Error('shellcheck is missing, and CI must run the ShellCheck tests (.ci/run installs it)');
      this.skip();
    }
    client = await TestClient.start({ pinning: false });
    await client.open(URI, 'FROM debian:12\nRUN echo $HOME \\\n  && true\n', 1);
    const c = client;
    const withShellCheck = await c.waitFor('ShellCheck diagnostics for v1', () =>
      c.published.find((p) => p.uri === URI && p.version === 1 && codes(p).includes('SC2086')),
    );
    const first = c.published.find((p) => p.uri === URI && p.version === 1)!;
    assert.ok(!codes(first).includes('SC2086'), 'the rules’ diagnostics come first');
    const sc = withShellCheck.diagnostics.find((d) => d.code === 'SC2086')!;
    assert.deepEqual(sc.range, { start: { line: 1, character: 9 }, end: { line: 1, character: 14 } });
    assert.equal(sc.codeDescription?.href, 'https://www.shellcheck.net/wiki/SC2086');
    // Quoted: the next version's ShellCheck run finds nothing more to add.
    await c.change(URI, 2, 'FROM debian:12\nRUN echo "$HOME" \\\n  && true\n');
    const v2 = await c.diagnosticsFor(URI, 2);
    assert.ok(!codes(v2).includes('SC2086'));
  });

  it('many documents opened at once: their scripts are checked together, and each gets only its own comments', async function () {
    if (spawnSync('shellcheck', ['--version']).status !== 0) {
      if (process.env.CI) throw new Error('shellcheck is missing, and CI must run the ShellCheck tests (.ci/run installs it)');
      this.skip();
    }
    client = await TestClient.start({ pinning: false });
    const c = client;
    // Document k has k lines before its RUN, and names its own variable: a comment on the wrong
    // document would show in another's text or at another line.
    const docs = Array.from({ length: 12 }, (_, k) => ({
      uri: `file:///work/shellcheck/many/${k}/Dockerfile`,
      text: `FROM debian:12\n${'# line\n'.repeat(k)}RUN echo $V${k}\n`,
    }));
    await Promise.all(docs.map((d) => c.open(d.uri, d.text, 1)));
    for (const [k, d] of docs.entries()) {
      const p = await c.waitFor(`ShellCheck diagnostics for document ${k}`, () =>
        c.published.find((x) => x.uri === d.uri && x.version === 1 && codes(x).includes('SC2086')),
      );
      const sc = p.diagnostics.filter((x) => x.code === 'SC2086');
      assert.equal(sc.length, 1);
      assert.deepEqual(sc[0].range, { start: { line: k + 1, character: 9 }, end: { line: k + 1, character: 11 + String(k).length } });
    }
  });

  it('without shellcheck on PATH, the rules’ diagnostics alone', async () => {
    client = await TestClient.start({ pinning: false, env: { ...process.env, PATH: '/nonexistent' } });
    await client.open(URI, 'FROM debian:12\nRUN echo $HOME\n', 1);
    const p = await client.diagnosticsFor(URI, 1);
    assert.ok(!codes(p).some((c) => c.startsWith('SC')));
  });
});
