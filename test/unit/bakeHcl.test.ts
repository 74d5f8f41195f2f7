import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { readBakeHcl } from '../../server/src/config/bakeHcl';
import { loadHclParser, type HclParser } from '../../server/src/config/hclParser';
import { lint } from '../../server/src/linter/lint';
import { namedContextName } from '../../server/src/model/model';

/** docker-bake.hcl read with the real HCL parser (tree-sitter's grammar, as WebAssembly). */
describe('docker-bake.hcl: the build inputs its targets give a Dockerfile', () => {
  let parser: HclParser;
  before(async () => (parser = await loadHclParser()));
  const dir = path.join(path.sep, 'project');
  const read = (text: string, env: NodeJS.ProcessEnv = {}) => readBakeHcl(path.join(dir, 'docker-bake.hcl'), text, parser, env);
  const target = (r: ReturnType<typeof read>, name: string) => r.entries.find((e) => e.source === `docker-bake.hcl target ${name}`);

  it('targets with context, dockerfile, args, target, platforms and contexts; variables, interpolation and inherits', () => {
    const r = read(
      [
        '# a comment',
        'variable "GO_VERSION" { default = "1.26" }',
        'variable "ALPINE" {',
        '  default = "3.22"',
        '}',
        'REGISTRY = "ghcr.io"',
        'group "default" { targets = ["app"] }',
        'target "_common" {',
        '  args = { GO_VERSION = "${GO_VERSION}", KEEP = "parent" }',
        '  platforms = ["linux/amd64", "linux/arm64"]',
        '}',
        'target "app" {',
        '  inherits = ["_common"]',
        '  context = "./app"',
        '  dockerfile = "build/Containerfile"',
        '  target = "runtime"',
        '  args = {',
        '    BASE = "${REGISTRY}/org/alpine:${ALPINE}"',
        '    KEEP = "child"',
        '    "QUOTED" = "q\\"x $${NOT_A_VAR}"',
        '    PORT = 8080',
        '    DEBUG = false',
        '    UNSET = null',
        '  }',
        '  contexts = { src = "../src", base = "docker-image://alpine:3.22", other = "target:_common" }',
        '}',
      ].join('\n'),
    );
    assert.deepEqual(r.problems, []);
    assert.deepEqual(target(r, 'app'), {
      source: 'docker-bake.hcl target app',
      dockerfile: path.join(dir, 'app', 'build', 'Containerfile'),
      context: path.join(dir, 'app'),
      args: {
        GO_VERSION: '1.26',
        KEEP: 'child',
        BASE: 'ghcr.io/org/alpine:3.22',
        QUOTED: 'q"x ${NOT_A_VAR}',
        PORT: '8080',
        DEBUG: 'false',
      },
      target: 'runtime',
      platforms: ['linux/amd64', 'linux/arm64'],
      contexts: { src: path.join(path.sep, 'src'), base: 'docker-image://alpine:3.22', other: 'target:_common' },
    });
  });

  it('a variable set in the environment wins over its default (a top-level attribute is not overridden); no default is empty', () => {
    const r = read(
      [
        'variable "TAG" { default = "1" }',
        'variable "FULL" { default = "v${TAG}" }',
        'variable "EMPTY" {}',
        'BASE = "alpine:3.22"',
        'target "app" { args = { V = FULL, B = BASE, E = "[${EMPTY}]" } }',
      ].join('\n'),
      { TAG: '2', BASE: 'alpine:3.10' },
    );
    assert.deepEqual(target(r, 'app')?.args, { V: 'v2', B: 'alpine:3.22', E: '[]' });
  });

  it('blocks of one target merge (parents added); inherits resolve each parent once, later parents over earlier', () => {
    const r = read(
      [
        'target "base" { args = { X = "base" } }',
        'target "a" {',
        '  inherits = ["base"]',
        '  args = { X = "a" }',
        '}',
        'target "b" {',
        '  inherits = ["base"]',
        '  args = { Y = "b" }',
        '}',
        'target "c" { inherits = ["a"] }',
        'target "c" {',
        '  inherits = ["b"]',
        '  target = "prod"',
        '}',
        // A cycle is cut where it closes.
        'target "loop1" { inherits = ["loop2"] }',
        'target "loop2" {',
        '  inherits = ["loop1"]',
        '  args = { L = "2" }',
        '}',
      ].join('\n'),
    );
    // c = a, then b (whose X is base's) over it: as Bake merges them.
    assert.deepEqual(target(r, 'c')?.args, { X: 'base', Y: 'b' });
    assert.equal(target(r, 'c')?.target, 'prod');
    assert.deepEqual(target(r, 'loop1')?.args, { L: '2' });
  });

  it('a long inherits chain resolves in linear time', () => {
    const lines = ['target "t0" { args = { A = "0" } }'];
    for (let i = 1; i <= 2000; i++) lines.push(`target "t${i}" {\n  inherits = ["t${i - 1}"]\n  args = { N${i % 7} = "${i}" }\n}`);
    const started = Date.now();
    const r = read(lines.join('\n'));
    assert.equal(target(r, 't2000')?.args.A, '0');
    assert.ok(Date.now() - started < 10_000, `${Date.now() - started} ms`);
  });

  it('a value nested past what is evaluated is unknown, and nothing throws', () => {
    const deep = `${'['.repeat(3000)}"x"${']'.repeat(3000)}`;
    const r = read(`target "app" {\n  args = { A = ${deep}, B = "b" }\n}`);
    assert.deepEqual(target(r, 'app')?.args, { A: undefined, B: 'b' });
  });

  it('what Bake computes and the linter does not is named, never guessed: such an ARG is unknown', () => {
    const r = read(
      [
        'variable "LOOP" { default = LOOP }',
        'target "app" {',
        '  args = {',
        '    A = upper("x")',
        '    B = true ? "a" : "b"',
        '    C = { nested = "map" }',
        '    D = target.other.args.X',
        '    E = "${UNDECLARED}"',
        '    F = "%{ if true }x%{ endif }"',
        '    G = LOOP',
        '    H = "known"',
        '  }',
        '}',
        'target "where" {',
        '  dockerfile = join("", ["Docker", "file"])',
        '  args = { A = "1" }',
        '}',
        'target "how" { args = merge({ A = "1" }, {}) }',
        'target "many" {',
        '  matrix = { v = ["1", "2"] }',
        '  name = "many-${v}"',
        '}',
      ].join('\n'),
    );
    const app = target(r, 'app');
    assert.deepEqual(app?.args, {
      A: undefined,
      B: undefined,
      C: undefined,
      D: undefined,
      E: undefined,
      F: undefined,
      G: undefined,
      H: 'known',
    });
    // Which Dockerfile a target builds, or with which arguments, is not guessed: the target is not used.
    assert.equal(target(r, 'where'), undefined);
    assert.equal(target(r, 'how'), undefined);
    assert.equal(target(r, 'many'), undefined);
    const said = r.problems.join('\n');
    for (const what of [
      'args.A is a call of upper()',
      'args.B is a conditional',
      'args.C is a list or map',
      'args.D is a reference to another value',
      'args.E is the undeclared variable UNDECLARED',
      'args.F is a template directive',
      'args.G is the variable LOOP, which refers to itself',
      'target where: dockerfile is a call of join(), which the linter does not evaluate: the target is not used',
      'target how: args is a call of merge()',
      'target many: a matrix target is not read',
    ])
      assert.ok(said.includes(what), `${what}\n${said}`);
  });

  it('a file that does not parse gives no targets and says where', () => {
    const r = read('target "app" {\n  args = { A = "1" \n');
    assert.deepEqual(r.entries, []);
    assert.match(r.problems.join('\n'), /docker-bake\.hcl: not read: the HCL parser finds a syntax error at line \d+/);
  });

  it('the linter: an ARG the build gives an unknown value is unknown, not its default; a named context is not an image or stage', () => {
    const text = ['ARG BASE=alpine:3.10', 'FROM ${BASE}', 'COPY --from=early / /', 'FROM alpine:3.22 AS early', 'USER 1000'].join('\n');
    const rules = (options: Parameters<typeof lint>[1]) => lint(text, { ...options, today: '2026-12-07' }).findings.map((f) => f.rule);
    // By default, the EOL default of BASE is judged, and `early` names a later stage.
    assert.ok(rules({}).includes('eol-base-image'), rules({}).join(' '));
    assert.ok(rules({}).includes('copy-from-stage-order'), rules({}).join(' '));
    // The build gives BASE a value not known here, and `early` is one of its named contexts.
    const given = rules({ buildArgs: { BASE: undefined }, namedContexts: { early: '/project/early' } });
    assert.ok(!given.includes('eol-base-image'), given.join(' '));
    assert.ok(!given.includes('copy-from-stage-order'), given.join(' '));
  });

  it('a named context matches a FROM as the builder does: Docker Hub names in their short form, :latest implied', () => {
    assert.equal(namedContextName('docker.io/library/alpine:latest'), 'alpine');
    assert.equal(namedContextName('index.docker.io/myorg/app:1'), 'myorg/app:1');
    assert.equal(namedContextName('ghcr.io/o/app:latest'), 'ghcr.io/o/app');
    assert.equal(namedContextName('alpine@sha256:' + 'a'.repeat(64)), 'alpine@sha256:' + 'a'.repeat(64));
    const text = 'FROM docker.io/library/alpine:3.10\nUSER 1000\n';
    const eol = (namedContexts?: Record<string, string>) =>
      lint(text, { today: '2026-12-07', ...(namedContexts ? { namedContexts } : {}) }).findings.some((f) => f.rule === 'eol-base-image');
    assert.ok(eol());
    assert.ok(!eol({ 'alpine:3.10': 'docker-image://alpine:3.22' }));
  });
});
