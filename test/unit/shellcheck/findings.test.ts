/** ShellCheck's comments as findings: ids, severities, ranges, and every way of silencing them (no binary needed). */
import * as assert from 'node:assert/strict';
import { DockerfileModel } from '../../../server/src/model/model';
import { placesOf, shellcheckFindings } from '../../../server/src/shellcheck/findings';
import type { ShellCheckComment } from '../../../server/src/shellcheck/run';
import type { LintOptions } from '../../../server/src/engine/findings';

function comments(model: DockerfileModel, text: string, needle: string, code = 2086, level: ShellCheckComment['level'] = 'info') {
  const start = text.indexOf(needle);
  const instr = model.instructions.find((i) => i.span.start <= start && start < i.span.end)!;
  return [{ code, level, message: 'Double quote to prevent globbing and word splitting.', start, end: start + needle.length, instr }];
}

function run(text: string, options: LintOptions = {}, level: ShellCheckComment['level'] = 'info') {
  const model = new DockerfileModel(text);
  return shellcheckFindings(placesOf(model), comments(model, text, '$HOME', 2086, level), options).map(
    (f) => `${f.rule} ${f.severity} ${f.range.start.line}:${f.range.start.character}-${f.range.end.character}`,
  );
}

const TEXT = 'FROM debian:12\nRUN echo $HOME\n';

describe('ShellCheck findings', () => {
  it('are SC<code> at the mapped range, at ShellCheck’s level (style is a hint)', () => {
    assert.deepEqual(run(TEXT), ['SC2086 info 1:9-14']);
    assert.deepEqual(run(TEXT, {}, 'style'), ['SC2086 hint 1:9-14']);
    assert.deepEqual(run(TEXT, {}, 'error'), ['SC2086 error 1:9-14']);
  });

  it('ignore comments: ours and hadolint’s, above the instruction or global, by code or shellcheck', () => {
    for (const comment of [
      '# hadolint ignore=SC2086',
      '# dockerfile-hardener ignore=SC2086',
      '# dockerfile-hardener ignore=shellcheck',
      '# hadolint global ignore=SC2086',
    ]) {
      assert.deepEqual(run(TEXT.replace('RUN', `${comment}\nRUN`)), [], comment);
    }
    assert.deepEqual(run(TEXT.replace('RUN', '# hadolint ignore=SC2046\nRUN')), ['SC2086 info 2:9-14']);
  });

  it('settings: rules per code or for all, and .hadolint.yaml ignored and override', () => {
    assert.deepEqual(run(TEXT, { rules: { shellcheck: 'off' } }), []);
    assert.deepEqual(run(TEXT, { rules: { SC2086: 'off' } }), []);
    assert.deepEqual(run(TEXT, { rules: { shellcheck: 'warning' } }), ['SC2086 warning 1:9-14']);
    assert.deepEqual(run(TEXT, { rules: { shellcheck: 'warning', SC2086: 'hint' } }), ['SC2086 hint 1:9-14']);
    assert.deepEqual(run(TEXT, { hadolint: { ignored: new Set(['SC2086']), override: new Map() } }), []);
    assert.deepEqual(run(TEXT, { hadolint: { ignored: new Set(), override: new Map([['SC2086', 'error']]) } }), ['SC2086 error 1:9-14']);
  });
});
