/**
 * Pinning through the real protocol: the built server over stdio, a real registry on 127.0.0.1
 * (docker-registry, seeded over its API), and the JSON-RPC client of test/support/lspClient.ts.
 * The registry is contacted only on an explicit request (resolve, a command), never while linting or
 * listing code actions; that is checked against the registry's own access log.
 */
import * as assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  CancellationTokenSource,
  CodeActionResolveRequest,
  type CodeAction,
  type Diagnostic,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { applyLspEdits as applyEdits, editsOf } from '../support/lspEdits';
import { FIXTURES, requireRegistry, seed, startRegistry, tempDir, type RegistryProcess, type Seeded } from '../support/registry';
import { silentRegistry, type FakeServer } from '../support/fakeRegistry';
import { PASSWORD, USER } from '../support/tokenServer';
import { SERVER, TestClient } from '../support/lspClient';
import { assertPinningRefused } from '../support/trustProbe';
import { ModuleList, NETWORK_MODULES } from '../support/modules';

describe('pinning over the protocol (real registry)', function () {
  this.timeout(30_000);
  let storage: ReturnType<typeof tempDir>;
  let dockerConfig: ReturnType<typeof tempDir>;
  let anon: RegistryProcess;
  let basic: RegistryProcess;
  let silent: FakeServer;
  let seeded: Seeded;
  let client: TestClient | undefined;
  let savedDockerConfig: string | undefined;
  let version = 1;

  before(async function () {
    const bin = requireRegistry(this);
    assert.ok(existsSync(SERVER), `${SERVER} is missing: run npm run build first`);
    storage = tempDir('dh-registry-');
    anon = await startRegistry(bin, { storage: storage.dir });
    seeded = await seed(anon.host);
    basic = await startRegistry(bin, { storage: storage.dir, htpasswd: path.join(FIXTURES, 'htpasswd') });
    silent = await silentRegistry();
    // The server reads Docker's config like docker does; this one logs alice in to the Basic registry.
    dockerConfig = tempDir('dh-docker-config-');
    writeFileSync(
      path.join(dockerConfig.dir, 'config.json'),
      JSON.stringify({ auths: { [basic.host]: { auth: Buffer.from(`${USER}:${PASSWORD}`).toString('base64') } } }),
    );
    savedDockerConfig = process.env.DOCKER_CONFIG;
    process.env.DOCKER_CONFIG = dockerConfig.dir;
  });

  after(async () => {
    if (savedDockerConfig === undefined) delete process.env.DOCKER_CONFIG;
    else process.env.DOCKER_CONFIG = savedDockerConfig;
    await anon?.stop();
    await basic?.stop();
    await silent?.stop();
    storage?.dispose();
    dockerConfig?.dispose();
  });

  afterEach(async () => {
    await client?.stop();
    client = undefined;
  });

  /** Opens a document and waits for its diagnostics. */
  async function open(c: TestClient, name: string, text: string): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
    const uri = `file:///work/pin/${name}/Dockerfile`;
    const v = version++;
    await c.open(uri, text, v);
    return { uri, diagnostics: (await c.diagnosticsFor(uri, v)).diagnostics };
  }

  /** Manifest requests the registry has answered (the access log settled first). */
  const heads = async (r: RegistryProcess) => {
    await r.settle();
    return r.accessLog.filter((l) => l.includes('"HEAD ') && !l.includes('/settle-')).length;
  };

  it('offers "Pin to digest" without asking the registry; resolving pins, keeping --platform and AS', async () => {
    client = await TestClient.start();
    const text = `FROM --platform=$BUILDPLATFORM ${anon.host}/hardener/oci:1.0 AS build\nRUN true\n`;
    const before = await heads(anon);
    const { uri, diagnostics } = await open(client, 'quickfix', text);
    const d = diagnostics.find((x) => x.code === 'unpinned-digest');
    assert.ok(d);
    const actions = await client.codeActions(uri, [d]);
    const pin = actions.find((a) => a.title === 'Pin to digest');
    assert.ok(pin, actions.map((a) => a.title).join(', '));
    assert.equal(pin.kind, 'quickfix');
    assert.equal(pin.isPreferred, true);
    assert.equal(pin.edit, undefined, 'the edit is built on resolve');
    assert.equal((pin.data as { network?: boolean }).network, true);
    assert.equal(await heads(anon), before, 'linting and listing actions asked no registry');
    const resolved = await client.resolveAction(pin);
    assert.equal(await heads(anon), before + 1);
    assert.equal(
      applyEdits(text, editsOf(resolved.edit, uri)),
      `FROM --platform=$BUILDPLATFORM ${anon.host}/hardener/oci:1.0@${seeded.ociIndex} AS build\nRUN true\n`,
    );
  });

  it("the server loads Node's network modules only when it first pins", async () => {
    const modules = new ModuleList();
    try {
      const network = async (pin: boolean) => {
        client = await TestClient.start({ env: modules.env });
        const text = `FROM ${anon.host}/hardener/single:1.0\n`;
        const { uri, diagnostics } = await open(client, pin ? 'lazy-pin' : 'lazy-lint', text);
        const action = (
          await client.codeActions(
            uri,
            diagnostics.filter((x) => x.code === 'unpinned-digest'),
          )
        ).find((a) => a.title === 'Pin to digest')!;
        if (pin) assert.ok((await client.resolveAction(action)).edit, 'pinned');
        await client.stop();
        client = undefined;
        const loaded = modules.loaded();
        return NETWORK_MODULES.filter((m) => loaded.includes(m));
      };
      assert.deepEqual(await network(false), [], 'linting and listing actions loaded them');
      assert.deepEqual(await network(true), NETWORK_MODULES);
    } finally {
      modules.dispose();
    }
  });

  it("uses credentials from Docker's config for a registry that requires a login", async () => {
    client = await TestClient.start();
    const text = `FROM ${basic.host}/hardener/list:1.0\n`;
    const { uri, diagnostics } = await open(client, 'basic', text);
    const d = diagnostics.find((x) => x.code === 'unpinned-digest')!;
    const pin = (await client.codeActions(uri, [d])).find((a) => a.title === 'Pin to digest')!;
    const resolved = await client.resolveAction(pin);
    assert.equal(applyEdits(text, editsOf(resolved.edit, uri)), `FROM ${basic.host}/hardener/list:1.0@${seeded.dockerList}\n`);
  });

  it("a failure leaves no edit: the resolved action is disabled with the registry's reason", async () => {
    client = await TestClient.start();
    const { uri, diagnostics } = await open(client, 'missing', `FROM ${anon.host}/hardener/single:9.9\n`);
    const pin = (
      await client.codeActions(
        uri,
        diagnostics.filter((x) => x.code === 'unpinned-digest'),
      )
    ).find((a) => a.title === 'Pin to digest')!;
    const resolved = await client.resolveAction(pin);
    assert.equal(resolved.edit, undefined);
    assert.match(
      resolved.disabled?.reason ?? '',
      /could not be built: 127\.0\.0\.1:\d+\/hardener\/single:9\.9: not found on 127\.0\.0\.1:\d+ \(MANIFEST_UNKNOWN: manifest unknown\)/,
    );
  });

  it('shows why a reference from a build argument cannot be pinned, as a disabled action', async () => {
    client = await TestClient.start();
    const { uri, diagnostics } = await open(client, 'arg', `ARG V=1.0\nFROM ${anon.host}/hardener/single:\${V}-slim\n`);
    const pin = (
      await client.codeActions(
        uri,
        diagnostics.filter((x) => x.code === 'unpinned-digest'),
      )
    ).find((a) => a.title === 'Pin to digest')!;
    assert.match(pin.disabled?.reason ?? '', /^cannot pin: the tag comes from a build argument \(V\) in the middle of/);
    assert.equal(pin.data, undefined);
  });

  it('"Pin all images in this Dockerfile": a refactoring built on resolve, one request per distinct image', async () => {
    client = await TestClient.start();
    const text = [
      `ARG BASE=${anon.host}/hardener/single:1.0`,
      `FROM --platform=linux/amd64 ${anon.host}/hardener/oci:1.0 AS build`,
      `RUN --mount=type=bind,from=${anon.host}/hardener/oci:1.0,target=/x true`,
      `COPY --from=${anon.host}/hardener/oci:1.0 /a /a`,
      'FROM ${BASE}',
      `COPY --from=${anon.host}/hardener/moving:1.0@${seeded.movedFrom} /b /b`,
      '',
    ].join('\n');
    const { uri } = await open(client, 'refactor', text);
    const before = { oci: await anon.count('HEAD', '/v2/hardener/oci/manifests/1.0'), all: await heads(anon) };
    const at = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 0 } });
    assert.ok(
      !(await client.codeActionsAt(uri, at(0), ['refactor'])).some((a) => a.title === 'Pin all images in this Dockerfile'),
      'not offered on the ARG line',
    );
    const actions = await client.codeActionsAt(uri, at(1), ['refactor']);
    const pinAll = actions.find((a) => a.title === 'Pin all images in this Dockerfile');
    assert.ok(pinAll, actions.map((a) => a.title).join(', '));
    assert.equal(pinAll.kind, 'refactor.rewrite.pin');
    assert.equal(pinAll.edit, undefined);
    assert.equal(await heads(anon), before.all, 'listing asked no registry');
    const resolved = await client.resolveAction(pinAll);
    assert.equal((await anon.count('HEAD', '/v2/hardener/oci/manifests/1.0')) - before.oci, 1, 'three uses of one image: one request');
    assert.equal((await heads(anon)) - before.all, 3, 'oci, single and moving, once each');
    assert.equal(
      applyEdits(text, editsOf(resolved.edit, uri)),
      text
        .replace('hardener/single:1.0', `hardener/single:1.0@${seeded.single}`)
        .replaceAll('hardener/oci:1.0', `hardener/oci:1.0@${seeded.ociIndex}`)
        .replace(seeded.movedFrom, seeded.moving),
    );
  });

  it('the pinAll command answers with the edit and what it did, or applies it; a registry error changes nothing', async () => {
    client = await TestClient.start();
    const text = `ARG IMAGE\nFROM ${anon.host}/hardener/single:1.0\nFROM \${IMAGE}\n`;
    const { uri } = await open(client, 'command', text);
    const answer = (await client.executeCommand('dockerfile-hardener.pinAll', [{ uri }])) as {
      ok: boolean;
      message: string;
      edit?: WorkspaceEdit;
      refused: { line: number }[];
    };
    assert.equal(answer.ok, true);
    assert.equal(applyEdits(text, editsOf(answer.edit, uri)), text.replace('single:1.0', `single:1.0@${seeded.single}`));
    assert.match(
      answer.message,
      /^Pinned 1 image\. 1 reference left as written: line 3: cannot pin: image comes from a build argument \(IMAGE, which has no default: its value is chosen at build time\)$/,
    );
    assert.equal(client.appliedEdits.length, 0, 'answered, not applied');
    const applied = (await client.executeCommand('dockerfile-hardener.pinAll', [{ uri, apply: true }])) as { ok: boolean };
    assert.equal(applied.ok, true);
    assert.equal(client.appliedEdits.length, 1);
    assert.equal(client.appliedEdits[0].label, 'Pin all images in this Dockerfile');

    const broken = `FROM ${anon.host}/hardener/single:1.0\nFROM ${anon.host}/hardener/single:9.9\n`;
    const b = await open(client, 'command-broken', broken);
    const failed = (await client.executeCommand('dockerfile-hardener.pinAll', [{ uri: b.uri, apply: true }])) as {
      ok: boolean;
      message: string;
      edit?: unknown;
    };
    assert.equal(failed.ok, false);
    assert.equal(failed.edit, undefined);
    assert.match(failed.message, /^Nothing was changed: a registry could not answer\. line 2: .*hardener\/single:9\.9: not found/);
    assert.equal(client.appliedEdits.length, 1, 'nothing more applied');
  });

  it('"Check pinned digests" makes stale-digest report, with "Update digest" (no further request)', async () => {
    client = await TestClient.start();
    const text = `FROM ${anon.host}/hardener/moving:1.0@${seeded.movedFrom}\nCOPY --from=${anon.host}/hardener/single:1.0@${seeded.single} /a /a\nCOPY --from=${anon.host}/hardener/oci@${seeded.ociIndex} /b /b\n`;
    const { uri, diagnostics } = await open(client, 'check', text);
    assert.ok(!diagnostics.some((d) => d.code === 'stale-digest'), 'no stale-digest before a check');
    const result = (await client.executeCommand('dockerfile-hardener.checkDigests', [{ uri }])) as {
      ok: boolean;
      stale: number;
      current: number;
      message: string;
    };
    assert.equal(result.ok, true);
    assert.equal(result.stale, 1);
    assert.equal(result.current, 1);
    assert.match(
      result.message,
      /^Checked 2 pinned images: 1 stale, 1 current\. line 3: cannot check 127\.0\.0\.1:\d+\/hardener\/oci@sha256:[0-9a-f]{64}: it has a digest but no tag/,
    );
    const stale = await client.waitFor('stale-digest', () => {
      for (let i = client!.published.length - 1; i >= 0; i--) {
        const p = client!.published[i];
        if (p.uri === uri) return p.diagnostics.find((d) => d.code === 'stale-digest');
      }
      return undefined;
    });
    assert.equal(stale.severity, 3);
    assert.deepEqual(stale.range, {
      start: { line: 0, character: text.indexOf('@') + 1 },
      end: { line: 0, character: text.indexOf('\n') },
    });
    assert.match(stale.message as string, /hardener\/moving:1\.0 now points at sha256:[0-9a-f]{12}…, not the pinned sha256:[0-9a-f]{12}…/);
    const before = await heads(anon);
    const update = (await client.codeActions(uri, [stale])).find((a) => a.title === 'Update digest')!;
    assert.equal((update.data as { network?: boolean }).network, undefined);
    const resolved = await client.resolveAction(update);
    assert.equal(await heads(anon), before, "the check's answer is used");
    const after = applyEdits(text, editsOf(resolved.edit, uri));
    assert.equal(after, text.replace(seeded.movedFrom, seeded.moving));
    await client.change(uri, version, after);
    const p = await client.diagnosticsFor(uri, version++);
    assert.ok(!p.diagnostics.some((d) => d.code === 'stale-digest'));
  });

  it('untrusted workspace: no pinning, no check, the reason shown; trusting it later enables them', async () => {
    client = await TestClient.start({ initializationOptions: { workspaceTrusted: false } });
    const text = `FROM ${anon.host}/hardener/single:1.0\n`;
    const before = await heads(anon);
    const { uri, diagnostics } = await open(client, 'untrusted', text);
    const d = diagnostics.find((x) => x.code === 'unpinned-digest')!;
    await assertPinningRefused(client, uri, d);
    // Even a resolve request crafted by hand asks no registry.
    const forged = await client.resolveAction({
      title: 'Pin to digest',
      data: { uri, version: version - 1, rule: 'unpinned-digest', range: d.range, fix: 0, network: true },
    });
    assert.equal(forged.edit, undefined);
    assert.equal(await heads(anon), before);

    await client.connection.sendNotification('dockerfile-hardener/workspaceTrusted', {});
    const trusted = (await client.codeActions(uri, [d])).find((a) => a.title === 'Pin to digest')!;
    assert.equal(trusted.disabled, undefined);
    const resolved = await client.resolveAction(trusted);
    assert.equal(applyEdits(text, editsOf(resolved.edit, uri)), `FROM ${anon.host}/hardener/single:1.0@${seeded.single}\n`);
  });

  it('honours the registry.timeout setting', async () => {
    client = await TestClient.start({ settings: { registry: { timeout: 0.5 } } });
    const { uri, diagnostics } = await open(client, 'timeout', `FROM ${silent.host}/hardener/x:1\n`);
    const pin = (
      await client.codeActions(
        uri,
        diagnostics.filter((x) => x.code === 'unpinned-digest'),
      )
    ).find((a) => a.title === 'Pin to digest')!;
    const started = Date.now();
    const resolved = await client.resolveAction(pin);
    assert.ok(Date.now() - started < 5000);
    assert.match(resolved.disabled?.reason ?? '', /no answer from 127\.0\.0\.1:\d+ within 0\.5 s \(the registry timeout\)/);
  });

  it('cancelling the request ends the registry exchange at once', async () => {
    client = await TestClient.start({ settings: { 'registry.timeout': 60 } });
    const { uri, diagnostics } = await open(client, 'cancel', `FROM ${silent.host}/hardener/y:1\n`);
    const pin = (
      await client.codeActions(
        uri,
        diagnostics.filter((x) => x.code === 'unpinned-digest'),
      )
    ).find((a) => a.title === 'Pin to digest')!;
    const source = new CancellationTokenSource();
    const seen = silent.requests.length;
    void silent.seen(seen + 1).then(() => source.cancel());
    const started = Date.now();
    const answer = await client.connection.sendRequest(CodeActionResolveRequest.type, pin, source.token).then(
      (a: CodeAction) => a,
      (e: Error) => e,
    );
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
    // The server answers the cancelled request with the action, disabled, and no edit.
    assert.ok(!(answer instanceof Error), String(answer));
    assert.equal(answer.edit, undefined);
    assert.match(answer.disabled?.reason ?? '', /hardener\/y:1: cancelled$/);
  });

  it('clients without codeAction/resolve get a command that builds and applies the pin', async () => {
    client = await TestClient.start({ resolve: false });
    const text = `FROM ${anon.host}/hardener/oci:1.0\n`;
    const { uri, diagnostics } = await open(client, 'eager', text);
    const before = await heads(anon);
    const pin = (
      await client.codeActions(
        uri,
        diagnostics.filter((x) => x.code === 'unpinned-digest'),
      )
    ).find((a) => a.title === 'Pin to digest')!;
    assert.equal(pin.edit, undefined);
    assert.equal(pin.command?.command, 'dockerfile-hardener.applyFix');
    assert.equal(await heads(anon), before, 'no registry asked to list actions');
    const r = (await client.executeCommand(pin.command!.command, pin.command!.arguments!)) as { ok: boolean };
    assert.equal(r.ok, true);
    assert.equal(client.appliedEdits.length, 1);
    assert.equal(applyEdits(text, editsOf(client.appliedEdits[0].edit, uri)), `FROM ${anon.host}/hardener/oci:1.0@${seeded.ociIndex}\n`);
  });
});
