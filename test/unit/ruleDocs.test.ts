/**
 * The rules' pages as the server and the CLI read them (server/src/docs/rulePages.ts), the hover on a
 * finding built from them (server/src/lsp/hover.ts), and `explain`'s close matches.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MarkupContent } from 'vscode-languageserver/node';
import { parseRulePage, plainText, RulePages, withoutRelativeLinks } from '../../server/src/docs/rulePages';
import { hoverAt } from '../../server/src/lsp/hover';
import { closeMatches } from '../../server/src/cli/explain';
import { lint } from '../../server/src/linter/lint';
import { rules } from '../../server/src/rules';
import type { Finding } from '../../server/src/engine/findings';

const DOCS = path.resolve(__dirname, '../../docs/rules');

describe("the rules' pages", () => {
  it('are found in the repository when running from sources, as file:// URIs, and never for what is no rule id', () => {
    const pages = new RulePages();
    assert.equal(pages.href('root-user'), pathToFileURL(path.join(DOCS, 'root-user.md')).href);
    assert.equal(pages.href('no-such-rule'), undefined);
    assert.equal(pages.href('../README'), undefined);
    assert.equal(pages.get('no-such-rule'), undefined);
  });

  it('parse into summary, why, the first reported example and the fixes, for every rule', () => {
    const pages = new RulePages([DOCS]);
    for (const rule of rules) {
      const page = pages.get(rule.id);
      assert.ok(page, `${rule.id} has no page`);
      assert.equal(page.summary, rule.summary, rule.id);
      assert.ok(page.why.startsWith(rule.rationale.trim().split('\n')[0]), `${rule.id}: why`);
      assert.equal(page.example, rule.examples.invalid[0].replace(/\n$/, ''), `${rule.id}: example`);
      assert.equal(page.fixes.length, rule.examples.fixes?.length ?? 0, `${rule.id}: fixes`);
      assert.doesNotMatch(page.text, /^<!--/, `${rule.id}: the generator's comment is left out`);
    }
  });

  it('keep a "## " line inside a code block in its section', () => {
    const page = parseRulePage(
      'x',
      '/x.md',
      '# x\n\nSummary.\n\n## Why\n\nBecause.\n\n## Examples\n\n```dockerfile\nFROM a\n## not a heading\n```\n\n## Fixes\n\n**Do it** (safe)\n',
    );
    assert.equal(page.example, 'FROM a\n## not a heading');
    assert.deepEqual(page.fixes, [{ title: 'Do it', kind: 'safe' }]);
    assert.equal(page.why, 'Because.');
  });

  it('lose their relative links where they lead nowhere, and their marks as plain text', () => {
    assert.equal(withoutRelativeLinks('see [a](a.md), [b](https://b.example/) and ![i](x.png)'), 'see a, [b](https://b.example/) and ');
    assert.equal(plainText('**T** (safe)\n\n```diff\n-a\n```\n\nuse `USER`'), 'T (safe)\n\n-a\n\nuse USER');
  });
});

describe('hover on a finding', () => {
  const text = 'FROM alpine:3.20\nRUN apk add --no-cache curl\nUSER root\n';
  const findings = lint(text, { only: ['root-user'] }).findings;

  const value = (h: ReturnType<typeof hoverAt>) => (h?.contents as MarkupContent).value;

  it('explains the rule from its page, at the finding only', () => {
    const h = hoverAt({ findings, pages: new RulePages([DOCS]) }, { line: 2, character: 7 });
    assert.deepEqual(h?.range, findings[0].range);
    assert.match(value(h), /^\*\*root-user\*\*: The shipped image runs as root\.\n\n\*\*Why\.\*\* /);
    assert.equal(hoverAt({ findings, pages: new RulePages([DOCS]) }, { line: 1, character: 0 }), null);
  });

  it("lists the page's fixes where the finding carries none", () => {
    const bare: Finding[] = findings.map((f) => ({ ...f, fixes: undefined }));
    const md = value(hoverAt({ findings: bare, pages: new RulePages([DOCS]) }, { line: 2, character: 7 }));
    assert.match(
      md,
      /\*\*Fixes it offers \(from its page\):\*\*\n- Create appuser \(uid 10001\) with a home, and run as 10001:10001 \(suggestion/,
    );
  });

  it('links a relative link of the page to the file beside it, and leaves one to a missing file as text', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dh-pages-'));
    try {
      writeFileSync(path.join(dir, 'root-entrypoint.md'), '# root-entrypoint\n');
      writeFileSync(
        path.join(dir, 'root-user.md'),
        '# root-user\n\nRoot.\n\n## Why\n\nSee [root-entrypoint](root-entrypoint.md) and [gone](../gone.md).\n',
      );
      const md = value(hoverAt({ findings, pages: new RulePages([dir]) }, { line: 2, character: 7 }));
      assert.match(
        md,
        new RegExp(`See \\[root-entrypoint\\]\\(${pathToFileURL(path.join(dir, 'root-entrypoint.md')).href}\\) and gone\\.`),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives the summary alone when the page is missing', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dh-pages-'));
    try {
      const h = hoverAt({ findings, pages: new RulePages([dir]) }, { line: 2, character: 7 });
      assert.equal(value(h), '**root-user**: The shipped image runs as root.');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says nothing on a code that has no page (a custom rule, ShellCheck)', () => {
    const others: Finding[] = findings.map((f) => ({ ...f, rule: 'SC2086' }));
    assert.equal(hoverAt({ findings: others, pages: new RulePages([DOCS]) }, { line: 2, character: 7 }), null);
  });
});

describe('explain: close matches of a name that is no rule', () => {
  it('names ids a few edits away or holding the name', () => {
    assert.deepEqual(closeMatches('rootuser'), ['root-user']);
    assert.deepEqual(closeMatches('apt-list').slice(0, 1), ['apt-lists']);
    assert.ok(closeMatches('sudo').includes('passwordless-sudo'));
    assert.deepEqual(closeMatches('zzzzzzzz'), []);
  });
});
