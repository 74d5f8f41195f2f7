/**
 * The language server as an editor drives it: the built server (`node dist/server.js --stdio`) and a
 * real JSON-RPC client (vscode-languageserver-protocol). Measures, at the client, the time from each
 * small incremental `didChange` to the `publishDiagnostics` of that version, and the server's memory
 * after it has linted the whole corpus.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  InitializeRequest,
  InitializedNotification,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  ExitNotification,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { random } from '../test/support/random';

export class BenchClient {
  private waiting = new Map<string, { version: number; resolve: (p: PublishDiagnosticsParams) => void }>();

  private constructor(
    readonly child: ChildProcess,
    readonly connection: ProtocolConnection,
  ) {}

  static async start(server: string, env?: NodeJS.ProcessEnv): Promise<BenchClient> {
    const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env: env ?? process.env });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new BenchClient(child, connection);
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      const w = client.waiting.get(p.uri);
      if (w && (p.version === undefined || p.version === w.version)) {
        client.waiting.delete(p.uri);
        w.resolve(p);
      }
    });
    connection.listen();
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: null,
      // Settings come from the defaults, as in an editor that does not send any.
      capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  /** Resolves with the diagnostics of `uri` at `version` (registered before the notification is sent). */
  private expect(uri: string, version: number): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve) => this.waiting.set(uri, { version, resolve }));
  }

  async open(uri: string, text: string): Promise<PublishDiagnosticsParams> {
    const done = this.expect(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'dockerfile', version: 1, text },
    });
    return done;
  }

  /** Sends one incremental change and returns the milliseconds until its diagnostics arrive. */
  async change(uri: string, version: number, change: TextDocumentContentChangeEvent): Promise<number> {
    const done = this.expect(uri, version);
    const start = performance.now();
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [change],
    });
    await done;
    return performance.now() - start;
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Resident and peak memory of the server process (Linux /proc), in MB. */
  memory(): { rssMB: number; peakMB: number } | undefined {
    try {
      const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
      return { rssMB: Math.round(kb('VmRSS') / 102.4) / 10, peakMB: Math.round(kb('VmHWM') / 102.4) / 10 };
    } catch {
      return undefined;
    }
  }

  async stop(): Promise<void> {
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    if (this.child.exitCode === null) await new Promise((resolve) => this.child.once('exit', resolve));
    this.connection.dispose();
  }
}

/**
 * Typing as a user does: at a random non-blank, non-comment line, insert one character after a
 * random column, then delete it again (two didChange notifications), so the document stays the
 * same size over the run. Returns each edit's latency; the first `warmup` edits are not counted.
 */
export async function editLatencies(
  server: string,
  file: string,
  edits: number,
  warmup: number,
  seed = 8,
  env?: NodeJS.ProcessEnv,
): Promise<{ times: number[]; findings: number }> {
  const text = readFileSync(file, 'utf8');
  const lines = text.split(/\r?\n/);
  const candidates = lines.map((l, i) => (l.trim() && !l.trim().startsWith('#') ? i : -1)).filter((i) => i >= 0);
  const client = await BenchClient.start(server, env);
  try {
    const uri = pathToFileURL(path.resolve(file)).toString();
    const first = await client.open(uri, text);
    // With image facts, the cache is read once typing pauses and the file linted again: let that pass.
    if (env?.DOCKERFILE_HARDENER_CACHE_DIR) await new Promise((r) => setTimeout(r, 600));
    const next = random(seed);
    const times: number[] = [];
    let version = 1;
    for (let k = 0; k < warmup + edits; k += 2) {
      const line = candidates[Math.floor(next() * candidates.length)];
      const character = Math.floor(next() * (lines[line].length + 1));
      const at = { line, character };
      const insert = await client.change(uri, ++version, { range: { start: at, end: at }, text: 'x' });
      const remove = await client.change(uri, ++version, { range: { start: at, end: { line, character: character + 1 } }, text: '' });
      if (k >= warmup) times.push(insert, remove);
    }
    return { times, findings: first.diagnostics.length };
  } finally {
    await client.stop();
  }
}

/** How long the memory bench waits, after the last diagnostics, before reading the settled RSS. */
export const SETTLE_MS = 10_000;

/** Opens every file in the server (as an editor with all of them open), then reads its memory. */
export async function corpusMemory(
  server: string,
  files: string[],
): Promise<{ idleMB?: number; rssMB?: number; peakMB?: number; settledMB?: number; lintMs: number; findings: number }> {
  const client = await BenchClient.start(server);
  try {
    // The floor: the server started and initialized, nothing linted yet.
    const idleMB = client.memory()?.rssMB;
    const start = performance.now();
    let findings = 0;
    // In batches, as a workspace opening many editors would, without flooding the pipe.
    for (let i = 0; i < files.length; i += 32) {
      const batch = files.slice(i, i + 32);
      const published = await Promise.all(batch.map((f) => client.open(pathToFileURL(f).toString(), readFileSync(f, 'utf8'))));
      for (const p of published) findings += p.diagnostics.length;
    }
    const lintMs = performance.now() - start;
    const atOnce = client.memory();
    // And once the server has been idle long enough to give back what the burst grew
    // (server/src/lsp/idleCollect.ts: 2 s of quiet, then a few collections 1.5 s apart).
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    return { idleMB, ...atOnce, settledMB: client.memory()?.rssMB, lintMs, findings };
  } finally {
    await client.stop();
  }
}
