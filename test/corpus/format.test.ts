/**
 * Formatting every real-world Dockerfile of the shared corpus changes its layout only: the formatted
 * file has the same instructions (keywords compared in upper case, a FROM's AS too, arguments with
 * runs of blanks collapsed), the same findings (rule and line; instruction-casing aside, whose
 * findings formatting fixes), the same lines, and formatting it again makes no edit. Prints the figures.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { lint } from '../../server/src/linter/lint';
import { DockerfileModel } from '../../server/src/model/model';
import { logicalArguments } from '../../server/src/model/logical';
import { applyEdits } from '../../server/src/engine/edits';
import { formatDockerfile } from '../../server/src/format/format';
import { requireCorpus } from '../support/corpus';

/** Each instruction as `KEYWORD arguments`, blanks collapsed. */
function instructions(text: string): string[] {
  const model = new DockerfileModel(text);
  return model.instructions.map((i) => {
    let args = logicalArguments(text, i.keywordSpan.end, i.span.end, model.escapeChar).text.replace(/\s+/g, ' ').trim();
    if (i.keyword === 'FROM') args = args.replace(/(^| )as( |$)/gi, '$1AS$2');
    return `${i.keyword} ${args}`;
  });
}

function findings(text: string): string[] {
  return lint(text)
    .findings.filter((f) => f.rule !== 'instruction-casing')
    .map((f) => `${f.range.start.line} ${f.rule}`)
    .sort();
}

const lineCount = (text: string) => text.split(/\r\n|\r|\n/).length;

describe('formatting the corpus', function () {
  this.timeout(300_000);

  it('keeps every file its instructions, findings and lines, and is idempotent', function () {
    const dir = requireCorpus(this, 'realworld');
    let files = 0;
    let changed = 0;
    let edits = 0;
    const violations: string[] = [];
    for (const f of readdirSync(dir).filter((x) => x !== 'MANIFEST.tsv')) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      files++;
      const e = formatDockerfile(text);
      const out = applyEdits(text, e);
      if (out === text) continue;
      changed++;
      edits += e.length;
      if (formatDockerfile(out).length) violations.push(`${f}: formatting again makes edits`);
      if (instructions(out).join('\n') !== instructions(text).join('\n')) violations.push(`${f}: the instructions changed`);
      const finalBreak = /[\r\n]$/.test(text) ? 0 : 1;
      if (lineCount(out) !== lineCount(text) + finalBreak) violations.push(`${f}: the line count changed`);
      if (findings(out).join('\n') !== findings(text).join('\n')) violations.push(`${f}: the findings changed`);
    }
    console.log(`      ${files} files, ${changed} changed by formatting, ${edits} edits, ${violations.length} violations`);
    assert.deepEqual(violations, []);
    assert.ok(changed > 0);
  });
});
