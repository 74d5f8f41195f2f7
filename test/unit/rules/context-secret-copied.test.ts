/**
 * context-secret-copied on real build contexts: temporary trees with real ignore files (negations,
 * `**`, the Dockerfile's own ignore file), files told apart by name and by their first bytes.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { lint } from '../../../server/src/linter/lint';
import { lintOptions } from '../../../server/src/config/options';
import { parseConfig } from '../../../server/src/config/projectConfig';
import type { Finding } from '../../../server/src/engine/findings';
import * as walks from '../../../server/src/engine/contextFiles';
import { parseDockerignore } from '../../../server/src/model/dockerignore';
import { runFix, parseFixArgs } from '../../../server/src/cli/fix';
import { parseLintArgs, runLint } from '../../../server/src/cli/main';
import { codeActions, type ActionOptions, type DocState } from '../../../server/src/lsp/codeActions';
import { URI } from 'vscode-uri';

const RULE = 'context-secret-copied';
const KEY = ['-----BEGIN OPENSSH', ' PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n'].join('');
const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n';
const SERVICE_ACCOUNT = '{\n  "type": "service_account",\n  "project_id": "p",\n  "private_key_id": "1",\n  "private_key": "k"\n}\n';

describe(RULE, () => {
  let dir: string;
  const put = (rel: string, text = 'x\n') => {
    const p = path.join(dir, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
  };
  const run = (dockerfile: string, name = 'Dockerfile', settings: { context?: string } = {}): Finding[] => {
    put(name, dockerfile);
    const file = path.join(dir, name);
    return lint(dockerfile, { ...lintOptions(undefined, settings, file), only: [RULE] }).findings;
  };
  /** The files named in each finding's message, in order. */
  const named = (findings: Finding[]) => findings.map((f) => [...f.message.matchAll(/(?:: |, )([^\s,(]+) \(/g)].map((m) => m[1]));

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dh-ctx-secret-'));
    walks.invalidateContextWalks();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names the credentials COPY . takes, and only those', () => {
    put('.env', 'DB_PASSWORD=hunter2\n');
    put('.env.example', 'DB_PASSWORD=\n');
    put('deploy/id_rsa', KEY);
    put('deploy/id_rsa.pub', 'ssh-rsa AAAA\n');
    put('tls/server.key', KEY);
    put('tls/ca.pem', CERT);
    put('tls/mystery.pem', CERT); // a name that says nothing: the header says it is a certificate
    put('tls/haproxy.pem', `${CERT}${'A'.repeat(3000)}\n-----END CERTIFICATE-----\n${KEY}`); // and its key after it
    put('certs/store.p12', '\u0030\u0082');
    put('src/app.js', 'console.log(1)\n');
    const findings = run('FROM node:22\nWORKDIR /app\nCOPY . .\nCMD ["node", "src/app.js"]\n');
    assert.equal(findings.length, 1);
    assert.equal(findings[0].severity, 'error');
    assert.deepEqual(findings[0].range.start, { line: 2, character: 5 });
    assert.deepEqual(named(findings), [['.env', 'certs/store.p12', 'deploy/id_rsa', 'tls/haproxy.pem', 'tls/server.key']]);
    assert.match(findings[0].message, /no \.dockerignore excludes them/);
  });

  it('is silent when .dockerignore excludes them, with ** and directory patterns', () => {
    put('.env');
    put('config/prod/.env.production');
    put('keys/id_ed25519', KEY);
    put('.dockerignore', '**/.env*\n!**/.env.example\nkeys\n');
    assert.deepEqual(run('FROM alpine:3.20\nCOPY . /srv/\n'), []);
  });

  it('honours exceptions: a file brought back by ! is reported, an excluded directory is entered only for them', () => {
    put('secrets/api.key', KEY);
    put('secrets/keep/.env');
    put('.dockerignore', 'secrets\n!secrets/keep\n');
    assert.deepEqual(named(run('FROM alpine:3.20\nCOPY . /srv/\n')), [['secrets/keep/.env']]);
  });

  it("reads the Dockerfile's own ignore file, which wins over .dockerignore", () => {
    put('.env');
    put('.dockerignore', '.env\n');
    put('api.Dockerfile.dockerignore', '# nothing excluded\n');
    const findings = run('FROM alpine:3.20\nCOPY . /srv/\n', 'api.Dockerfile');
    assert.deepEqual(named(findings), [['.env']]);
    assert.match(findings[0].message, /api\.Dockerfile\.dockerignore does not exclude them/);
  });

  it('reads content where the name does not tell: .npmrc with a token, service-account JSON', () => {
    put('.npmrc', 'registry=https://registry.example.com/\n');
    put('pkg/.npmrc', `//registry.npmjs.org/:_authToken=${'npm_'}Q1w2E3r4T5y6U7i8O9p0\n`);
    put('ci/.npmrc', '//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n');
    put('gcp/deployer-1a2b3c.json', SERVICE_ACCOUNT);
    put('gcp/other.json', '{ "type": "module" }\n');
    put('package.json', '{ "name": "x" }\n');
    put('.pypirc', '[pypi]\nusername = __token__\npassword = pypi-AgEIcHlwaS5vcmc\n');
    assert.deepEqual(named(run('FROM node:22\nCOPY . .\n')), [['.pypirc', 'gcp/deployer-1a2b3c.json', 'pkg/.npmrc']]);
  });

  it('only looks under the directories a COPY takes; a file named by a COPY is secret-file-copied’s', () => {
    put('app/.env');
    put('other/.env');
    put('.npmrc', '//registry.npmjs.org/:_authToken=abcdefghijk123\n');
    const findings = run('FROM node:22\nCOPY .npmrc ./\nCOPY app/ /app/\nCOPY app /again/\n');
    assert.deepEqual(named(findings), [['app/.env']]);
    assert.deepEqual(findings[0].range.start, { line: 2, character: 5 });
  });

  it('leaves a file a glob COPY takes to secret-file-copied, matched element by element', () => {
    put('server.pem', '-----BEGIN PRIVATE KEY-----\nMIIE\n');
    put('.env.production');
    const text = 'FROM node:22-alpine\nWORKDIR /app\nCOPY *.pem /certs/\nCOPY ./ ./\nCMD ["x"]\n';
    put('Dockerfile', text);
    const all = lint(text, lintOptions(undefined, {}, path.join(dir, 'Dockerfile'))).findings;
    const secrets = all.filter((f) => f.rule === 'secret-file-copied' || f.rule === RULE);
    assert.deepEqual(
      secrets.map((f) => `${f.rule}:${f.range.start.line}`),
      ['secret-file-copied:2', `${RULE}:3`],
    );
    assert.deepEqual(named(secrets.filter((f) => f.rule === RULE)), [['.env.production']]);
    // `*` stays within one element: tls/*.key is not tls/old/server.key.
    put('tls/server.key', KEY);
    put('tls/old/server.key', KEY);
    put('keys/id_rsa', KEY);
    walks.invalidateContextWalks();
    assert.deepEqual(named(run('FROM alpine:3.20\nCOPY tls/*.key ./[s]erver.pem /etc/tls/\nCOPY . /srv/\n')), [
      ['.env.production', 'keys/id_rsa', 'tls/old/server.key'],
    ]);
  });

  it('leaves out what COPY --exclude leaves out', () => {
    put('.env');
    put('app/.env.local');
    put('app/id_rsa', KEY);
    assert.deepEqual(named(run('FROM alpine:3.20\nCOPY --exclude=**/.env* . /srv/\n')), [['app/id_rsa']]);
    assert.deepEqual(
      run('FROM alpine:3.20\nCOPY --exclude=.env* --exclude=id_rsa app/ /srv/\nCOPY --exclude=.env --exclude=app . /x/\n'),
      [],
    );
  });

  it('leaves a file secret-in-content reports to it, when secret-file-copied is off', () => {
    put('conf/.npmrc', `//registry.npmjs.org/:_authToken=${['npm', '_'].join('')}f3K9qL2xVb7Rt5NwY1Zp8Hc4Jm6Ds0GaEu4Q\n`);
    put('conf/.env');
    const text = 'FROM alpine:3.20\nCOPY conf/ /etc/app/\nCOPY conf/.npmrc /root/.npmrc\n';
    put('Dockerfile', text);
    const options = { ...lintOptions(undefined, {}, path.join(dir, 'Dockerfile')), rules: { 'secret-file-copied': 'off' as const } };
    const all = lint(text, options).findings.filter((f) => f.rule.startsWith('secret') || f.rule === RULE);
    assert.deepEqual(all.map((f) => f.rule).sort(), [RULE, 'secret-in-content']);
    assert.deepEqual(named(all.filter((f) => f.rule === RULE)), [['conf/.env']]);
  });

  it('reports a builder stage only when the shipped image takes the file on', () => {
    put('.env');
    put('dist/.env');
    const builder = 'FROM node:22 AS build\nWORKDIR /src\nCOPY . .\nRUN npm run build\n';
    assert.deepEqual(run(`${builder}FROM nginx:1.27\nCOPY --from=build /src/public /usr/share/nginx/html\n`), []);
    assert.deepEqual(named(run(`${builder}FROM nginx:1.27\nCOPY --from=build /src/dist /usr/share/nginx/html\n`)), [['dist/.env']]);
  });

  it('skips dependency and test fixture directories, and symbolic links', () => {
    put('node_modules/pkg/test/key.pem', KEY);
    put('testdata/server.key', KEY);
    put('src/__tests__/.env');
    put('outside/.env');
    symlinkSync(path.join(dir, 'outside'), path.join(dir, 'linked'));
    put('.dockerignore', 'outside\n');
    assert.deepEqual(run('FROM node:22\nCOPY . .\n'), []);
  });

  it('reports .git alone as a warning about its history, and as an error when its config holds a credential', () => {
    const git = (config: string) => {
      put('.git/config', config);
      walks.invalidateContextWalks();
      return run('FROM alpine:3.20\nCOPY . /src/\n');
    };
    const plain = git('[core]\n\tbare = false\n[remote "origin"]\n\turl = https://github.com/o/r.git\n');
    assert.deepEqual([plain.length, plain[0].severity], [1, 'warning']);
    assert.match(
      plain[0].message,
      /^COPY takes the git repository .* no \.dockerignore excludes it: \.git \(the repository: its whole history, where deleted files and any secret ever committed may be\)\. Keep it out with \.dockerignore\.$/,
    );
    assert.deepEqual(git('[remote "origin"]\n\turl = https://x-access-token:${TOKEN}@github.com/o/r.git\n')[0].severity, 'warning');
    const token = git(`[remote "origin"]\n\turl = https://ci:${'ghp_'}Zx81vQ0pLm2Nb7Ck4Hd9@github.com/o/r.git\n`);
    assert.equal(token[0].severity, 'error');
    assert.match(
      token[0].message,
      /takes credentials .*\.git \(the repository, and its \.git\/config holds a credential: a remote URL with a password or token\)/,
    );
    const header = git('[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW4=\n');
    assert.deepEqual([header[0].severity, /an HTTP authorization header/.test(header[0].message)], ['error', true]);
    // Real secrets beside the history: an error.
    put('.env');
    assert.equal(git('[core]\n')[0].severity, 'error');
  });

  it('names .git; the fix leaves it out when a RUN uses git', () => {
    put('.git/config', '[core]\n');
    put('.env');
    const plain = run('FROM alpine:3.20\nCOPY . /src/\n');
    assert.deepEqual(named(plain), [['.env', '.git']]);
    assert.equal(plain[0].fixes?.[0].fileEdits?.()[0].append, '.env\n.git\n');
    const stamped = run(
      'FROM golang:1.23\nCOPY . /src/\nRUN VERSION="$(git describe --tags)" && go build -ldflags "-X main.v=$VERSION" ./...\n',
    );
    assert.match(stamped[0].message, /\.git \([^)]*a RUN here uses git, so the fix leaves it to you\)/);
    assert.equal(stamped[0].fixes?.[0].fileEdits?.()[0].append, '.env\n');
    rmSync(path.join(dir, '.env'));
    walks.invalidateContextWalks();
    const onlyGit = run('FROM golang:1.23\nCOPY . /src/\nRUN git rev-parse HEAD > /version\n');
    assert.equal(onlyGit.length, 1);
    assert.equal(onlyGit[0].fixes, undefined);
  });

  it('offers a suggestion that creates or extends the ignore file that applies', () => {
    put('.env');
    put('id_rsa', KEY);
    let fix = run('FROM alpine:3.20\nCOPY . /srv/\n')[0].fixes?.[0];
    assert.equal(fix?.kind, 'suggestion');
    assert.equal(fix?.preferred, undefined);
    assert.equal(fix?.title, 'Add .env, id_rsa to .dockerignore (check: nothing in the build or the app reads them)');
    assert.deepEqual(fix?.fileEdits?.(), [{ file: path.join(dir, '.dockerignore'), create: true, text: '', append: '.env\nid_rsa\n' }]);
    put('Dockerfile.dockerignore', '*.md');
    fix = run('FROM alpine:3.20\nCOPY . /srv/\n')[0].fixes?.[0];
    const [edit] = fix?.fileEdits?.() ?? [];
    assert.equal(path.basename(edit.file), 'Dockerfile.dockerignore');
    assert.deepEqual([edit.create, edit.append], [false, '\n.env\nid_rsa\n']);
  });

  it('reads the context --context or the config names, with its .dockerignore', () => {
    put('repo/.env');
    put('repo/docker/Dockerfile', 'FROM alpine:3.20\nCOPY . /srv/\n');
    const dockerfile = 'FROM alpine:3.20\nCOPY . /srv/\n';
    const file = path.join(dir, 'repo/docker/Dockerfile');
    const at = (settings: { context?: string }, config?: string) =>
      lint(dockerfile, {
        ...lintOptions(
          config === undefined ? undefined : parseConfig(path.join(dir, 'repo/.dockerfile-hardener.yaml'), config),
          settings,
          file,
        ),
        only: [RULE],
      }).findings;
    assert.deepEqual(at({}), []);
    assert.deepEqual(named(at({ context: path.join(dir, 'repo') })), [['.env']]);
    assert.deepEqual(named(at({}, 'context: .\n')), [['.env']]);
    const bad = parseConfig(path.join(dir, 'repo/.dockerfile-hardener.yaml'), 'context: [a]\n');
    assert.deepEqual(
      bad.problems.map((p) => p.message),
      ['context must be a directory path (relative to this file)'],
    );
    put('repo/.dockerignore', '.env\n');
    walks.invalidateContextWalks();
    assert.deepEqual(at({ context: path.join(dir, 'repo') }), []);
  });

  it('walks once: the answer is kept until invalidated', () => {
    put('.env');
    assert.equal(run('FROM alpine:3.20\nCOPY . /srv/\n').length, 1);
    rmSync(path.join(dir, '.env'));
    assert.equal(run('FROM alpine:3.20\nCOPY . /srv/\n').length, 1);
    walks.invalidateContextWalks();
    assert.equal(run('FROM alpine:3.20\nCOPY . /srv/\n').length, 0);
  });

  it('keeps a walk a limited time even when watched, and forgets it on a change that touches what it found', () => {
    let now = 1_000_000;
    walks.setContextWatched(true);
    walks.setContextClock(() => now);
    try {
      const lintIt = () => named(run('FROM alpine:3.20\nCOPY . /srv/\n'));
      put('.env');
      assert.deepEqual(lintIt(), [['.env']]);
      rmSync(path.join(dir, '.env')); // a change no watcher reported
      now += 59_000;
      assert.deepEqual(lintIt(), [['.env']]);
      now += 2_000;
      assert.deepEqual(lintIt(), []);
      // `rm -rf keys` is reported as the directory alone.
      put('keys/id_ed25519', KEY);
      put('.git/config', '[core]\n');
      walks.invalidateContextWalks();
      assert.deepEqual(lintIt(), [['.git', 'keys/id_ed25519']]);
      rmSync(path.join(dir, 'keys'), { recursive: true });
      const real = realpathSync(dir);
      for (const other of ['src', 'package.json', 'tsconfig.json', '.git/index.lock'])
        assert.equal(walks.invalidateContextWalksFor([path.join(real, other)]), false);
      assert.deepEqual(lintIt(), [['.git', 'keys/id_ed25519']]);
      assert.equal(walks.invalidateContextWalksFor([path.join(real, 'keys')]), true);
      assert.deepEqual(lintIt(), [['.git']]);
      assert.equal(walks.invalidateContextWalksFor([path.join(real, '.git/config')]), true);
      // A new credential's name, and the context's own directory (or one above it) going away.
      for (const changed of ['deploy/.env.local', '..']) {
        lintIt();
        assert.equal(walks.invalidateContextWalksFor([path.resolve(real, changed)]), true, changed);
      }
    } finally {
      walks.setContextWatched(false);
      walks.setContextClock();
    }
  });

  it('watches names that may be credentials, not every JSON file', () => {
    assert.ok(!walks.CONTEXT_WATCH_GLOBS.some((g) => /json/.test(g) && g !== '**/.docker/config.json'));
    for (const f of ['package.json', 'tsconfig.json', 'src/app.ts', 'dist'])
      assert.equal(walks.contextWatchedName(path.join(dir, f)), false);
    for (const f of ['.env', 'id_rsa', 'api.Dockerfile.dockerignore', '.docker/config.json', '.git', '.git/config', 'tls/a.pem'])
      assert.equal(walks.contextWatchedName(path.join(dir, f)), true, f);
  });

  it('does not enter an excluded directory', () => {
    for (let i = 0; i < 50; i++) put(`big/${i}.txt`);
    put('small/a.txt');
    const walk = walks.walkContext(dir, parseDockerignore('big\n'));
    assert.ok(walk.entries < 10, `looked at ${walk.entries} entries`);
    assert.equal(walk.truncated, false);
    assert.equal(walks.walkContext(dir, undefined, 20).truncated, true);
  });

  describe('the editor', () => {
    const actionsFor = async (client: Partial<ActionOptions>) => {
      const text = 'FROM alpine:3.20\nCOPY . /srv/\n';
      put('Dockerfile', text);
      const options = lintOptions(undefined, {}, path.join(dir, 'Dockerfile'));
      const { findings, model } = lint(text, options);
      const state: DocState = { uri: URI.file(path.join(dir, 'Dockerfile')).toString(), version: 3, text, model, findings, options };
      const f = findings.find((x) => x.rule === RULE)!;
      const diag = { range: f.range, message: f.message, source: 'dockerfile-hardener', code: RULE };
      const opts: ActionOptions = { versionedEdits: true, resolve: false, disabledSupport: true, context: {}, ...client };
      return (await codeActions(state, f.range, [diag], undefined, opts)).filter((a) => a.title.startsWith('Add '));
    };

    it('creates the ignore file where the client can, and appends to it', async () => {
      put('.env');
      const [created] = await actionsFor({ createFiles: true });
      const uri = URI.file(path.join(dir, '.dockerignore')).toString();
      assert.equal(created.isPreferred, false);
      assert.deepEqual(created.edit?.documentChanges, [
        { kind: 'create', uri, options: { ignoreIfExists: true } },
        {
          textDocument: { uri, version: null },
          edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '.env\n' }],
        },
      ]);
      const [refused] = await actionsFor({ createFiles: false });
      assert.match(refused.disabled?.reason ?? '', /cannot create files/);
      put('.dockerignore', '*.md\nbuild');
      walks.invalidateContextWalks();
      const [appended] = await actionsFor({ versionedEdits: false });
      assert.deepEqual(appended.edit?.changes?.[uri], [
        { range: { start: { line: 1, character: 5 }, end: { line: 1, character: 5 } }, newText: '\n.env\n' },
      ]);
    });
  });

  describe('the CLI', () => {
    const io = () => {
      const out: string[] = [];
      return { out, io: { out: (s: string) => void out.push(s), err: () => undefined } };
    };

    it('takes --context DIR and refuses one that is not a directory', () => {
      assert.equal(parseLintArgs(['--context', dir, 'Dockerfile']).context, dir);
      assert.equal(parseFixArgs(['--context=.', 'Dockerfile']).context, process.cwd());
      assert.throws(() => parseLintArgs(['--context', path.join(dir, 'nope'), 'Dockerfile']), /--context must be a directory/);
    });

    it('lint - takes its context from --context (standard input has no directory of its own)', async () => {
      put('.env');
      const text = 'FROM alpine:3.20\nCOPY . /srv/\n';
      const stdin = Object.getOwnPropertyDescriptor(process, 'stdin')!;
      const lintStdin = async (args: string[]) => {
        Object.defineProperty(process, 'stdin', { value: Readable.from([Buffer.from(text)]), configurable: true });
        try {
          const o = io();
          await runLint(parseLintArgs(['--format', 'json', '--shellcheck', 'off', ...args, '-']), o.io);
          return (JSON.parse(o.out.join('')) as { rule: string }[]).filter((f) => f.rule === RULE).length;
        } finally {
          Object.defineProperty(process, 'stdin', stdin);
        }
      };
      assert.equal(await lintStdin(['--context', dir]), 1);
      assert.equal(await lintStdin([]), 0);
    });

    it('fix, even --unsafe, leaves the ignore file alone: the fix is not preferred (the app may read the files)', async () => {
      put('.env');
      put('Dockerfile', 'FROM alpine:3.20\nCOPY . /srv/\n');
      const file = path.join(dir, 'Dockerfile');
      for (const args of [[file], ['--unsafe', file]]) await runFix(parseFixArgs(args), io().io);
      assert.equal(existsSync(path.join(dir, '.dockerignore')), false);
      assert.equal(readFileSync(file, 'utf8'), 'FROM alpine:3.20\nCOPY . /srv/\n');
      // Once the user adds the file, the finding is gone.
      put('.dockerignore', '.env\n');
      walks.invalidateContextWalks();
      assert.deepEqual(run('FROM alpine:3.20\nCOPY . /srv/\n'), []);
    });
  });
});
