/** Entry point of dist/cli.js (package.json `bin`: dockerfile-hardener). */
import { main } from './cli/main';

main(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
}).then((code) => {
  process.exitCode = code;
});
