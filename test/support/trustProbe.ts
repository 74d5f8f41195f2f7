/**
 * What an untrusted workspace must not do, made observable: a Docker config directory whose
 * config.json is a FIFO (named pipe), and a credential helper that records each run.
 *
 *   - Reading config.json blocks the reader until a writer opens the FIFO, so a read cannot go
 *     unnoticed: `configRead()` opens the write end without blocking, which succeeds only while a
 *     reader is waiting; then it hands the reader `config` and returns true.
 *   - `docker-credential-hardener-probe` (named by credsStore in that config) appends a line to a
 *     log for each run and answers with the probe's user and password.
 *
 * `env` (DOCKER_CONFIG, and PATH with the helper first) is what the process under test runs with.
 * Linux and macOS (mkfifo).
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import type { TestClient } from './lspClient';

export const PROBE_USER = 'probe-user';
export const PROBE_PASSWORD = 'probe-password-4711';
export const PROBE_HELPER = 'hardener-probe';

/** The reason the server gives, word for word, for every pinning it refuses in an untrusted workspace. */
export const UNTRUSTED =
  /^Pinning is off in an untrusted workspace: it would contact the registries this Dockerfile names and run Docker credential helpers\. Trust the workspace to pin images\.$/;

/**
 * In an untrusted workspace: "Pin to digest" on `unpinned` and "Pin all images" are offered disabled
 * with that reason, and the pinAll and checkDigests commands refuse with it.
 */
export async function assertPinningRefused(client: TestClient, uri: string, unpinned: Diagnostic): Promise<void> {
  const pin = (await client.codeActions(uri, [unpinned])).find((a) => a.title === 'Pin to digest');
  assert.match(pin?.disabled?.reason ?? '', UNTRUSTED, 'Pin to digest is offered, disabled, with the reason');
  const pinAll = (await client.codeActionsAt(uri, unpinned.range, ['refactor'])).find(
    (a) => a.title === 'Pin all images in this Dockerfile',
  );
  assert.match(pinAll?.disabled?.reason ?? '', UNTRUSTED, 'Pin all images is offered, disabled, with the reason');
  for (const command of ['dockerfile-hardener.pinAll', 'dockerfile-hardener.checkDigests']) {
    const r = (await client.executeCommand(command, [{ uri, apply: true }])) as { ok: boolean; message: string };
    assert.deepEqual([r.ok, UNTRUSTED.test(r.message)], [false, true], `${command}: ${JSON.stringify(r)}`);
  }
}

export interface TrustProbe {
  dir: string;
  env: { DOCKER_CONFIG: string; PATH: string };
  /** Whether a reader is waiting on config.json; if so it gets the config and this returns true. */
  configRead(): boolean;
  /** The server URLs the helper was asked for, one per run. */
  helperRuns(): string[];
  dispose(): void;
}

/** A probe whose config, once read, names the helper as credsStore. */
export function trustProbe(dir = mkdtempSync(path.join(tmpdir(), 'dh-trust-probe-'))): TrustProbe {
  const bin = path.join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const log = path.join(dir, 'helper-runs.log');
  const helper = path.join(bin, `docker-credential-${PROBE_HELPER}`);
  writeFileSync(
    helper,
    `#!/bin/sh\nread -r url\necho "$url" >> ${JSON.stringify(log)}\nprintf '{"ServerURL":"%s","Username":"${PROBE_USER}","Secret":"${PROBE_PASSWORD}"}' "$url"\n`,
  );
  chmodSync(helper, 0o755);
  const fifo = path.join(dir, 'config.json');
  if (!existsSync(fifo)) execFileSync('mkfifo', [fifo]);
  return {
    dir,
    env: { DOCKER_CONFIG: dir, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` },
    configRead() {
      let fd: number;
      try {
        fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENXIO') return false; // nobody is reading
        throw e;
      }
      try {
        writeSync(fd, JSON.stringify({ credsStore: PROBE_HELPER }));
      } finally {
        closeSync(fd);
      }
      return true;
    },
    helperRuns() {
      return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
    },
    dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
