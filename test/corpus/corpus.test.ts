/**
 * Every real-world and stress Dockerfile of the shared corpus lints without an exception, and every
 * finding's range lies inside its document.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { lint } from '../../server/src/linter/lint';
import { LineIndex } from '../../server/src/model/text';
import { DockerfileModel } from '../../server/src/model/model';
import { convertible, convertToScratch } from '../../server/src/convert/convert';
import { requireCorpus } from '../support/corpus';

function check(file: string, text: string): number {
  const errors: string[] = [];
  const { findings } = lint(text, { onRuleError: (rule, e) => errors.push(`${rule}: ${e instanceof Error ? e.stack : String(e)}`) });
  assert.deepEqual(errors, [], file);
  const lines = new LineIndex(text);
  for (const f of findings) {
    const { start, end } = f.range;
    const where = `${file} ${f.rule} ${JSON.stringify(f.range)}`;
    assert.ok(start.line >= 0 && start.line < lines.lineCount, where);
    assert.ok(end.line >= start.line && end.line < lines.lineCount, where);
    assert.ok(start.character <= lines.lineText(start.line).length, where);
    assert.ok(end.character <= lines.lineText(end.line).length, where);
    assert.ok(end.line > start.line || end.character > start.character, `empty range: ${where}`);
  }
  return findings.length;
}

describe('corpus', function () {
  this.timeout(120_000);

  it('lints all 952 real-world Dockerfiles without an exception, with ranges inside the document', function () {
    const dir = requireCorpus(this, 'realworld');
    const files = readdirSync(dir).filter((f) => f !== 'MANIFEST.tsv');
    assert.equal(files.length, 952);
    let total = 0;
    for (const f of files) total += check(f, readFileSync(path.join(dir, f), 'utf8'));
    assert.ok(total > 0);
  });

  // The editor offers "Convert to multi-stage scratch build" from the analysis alone and converts when
  // the action is chosen: the offer must never promise a conversion that refuses for another reason
  // than the check of its result, nor hide one that works.
  it('offers the conversion exactly where it works, on all 952 files (analysis alone vs the whole conversion)', function () {
    const dir = requireCorpus(this, 'realworld');
    const counts = { offered: 0, converted: 0, refusedOnCheck: 0 };
    for (const f of readdirSync(dir).filter((x) => x !== 'MANIFEST.tsv')) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      const offer = convertible(new DockerfileModel(text.replace(/^\uFEFF/, ' ')));
      const whole = convertToScratch(text);
      if (!offer.ok) {
        assert.ok(!whole.ok, `${f}: converted, but not offered (${offer.reason})`);
        assert.equal(whole.reason, offer.reason, f);
        continue;
      }
      counts.offered++;
      if (whole.ok) counts.converted++;
      else {
        assert.match(whole.reason, /its edits would overlap|the converted file would still have/, f);
        counts.refusedOnCheck++;
      }
    }
    assert.ok(counts.converted > 0, JSON.stringify(counts));
  });

  it('lints the 1k, 10k and 50k-line stress files', function () {
    const dir = requireCorpus(this, 'stress');
    for (const f of ['stress-1k.Dockerfile', 'stress-10k.Dockerfile', 'stress-50k.Dockerfile']) {
      assert.ok(check(f, readFileSync(path.join(dir, f), 'utf8')) > 0, f);
    }
  });
});
