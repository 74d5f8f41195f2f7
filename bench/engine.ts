/**
 * What bench/child.ts runs of the checkout measured: the lint the CLI and the server run, and the
 * V8 settings their entry points apply. run.ts bundles it as `engine.js`.
 */
export { lint } from '../server/src/linter/lint';
export { tuneV8 } from '../server/src/engine/v8Tuning';
