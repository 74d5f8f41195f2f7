/**
 * The language server as an editor drives it: the built server (`node dist/server.js --stdio`) and a
 * real JSON-RPC client (vscode-languageserver-protocol). Measures, at the client, the time from each
 * small incremental `didChange` to the `publishDiagnostics` of that version, and the server's memory
 * after it has linted the whole corpus.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

  /** How many child processes the server has now (Linux /proc; 0 where it cannot tell). */
  children(): number {
    try {
      const tasks = readdirSync(`/proc/${this.child.pid}/task`);
      return tasks.reduce(
        (n, t) => n + readFileSync(`/proc/${this.child.pid}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).length,
        0,
      );
    } catch {
      return 0;
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
  env?: NodeJS.ProcessEnv,
): Promise<{
  idleMB?: number;
  rssMB?: number;
  peakMB?: number;
  settledMB?: number;
  lintMs: number;
  shellcheckTailMs: number;
  findings: number;
}> {
  const client = await BenchClient.start(server, env);
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
    // The ShellCheck passes that follow the diagnostics (one per document once it has been quiet for
    // 300 ms, where shellcheck is installed) run as child processes: the server is idle once they end.
    // Runs follow one another: the passes are over once no child has been seen for a second.
    const tail = performance.now();
    let seen = tail;
    while (performance.now() - seen < 1000 && performance.now() - tail < 300_000) {
      if (client.children()) seen = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const shellcheckTailMs = seen - tail;
    // And once the server has been idle long enough to give back what the burst grew
    // (server/src/lsp/idleCollect.ts: 2 s of quiet, then a few collections 1.5 s apart).
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    return { idleMB, ...atOnce, settledMB: client.memory()?.rssMB, lintMs, shellcheckTailMs, findings };
  } finally {
    await client.stop();
  }
}

/**
 * The floor of the server's memory (issue 29): a server that does nothing, Node and
 * vscode-languageserver with no rules loaded, started as ours is and measured right after
 * `initialize`. Its RSS in MB.
 */
export async function floorMemory(root: string, env?: NodeJS.ProcessEnv): Promise<number | undefined> {
  const script = path.join(root, 'out', 'bench', 'floor-server.js');
  mkdirSync(path.dirname(script), { recursive: true });
  // Resolved from out/bench, as any module of the checkout: its node_modules.
  const library = JSON.stringify('vscode-languageserver/node');
  writeFileSync(
    script,
    [
      `const { createConnection, ProposedFeatures } = require(${library});`,
      `const connection = createConnection(ProposedFeatures.all);`,
      `connection.onInitialize(() => ({ capabilities: {} }));`,
      `connection.listen();`,
    ].join('\n'),
  );
  const client = await BenchClient.start(script, env);
  try {
    return client.memory()?.rssMB;
  } finally {
    await client.stop();
  }
}
