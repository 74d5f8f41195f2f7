/**
 * The entry point VS Code calls in the extension host (`--extensionTestsPath`): runs every
 * *.test.js bundled beside it with mocha and rejects when a test fails, which makes VS Code exit 1.
 *
 * Test files: codeActions (quick-fixes, fix all), convert (the palette command), diagnostics,
 * fileNames, pin (pinning against a real registry on loopback), projectConfig, settings, snippets,
 * workbench (screenshots, last).
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

/**
 * In the VS Code server host the extension host's console reaches the runner mixed with the
 * workbench's own log; marking the tests' output lets test/vscode/host/code.ts print only that.
 * The extension host does not let console.log be replaced, so the mark goes on mocha's reporter
 * output (Base.consoleLog), which support.ts's `log` uses too.
 */
function markOutput(prefix: string | undefined): () => void {
  const base = Mocha.reporters.Base.consoleLog;
  if (prefix) Mocha.reporters.Base.consoleLog = (...args: unknown[]) => base(prefix + format(...args));
  return () => {
    Mocha.reporters.Base.consoleLog = base;
  };
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  for (const f of readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort())
    mocha.addFile(path.join(__dirname, f));
  const unmark = markOutput(process.env.HARDENER_TEST_OUTPUT_PREFIX);
  return new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const { passes = 0, pending = 0 } = runner.stats ?? {};
      // The plain closing line CI reads, beside mocha's own summary.
      Mocha.reporters.Base.consoleLog(`vscode: ${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}`);
      if (failures > 0) reject(new Error(`${failures} VS Code test(s) failed`));
      else if (passes === 0) reject(new Error('no VS Code test ran'));
      else resolve();
    });
  }).finally(unmark);
}
