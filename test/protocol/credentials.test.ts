/**
 * Credentials never appear in what the language server logs, publishes or answers, nor in what the
 * CLI prints, during failing authentication flows against hostile registries that echo the
 * credentials they are sent (in status lines, error bodies, token service answers), a redirect to a
 * host asking for a login, a registry rejecting the password, and a credential helper that prints the
 * secret and fails. Everything the server says (stderr, window/logMessage, every publication, every
 * answer, every workspace/applyEdit) is collected and searched for every form of each secret.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as path from 'node:path';
import { hostileServer, type HostileServer } from '../support/hostileServer';
import { tempDir } from '../support/registry';
import { CLI } from '../support/cli';
import { SERVER, TestClient } from '../support/lspClient';

const USER = 'ci-robot';
const PASSWORD = 'Sup3r-Secret_pw!42';
const IDENTITY = 'identity-refresh-XYZ-987';
const HELPER_SECRET = 'helper-secret-QWE-123';
const forms = (s: string, user?: string) => {
  const base64 = Buffer.from(user ? `${user}:${s}` : s).toString('base64');
  return [s, encodeURIComponent(s), base64, base64.replace(/=+$/, '')];
};
const SECRETS = [...forms(PASSWORD), ...forms(PASSWORD, USER), ...forms(IDENTITY), ...forms(HELPER_SECRET), ...forms(HELPER_SECRET, USER)];

function assertNoSecret(text: string, what: string): void {
  for (const s of SECRETS) {
    const at = text.indexOf(s);
    assert.equal(at, -1, `${what} contains a credential: …${text.slice(Math.max(0, at - 80), at + s.length + 20)}…`);
  }
}

/** The Authorization header and a form body, as a hostile server echoes them. */
const echo = (req: IncomingMessage, body = '') =>
  `${req.headers.authorization ?? ''} ${decodeURIComponent(body)}`.replace(/[^\x20-\x7e]/g, '?').trim();

describe('credentials stay out of logs, diagnostics and answers (hostile registries)', function () {
  this.timeout(60_000);
  const servers: HostileServer[] = [];
  let config: ReturnType<typeof tempDir>;
  let saved: { DOCKER_CONFIG?: string; PATH?: string };
  let dockerfile: string;
  let hosts: Record<string, string>;

  const server = async (handler: (req: IncomingMessage, res: ServerResponse, i: number, body: string) => void) => {
    const s = await hostileServer(handler);
    servers.push(s);
    return s;
  };
  /** Asks for Basic credentials, then answers with `then`. */
  const basicThen = (then: (req: IncomingMessage, res: ServerResponse) => void) =>
    server((req, res) =>
      req.headers.authorization ? then(req, res) : void res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="r"' }).end(),
    );

  before(async () => {
    assert.ok(existsSync(SERVER), `${SERVER} is missing: run npm run build first`);
    const rejecting = await basicThen((_req, res) => res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="r"' }).end());
    const status = await basicThen((req, res) => res.writeHead(500, echo(req)).end());
    const notFound = await basicThen((req, res) =>
      res
        .writeHead(404, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: echo(req) }] })),
    );
    const tokens = await server((req, res, _i, body) =>
      res.writeHead(403, echo(req, body)).end(JSON.stringify({ details: echo(req, body) })),
    );
    const bearer = await server((_req, res) =>
      res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="${tokens.origin}/token",service="s"` }).end(),
    );
    const identity = await server((_req, res) =>
      res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="${tokens.origin}/token",service="s"` }).end(),
    );
    const elsewhere = await server((req, res) =>
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="send me the password"', 'X-Seen': echo(req) }).end(),
    );
    const redirecting = await basicThen((req, res) => res.writeHead(307, { Location: `${elsewhere.origin}${req.url}` }).end());
    const helperHost = await basicThen((_req, res) => res.writeHead(500).end());
    hosts = {
      rejecting: rejecting.host,
      status: status.host,
      notFound: notFound.host,
      bearer: bearer.host,
      identity: identity.host,
      redirecting: redirecting.host,
      helper: helperHost.host,
    };

    config = tempDir('dh-creds-protocol-');
    const bin = path.join(config.dir, 'bin');
    mkdirSync(bin);
    writeFileSync(
      path.join(bin, 'docker-credential-leaky'),
      `#!/bin/sh\nprintf '{"ServerURL":"x","Username":"${USER}","Secret":"${HELPER_SECRET}"}'\necho "could not unlock ${HELPER_SECRET}" >&2\nexit 1\n`,
    );
    chmodSync(path.join(bin, 'docker-credential-leaky'), 0o755);
    const basic = { auth: Buffer.from(`${USER}:${PASSWORD}`).toString('base64') };
    writeFileSync(
      path.join(config.dir, 'config.json'),
      JSON.stringify({
        auths: {
          [rejecting.host]: basic,
          [status.host]: basic,
          [notFound.host]: basic,
          [bearer.host]: basic,
          [identity.host]: { identitytoken: IDENTITY },
          [redirecting.host]: basic,
        },
        credHelpers: { [helperHost.host]: 'leaky' },
      }),
    );
    saved = { DOCKER_CONFIG: process.env.DOCKER_CONFIG, PATH: process.env.PATH };
    process.env.DOCKER_CONFIG = config.dir;
    process.env.PATH = `${bin}:${process.env.PATH}`;
    dockerfile = `${Object.values(hosts)
      .map((h, i) => `FROM ${h}/team/app${i}:1.0 AS s${i}`)
      .join('\nRUN true\n')}\nUSER 10001\n`;
  });

  after(async () => {
    for (const [k, v] of Object.entries(saved ?? {})) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    for (const s of servers) await s.stop();
    config?.dispose();
  });

  it('the language server: quick-fixes, pin all, check digests and the command for clients without resolve', async () => {
    const answers: unknown[] = [];
    for (const resolve of [true, false]) {
      const client = await TestClient.start({ resolve });
      try {
        const uri = `file:///work/creds-${resolve}/Dockerfile`;
        await client.open(uri, dockerfile, 1);
        const p = await client.diagnosticsFor(uri, 1);
        const unpinned = p.diagnostics.filter((d) => d.code === 'unpinned-digest');
        assert.equal(unpinned.length, Object.keys(hosts).length);
        for (const d of unpinned) {
          const pin = (await client.codeActions(uri, [d])).find((a) => a.title === 'Pin to digest');
          assert.ok(pin, 'a Pin to digest action');
          const answer = resolve
            ? await client.resolveAction(pin)
            : await client.executeCommand(pin.command!.command, pin.command!.arguments!);
          answers.push(answer);
          const failure = resolve
            ? (answer as { disabled?: { reason: string } }).disabled?.reason
            : (answer as { ok: boolean; message: string }).message;
          assert.ok(failure && !(answer as { edit?: unknown }).edit, `the pin failed with a reason: ${JSON.stringify(answer)}`);
        }
        for (const command of ['dockerfile-hardener.pinAll', 'dockerfile-hardener.checkDigests']) {
          answers.push(await client.executeCommand(command, [{ uri }]));
          answers.push(await client.executeCommand(command, [{ uri, apply: true }]));
        }
        const pinAll = answers[answers.length - 3] as { ok: boolean; message: string };
        assert.equal(pinAll.ok, false);
        // Every registry failed, each for its own reason; none with a credential in it.
        for (const why of [
          /rejected the credentials \(401\)/,
          /failed \(500 Basic \*\*\*\)/,
          /MANIFEST_UNKNOWN: Basic \*\*\*/,
          /token service http:\/\/127\.0\.0\.1:\d+ denied access \(403\)/,
          /redirected to http:\/\/127\.0\.0\.1:\d+, which asks for a login/,
          /docker-credential-leaky get failed .*: could not unlock \*\*\*/,
        ]) {
          assert.match(pinAll.message, why);
        }
        await client.stop();
        const everything = JSON.stringify({ answers, logs: client.logs, published: client.published, applied: client.appliedEdits });
        assertNoSecret(everything, `what the server said (resolve: ${resolve})`);
      } finally {
        if (client.child.exitCode === null) await client.stop();
      }
    }
  });

  it('the CLI: pin and pin --check print no credential', async () => {
    const dir = tempDir('dh-creds-cli-');
    try {
      const file = path.join(dir.dir, 'Dockerfile');
      writeFileSync(file, dockerfile);
      // --check asks only about pinned images: their digests, written here, are checked.
      const pinned = path.join(dir.dir, 'pinned.Dockerfile');
      writeFileSync(pinned, dockerfile.replace(/:1\.0 AS/g, `:1.0@sha256:${'0'.repeat(64)} AS`));
      for (const args of [
        ['pin', file],
        ['pin', '--check', pinned],
      ]) {
        const r = await new Promise<{ status: number | null; out: string }>((resolve) => {
          const child = spawn(process.execPath, [CLI, ...args], { env: process.env });
          let out = '';
          child.stdout.on('data', (d: Buffer) => (out += d.toString()));
          child.stderr.on('data', (d: Buffer) => (out += d.toString()));
          child.on('close', (status) => resolve({ status, out }));
        });
        assert.equal(r.status, 2, r.out);
        assert.match(r.out, /failed \(500 Basic \*\*\*\)/);
        assertNoSecret(r.out, `dockerfile-hardener ${args.join(' ')}`);
      }
    } finally {
      dir.dispose();
    }
  });
});
