/** Entry point of dist/cli.js (package.json `bin`: dockerfile-hardener). */
import { main } from './cli/main';
import { tuneV8 } from './engine/v8Tuning';

// Before anything is linted: what V8 compiles from here on (engine/v8Tuning.ts says why).
tuneV8();

// Output piped into a program that stops reading (`| head`) is not an error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

main(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
}).then((code) => {
  process.exitCode = code;
});
