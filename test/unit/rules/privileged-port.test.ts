import * as assert from 'node:assert/strict';
import { messages, ruleCases, severities } from '../helpers';

describe('privileged-port', () => {
  ruleCases('privileged-port', {
    valid: [
      {
        name: 'ports from 1024 up',
        code: `FROM nginxinc/nginx-unprivileged:1.27
EXPOSE 1024 8080 8443/tcp 5353/udp 30000-30010
`,
      },
      {
        name: 'unknown variables are not guessed',
        code: `FROM alpine:3.20
ARG PORT HTTP_PORT
EXPOSE \${PORT} $HTTP_PORT/tcp
`,
      },
      {
        name: 'a build argument with an unprivileged default',
        code: `FROM alpine:3.20
ARG PORT=8080
EXPOSE $PORT
`,
      },
      {
        name: 'invalid ports are invalid-port findings, not this rule’s',
        code: `FROM alpine:3.20
EXPOSE 0 80:8080 80/http 90-80
`,
      },
      {
        // Reproduction: nginx's and Apache's master process binds as root by design.
        name: 'a server that runs as root by design and drops privileges itself',
        code: `FROM nginx:1.27
EXPOSE 80 443
FROM httpd:2.4
EXPOSE 80
`,
      },
      {
        name: 'a builder, CI or development image, and a builder stage',
        code: `FROM node:22-slim AS build
EXPOSE 80
RUN npm ci
FROM node:22-slim AS dev
EXPOSE 3000 80
CMD ["npm", "run", "dev"]
`,
      },
      {
        name: 'our ignore comment',
        code: `FROM nginx:1.27
# dockerfile-hardener ignore=privileged-port
EXPOSE 80 443
`,
      },
    ],
    invalid: [
      {
        name: 'one finding per port below 1024, with or without a protocol',
        code: `FROM node:22-slim
EXPOSE 80 443/tcp 8080 53/udp 1023
#      ^^ privileged-port
#         ^^^^^^^ privileged-port
#                      ^^^^^^ privileged-port
#                             ^^^^ privileged-port
CMD ["/app"]
`,
      },
      {
        name: 'a range that starts below 1024',
        code: `FROM alpine:3.20
EXPOSE 1000-1100/tcp
#      ^^^^^^^^^^^^^ privileged-port
CMD ["/app"]
`,
      },
      {
        name: 'a build argument whose default is privileged',
        code: `FROM node:22-alpine
ARG PORT=80
ENV PORT=$PORT
EXPOSE $PORT 9229
#      ^^^^^ privileged-port
CMD ["/app"]
`,
      },
      {
        name: 'a variable holding several ports',
        code: `FROM alpine:3.20
ARG PORTS="80 8080"
EXPOSE \${PORTS}
#      ^^^^^^^^ privileged-port
CMD ["/app"]
`,
      },
      {
        name: 'on continuation lines',
        code: `FROM alpine:3.20
EXPOSE 8080 \\
       443
#      ^^^ privileged-port
CMD ["/app"]
`,
      },
    ],
  });

  it('is a warning that suggests an unprivileged port', () => {
    const source = 'FROM python:3.12-slim\nEXPOSE 80 443 22\nCMD ["python", "/app/serve.py"]\n';
    assert.deepEqual(severities('privileged-port', source), ['2:7 warning', '2:10 warning', '2:14 warning']);
    const says = (port: number, to: number) =>
      `Port ${port} is privileged: under Kubernetes and Podman, binding it needs root or NET_BIND_SERVICE (Docker lets any user bind it). Listen on a port above 1024 (e.g. ${to}) and map it at run time.`;
    assert.deepEqual(messages('privileged-port', source), [says(80, 8080), says(443, 8443), says(22, 8022)]);
  });

  it('is silent for a non-root image whose program has cap_net_bind_service, and only then', () => {
    const text =
      'FROM debian:12-slim\nCOPY server /usr/local/bin/server\nRUN setcap cap_net_bind_service=+ep /usr/local/bin/server\nUSER 10001\nEXPOSE 80\nCMD ["server"]\n';
    assert.deepEqual(messages('privileged-port', text), []);
    assert.equal(messages('privileged-port', text.replace('USER 10001\n', '')).length, 1, 'as root the capability changes nothing');
    assert.equal(messages('privileged-port', text.replace('cap_net_bind_service', 'cap_net_raw')).length, 1);
  });
});
