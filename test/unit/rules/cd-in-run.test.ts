import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';

describe('cd-in-run', () => {
  ruleCases('cd-in-run', {
    valid: [
      { name: 'cd later in a script', code: `FROM debian:12\nRUN tar -xzf /tmp/x.tgz -C /tmp && cd /tmp/x && make\n` },
      { name: 'cd inside a block', code: `FROM debian:12\nRUN if [ -d /src ]; then cd /src; fi\n` },
    ],
    invalid: [
      {
        name: 'a RUN that starts with cd, ONBUILD too',
        code: `FROM node:22
RUN cd /app && npm ci
#   ^^ cd-in-run
ONBUILD RUN cd /app && npm ci
#           ^^ cd-in-run
`,
      },
    ],
  });

  it('names the directory', () => {
    assert.deepEqual(messages('cd-in-run', 'FROM node:22\nRUN cd /app && npm ci\n'), [
      'RUN starts with cd /app: WORKDIR /app would say where it runs (and where every later instruction and the container run).',
    ]);
  });
});
