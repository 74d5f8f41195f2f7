/** The CI formatters as pure functions: escaping, truncation, fingerprints, and which output goes where. */
import * as assert from 'node:assert/strict';
import { escapeData, escapeProperty, formatCodeclimate, formatMarkdown, markdownCell, xmlEscape } from '../../server/src/cli/ciFormats';
import { parseOutputs } from '../../server/src/cli/outputs';
import { UsageError } from '../../server/src/cli/args';
import type { FileFindings } from '../../server/src/cli/formats';
import type { Severity } from '../../server/src/engine/rule';

function finding(line: number, severity: Severity = 'warning', rule = 'root-user', message = 'runs as root') {
  return { rule, severity, message, range: { start: { line, character: 0 }, end: { line, character: 4 } } };
}

describe('CI formats', () => {
  it('escapes workflow commands as @actions/core does: % first, then CR and LF; in properties also : and ,', () => {
    assert.equal(escapeData('50%\r\n: a, b'), '50%25%0D%0A: a, b');
    assert.equal(escapeProperty('50%\r\n: a, b'), '50%25%0D%0A%3A a%2C b');
    assert.equal(escapeData('%0A'), '%250A'); // an escape in the text stays text
  });

  it('escapes XML, and replaces what XML 1.0 cannot hold', () => {
    assert.equal(xmlEscape(`<a href="x">&'</a>`), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
    assert.equal(xmlEscape('a\tb\nc\rd'), 'a&#9;b&#10;c&#13;d');
    assert.equal(xmlEscape('bell\u0007 lone\ud800 pair\ud83d\ude00'), 'bell\ufffd lone\ufffd pair\ud83d\ude00');
  });

  it('escapes a markdown cell: pipes, emphasis, code, links and HTML, on one line', () => {
    assert.equal(markdownCell('a | b *c* _d_ `e` [f](g) <h> &i;\nj\\'), 'a \\| b \\*c\\* \\_d\\_ \\`e\\` \\[f\\](g) \\<h\\> &amp;i; j\\\\');
  });

  it('cuts the markdown table short of the limit, saying how many findings were left out', () => {
    const results: FileFindings[] = [{ file: 'Dockerfile', findings: Array.from({ length: 500 }, (_, i) => finding(i)) }];
    const full = formatMarkdown(results);
    assert.equal(full.split('\n').filter((l) => l.startsWith('| warning |')).length, 500);
    const cut = formatMarkdown(results, 4000);
    assert.ok(cut.length <= 4000, String(cut.length));
    const rows = cut.split('\n').filter((l) => l.startsWith('| warning |')).length;
    assert.ok(rows > 10 && rows < 500, String(rows));
    assert.match(cut, new RegExp(`\\n\\n…and ${500 - rows} more findings left out to stay under the comment size limit\\.\\n$`));
    // Most severe first.
    const mixed = formatMarkdown([{ file: 'D', findings: [finding(0, 'hint', 'h'), finding(1, 'error', 'e'), finding(2, 'info', 'i')] }]);
    assert.deepEqual(
      mixed
        .split('\n')
        .filter((l) => /^\| (error|info|hint) /.test(l))
        .map((l) => l.split(' ')[1]),
      ['error', 'info', 'hint'],
    );
    assert.match(mixed, /^\*\*Dockerfile Hardener\*\*: 3 findings \(1 error, 1 info, 1 hint\) in 1 of 1 file\.\n/);
  });

  it('fingerprints by path, rule and the text of the lines, numbering repeats', () => {
    const prints = (file: string, text: string, findings: ReturnType<typeof finding>[]) =>
      (JSON.parse(formatCodeclimate([{ file, text, findings }])) as { fingerprint: string }[]).map((i) => i.fingerprint);
    const [a, b, c] = prints('D', 'USER root\n  USER root\nUSER app\n', [finding(0), finding(1), finding(2)]);
    assert.notEqual(a, b, 'the same line twice: numbered apart');
    assert.notEqual(a, c);
    assert.deepEqual(prints('D', '\nUSER root\nUSER root\n', [finding(1), finding(2)]), [a, b]);
    assert.notDeepEqual(prints('E', 'USER root\n', [finding(0)]), [a]);
  });

  it('sends one format to standard output (text when none asks for it) and pairs each --output with the --format before it', () => {
    const seq = (...args: string[]) => args.map((a) => ({ name: a.split(' ')[0], value: a.split(' ')[1] }));
    assert.deepEqual(parseOutputs([]), [{ format: 'text' }]);
    assert.deepEqual(parseOutputs(seq('--format sarif', '--output s.sarif', '--format github')), [
      { format: 'github' },
      { format: 'sarif', file: 's.sarif' },
    ]);
    assert.deepEqual(parseOutputs(seq('--format sarif', '--output s.sarif')), [{ format: 'text' }, { format: 'sarif', file: 's.sarif' }]);
    assert.deepEqual(parseOutputs(seq('--fail-level none', '--format json')), [{ format: 'json' }]);
    assert.throws(() => parseOutputs(seq('--format text', '--format json')), UsageError);
    assert.throws(() => parseOutputs(seq('--output x')), UsageError);
  });
});
