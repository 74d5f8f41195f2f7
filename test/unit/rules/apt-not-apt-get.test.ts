import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { applyFix, messages, ruleCases } from '../helpers';

const rule = 'apt-not-apt-get';

describe('apt-not-apt-get', () => {
  ruleCases(rule, {
    valid: [
      {
        name: 'apt-get, apt-cache and apt-key are other programs',
        code: `FROM ubuntu:24.04
RUN apt-get update && apt-cache policy curl && apt-get install -y curl
`,
      },
    ],
    invalid: [
      {
        name: 'each apt command, behind wrappers and in ONBUILD triggers too',
        code: `FROM ubuntu:24.04
RUN apt -o Acquire::Retries=3 update && sudo apt list --installed
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ apt-not-apt-get
#                                            ^^^^^^^^ apt-not-apt-get
ONBUILD RUN apt install -y curl
#           ^^^^^^^^^^^ apt-not-apt-get
`,
      },
    ],
  });

  it('replaces apt by apt-get where apt-get means the same, and re-lints clean', async () => {
    const text = 'FROM ubuntu:24.04\nRUN /usr/bin/apt -y dist-upgrade\n';
    const fixed = await applyFix(rule, text);
    assert.equal(fixed, 'FROM ubuntu:24.04\nRUN /usr/bin/apt-get -y dist-upgrade\n');
    assert.deepEqual(lint(fixed, { only: [rule] }).findings, []);
  });

  it('offers no fix for subcommands apt-get lacks', () => {
    for (const sub of ['full-upgrade', 'list', 'search curl', 'show curl']) {
      const [f] = lint(`FROM ubuntu:24.04\nRUN apt ${sub}\n`, { only: [rule] }).findings;
      assert.deepEqual(f.fixes ?? [], [], sub);
    }
    assert.deepEqual(messages(rule, 'FROM ubuntu:24.04\nRUN apt search curl\n'), [
      "apt search in a RUN: apt's command line is meant for terminals and is not stable for scripts. Use apt-get (or apt-cache for queries).",
    ]);
  });
});
