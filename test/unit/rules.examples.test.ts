/**
 * Every rule's documented examples are tests: each invalid example must produce exactly the findings
 * its caret picture shows, each valid one none, and ignore comments must silence them.
 */
import * as assert from 'node:assert/strict';
import { lint } from '../../server/src/linter/lint';
import { renderPicture, stripPicture, isAnnotation } from '../../server/src/engine/pictures';
import { rules } from '../../server/src/rules';

describe('rule examples', () => {
  it('rule ids are lower-case words joined by hyphens (sortFindings compares them by code unit)', () => {
    for (const rule of rules) assert.match(rule.id, /^[a-z]+(-[a-z]+)*$/);
  });
  for (const rule of rules) {
    // Examples run with the rule enabled (some are off by default) and the options they assume.
    const options = { ...rule.examples.options, only: [rule.id], rules: { [rule.id]: rule.severity } };
    describe(rule.id, () => {
      it('has at least one invalid and one valid example', () => {
        assert.ok(rule.examples.invalid.length > 0);
        assert.ok(rule.examples.valid.length > 0);
      });
      rule.examples.invalid.forEach((example, i) => {
        it(`invalid example ${i + 1} reports what its picture shows`, () => {
          assert.ok(example.split('\n').some(isAnnotation), 'an invalid example needs a caret picture');
          const source = stripPicture(example);
          const { findings } = lint(source, options);
          assert.equal(renderPicture(source, findings), example.replace(/\n$/, '').concat(example.endsWith('\n') ? '\n' : ''));
        });
        it(`invalid example ${i + 1} is silenced by a global ignore comment`, () => {
          const source = `# dockerfile-hardener global ignore=${rule.id}\n` + stripPicture(example);
          assert.deepEqual(lint(source, options).findings, []);
        });
      });
      rule.examples.valid.forEach((example, i) => {
        it(`valid example ${i + 1} reports nothing`, () => {
          const { findings } = lint(example, options);
          assert.deepEqual(
            findings.map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.message}`),
            [],
          );
        });
      });
    });
  }
});
