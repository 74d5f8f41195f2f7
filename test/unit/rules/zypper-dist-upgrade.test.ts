import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { ruleCases } from '../helpers';

const rule = 'zypper-dist-upgrade';

describe('zypper-dist-upgrade', () => {
  ruleCases(rule, {
    valid: [
      {
        name: 'update, patch and install',
        code: `FROM opensuse/leap:15.6
RUN zypper -n update && zypper -n patch && zypper -n in curl && zypper clean --all
`,
      },
    ],
    invalid: [
      {
        name: 'dist-upgrade and dup, with global options, in every stage',
        code: `FROM opensuse/tumbleweed AS build
RUN zypper --non-interactive dist-upgrade
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ zypper-dist-upgrade
FROM opensuse/tumbleweed
ONBUILD RUN zypper dup -y
#           ^^^^^^^^^^ zypper-dist-upgrade
`,
      },
    ],
  });

  it('passes DL3035 and offers no fix', () => {
    const [f] = lint('FROM opensuse/leap\nRUN zypper dup\n', { only: [rule] }).findings;
    assert.deepEqual(f.peerCodes?.hadolint, ['DL3035']);
    assert.deepEqual(f.fixes ?? [], []);
  });
});
