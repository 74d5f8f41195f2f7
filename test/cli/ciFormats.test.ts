/**
 * The CI output formats end to end, each checked against what consumes it: the built CLI
 * (dist/cli.js; `node scripts/build.mjs` first) on real files, its checkstyle and junit XML validated
 * by xmllint against an XSD, its codeclimate JSON by ajv against GitLab's fields, its github workflow
 * commands read back the way the Actions runner reads them, and several outputs in one run.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import Ajv from 'ajv';
import { runCli, CLI } from '../support/cli';

const BAD = 'FROM alpine\nENTRYPOINT echo hi\n'; // root-user (warning), shell-form-cmd (info)
const CLEAN = 'FROM scratch\nCOPY app /app\n';
const SCHEMAS = path.join(__dirname, 'schemas');

/** A custom rule whose message holds every character the formats must escape. */
const AWKWARD_CONFIG = `customRules:
  - id: awkward
    message: "100% <sure> & \\"quoted\\": a, b | *c* [d](e) \`f\`\\r\\nsecond line"
    severity: error
    match:
      instruction: FROM
`;

function xmllint(schema: string, xml: string, dir: string): string {
  const file = path.join(dir, `out-${Math.random().toString(36).slice(2)}.xml`);
  writeFileSync(file, xml);
  const r = spawnSync('xmllint', ['--noout', '--schema', path.join(SCHEMAS, schema), file], { encoding: 'utf8' });
  assert.equal(r.error, undefined, String(r.error));
  assert.equal(r.status, 0, r.stderr);
  return r.stderr;
}

/** A workflow command read back as the Actions runner reads it (ActionCommand.TryParseV2). */
function parseCommand(line: string): { command: string; properties: Record<string, string>; data: string } {
  const m = /^::(\w+) ([^:]*)::(.*)$/.exec(line);
  assert.ok(m, line);
  const unescape = (s: string) =>
    s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  const properties: Record<string, string> = {};
  for (const p of m[2].split(',')) {
    const i = p.indexOf('=');
    properties[p.slice(0, i)] = unescape(p.slice(i + 1));
  }
  return { command: m[1], properties, data: unescape(m[3]) };
}

describe('CLI: CI formats', function () {
  this.timeout(60_000);
  let dir: string;
  let hasXmllint = true;

  before(function () {
    assert.ok(existsSync(CLI), `${CLI} is missing: run node scripts/build.mjs first`);
    hasXmllint = spawnSync('xmllint', ['--version']).status === 0;
    if (!hasXmllint && process.env.CI)
      assert.fail('xmllint is missing, and CI must validate the XML formats (scripts/setup-debian.sh installs libxml2-utils)');
  });
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dh-reports-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const file = (rel: string, text: string) => {
    const p = path.join(dir, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
    return p;
  };
  const needXmllint = (ctx: Mocha.Context) => {
    if (!hasXmllint) ctx.skip();
  };

  describe('github', () => {
    it('prints one workflow command a finding: ::warning for a warning, ::notice for info, with file, lines, columns and the rule as title', () => {
      file('a/Dockerfile', BAD);
      const r = runCli(['lint', '--format', 'github', '.'], { cwd: dir });
      assert.equal(r.status, 1);
      assert.equal(r.stderr, '');
      const lines = r.stdout.trimEnd().split('\n');
      assert.equal(lines.length, 2);
      assert.match(
        lines[0],
        /^::warning file=a\/Dockerfile,line=1,col=6,endLine=1,endColumn=12,title=root-user::The shipped image runs as root/,
      );
      assert.match(
        lines[1],
        /^::notice file=a\/Dockerfile,line=2,col=12,endLine=2,endColumn=19,title=shell-form-cmd::ENTRYPOINT runs in shell form/,
      );
    });

    it('escapes messages and properties as the Actions toolkit does, so the runner reads back exactly what was meant', () => {
      file('odd, dir: x%/Dockerfile', 'FROM scratch\n');
      file('odd, dir: x%/.dockerfile-hardener.yaml', AWKWARD_CONFIG);
      const r = runCli(['lint', '--format', 'github', '.'], { cwd: dir });
      assert.equal(r.status, 1, r.stderr);
      const line = r.stdout.split('\n').find((l) => l.includes('title=awkward'));
      assert.ok(line, r.stdout);
      assert.ok(line.startsWith('::error file=odd%2C dir%3A x%25/Dockerfile,line=1,'), line);
      assert.ok(line.endsWith('::100%25 <sure> & "quoted": a, b | *c* [d](e) `f`%0D%0Asecond line'), line);
      const { command, properties, data } = parseCommand(line);
      assert.equal(command, 'error');
      assert.equal(properties.file, 'odd, dir: x%/Dockerfile');
      assert.equal(properties.title, 'awkward');
      assert.equal(data, '100% <sure> & "quoted": a, b | *c* [d](e) `f`\r\nsecond line');
    });
  });

  describe('checkstyle', () => {
    it('validates against the checkstyle XSD, with every file, the severities, and the dotted rule id as source', function () {
      needXmllint(this);
      file('a/Dockerfile', BAD);
      file('b/Dockerfile', CLEAN);
      file('c/Dockerfile', 'FROM scratch\n');
      file('c/.dockerfile-hardener.yaml', AWKWARD_CONFIG);
      const r = runCli(['lint', '--format', 'checkstyle', '.'], { cwd: dir });
      assert.equal(r.status, 1, r.stderr);
      xmllint('checkstyle.xsd', r.stdout, dir);
      assert.match(r.stdout, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<checkstyle version="4\.3">\n/);
      assert.match(r.stdout, /<file name="b\/Dockerfile"\/>/);
      assert.match(
        r.stdout,
        /<error line="1" column="6" severity="warning" message="The shipped image runs as root[^"]*" source="dockerfile-hardener\.root-user"\/>/,
      );
      assert.match(r.stdout, /<error line="2" column="12" severity="info" [^>]*source="dockerfile-hardener\.shell-form-cmd"\/>/);
      assert.match(r.stdout, /message="100% &lt;sure&gt; &amp; &quot;quoted&quot;: a, b \| \*c\* \[d\]\(e\) `f`&#13;&#10;second line"/);
    });
  });

  describe('junit', () => {
    it('validates against the JUnit XSD: a suite per file, a failing case per finding, a passing case for a clean file', function () {
      needXmllint(this);
      file('a/Dockerfile', BAD);
      file('b/Dockerfile', CLEAN);
      file('c/Dockerfile', 'FROM scratch\n');
      file('c/.dockerfile-hardener.yaml', AWKWARD_CONFIG);
      const r = runCli(['lint', '--format', 'junit', '.'], { cwd: dir });
      assert.equal(r.status, 1, r.stderr);
      xmllint('junit.xsd', r.stdout, dir);
      assert.match(r.stdout, /<testsuites name="dockerfile-hardener" tests="4" failures="3" errors="0">/);
      assert.match(r.stdout, /<testsuite name="a\/Dockerfile" tests="2" failures="2" errors="0" skipped="0">/);
      assert.match(
        r.stdout,
        /<testsuite name="b\/Dockerfile" tests="1" failures="0" errors="0" skipped="0">\n {4}<testcase name="no findings" classname="b\/Dockerfile"\/>/,
      );
      assert.match(
        r.stdout,
        /<testcase name="root-user at 1:6" classname="a\/Dockerfile">\n {6}<failure message="The shipped image runs as root[^"]*" type="warning">a\/Dockerfile:1:6 warning root-user&#10;The shipped/,
      );
    });
  });

  describe('codeclimate', () => {
    const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(path.join(SCHEMAS, 'codeclimate.schema.json'), 'utf8')));
    type Issue = {
      check_name: string;
      severity: string;
      fingerprint: string;
      location: { path: string; lines: { begin: number; end: number } };
    };
    const report = (cwd: string): Issue[] => {
      const r = runCli(['lint', '--format', 'codeclimate', '--fail-level', 'none', '.'], { cwd });
      assert.equal(r.status, 0, r.stderr);
      const json = JSON.parse(r.stdout);
      assert.ok(validate(json), JSON.stringify(validate.errors));
      return json as Issue[];
    };

    it("validates against GitLab's code quality fields, with the severities mapped", () => {
      file('a/Dockerfile', BAD);
      file('b/Dockerfile', CLEAN);
      file('c/Dockerfile', 'FROM scratch\n');
      file('c/.dockerfile-hardener.yaml', AWKWARD_CONFIG);
      const issues = report(dir);
      assert.deepEqual(
        issues.map((i) => `${i.location.path}:${i.location.lines.begin}-${i.location.lines.end} ${i.check_name} ${i.severity}`),
        ['a/Dockerfile:1-1 root-user major', 'a/Dockerfile:2-2 shell-form-cmd minor', 'c/Dockerfile:1-1 awkward critical'],
      );
      assert.equal(new Set(issues.map((i) => i.fingerprint)).size, 3);
    });

    it('keeps each fingerprint when lines are added above a finding, and numbers identical findings apart', () => {
      const text = 'FROM alpine\nRUN apk add curl\nENTRYPOINT echo hi\nENTRYPOINT echo hi\n';
      file('Dockerfile', text);
      const before = report(dir);
      assert.equal(new Set(before.map((i) => i.fingerprint)).size, before.length, 'identical findings on two lines get two fingerprints');
      const twice = before.filter((i) => i.check_name === 'shell-form-cmd');
      assert.equal(twice.length, 2);
      file('Dockerfile', '# syntax=docker/dockerfile:1\n# a comment\n\n' + text);
      const after = report(dir);
      assert.deepEqual(
        after.map((i) => i.location.lines.begin),
        before.map((i) => i.location.lines.begin + 3),
      );
      assert.deepEqual(
        after.map((i) => i.fingerprint),
        before.map((i) => i.fingerprint),
      );
      // The same again: runs are deterministic.
      assert.deepEqual(report(dir), after);
    });
  });

  describe('markdown', () => {
    it('prints a summary line and a table, escaped; a clean run is one line', () => {
      file('a/Dockerfile', BAD);
      file('b/Dockerfile', 'FROM scratch\n');
      file('b/.dockerfile-hardener.yaml', AWKWARD_CONFIG);
      const r = runCli(['lint', '--format', 'markdown', '.'], { cwd: dir });
      assert.equal(r.status, 1, r.stderr);
      const lines = r.stdout.trimEnd().split('\n');
      assert.equal(lines[0], '**Dockerfile Hardener**: 3 findings (1 error, 1 warning, 1 info) in 2 of 2 files.');
      assert.deepEqual(lines.slice(2, 4), ['| Severity | Rule | File:Line | Message |', '| --- | --- | --- | --- |']);
      assert.equal(
        lines[4],
        '| error | awkward | b/Dockerfile:1 | 100% \\<sure\\> &amp; "quoted": a, b \\| \\*c\\* \\[d\\](e) \\`f\\` second line |',
      );
      assert.match(lines[5], /^\| warning \| root-user \| a\/Dockerfile:1 \| The shipped image runs as root/);
      assert.equal(lines.length, 7);
      // Every row has its four cells: no pipe of a message splits one.
      for (const row of lines.slice(2)) assert.equal(row.split(/(?<!\\)\|/).length, 6, row);

      rmSync(path.join(dir, 'a'), { recursive: true });
      rmSync(path.join(dir, 'b'), { recursive: true });
      file('Dockerfile', CLEAN);
      const clean = runCli(['lint', '--format', 'markdown', '.'], { cwd: dir });
      assert.equal(clean.status, 0);
      assert.equal(clean.stdout, '**Dockerfile Hardener**: no findings in 1 file.\n');
    });
  });

  describe('sarif levels', () => {
    it('gives info and hint the level note, kept apart by rank and by the severity in the properties', () => {
      file('Dockerfile', 'FROM golang:1.26\nRUN go get -d ./...\nENTRYPOINT echo hi\n');
      const r = runCli(['lint', '--format', 'sarif', '--fail-level', 'none', '--shellcheck', 'off', 'Dockerfile'], { cwd: dir });
      assert.equal(r.status, 0, r.stderr);
      const run = JSON.parse(r.stdout).runs[0];
      const seen = new Map<string, string>();
      for (const x of run.results as { ruleId: string; level: string; rank: number; properties: { severity: string } }[])
        seen.set(x.properties.severity, `${x.level} ${x.rank}`);
      assert.equal(seen.get('info'), 'note 30');
      assert.equal(seen.get('hint'), 'note 10');
      const rule = run.tool.driver.rules.find((x: { id: string }) => x.id === 'go-get-deprecated');
      assert.deepEqual(rule.defaultConfiguration, { level: 'note', rank: 10, enabled: true });
    });
  });

  describe('several outputs in one run', () => {
    it('writes each --format with an --output to its file and the one without to standard output; the exit status is the fail level', () => {
      file('Dockerfile', BAD);
      const r = runCli(
        [
          'lint',
          '--format',
          'sarif',
          '--output',
          'out.sarif',
          '--format',
          'github',
          '--format=junit',
          '--output=reports/junit.xml',
          'Dockerfile',
        ],
        { cwd: dir, env: { ...process.env } },
      );
      // reports/ does not exist: that output cannot be written (exit 2), the others are.
      assert.equal(r.status, 2);
      assert.match(r.stderr, /reports\/junit\.xml: cannot write the junit output/);
      assert.match(r.stdout, /^::warning file=Dockerfile,line=1,/);
      assert.equal(JSON.parse(readFileSync(path.join(dir, 'out.sarif'), 'utf8')).version, '2.1.0');

      mkdirSync(path.join(dir, 'reports'));
      writeFileSync(path.join(dir, 'out.sarif'), 'old');
      const ok = runCli(
        [
          'lint',
          '--format',
          'text',
          '--format',
          'sarif',
          '--output',
          'out.sarif',
          '--format',
          'junit',
          '--output',
          'reports/junit.xml',
          '.',
        ],
        { cwd: dir },
      );
      assert.equal(ok.status, 1, ok.stderr);
      assert.match(ok.stdout, /^Dockerfile:1:6 warning root-user /);
      assert.match(ok.stderr, /^2 findings in 1 file\n$/);
      const sarif = JSON.parse(readFileSync(path.join(dir, 'out.sarif'), 'utf8'));
      assert.equal(sarif.runs[0].results.length, 2);
      assert.match(
        readFileSync(path.join(dir, 'reports/junit.xml'), 'utf8'),
        /<testsuites name="dockerfile-hardener" tests="2" failures="2"/,
      );
      // Written atomically: no temporary file is left beside them.
      assert.deepEqual(readdirSync(dir).sort(), ['Dockerfile', 'out.sarif', 'reports']);

      // Only files: text stays on standard output, with its count.
      const onlyFiles = runCli(['lint', '--fail-level', 'error', '--format', 'markdown', '--output', 'pr.md', '.'], { cwd: dir });
      assert.equal(onlyFiles.status, 0);
      assert.match(onlyFiles.stdout, /^Dockerfile:1:6 warning root-user /);
      assert.match(readFileSync(path.join(dir, 'pr.md'), 'utf8'), /^\*\*Dockerfile Hardener\*\*: 2 findings/);
    });

    it('refuses two formats for standard output, an --output without its --format, and one file twice (exit 2)', () => {
      file('Dockerfile', BAD);
      const cases: [string[], RegExp][] = [
        [
          ['--format', 'json', '--format', 'github'],
          /only one format can go to standard output, not json and github: give the others --output FILE/,
        ],
        [['--output', 'x.json', '--format', 'json'], /--output x\.json: name the format it is for just before it/],
        [['--format', 'json', '--output', 'a', '--output', 'b'], /--output b: name the format it is for just before it/],
        [['--format', 'json', '--output', 'a', '--format', 'sarif', '--output', 'a'], /--output a is given twice/],
        [['--format', 'xml'], /--format must be text, json, sarif, github, checkstyle, codeclimate, junit or markdown, not "xml"/],
      ];
      for (const [args, message] of cases) {
        const r = runCli(['lint', ...args, 'Dockerfile'], { cwd: dir });
        assert.equal(r.status, 2, args.join(' '));
        assert.match(r.stderr, message, args.join(' '));
        assert.equal(r.stdout, '');
      }
      assert.deepEqual(readdirSync(dir), ['Dockerfile']);
    });
  });
});
