import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BuildFiles, readCompose } from '../../server/src/config/buildFiles';
import { interpolate, readDotEnv } from '../../server/src/config/buildEntry';
import { readBakeJson } from '../../server/src/config/bake';

describe('Compose and Bake files: the build inputs they give a Dockerfile', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'dh-buildfiles-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
    return path.join(dir, rel);
  };

  it("interpolates as Compose does, and reads a project's .env", () => {
    const env = { A: 'a', EMPTY: '' };
    assert.equal(interpolate('${A} $A ${B:-b} ${EMPTY:-e} ${EMPTY-e} ${A:+set} $$A ${NONE}', env), 'a a b e  set $A ');
    assert.deepEqual(readDotEnv('# c\nA=1\nexport B="two words"\nC=x # note\nD=\'q\'\nbad line\n'), {
      A: '1',
      B: 'two words',
      C: 'x',
      D: 'q',
    });
  });

  it('compose: a context string, a build map with args as a map or a list, target and platforms', () => {
    write('.env', 'GO=1.26\n');
    const file = write(
      'compose.yaml',
      [
        'services:',
        '  web:',
        '    build: ./web',
        '  api:',
        '    build:',
        '      context: api',
        '      dockerfile: build/Dockerfile.api',
        '      target: runtime',
        '      platforms: [linux/amd64, "linux/arm64"]',
        '      args:',
        '        GO_VERSION: ${GO}',
        '        NUM: 3',
        '        FROM_ENV:',
        '  worker:',
        '    build:',
        '      context: .',
        '      args: ["BASE=alpine:3.23", "HOME_ONLY", "MISSING"]',
        '  remote:',
        '    build: https://github.com/example/app.git',
        '  image-only:',
        '    image: nginx:1.27',
        '',
      ].join('\n'),
    );
    const r = readCompose(file, readFileSync(file, 'utf8'), { FROM_ENV: 'e', HOME_ONLY: '/h' });
    assert.deepEqual(r.problems, []);
    assert.deepEqual(
      r.entries.map((e) => ({ ...e, dockerfile: path.relative(dir, e.dockerfile), context: path.relative(dir, e.context) })),
      [
        { source: 'compose.yaml service web', dockerfile: 'web/Dockerfile', context: 'web', args: {} },
        {
          source: 'compose.yaml service api',
          dockerfile: 'api/build/Dockerfile.api',
          context: 'api',
          args: { GO_VERSION: '1.26', NUM: '3', FROM_ENV: 'e' },
          target: 'runtime',
          platforms: ['linux/amd64', 'linux/arm64'],
        },
        { source: 'compose.yaml service worker', dockerfile: 'Dockerfile', context: '', args: { BASE: 'alpine:3.23', HOME_ONLY: '/h' } },
      ],
    );
  });

  it('bake JSON: targets, inherits, variable defaults and the environment over them', () => {
    const file = write(
      'docker-bake.json',
      JSON.stringify({
        variable: { TAG: { default: '1.26' } },
        target: {
          base: { args: { GO: '${TAG}', KEEP: 'k' }, platforms: ['linux/amd64'] },
          app: { inherits: ['base'], context: 'app', dockerfile: 'Containerfile', target: 'prod', args: { KEEP: 'override' } },
        },
      }),
    );
    const r = readBakeJson(file, readFileSync(file, 'utf8'), { TAG: '1.27' });
    const app = r.entries.find((e) => e.source === 'docker-bake.json target app');
    assert.deepEqual(app && { ...app, dockerfile: path.relative(dir, app.dockerfile) }, {
      source: 'docker-bake.json target app',
      dockerfile: 'app/Containerfile',
      context: path.join(dir, 'app'),
      args: { GO: '1.27', KEEP: 'override' },
      target: 'prod',
      platforms: ['linux/amd64'],
    });
    assert.deepEqual(readBakeJson(file, '{', {}).problems.length, 1);
  });

  it('compose: additional_contexts as a map or a list, local paths made absolute', () => {
    const file = write(
      'compose.yaml',
      [
        'services:',
        '  a:',
        '    build:',
        '      context: a',
        '      additional_contexts:',
        '        src: ../src',
        '        alpine: docker-image://alpine:3.22',
        '        web: service:web',
        '  b:',
        '    build:',
        '      context: b',
        '      additional_contexts: ["src=./s"]',
      ].join('\n'),
    );
    const r = readCompose(file, readFileSync(file, 'utf8'), {});
    assert.deepEqual(r.entries[0].contexts, { src: path.join(dir, 'src'), alpine: 'docker-image://alpine:3.22', web: 'service:web' });
    assert.deepEqual(r.entries[1].contexts, { src: path.join(dir, 'b/s') });
  });

  it('the nearest build file above a Dockerfile that names it; broken files are said once, never guessed', async () => {
    write('svc/Dockerfile', 'FROM alpine\n');
    write('other/Dockerfile', 'FROM alpine\n');
    write('compose.yaml', 'services:\n  svc:\n    build:\n      context: svc\n      args: { A: "1" }\n');
    write('svc/compose.yaml', 'services: [broken');
    write('docker-bake.hcl', 'target "other" {\n  context = "other"\n  args = { B = "2" }\n}\n');
    const files = new BuildFiles({});
    assert.deepEqual(files.forDockerfile(path.join(dir, 'svc/Dockerfile'))?.args, { A: '1' });
    // The HCL file's parser loads on first need: the asynchronous lookup waits for it.
    assert.deepEqual((await files.forDockerfileAsync(path.join(dir, 'other/Dockerfile')))?.args, { B: '2' });
    assert.equal(files.forDockerfile(path.join(dir, 'svc/Dockerfile'))?.source, 'compose.yaml service svc');
    assert.equal(files.problems.length, 1, files.problems.join('\n'));
    assert.match(files.problems.join('\n'), /svc\/compose\.yaml: not read: /);
  });

  it('Bake files merge as Bake reads them: docker-bake.json, .hcl, then the override files over them', async () => {
    write('app/Dockerfile', 'FROM alpine\n');
    write('docker-bake.hcl', 'target "app" {\n  context = "app"\n  args = { A = "hcl", B = "hcl" }\n}\n');
    write('docker-bake.override.hcl', 'target "app" {\n  args = { B = "override" }\n  target = "prod"\n}\n');
    const entry = await new BuildFiles({}).forDockerfileAsync(path.join(dir, 'app/Dockerfile'));
    assert.deepEqual(entry?.args, { A: 'hcl', B: 'override' });
    assert.equal(entry?.target, 'prod');
    assert.equal(entry?.source, 'docker-bake.hcl target app');
  });

  it('while the HCL parser loads, a build file farther up does not answer for a Dockerfile a nearer Bake file may build', async () => {
    write('compose.yaml', 'services:\n  s:\n    build:\n      context: sub\n      args: { FROM_COMPOSE: "1" }\n');
    write('sub/Dockerfile', 'FROM alpine\n');
    write('sub/docker-bake.hcl', 'target "s" {\n  args = { FROM_BAKE = "1" }\n}\n');
    let loaded = false;
    const files = new BuildFiles({}, () => (loaded = true));
    const first = files.forDockerfile(path.join(dir, 'sub/Dockerfile'));
    // The parser may have loaded for another test of this process already.
    if (first) assert.deepEqual(first.args, { FROM_BAKE: '1' });
    const after = await files.forDockerfileAsync(path.join(dir, 'sub/Dockerfile'));
    assert.deepEqual(after?.args, { FROM_BAKE: '1' });
    assert.ok(loaded || first, 'the editor is told to ask again once the parser has loaded');
  });
});
