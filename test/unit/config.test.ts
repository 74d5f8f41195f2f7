/**
 * Project config files: our own .dockerfile-hardener.yaml and hadolint's .hadolint.yaml, their
 * problems (with lines), discovery upward from a Dockerfile, and how they combine with settings.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseConfig, matchesGlob, isIgnoredPath, configuredRole } from '../../server/src/config/projectConfig';
import { ConfigResolver } from '../../server/src/config/resolve';
import { lintOptions } from '../../server/src/config/options';
import { lint } from '../../server/src/linter/lint';

const own = (text: string) => parseConfig('/p/.dockerfile-hardener.yaml', text);
const hadolint = (text: string) => parseConfig('/p/.hadolint.yaml', text);
const problems = (c: { problems: { line: number; column: number; message: string; severity: string }[] }) =>
  c.problems.map((p) => `${p.line}:${p.column} ${p.severity} ${p.message}`);

describe('config: .dockerfile-hardener.yaml', () => {
  it('reads rules, trustedRegistries, targetStage and ignore', () => {
    const c = own(
      'rules:\n  root-user: error\n  unpinned-digest: off\ntrustedRegistries: [docker.io, ghcr.io]\ntargetStage: runtime\nignore:\n  - "vendor/**"\n',
    );
    assert.deepEqual(problems(c), []);
    assert.deepEqual(c.rules, { 'root-user': 'error', 'unpinned-digest': 'off' });
    assert.deepEqual(c.trustedRegistries, ['docker.io', 'ghcr.io']);
    assert.equal(c.targetStage, 'runtime');
    assert.deepEqual(c.ignore, ['vendor/**']);
  });

  it('reads roles: path globs to what the images are for, and reports a role that is none', () => {
    const c = parseConfig('/p/.dockerfile-hardener.yaml', 'roles:\n  "ci/**": ci\n  Dockerfile.tools: toolchain\n  x: production\n');
    assert.deepEqual(problems(c), ['4:6 error roles: "production" is not one of service, builder, toolchain, dev, ci']);
    assert.equal(configuredRole(c, '/p/ci/lint/Dockerfile'), 'ci');
    assert.equal(configuredRole(c, '/p/Dockerfile.tools'), 'toolchain');
    assert.equal(configuredRole(c, '/p/Dockerfile'), undefined);
    assert.equal(configuredRole(c, '/elsewhere/ci/Dockerfile'), undefined);
    assert.deepEqual(problems(own('roles: [ci]\n')), [
      '1:8 error roles must be a mapping of path globs to one of service, builder, toolchain, dev, ci',
    ]);
  });

  it('an empty file is fine', () => {
    assert.deepEqual(problems(own('')), []);
    assert.deepEqual(problems(own('# only a comment\n')), []);
  });

  it('reports unknown keys, unknown rules and bad values with their line, and keeps the rest', () => {
    const c = own(
      'rulez: {}\nrules:\n  root-user: loud\n  no-such-rule: error\n  latest-tag: error\ntrustedRegistries: docker.io\ntargetStage: [a]\n',
    );
    assert.deepEqual(problems(c), [
      '1:1 error unknown key "rulez" (known: rules, trustedRegistries, targetStage, ignore, roles, labelSchema, strictLabels, customRules, context, imageFacts, staleBaseDays)',
      '3:14 error rule "root-user": the value must be one of off, error, warning, info, hint',
      '4:3 error unknown rule "no-such-rule"',
      '6:20 error trustedRegistries must be a list',
      '7:14 error targetStage must be a stage name or index',
    ]);
    assert.deepEqual(c.rules, { 'latest-tag': 'error' });
  });

  it('reads labelSchema and strictLabels', () => {
    const c = own('labelSchema:\n  org.opencontainers.image.licenses: spdx\nstrictLabels: false\n');
    assert.deepEqual(problems(c), []);
    assert.deepEqual(c.labelSchema, { 'org.opencontainers.image.licenses': 'spdx' });
    assert.equal(c.strictLabels, false);
    const options = lintOptions(c);
    assert.deepEqual(options.labelSchema, { 'org.opencontainers.image.licenses': 'spdx' });
    const findings = lint('FROM alpine:3.20\nLABEL org.opencontainers.image.licenses="GPLv2"\n', {
      ...options,
      only: ['label-schema'],
    }).findings;
    assert.deepEqual(
      findings.map((f) => f.message),
      ['Label "org.opencontainers.image.licenses" should be an SPDX license expression: "GPLv2" is not an SPDX license identifier.'],
    );
  });

  it('reports YAML syntax errors with their line instead of throwing', () => {
    const c = own('rules:\n  root-user: [error\n');
    assert.equal(c.problems.length > 0, true);
    assert.match(problems(c)[0], /^\d+:\d+ error not valid YAML/);
    assert.deepEqual(c.rules, {});
    assert.match(problems(own('- a\n- b\n'))[0], /^1:1 error the file must be a mapping/);
  });
});

describe('config: .hadolint.yaml', () => {
  it('maps ignored, override, trustedRegistries and failure-threshold', () => {
    const c = hadolint(
      'ignored: [DL3007, dl3008]\noverride:\n  error: [DL3002]\n  style: [DL3025]\ntrustedRegistries:\n  - my.registry:5000\nfailure-threshold: info\n',
    );
    assert.deepEqual(problems(c), []);
    assert.deepEqual([...c.hadolint!.ignored], ['DL3007', 'DL3008']);
    assert.deepEqual(
      [...c.hadolint!.override],
      [
        ['DL3002', 'error'],
        ['DL3025', 'hint'],
      ],
    );
    assert.deepEqual(c.trustedRegistries, ['my.registry:5000']);
    assert.equal(c.failLevel, 'info');
    assert.equal(hadolint('failure-threshold: none\n').failLevel, 'none');
  });

  it('reports keys it cannot apply, once, as warnings', () => {
    const c = hadolint('no-color: true\nbogus: 1\n');
    assert.deepEqual(problems(c), [
      '1:1 warning hadolint\'s "no-color" has no equivalent in dockerfile-hardener and is not applied',
      '2:1 warning unknown hadolint key "bogus"',
    ]);
  });

  it('reads label-schema and strict-labels, and the label-schema rule runs with them', () => {
    const c = hadolint('label-schema:\n  author: text\n  org.opencontainers.image.source: url\n  notes:\nstrict-labels: true\n');
    assert.deepEqual(problems(c), []);
    assert.deepEqual(c.labelSchema, { author: 'text', 'org.opencontainers.image.source': 'url', notes: 'text' });
    assert.equal(c.strictLabels, true);
    const text = 'FROM alpine:3.20\nLABEL author=me org.opencontainers.image.source=src notes=x extra=1\n';
    const findings = lint(text, { ...lintOptions(c), only: ['label-schema'] }).findings;
    assert.deepEqual(
      findings.map((f) => f.peerCodes!.hadolint.join()),
      ['DL3052', 'DL3050'],
    );
  });

  it('reports a label schema it cannot read', () => {
    const c = hadolint('label-schema:\n  a: number\n  b: url\nstrict-labels: maybe\n');
    assert.deepEqual(problems(c), [
      '2:6 error label-schema: "a" has type "number", which is not one of text, url, rfc3339, spdx, hash, semver, email',
      '4:16 error strict-labels must be true or false',
    ]);
    assert.deepEqual(c.labelSchema, { b: 'url' });
    assert.equal(c.strictLabels, undefined);
    assert.deepEqual(problems(hadolint('label-schema: [a]\n')), [
      '1:15 error label-schema must be a mapping of label to one of text, url, rfc3339, spdx, hash, semver, email',
    ]);
  });

  it("applies through the findings' hadolint codes: DL3007 silences only the :latest case", () => {
    const config = hadolint('ignored: [DL3007]\noverride:\n  error: [DL3006]\n');
    const options = lintOptions(config);
    const explicit = lint('FROM alpine:latest\nUSER 1\n', { ...options, only: ['latest-tag'] }).findings;
    assert.deepEqual(explicit, []);
    const missing = lint('FROM alpine\nUSER 1\n', { ...options, only: ['latest-tag'] }).findings;
    assert.deepEqual(
      missing.map((f) => `${f.rule} ${f.severity}`),
      ['latest-tag error'],
    );
    // latest-tag is off by default: the override of one of its codes is what turns it on.
    assert.deepEqual(lint('FROM alpine\nUSER 1\n', { ...lintOptions(hadolint('ignored: [DL3007]\n')), only: ['latest-tag'] }).findings, []);
  });

  it('editor settings win over the config file', () => {
    const config = hadolint('ignored: [DL3002]\n');
    const text = 'FROM alpine:3.20\nUSER root\n';
    assert.deepEqual(lint(text, { ...lintOptions(config), only: ['root-user'] }).findings, []);
    const withSetting = lint(text, { ...lintOptions(config, { rules: { 'root-user': 'error' } }), only: ['root-user'] }).findings;
    assert.deepEqual(
      withSetting.map((f) => `${f.rule} ${f.severity}`),
      ['root-user error'],
    );
    const ownConfig = own('rules:\n  root-user: hint\ntargetStage: a\n');
    const merged = lintOptions(ownConfig, { targetStage: 'b' });
    assert.deepEqual(merged.rules, { 'root-user': 'hint' });
    assert.equal(merged.targetStage, 'b');
  });
});

describe('config: discovery and ignore globs', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'dh-config-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const put = (rel: string, text = '') => {
    const p = path.join(dir, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
    return p;
  };

  it("finds the nearest own file upward, and hadolint's only when there is no own file", () => {
    put('.hadolint.yaml', 'ignored: [DL3002]\n');
    put('a/b/Dockerfile');
    const r = new ConfigResolver();
    assert.equal(r.fileFor(path.join(dir, 'a/b/Dockerfile')), path.join(dir, '.hadolint.yaml'));
    put('.dockerfile-hardener.yaml', 'rules: {}\n');
    put('a/b/.hadolint.yml', 'ignored: []\n');
    r.invalidate();
    assert.equal(r.fileFor(path.join(dir, 'a/b/Dockerfile')), path.join(dir, '.dockerfile-hardener.yaml'));
    put('a/.dockerfile-hardener.yaml', 'rules: {}\n');
    r.invalidate();
    assert.equal(r.fileFor(path.join(dir, 'a/b/Dockerfile')), path.join(dir, 'a/.dockerfile-hardener.yaml'));
  });

  it('matches ignore globs relative to the config file', () => {
    const cfg = put('.dockerfile-hardener.yaml', 'ignore: ["vendor", "**/testdata/**", "*.dev.Dockerfile"]\n');
    const c = new ConfigResolver().load(cfg);
    assert.equal(isIgnoredPath(c, path.join(dir, 'vendor/x/Dockerfile')), true);
    assert.equal(isIgnoredPath(c, path.join(dir, 'a/testdata/Dockerfile')), true);
    assert.equal(isIgnoredPath(c, path.join(dir, 'testdata/Dockerfile')), true);
    assert.equal(isIgnoredPath(c, path.join(dir, 'api.dev.Dockerfile')), true);
    assert.equal(isIgnoredPath(c, path.join(dir, 'a/api.dev.Dockerfile')), false);
    assert.equal(isIgnoredPath(c, path.join(dir, 'src/Dockerfile')), false);
    assert.equal(matchesGlob('a/*/c', 'a/b/c'), true);
    assert.equal(matchesGlob('a/*/c', 'a/b/x/c'), false);
  });

  it('reads braces and character classes in globs, and takes a path back with !pattern (the last match decides)', () => {
    const cfg = put('.dockerfile-hardener.yaml', 'ignore: ["{vendor,third_party}/**", "!vendor/ours/**", "examples/v[0-9]"]\n');
    const c = new ConfigResolver().load(cfg);
    assert.deepEqual(problems(c), []);
    assert.equal(isIgnoredPath(c, path.join(dir, 'vendor/x/Dockerfile')), true);
    assert.equal(isIgnoredPath(c, path.join(dir, 'third_party/y/Dockerfile')), true);
    assert.equal(isIgnoredPath(c, path.join(dir, 'vendor/ours/Dockerfile')), false);
    assert.equal(isIgnoredPath(c, path.join(dir, 'examples/v2/Dockerfile')), true);
    assert.equal(isIgnoredPath(c, path.join(dir, 'examples/vx/Dockerfile')), false);
    assert.equal(matchesGlob('*.Dockerfile', '.hidden.Dockerfile'), true);
  });

  it('a file that cannot be read is a problem, not a crash', () => {
    const c = new ConfigResolver().load(path.join(dir, 'missing.yaml'));
    assert.match(problems(c)[0], /^1:1 error cannot read the file: ENOENT/);
  });
});
