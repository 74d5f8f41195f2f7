/**
 * Custom rules end to end: the built CLI (dist/cli.js; `node scripts/build.mjs` first) reads
 * `customRules:` from the .dockerfile-hardener.yaml beside a Dockerfile and reports their findings
 * in text, JSON and SARIF, with ignore comments, `rules:` severities and config problems applied.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runCli, CLI } from '../support/cli';

const CONFIG = `rules:
  no-insecure-curl: error
customRules:
  - id: no-insecure-curl
    message: "Do not turn off TLS verification."
    match:
      command: curl
      args: "^(-k|--insecure)$"
  - id: no-latest-base
    message: "Name a version of the base image."
    severity: info
    stages: all
    match:
      instruction: FROM
      pattern: "(?i):latest\\\\b"
`;

const DOCKERFILE = `FROM golang:LATEST AS build
RUN go build -o /app .
FROM alpine:3.23
# dockerfile-hardener ignore=no-insecure-curl
RUN wget -q https://a.example/x && curl -k https://a.example/y
RUN sudo curl --insecure https://b.example/z
USER 10001
ENTRYPOINT ["/app"]
`;

describe('CLI: custom rules', function () {
  this.timeout(60_000);
  let dir: string;

  before(() => {
    assert.ok(existsSync(CLI), `${CLI} is missing: run node scripts/build.mjs first`);
  });
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dh-custom-'));
    writeFileSync(path.join(dir, 'Dockerfile'), DOCKERFILE);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const json = (config: string) => {
    writeFileSync(path.join(dir, '.dockerfile-hardener.yaml'), config);
    const r = runCli(['lint', '--format', 'json', '--fail-level', 'none', 'Dockerfile'], { cwd: dir });
    return { ...r, findings: JSON.parse(r.stdout) as { rule: string; severity: string; line: number; column: number; message: string }[] };
  };
  const custom = (findings: { rule: string; severity: string; line: number; column: number }[]) =>
    findings.filter((f) => f.rule.startsWith('no-')).map((f) => `${f.line}:${f.column} ${f.severity} ${f.rule}`);

  it('reports the findings in text, at their severities, with ignore comments applied', () => {
    writeFileSync(path.join(dir, '.dockerfile-hardener.yaml'), CONFIG);
    const r = runCli(['lint', 'Dockerfile'], { cwd: dir });
    assert.doesNotMatch(r.stderr, /error:/);
    assert.equal(r.status, 1);
    const lines = r.stdout.split('\n').filter((l) => / no-/.test(l));
    assert.deepEqual(lines, [
      'Dockerfile:1:12 info no-latest-base Name a version of the base image.',
      'Dockerfile:6:15 error no-insecure-curl Do not turn off TLS verification.',
    ]);
  });

  it('reports them in JSON, and rules: turns one off', () => {
    assert.deepEqual(custom(json(CONFIG).findings), ['1:12 info no-latest-base', '6:15 error no-insecure-curl']);
    const off = json(`${CONFIG.replace('no-insecure-curl: error', 'no-insecure-curl: off')}`);
    assert.deepEqual(custom(off.findings), ['1:12 info no-latest-base']);
  });

  it('gives SARIF a descriptor for each custom rule found, with its message', () => {
    writeFileSync(path.join(dir, '.dockerfile-hardener.yaml'), CONFIG);
    const r = runCli(['lint', '--format', 'sarif', '--fail-level', 'none', 'Dockerfile'], { cwd: dir });
    const run = JSON.parse(r.stdout).runs[0];
    const descriptors = run.tool.driver.rules as { id: string; shortDescription: { text: string } }[];
    for (const id of ['no-insecure-curl', 'no-latest-base']) {
      const results = (run.results as { ruleId: string; ruleIndex: number }[]).filter((x) => x.ruleId === id);
      assert.equal(results.length, 1, id);
      assert.equal(descriptors[results[0].ruleIndex].id, id);
    }
    assert.equal(descriptors.find((d) => d.id === 'no-latest-base')?.shortDescription.text, 'Name a version of the base image.');
  });

  it('reports a bad custom rule with its file and line (exit status 2), and applies the others', () => {
    const r = json(`${CONFIG}  - id: broken\n    message: x\n    match: { pattern: "(" }\n`);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /\.dockerfile-hardener\.yaml:18:23: error: custom rule "broken": pattern is not a valid regular expression/);
    assert.deepEqual(custom(r.findings), ['1:12 info no-latest-base', '6:15 error no-insecure-curl']);
  });
});
