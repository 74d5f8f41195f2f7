/**
 * The CLI end to end: the built dist/cli.js on real files in a temporary directory, checking output
 * formats, file discovery and the exit-status contract (0 / 1 / 2) that CI scripts rely on.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync, chmodSync, existsSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { runCli, CLI } from '../support/cli';
import { ModuleList, NETWORK_MODULES, PROGRAM_MODULES } from '../support/modules';
import { lint } from '../../server/src/linter/lint';
import { rules } from '../../server/src/rules';

const BAD = 'FROM alpine\nENTRYPOINT echo hi\n'; // root-user (warning), shell-form-cmd (info); latest-tag is off by default
const INFO_ONLY = 'FROM alpine:3.23\nUSER 10001\nENTRYPOINT /app\n'; // shell-form-cmd (info)
const CLEAN = 'FROM scratch\nCOPY app /app\n';

describe('CLI', function () {
  this.timeout(60_000);
  let dir: string;

  before(() => {
    assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build first`);
  });
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dh-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const file = (rel: string, text: string) => {
    const p = path.join(dir, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
    return p;
  };

  describe('text format', () => {
    it('prints file:line:col severity rule message, one a line, relative to the working directory', () => {
      file('Dockerfile', BAD);
      const r = runCli(['lint', 'Dockerfile'], { cwd: dir });
      assert.equal(r.status, 1);
      const lines = r.stdout.trimEnd().split('\n');
      assert.deepEqual(
        lines.map((l) => l.split(' ').slice(0, 3).join(' ')),
        ['Dockerfile:1:6 warning root-user', 'Dockerfile:2:12 info shell-form-cmd'],
      );
      for (const l of lines) assert.match(l, /^Dockerfile:\d+:\d+ (error|warning|info|hint) [a-z-]+ \S.+$/);
      assert.match(r.stderr, /2 findings in 1 file/);
    });
  });

  describe('json format', () => {
    it('is an array of {file, rule, severity, message, line, column, endLine, endColumn}, 1-based', () => {
      file('Dockerfile', BAD);
      const r = runCli(['lint', '--format', 'json', 'Dockerfile'], { cwd: dir });
      assert.equal(r.status, 1);
      const json = JSON.parse(r.stdout);
      assert.ok(Array.isArray(json));
      assert.deepEqual(Object.keys(json[0]).sort(), ['column', 'endColumn', 'endLine', 'file', 'line', 'message', 'rule', 'severity']);
      const root = json.find((f: { rule: string }) => f.rule === 'root-user');
      assert.deepEqual(
        { ...root, message: undefined },
        { file: 'Dockerfile', rule: 'root-user', severity: 'warning', message: undefined, line: 1, column: 6, endLine: 1, endColumn: 12 },
      );
    });

    it('gives the same findings as the engine the language server uses', () => {
      const text =
        'FROM golang:1.26\nRUN --mount=type=cache,target=/root/.cache/go-build go get -d ./... && go build -a -o /app .\nENTRYPOINT /app\n';
      file('Dockerfile', text);
      const r = runCli(['lint', '--format=json', '--fail-level=none', 'Dockerfile'], { cwd: dir });
      assert.equal(r.status, 0);
      const fromCli = JSON.parse(r.stdout).map((f: { rule: string; line: number; column: number }) => `${f.rule}@${f.line}:${f.column}`);
      const fromEngine = lint(text).findings.map((f) => `${f.rule}@${f.range.start.line + 1}:${f.range.start.character + 1}`);
      assert.deepEqual(fromCli, fromEngine);
      assert.ok(fromCli.length >= 5);
    });

    it('prints an empty array when there is nothing to report', () => {
      file('Dockerfile', CLEAN);
      const r = runCli(['lint', '--format', 'json', 'Dockerfile'], { cwd: dir });
      assert.equal(r.status, 0);
      assert.deepEqual(JSON.parse(r.stdout), []);
    });
  });

  describe('exit status', () => {
    it('0 when no finding reaches the default fail level (warning)', () => {
      file('Dockerfile', INFO_ONLY);
      assert.equal(runCli(['lint', 'Dockerfile'], { cwd: dir }).status, 0);
    });
    it('1 when one does, and per --fail-level', () => {
      file('Dockerfile', INFO_ONLY);
      assert.equal(runCli(['lint', '--fail-level', 'info', 'Dockerfile'], { cwd: dir }).status, 1);
      assert.equal(runCli(['lint', '--fail-level', 'hint', 'Dockerfile'], { cwd: dir }).status, 1);
      file('b/Dockerfile', BAD);
      assert.equal(runCli(['lint', '--fail-level', 'error', 'b/Dockerfile'], { cwd: dir }).status, 0);
      assert.equal(runCli(['lint', '--fail-level', 'none', 'b/Dockerfile'], { cwd: dir }).status, 0);
      assert.equal(runCli(['lint', 'b/Dockerfile'], { cwd: dir }).status, 1);
    });
    it('2 on usage errors, with a message on stderr', () => {
      for (const args of [
        [],
        ['lint'],
        ['lint', '--format', 'xml', 'x'],
        ['lint', '--fail-level', 'fatal', 'x'],
        ['lint', '--bogus', 'x'],
        ['frobnicate'],
        ['lint', '--format'],
      ]) {
        const r = runCli(args, { cwd: dir });
        assert.equal(r.status, 2, `args ${JSON.stringify(args)}`);
        assert.match(r.stderr, /dockerfile-hardener: .+/);
        assert.equal(r.stdout, '');
      }
    });
    it('2 on a missing path, still reporting the files it could read', () => {
      file('Dockerfile', BAD);
      const r = runCli(['lint', 'Dockerfile', 'missing/Dockerfile'], { cwd: dir });
      assert.equal(r.status, 2);
      assert.match(r.stderr, /missing\/Dockerfile: no such file or directory/);
      assert.match(r.stdout, /^Dockerfile:1:6 warning root-user/m);
    });
    it('2 on a file found in a directory that cannot be read (a dangling symlink), reporting the others', () => {
      file('ok/Dockerfile', BAD);
      mkdirSync(path.join(dir, 'broken'));
      symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'broken', 'Dockerfile'));
      const r = runCli(['lint', '.'], { cwd: dir });
      assert.equal(r.status, 2);
      assert.match(r.stderr, /broken\/Dockerfile: ENOENT/);
      assert.match(r.stdout, /^ok\/Dockerfile:1:6 warning root-user/m);
    });
  });

  describe('files', () => {
    it('searches directories for the Dockerfile names, and lints a named file whatever its name', () => {
      const names = [
        'Dockerfile',
        'Containerfile',
        'api.Dockerfile',
        'web.dockerfile',
        'Dockerfile.dev',
        'Containerfile.prod',
        'sub/dir/Dockerfile',
      ];
      for (const n of names) file(n, BAD);
      file('notes.txt', BAD);
      file('Dockerfilex', BAD);
      file('node_modules/pkg/Dockerfile', BAD);
      file('.git/Dockerfile', BAD);
      file('build.docker', BAD);
      const r = runCli(['lint', '--format', 'json', '.'], { cwd: dir });
      const files = [...new Set(JSON.parse(r.stdout).map((f: { file: string }) => f.file))].sort();
      assert.deepEqual(files, [...names].sort());
      const named = runCli(['lint', '--format', 'json', 'build.docker'], { cwd: dir });
      assert.deepEqual([...new Set(JSON.parse(named.stdout).map((f: { file: string }) => f.file))], ['build.docker']);
    });

    it('reads standard input for -', () => {
      const r = runCli(['lint', '--format', 'json', '-'], { cwd: dir, input: BAD });
      assert.equal(r.status, 1);
      assert.deepEqual([...new Set(JSON.parse(r.stdout).map((f: { file: string }) => f.file))], ['-']);
    });

    it('counts columns after a byte-order mark the way editors show them, and reads CRLF files', () => {
      file('Dockerfile', '\uFEFFFROM alpine\r\nUSER root\r\n');
      const r = runCli(['lint', '--format', 'json', 'Dockerfile'], { cwd: dir });
      const got = JSON.parse(r.stdout).map(
        (f: { rule: string; line: number; column: number; endColumn: number }) => `${f.rule} ${f.line}:${f.column}-${f.endColumn}`,
      );
      assert.deepEqual(got, ['root-user 2:6-10']);
    });

    it('--target-stage chooses the shipped stage', () => {
      file('Dockerfile', 'FROM alpine:3.23 AS runtime\nUSER 10001\n\nFROM alpine:3.23 AS admin\nCMD ["/app"]\n');
      const all = runCli(['lint', '--format', 'json', 'Dockerfile'], { cwd: dir });
      assert.ok(JSON.parse(all.stdout).some((f: { rule: string }) => f.rule === 'root-user'));
      const target = runCli(['lint', '--format', 'json', '--target-stage', 'runtime', 'Dockerfile'], { cwd: dir });
      assert.ok(!JSON.parse(target.stdout).some((f: { rule: string }) => f.rule === 'root-user'));
    });
  });

  describe('what the image runs: the build context and the role', () => {
    const DOCKERFILE =
      'FROM debian:12-slim\nRUN useradd --system app\nCOPY entrypoint.sh /usr/local/bin/\nENTRYPOINT ["entrypoint.sh"]\nCMD ["server"]\n';
    const rules = (cwd: string, ...args: string[]) =>
      JSON.parse(runCli(['lint', '--format', 'json', ...args], { cwd }).stdout)
        .filter((f: { rule: string }) => f.rule.startsWith('root-'))
        .map((f: { rule: string; severity: string; message: string }) => `${f.rule} ${f.severity}: ${f.message.split(':')[0]}`);

    it('reads the entrypoint script next to the Dockerfile: one that steps down is root-entrypoint, not root-user', () => {
      file('svc/Dockerfile', DOCKERFILE);
      file('svc/entrypoint.sh', '#!/bin/sh\nset -e\nexec gosu app "$@"\n');
      assert.deepEqual(rules(dir, 'svc/Dockerfile'), [
        'root-entrypoint info: The container starts as root and entrypoint.sh line 3 steps down to app with gosu',
      ]);
    });

    it('from a build context above the Dockerfile (docker build -f docker/Dockerfile .)', () => {
      file('.git/HEAD', 'ref: refs/heads/main\n');
      file('docker/Dockerfile', DOCKERFILE.replace('COPY entrypoint.sh', 'COPY scripts/entrypoint.sh'));
      file('scripts/entrypoint.sh', '#!/bin/sh\nexec su-exec app "$@"\n');
      assert.deepEqual(rules(dir, 'docker/Dockerfile'), [
        'root-entrypoint info: The container starts as root and entrypoint.sh line 2 steps down to app with su-exec',
      ]);
    });

    it('says it could not read a script that is not there, and reads nothing from standard input', () => {
      file('svc/Dockerfile', DOCKERFILE);
      assert.deepEqual(rules(dir, 'svc/Dockerfile'), [
        'root-user info: The shipped image starts as root (no USER is set in this stage, and debian',
      ]);
    });

    it('takes the role from the file name, a comment, or roles: in the config', () => {
      const app = 'FROM debian:12-slim\nCOPY app /app\nCMD ["/app"]\n';
      file('a/Dockerfile', app);
      file('a/Dockerfile.dev', app);
      file('b/Dockerfile', `# dockerfile-hardener role=ci\n${app}`);
      file('c/.dockerfile-hardener.yaml', 'roles:\n  "images/*.Dockerfile": builder\n');
      file('c/images/tools.Dockerfile', app);
      file('c/Dockerfile', app);
      const r = JSON.parse(
        runCli(
          ['lint', '--format', 'json', 'a/Dockerfile', 'a/Dockerfile.dev', 'b/Dockerfile', 'c/images/tools.Dockerfile', 'c/Dockerfile'],
          { cwd: dir },
        ).stdout,
      );
      assert.deepEqual(
        [...new Set(r.filter((f: { rule: string }) => f.rule === 'root-user').map((f: { file: string }) => f.file))],
        ['a/Dockerfile', 'c/Dockerfile'],
      );
    });
  });

  describe('config files', () => {
    it('applies the nearest .dockerfile-hardener.yaml: severities, targetStage, ignore globs', () => {
      file('.dockerfile-hardener.yaml', 'rules:\n  latest-tag: error\n  unpinned-digest: off\nignore: ["legacy/**"]\n');
      file('app/Dockerfile', BAD);
      file('legacy/Dockerfile', BAD);
      const r = runCli(['lint', '--format', 'json', '.'], { cwd: dir });
      const got = JSON.parse(r.stdout).map((f: { file: string; rule: string; severity: string }) => `${f.file} ${f.rule} ${f.severity}`);
      assert.deepEqual(got, ['app/Dockerfile latest-tag error', 'app/Dockerfile root-user warning', 'app/Dockerfile shell-form-cmd info']);
      // A file named on the command line is linted even when the config ignores its path.
      const named = runCli(['lint', '--format', 'json', 'legacy/Dockerfile'], { cwd: dir });
      assert.ok(JSON.parse(named.stdout).length > 0);
    });

    it('honours .hadolint.yaml (ignored, override, failure-threshold) when there is no own file', () => {
      file('.hadolint.yaml', 'ignored: [DL3006]\noverride:\n  info: [DL3002]\nfailure-threshold: error\n');
      file('Dockerfile', BAD);
      const r = runCli(['lint', '--format', 'json', 'Dockerfile'], { cwd: dir });
      const got = JSON.parse(r.stdout).map((f: { rule: string; severity: string }) => `${f.rule} ${f.severity}`);
      assert.deepEqual(got, ['root-user info', 'shell-form-cmd info']);
      assert.equal(r.status, 0, 'failure-threshold error: info findings do not fail');
      assert.equal(
        runCli(['lint', '--fail-level', 'info', 'Dockerfile'], { cwd: dir }).status,
        1,
        '--fail-level wins over failure-threshold',
      );
    });

    it('reports a bad config with its file and line, lints with the defaults, and exits 2', () => {
      file('.dockerfile-hardener.yaml', 'rules:\n  root-user: loud\n');
      file('Dockerfile', BAD);
      const r = runCli(['lint', 'Dockerfile'], { cwd: dir });
      assert.equal(r.status, 2);
      assert.match(r.stderr, /\.dockerfile-hardener\.yaml:2:14: error: rule "root-user": the value must be one of/);
      assert.match(r.stdout, /root-user/);
    });

    it('--config names the file to use; one that cannot be read is an error', () => {
      file('custom.yaml', 'rules:\n  root-user: off\n  latest-tag: off\n  unpinned-digest: off\n  shell-form-cmd: off\n');
      file('Dockerfile', BAD);
      const r = runCli(['lint', '--config', 'custom.yaml', '--format', 'json', 'Dockerfile'], { cwd: dir });
      assert.equal(r.status, 0);
      assert.deepEqual(JSON.parse(r.stdout), []);
      const missing = runCli(['lint', '--config', 'nope.yaml', 'Dockerfile'], { cwd: dir });
      assert.equal(missing.status, 2);
      assert.match(missing.stderr, /nope\.yaml:1:1: error: cannot read the file: ENOENT/);
    });
  });

  describe('sarif format', () => {
    it("is SARIF 2.1.0 with every rule, each with its page's help and no web address, and levels", () => {
      file('a/Dockerfile', BAD);
      const r = runCli(['lint', '--format', 'sarif', '.'], { cwd: dir });
      assert.equal(r.status, 1);
      const sarif = JSON.parse(r.stdout);
      assert.equal(sarif.version, '2.1.0');
      const driver = sarif.runs[0].tool.driver;
      assert.equal(driver.name, 'dockerfile-hardener');
      assert.deepEqual(
        driver.rules.map((x: { id: string }) => x.id),
        rules.map((x) => x.id),
      );
      // Code scanning shows the help without a website: the rule's page (why, examples, fixes) as
      // markdown and as text, with no link to a page that does not exist.
      assert.equal(driver.informationUri, undefined);
      for (const rule of driver.rules) {
        assert.equal(rule.helpUri, undefined, rule.id);
        assert.ok(rule.fullDescription.text.length > 40, rule.id);
        const page = readFileSync(path.join(__dirname, '../../docs/rules', `${rule.id}.md`), 'utf8');
        assert.ok(rule.help.markdown.startsWith(page.split('\n')[3]), `${rule.id}: the help starts with the page's summary`);
        assert.match(rule.help.markdown, /^## Why$/m, rule.id);
        assert.match(rule.help.markdown, /^```dockerfile$/m, rule.id);
        assert.doesNotMatch(rule.help.markdown, /\]\((?![a-z]+:)[^)]*\)|<!--/, `${rule.id}: a relative link or the generator's comment`);
        assert.doesNotMatch(rule.help.text, /^```|^\*\*|: \*\*/m, rule.id); // fences and bold marks; a ** glob in code stays
        assert.doesNotMatch(JSON.stringify(rule), /github\.com\/dockerfile-hardener/, rule.id);
      }
      const rootUser = driver.rules.find((x: { id: string }) => x.id === 'root-user');
      assert.match(rootUser.help.markdown, /^## Fixes$/m);
      assert.match(rootUser.help.text, /^Create appuser \(uid 10001\) with a home, and run as 10001:10001 \(suggestion\)$/m);
      const levels = sarif.runs[0].results.map((x: { ruleId: string; level: string }) => `${x.ruleId}:${x.level}`);
      assert.deepEqual(levels, ['root-user:warning', 'shell-form-cmd:note']);
      const loc = sarif.runs[0].results[0].locations[0].physicalLocation;
      assert.deepEqual(loc, {
        artifactLocation: { uri: 'a/Dockerfile', uriBaseId: '%SRCROOT%' },
        region: { startLine: 1, startColumn: 6, endLine: 1, endColumn: 12 },
      });
    });

    // Reproduction: a file outside the working directory, named by its absolute path, got that path
    // as a URI relative to %SRCROOT%, an error per result for GitHub's ingestion rules.
    it('names a file outside the working directory by its file:// URI, one inside by a relative one', () => {
      file('w/Dockerfile', BAD);
      file('outside dir/Dockerfile', BAD);
      const abs = path.join(dir, 'outside dir/Dockerfile');
      const r = runCli(['lint', '--format', 'sarif', abs, '../outside dir/Dockerfile', 'Dockerfile'], { cwd: path.join(dir, 'w') });
      const uris = JSON.parse(r.stdout).runs[0].results.map((x: { locations: { physicalLocation: { artifactLocation: unknown } }[] }) =>
        JSON.stringify(x.locations[0].physicalLocation.artifactLocation),
      );
      const want = JSON.stringify({ uri: pathToFileURL(abs).href });
      assert.ok(pathToFileURL(abs).href.includes('outside%20dir'));
      assert.deepEqual([...new Set(uris)], [want, JSON.stringify({ uri: 'Dockerfile', uriBaseId: '%SRCROOT%' })]);
    });

    it('passes the SARIF Multitool validation with GitHub code scanning rules', function () {
      const tool = path.resolve(__dirname, '../../node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool');
      if (!existsSync(tool)) {
        if (process.env.CI) assert.fail(`${tool} is missing under CI`);
        this.skip();
      }
      chmodSync(tool, 0o755); // npm may skip the package's postinstall that makes it executable
      file('x/Dockerfile', BAD);
      file('y/Containerfile', 'FROM golang:1.26 AS b\nRUN go build -o /o .\nFROM scratch\nCOPY --from=b /o /o\nUSER app\nCMD /o\n');
      // And a file outside the working directory, by its absolute path and by a relative one.
      const outside = mkdtempSync(path.join(tmpdir(), 'dh-sarif-outside-'));
      writeFileSync(path.join(outside, 'Dockerfile'), BAD);
      const r = runCli(
        ['lint', '--format', 'sarif', '.', path.join(outside, 'Dockerfile'), path.relative(dir, path.join(outside, 'Dockerfile'))],
        { cwd: dir },
      );
      rmSync(outside, { recursive: true, force: true });
      const out = path.join(dir, 'out.sarif');
      writeFileSync(out, r.stdout);
      const v = spawnSync(tool, ['validate', '--rule-kind', 'Gh;Sarif', out], {
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
      });
      const output = `${v.stdout}\n${v.stderr}`;
      assert.match(output, /Done\. 1 files scanned\./, output);
      // SARIF2005 asks for the tool's informationUri; the project has no web page to give
      // (package.json has no repository), and an address where no page exists would be worse.
      const problems = output
        .split('\n')
        .filter((l) => /: (error|warning) [A-Z]+\d+:/.test(l) && !/warning SARIF2005: .* does not provide 'informationUri'/.test(l));
      assert.deepEqual(problems, []);
    });
  });

  it('lists the rules', () => {
    const r = runCli(['rules']);
    assert.equal(r.status, 0);
    assert.deepEqual(
      r.stdout
        .trimEnd()
        .split('\n')
        .map((l) => l.split(/\s+/)[0]),
      rules.map((x) => x.id),
    );
  });

  it('lists the rules as JSON for scripts: id, default severity or off, summary, equivalents, fix kinds, docs', () => {
    const r = runCli(['rules', '--format', 'json']);
    assert.equal(r.status, 0, r.stderr);
    const list = JSON.parse(r.stdout) as {
      id: string;
      severity: string;
      summary: string;
      equivalents: { hadolint: string[]; buildkit: string[] };
      fixes: string[];
      docs: string;
    }[];
    assert.deepEqual(
      list.map((x) => x.id),
      rules.map((x) => x.id),
    );
    for (const x of list) {
      assert.deepEqual(Object.keys(x), ['id', 'severity', 'summary', 'equivalents', 'fixes', 'docs'], x.id);
      assert.ok(['error', 'warning', 'info', 'hint', 'off'].includes(x.severity), x.id);
      assert.ok(existsSync(path.resolve(__dirname, '../..', x.docs)), x.docs);
      assert.ok(
        x.fixes.every((k) => k === 'safe' || k === 'suggestion'),
        x.id,
      );
    }
    const byId = new Map(list.map((x) => [x.id, x]));
    assert.deepEqual(byId.get('root-user')!.equivalents, { hadolint: ['DL3002'], buildkit: [] });
    assert.equal(byId.get('latest-tag')!.severity, 'off'); // off by default
    assert.deepEqual(byId.get('go-build-unstripped')!.fixes, ['safe']);
    assert.deepEqual(byId.get('root-entrypoint')!.fixes, []);
    assert.deepEqual(byId.get('shell-form-cmd')!.equivalents.buildkit, ['JSONArgsRecommended']);
    // The text form is unchanged, and a bad format is a usage error.
    assert.equal(runCli(['rules', '--format', 'text']).stdout, runCli(['rules']).stdout);
    assert.equal(runCli(['rules', '--format', 'yaml']).status, 2);
  });

  it('prints its version and usage', () => {
    assert.match(runCli(['--version']).stdout, /^\d+\.\d+\.\d+\n$/);
    const help = runCli(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /dockerfile-hardener lint/);
  });

  describe('start-up', () => {
    let modules: ModuleList;
    beforeEach(() => (modules = new ModuleList()));
    afterEach(() => modules.dispose());

    it("lint and fix load none of Node's network modules (only pin talks to registries)", () => {
      const f = file('Dockerfile', BAD);
      for (const args of [
        ['lint', f],
        ['fix', '--dry-run', f],
      ]) {
        const r = runCli(args, { env: modules.env });
        assert.ok(r.status === 0 || r.status === 1, `${args[0]}: ${r.stderr}`);
        const loaded = modules.loaded();
        assert.deepEqual(
          [...NETWORK_MODULES, ...PROGRAM_MODULES].filter((m) => loaded.includes(m)),
          [],
          `${args[0]} loaded them`,
        );
      }
    });

    it('pin loads them when it runs (so the check above can see them)', () => {
      // Nothing listens on port 1: the request fails at once, after the modules are loaded.
      const f = file('Dockerfile', 'FROM 127.0.0.1:1/app:1.0\n');
      const r = runCli(['pin', '--timeout', '5', f], { env: modules.env });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /127\.0\.0\.1:1/);
      const loaded = modules.loaded();
      assert.deepEqual(
        [...NETWORK_MODULES, ...PROGRAM_MODULES].filter((m) => loaded.includes(m)),
        [...NETWORK_MODULES, ...PROGRAM_MODULES],
      );
    });

    it('a copy of the CLI alone (dist/cli.js and the bundle it runs) lints, and says what is missing when it meets a config file', () => {
      const lone = path.join(dir, 'lone');
      mkdirSync(lone);
      writeFileSync(path.join(lone, 'cli.js'), readFileSync(CLI));
      writeFileSync(path.join(lone, 'cli-main.js'), readFileSync(path.join(path.dirname(CLI), 'cli-main.js')));
      const plain = file('plain/Dockerfile', BAD);
      const r = spawnSync(process.execPath, [path.join(lone, 'cli.js'), 'lint', plain], { encoding: 'utf8' });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stdout, /root-user/);
      const configured = file('configured/Dockerfile', BAD);
      file('configured/.dockerfile-hardener.yaml', 'rules:\n  latest-tag: "off"\n');
      const c = spawnSync(process.execPath, [path.join(lone, 'cli.js'), 'lint', configured], { encoding: 'utf8' });
      assert.equal(c.status, 2);
      assert.match(c.stderr, /config files cannot be read: the YAML parser is missing \(dist\/yaml\.js, which ships beside dist\/cli\.js/);
    });
  });
});
