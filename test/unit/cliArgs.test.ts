/** The one argument reader of every CLI command, and the commands' own checks on what it read. */
import * as assert from 'node:assert/strict';
import { parseArgs, UsageError } from '../../server/src/cli/args';
import { parseLintArgs } from '../../server/src/cli/main';
import { parseFixArgs } from '../../server/src/cli/fix';
import { parsePinArgs } from '../../server/src/cli/pin';
import { parseConvertArgs } from '../../server/src/cli/convert';

const SPEC = { flags: ['--write'], values: ['--config'] };

function usage(f: () => unknown, message: RegExp): void {
  assert.throws(f, (e: unknown) => e instanceof UsageError && message.test(e.message));
}

describe('CLI arguments', () => {
  it('reads flags, values (both spellings; the last wins) and paths in any order', () => {
    const a = parseArgs(['x', '--config', 'a.yaml', '--write', 'y', '--config=b.yaml'], SPEC);
    assert.deepEqual([...a.flags], ['--write']);
    assert.equal(a.values.get('--config'), 'b.yaml');
    assert.deepEqual(a.positional, ['x', 'y']);
  });

  it('takes "-" as a path, and everything after "--" as paths', () => {
    assert.deepEqual(parseArgs(['-', '--', '--write', '-x'], SPEC).positional, ['-', '--write', '-x']);
    assert.equal(parseArgs(['--', '--write'], SPEC).flags.size, 0);
  });

  it('refuses unknown options, a missing value, and a value given to a flag', () => {
    usage(() => parseArgs(['--bogus'], SPEC), /^unknown option --bogus$/);
    usage(() => parseArgs(['--bogus=1'], SPEC), /^unknown option --bogus$/);
    usage(() => parseArgs(['-x'], SPEC), /^unknown option -x$/);
    usage(() => parseArgs(['--config'], SPEC), /^--config needs a value$/);
    usage(() => parseArgs(['--write=yes'], SPEC), /^--write takes no value$/);
  });

  it('reads "--" the same way in every command', () => {
    assert.deepEqual(parseLintArgs(['--', '-odd']).paths, ['-odd']);
    assert.deepEqual(parseFixArgs(['--unsafe', '--', '-odd']).paths, ['-odd']);
    assert.deepEqual(parsePinArgs(['--', '-odd']).paths, ['-odd']);
    assert.equal(parseConvertArgs(['--', '-odd']).file, '-odd');
  });

  it('leaves each command its own checks', () => {
    assert.deepEqual(parseLintArgs(['--format=sarif', '--fail-level', 'none', 'd']), {
      format: 'sarif',
      failLevel: 'none',
      targetStage: undefined,
      config: undefined,
      context: undefined,
      shellcheck: undefined,
      imageFacts: undefined,
      paths: ['d'],
    });
    assert.equal(parseLintArgs(['--shellcheck', '/usr/local/bin/shellcheck', 'd']).shellcheck, '/usr/local/bin/shellcheck');
    usage(
      () => parseLintArgs(['--format', 'xml', 'd']),
      /--format must be text, json, sarif, github, checkstyle, codeclimate, junit or markdown/,
    );
    usage(() => parseLintArgs([]), /lint needs at least one PATH/);
    assert.deepEqual(parseFixArgs(['--dry-run', '--target-stage', 'app', 'd']), {
      dryRun: true,
      unsafe: false,
      config: undefined,
      targetStage: 'app',
      context: undefined,
      paths: ['d'],
    });
    usage(() => parseFixArgs(['-']), /standard input is not supported/);
    assert.equal(parseLintArgs(['--context', '.', 'd']).context, process.cwd());
    usage(() => parseFixArgs(['--context=/nonexistent/dir', 'd']), /--context must be a directory/);
    assert.equal(parsePinArgs(['--timeout=2.5', 'd']).timeoutSeconds, 2.5);
    usage(() => parsePinArgs(['--timeout', '0', 'd']), /--timeout must be a number of seconds/);
    usage(() => parseConvertArgs(['a', 'b']), /exactly one FILE/);
    usage(() => parseConvertArgs(['--write', '-']), /--write needs a file/);
  });
});
