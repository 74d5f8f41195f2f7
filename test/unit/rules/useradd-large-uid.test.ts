import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';

describe('useradd-large-uid', () => {
  ruleCases('useradd-large-uid', {
    valid: [
      {
        name: 'no uid, a small uid, -l or --no-log-init, a variable',
        code: `FROM debian:12
RUN useradd luser && useradd -u 12345 luser2 && useradd -l -u 123456 luser3
RUN useradd --no-log-init --uid 200000 a && useradd -u $UID b
`,
      },
    ],
    invalid: [
      {
        name: '-u and --uid=, behind a wrapper, in an ONBUILD RUN',
        code: `FROM debian:12
RUN useradd -u 123456 luser && sudo useradd --uid=1000000 other
#   ^^^^^^^ useradd-large-uid
#                                   ^^^^^^^ useradd-large-uid
ONBUILD RUN useradd -u 654321 x
#           ^^^^^^^ useradd-large-uid
`,
      },
    ],
  });

  it('says how large the files grow', () => {
    assert.deepEqual(messages('useradd-large-uid', 'FROM debian:12\nRUN useradd -u 1000000 app\n'), [
      'useradd -u 1000000 without --no-log-init: /var/log/lastlog and faillog grow to about 292 MB in the layer. Add --no-log-init.',
    ]);
  });
});
