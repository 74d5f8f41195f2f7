import * as assert from 'node:assert/strict';
import { parsePort } from '../../../server/src/model/ports';
import { messages, ruleCases, severities } from '../helpers';

describe('invalid-port', () => {
  describe('parsePort', () => {
    it('reads ports, ranges and protocols', () => {
      assert.deepEqual(parsePort('8080'), { valid: true, start: 8080, end: 8080, protocol: undefined });
      assert.deepEqual(parsePort('53/UDP'), { valid: true, start: 53, end: 53, protocol: 'udp' });
      assert.deepEqual(parsePort('9000-9010/tcp'), { valid: true, start: 9000, end: 9010, protocol: 'tcp' });
      assert.deepEqual(parsePort('1-65535'), { valid: true, start: 1, end: 65535, protocol: undefined });
    });
    it('says what is wrong', () => {
      assert.equal(parsePort('0').problem, 'port 0 is outside 1–65535');
      assert.equal(parsePort('8000-70000').problem, 'port 70000 is outside 1–65535');
      assert.equal(parsePort('9000-8000').problem, 'the range ends before it starts');
      assert.equal(parsePort('8080/http').problem, '"http" is not a protocol (tcp, udp or sctp)');
      assert.equal(parsePort('80:8080').problem, 'a host address or host:container mapping belongs to docker run -p, not EXPOSE');
      assert.equal(parsePort('127.0.0.1:80:8080').problem, 'a host address or host:container mapping belongs to docker run -p, not EXPOSE');
      assert.equal(parsePort('http').problem, 'not a port, a port range or port/protocol');
      assert.equal(parsePort('80-').problem, 'not a port, a port range or port/protocol');
    });
  });

  ruleCases('invalid-port', {
    valid: [
      {
        name: 'ports, ranges and protocols in any case',
        code: `FROM alpine:3.20
EXPOSE 1 8080 65535 53/udp 9000-9010/tcp 9999/SCTP 7000/TcP
`,
      },
      {
        name: 'privileged ports are valid (privileged-port is about them)',
        code: `FROM nginx:1.27
EXPOSE 80 443/tcp
`,
      },
      {
        name: 'variables whose value is unknown are not guessed',
        code: `FROM alpine:3.20
ARG PORT
ARG ADMIN_PORT
EXPOSE $PORT \${ADMIN_PORT}/tcp
`,
      },
      {
        name: 'variables with a valid value, and a default for an unset one',
        code: `FROM alpine:3.20
ARG PORT=8080
ENV ADMIN_PORT=9090
EXPOSE $PORT \${ADMIN_PORT}/udp \${UNSET:-8443}
`,
      },
      {
        name: "hadolint's DL3011 ignore comment",
        code: `FROM alpine:3.20
# hadolint ignore=DL3011
EXPOSE 70000
`,
      },
      {
        name: "BuildKit's check=skip directive for ExposeInvalidFormat",
        code: `# check=skip=ExposeInvalidFormat
FROM alpine:3.20
EXPOSE 80:8080
`,
      },
    ],
    invalid: [
      {
        name: 'outside 1–65535',
        code: `FROM alpine:3.20
EXPOSE 0 65536 70000/udp
#      ^ invalid-port
#        ^^^^^ invalid-port
#              ^^^^^^^^^ invalid-port
`,
      },
      {
        name: 'ranges: reversed, or past the end',
        code: `FROM alpine:3.20
EXPOSE 9000-8000 60000-70000 8000-
#      ^^^^^^^^^ invalid-port
#                ^^^^^^^^^^^ invalid-port
#                            ^^^^^ invalid-port
`,
      },
      {
        name: 'a protocol that does not exist',
        code: `FROM alpine:3.20
EXPOSE 8080/http 53/dns
#      ^^^^^^^^^ invalid-port
#                ^^^^^^ invalid-port
`,
      },
      {
        name: 'host mappings and addresses: 80:8080',
        code: `FROM alpine:3.20
EXPOSE 80:8080 127.0.0.1:80:8080
#      ^^^^^^^ invalid-port
#              ^^^^^^^^^^^^^^^^^ invalid-port
`,
      },
      {
        name: 'not a number',
        code: `FROM alpine:3.20
EXPOSE http
#      ^^^^ invalid-port
`,
      },
      {
        name: 'a build argument whose value is out of range: the variable as written',
        code: `FROM alpine:3.20
ARG PORT=0
EXPOSE \${PORT}
#      ^^^^^^^ invalid-port
`,
      },
      {
        name: 'a variable holding several ports: the bad one is reported on the variable',
        code: `FROM alpine:3.20
ARG PORTS="8080 99999"
EXPOSE $PORTS
#      ^^^^^^ invalid-port
`,
      },
      {
        name: 'on a continuation line, lower-case instruction',
        code: `FROM alpine:3.20
expose 8080 \\
    0
#   ^ invalid-port
`,
      },
      {
        name: 'in every stage',
        code: `FROM alpine:3.20 AS build
EXPOSE 0
#      ^ invalid-port
FROM alpine:3.20
`,
      },
    ],
  });

  it('is an error that quotes the port and the problem', () => {
    const source = 'FROM alpine:3.20\nARG PORTS="8080 99999"\nEXPOSE 8080/http $PORTS\n';
    assert.deepEqual(messages('invalid-port', source), [
      'EXPOSE 8080/http: "http" is not a protocol (tcp, udp or sctp).',
      'EXPOSE 99999: port 99999 is outside 1–65535.',
    ]);
    assert.deepEqual(severities('invalid-port', source), ['3:7 error', '3:17 error']);
  });
});
