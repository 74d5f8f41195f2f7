import * as assert from 'node:assert/strict';
import { BUILD_INPUT_OPTIONS, buildInputs, parseArgs, UsageError } from '../../server/src/cli/args';
import { lint } from '../../server/src/linter/lint';

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => buildInputs(parseArgs(argv, { values: BUILD_INPUT_OPTIONS }), env);

describe('the build inputs on the command line (--target, --build-arg, --build-context, --platform)', () => {
  it('--target as docker build spells it, --target-stage the same', () => {
    assert.deepEqual(parse(['--target', 'runtime']), { targetStage: 'runtime' });
    assert.deepEqual(parse(['--target-stage=runtime']), { targetStage: 'runtime' });
    assert.deepEqual(parse(['--target', 'a', '--target-stage', 'a']), { targetStage: 'a' });
    assert.throws(
      () => parse(['--target', 'a', '--target-stage', 'b']),
      (e: Error) => e instanceof UsageError && /name different stages/.test(e.message),
    );
  });

  it('--build-arg K=V repeats, an empty value is a value, K alone comes from the environment or is left out', () => {
    assert.deepEqual(
      parse(['--build-arg', 'A=1', '--build-arg=B=x=y', '--build-arg', 'C=', '--build-arg', 'HOME_ONLY', '--build-arg', 'UNSET'], {
        HOME_ONLY: '/h',
      }),
      {
        targetStage: undefined,
        buildArgs: { A: '1', B: 'x=y', C: '', HOME_ONLY: '/h' },
      },
    );
    assert.throws(() => parse(['--build-arg', '=1']), /--build-arg needs NAME=VALUE/);
    assert.throws(() => parse(['--build-arg', 'A-B=1']), /--build-arg needs NAME=VALUE/);
  });

  it('--build-context NAME=VALUE as docker build takes it: repeatable, each needs a name and a value', () => {
    assert.deepEqual(parse(['--build-context', 'src=../src', '--build-context=alpine=docker-image://alpine:3.22']), {
      targetStage: undefined,
      namedContexts: { src: '../src', alpine: 'docker-image://alpine:3.22' },
    });
    assert.throws(() => parse(['--build-context', 'src']), /--build-context needs NAME=VALUE, not "src"/);
    assert.throws(() => parse(['--build-context', '=x']), /--build-context needs NAME=VALUE/);
  });

  it('--platform as docker buildx takes it: repeatable or comma-separated', () => {
    assert.deepEqual(parse(['--platform', 'linux/amd64,linux/arm64', '--platform=linux/arm/v7']), {
      targetStage: undefined,
      targetPlatforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
    });
    assert.throws(() => parse(['--platform', 'amd64']), /--platform needs os\/arch\[\/variant\], not "amd64"/);
  });

  it('FROM lines built from ARGs resolve with the build arguments, over the defaults', () => {
    const text = 'ARG BASE=alpine:3.23\nFROM ${BASE}\nARG GO=1.26\nRUN echo $GO\nCMD ["/app"]\n';
    const toolchain = (buildArgs?: Record<string, string>) =>
      lint(text, { only: ['toolchain-final-stage'], ...(buildArgs ? { buildArgs } : {}) }).findings.map((f) => f.message.slice(0, 60));
    assert.deepEqual(toolchain(), []);
    assert.deepEqual(toolchain({ BASE: 'golang:1.26' }), ['The shipped image is based on golang:1.26, which carries the']);
    const model = lint(text, { buildArgs: { BASE: 'golang:1.26', GO: '1.27' } }).model;
    assert.equal(model.declarations.find((d) => d.name === 'GO')?.value, '1.27');
    // from-arg-without-default judges the defaults, as BuildKit's InvalidDefaultArgInFrom does: a
    // value the build gives does not make a missing default valid.
    const undeclared = 'ARG IMAGE\nFROM ${IMAGE}\n';
    const severity = { only: ['from-arg-without-default'], rules: { 'from-arg-without-default': 'warning' as const } };
    assert.equal(lint(undeclared, severity).findings.length, 1);
    assert.equal(lint(undeclared, { ...severity, buildArgs: { IMAGE: 'debian:13' } }).findings.length, 1);
  });
});
