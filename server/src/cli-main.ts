/**
 * The CLI, bundled as dist/cli-main.js, which the bin (cli-bin.ts, dist/cli.js) runs through V8's code
 * cache, in the main thread and in lint workers.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { main } from './cli/main';
import { allowWorkers, runLintWorker, type WorkerStart } from './cli/parallel';
import { tuneV8 } from './engine/v8Tuning';

if (!isMainThread && (workerData as WorkerStart | undefined)?.dockerfileHardenerLint && parentPort) {
  // A worker of `lint` on many files (cli/parallel.ts): the process's V8 settings are already made.
  runLintWorker(parentPort, workerData as WorkerStart);
} else {
  // Before anything is linted: what V8 compiles from here on (engine/v8Tuning.ts says why).
  tuneV8();

  // Output piped into a program that stops reading (`| head`) is not an error of ours.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }

  // Workers start as this thread did: through the bin beside the bundle, where there is one (the
  // code cache serves them too), and never through a program that loaded the bin as a module.
  const bin = path.join(__dirname, 'cli.js');
  allowWorkers(existsSync(bin) ? bin : __filename);
  main(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
  }).then((code) => {
    process.exitCode = code;
  });
}
