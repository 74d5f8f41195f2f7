/**
 * Byte-identical findings: over every real-world and stress Dockerfile of the shared corpus, the
 * model's fast path gives the instructions and findings of the reference path (a full dockerfile-ast
 * parse, every detail read from its objects; test/support/equivalence.ts).
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { requireCorpus } from '../support/corpus';
import { assertSameAsReference } from '../support/equivalence';

describe('fast path equals the reference path over the corpus', function () {
  this.timeout(300_000);

  it('on all 952 real-world Dockerfiles', function () {
    const dir = requireCorpus(this, 'realworld');
    const files = readdirSync(dir).filter((f) => f !== 'MANIFEST.tsv');
    assert.equal(files.length, 952);
    for (const f of files) assertSameAsReference(f, readFileSync(path.join(dir, f), 'utf8'));
  });

  it('on the 1k, 10k and 50k-line stress files, also with a target stage', function () {
    const dir = requireCorpus(this, 'stress');
    for (const f of ['stress-1k.Dockerfile', 'stress-10k.Dockerfile', 'stress-50k.Dockerfile']) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      assertSameAsReference(f, text);
      assertSameAsReference(`${f} --target-stage 3`, text, { targetStage: '3' });
    }
  });
});
