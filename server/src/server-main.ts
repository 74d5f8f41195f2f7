/** Entry point of dist/server.js: `node dist/server.js --stdio` (or --node-ipc, --socket=N). */
import { startServer } from './lsp/server';
import { fullCollection, IdleCollector } from './lsp/idleCollect';
import { tuneV8 } from './engine/v8Tuning';

// Before anything is linted: what V8 compiles from here on (engine/v8Tuning.ts says why).
tuneV8();

// Work started outside a request (linting after didOpen/didChange) has no caller to report a failure
// to; Node's default for such a rejection is to end the process, and with it every document's
// diagnostics. One malformed message (a didOpen whose text is not a string) must not do that: the
// failure is logged on stderr, and the server goes on with the next message.
process.on('unhandledRejection', (reason) => {
  process.stderr.write(
    `dockerfile-hardener: contained an internal error: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`,
  );
});

// V8 keeps the heap a burst of linting grew; once the server is idle, give it back (idleCollect.ts).
const collect = fullCollection();
const idle = collect ? new IdleCollector({ collect }) : undefined;
startServer(undefined, { onWork: () => idle?.busy() });
