/**
 * "Fix all" over every real-world Dockerfile of the shared corpus, safe fixes and with --unsafe: each
 * result re-parses without a rule failing, has no finding it did not have before, has fewer
 * findings, and fixing it again changes nothing. Prints the figures.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { lint } from '../../server/src/linter/lint';
import { type Finding } from '../../server/src/engine/findings';
import { fixAll } from '../../server/src/linter/fix';
import { requireCorpus } from '../support/corpus';

function counts(findings: Finding[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of findings) m.set(f.rule, (m.get(f.rule) ?? 0) + 1);
  return m;
}

describe('fix all over the corpus', function () {
  this.timeout(300_000);
  for (const unsafe of [false, true]) {
    it(`${unsafe ? 'with --unsafe' : 'safe fixes'}: every fixed file re-lints clean of new findings and is stable`, async function () {
      const dir = requireCorpus(this, 'realworld');
      let changed = 0;
      let applied = 0;
      let removed = 0;
      const violations: string[] = [];
      for (const f of readdirSync(dir).filter((x) => x !== 'MANIFEST.tsv')) {
        const text = readFileSync(path.join(dir, f), 'utf8');
        const before = lint(text).findings;
        const r = await fixAll(text, { unsafe });
        if (r.text === text) continue;
        changed++;
        applied += r.applied.length;
        const errors: string[] = [];
        const after = lint(r.text, { onRuleError: (id, e) => errors.push(`${id}: ${String(e)}`) }).findings;
        if (errors.length) violations.push(`${f}: rule failed after fixing: ${errors.join('; ')}`);
        const b = counts(before);
        for (const [id, n] of counts(after)) if (n > (b.get(id) ?? 0)) violations.push(`${f}: new ${id} finding after fixing`);
        if (after.length >= before.length) violations.push(`${f}: no fewer findings after fixing`);
        removed += before.length - after.length;
        const again = await fixAll(r.text, { unsafe });
        if (again.text !== r.text) violations.push(`${f}: fixing again changes the file`);
      }
      console.log(
        `      ${unsafe ? '--unsafe' : 'safe'}: ${changed} files changed, ${applied} fixes applied, ${removed} findings removed, ${violations.length} violations`,
      );
      assert.deepEqual(violations, []);
      assert.ok(changed > 50, `only ${changed} files changed`);
    });
  }
});
