import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileLinter } from '../../server/src/cli/lintFiles';
import { Inputs } from '../../server/src/cli/inputs';
import { fullCollection } from '../../server/src/lsp/idleCollect';
import { DockerfileModel } from '../../server/src/model/model';

/**
 * What `lint` holds of each file until every file is done (server/src/cli/lintFiles.ts): the findings
 * the outputs read, and for ShellCheck the scripts and what places their comments, never the model.
 * Held to the end of the run, the corpus's 952 models made each young-generation collection copy
 * them: GC time tripled and the peak RSS grew by 60 MB. Every model the lint builds is watched
 * through a WeakRef; after a full collection none may be left while the results are still held.
 */
describe('the CLI lint keeps no model of a file once its rules have run', () => {
  const gc = fullCollection();
  let dir: string;
  before(function () {
    if (!gc) this.skip(); // this Node gives no full collection: nothing to observe with
    dir = mkdtempSync(path.join(os.tmpdir(), 'dfh-retention-'));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  for (const shellcheck of ['off', undefined]) {
    it(`with ShellCheck ${shellcheck ?? 'on'}: results held, models collected`, async () => {
      // Findings with fixes (the version pin, the cache cleanup) and RUN scripts for ShellCheck.
      const file = path.join(dir, `Dockerfile.${shellcheck ?? 'on'}`);
      writeFileSync(file, 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN echo $HOME\nUSER 1000\n');
      const built: WeakRef<DockerfileModel>[] = [];
      const proto = DockerfileModel.prototype as unknown as { build(): void };
      const build = proto.build;
      proto.build = function (this: DockerfileModel) {
        built.push(new WeakRef(this));
        build.call(this);
      };
      let linted;
      try {
        const inputs = new Inputs({ paths: [file] }, () => {});
        const linter = new FileLinter({ paths: [file], shellcheck }, inputs, () => {});
        linted = await linter.lintFile(file);
      } finally {
        proto.build = build;
      }
      assert.ok(linted && linted.findings.length > 0, 'the file has findings');
      assert.equal(shellcheck === 'off' ? undefined : linted.scripts?.jobs.length, shellcheck === 'off' ? undefined : 2);
      assert.ok(built.length > 0, 'the lint built a model');
      assert.ok(
        linted.findings.every((f) => !('fixes' in f)),
        'no finding keeps its fixes',
      );
      // A WeakRef keeps its target until the job that made it ends.
      await new Promise((resolve) => setImmediate(resolve));
      gc!();
      assert.deepEqual(
        built.map((r) => r.deref() === undefined),
        built.map(() => true),
        'every model was collected',
      );
      assert.ok(linted.text.includes('apt-get'), 'the results are still held');
    });
  }
});
