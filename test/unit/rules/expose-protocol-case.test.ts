import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';

describe('expose-protocol-case', () => {
  ruleCases('expose-protocol-case', {
    valid: [
      {
        name: 'lower case, no protocol, a variable',
        code: `FROM scratch
EXPOSE 8080/udp 80 $PORT
`,
      },
    ],
    invalid: [
      {
        name: 'upper and mixed case, each port',
        code: `FROM scratch
EXPOSE 80/TcP 8080/TCP 8080/udp 9000-9010/SCTP
#      ^^^^^^ expose-protocol-case
#             ^^^^^^^^ expose-protocol-case
#                               ^^^^^^^^^^^^^^ expose-protocol-case
`,
      },
    ],
  });

  it('names the lower-case spelling', () => {
    assert.deepEqual(messages('expose-protocol-case', 'FROM scratch\nEXPOSE 80/TCP\n'), [
      'EXPOSE 80/TCP: write the protocol in lower case (tcp).',
    ]);
  });
});
