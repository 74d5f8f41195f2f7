import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';

describe('onbuild-invalid-trigger', () => {
  ruleCases('onbuild-invalid-trigger', {
    valid: [
      {
        name: 'every other trigger',
        code: `FROM debian:12
ONBUILD ADD a /b
ONBUILD USER app
ONBUILD RUN make
ONBUILD HEALTHCHECK NONE
`,
      },
    ],
    invalid: [
      {
        name: 'ONBUILD ONBUILD, FROM and MAINTAINER, in any case',
        code: `FROM debian:12
ONBUILD ONBUILD RUN anything
#       ^^^^^^^ onbuild-invalid-trigger
onbuild from debian:12
#       ^^^^ onbuild-invalid-trigger
ONBUILD MAINTAINER "Someone"
#       ^^^^^^^^^^ onbuild-invalid-trigger
`,
      },
    ],
  });

  it('says why the builder refuses it', () => {
    assert.deepEqual(messages('onbuild-invalid-trigger', 'FROM debian:12\nONBUILD ONBUILD RUN x\n'), [
      'ONBUILD ONBUILD is refused by the builder: triggers do not chain.',
    ]);
  });
});
