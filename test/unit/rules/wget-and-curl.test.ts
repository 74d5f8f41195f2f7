import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';

const RULE = 'wget-and-curl';

describe(RULE, () => {
  ruleCases(RULE, {
    valid: [
      {
        name: 'one tool per stage (stages not built on each other); installing both is no use of them',
        code: `FROM alpine:3.20 AS fetch
RUN apk add --no-cache curl wget && wget -q https://example.com/a
FROM alpine:3.20
RUN curl -fsSLO https://example.com/b
`,
      },
    ],
    invalid: [
      {
        name: 'the second tool, in the same RUN and in a stage built on the first one, once per RUN',
        code: `FROM debian:12 AS base
RUN wget -q https://example.com/a && curl -fsSLO https://example.com/b && curl -fsSLO https://example.com/c
#                                    ^^^^ wget-and-curl
FROM base
RUN env LANG=C curl -fsSLO https://example.com/d
#              ^^^^ wget-and-curl
`,
      },
    ],
  });

  it('says where the other tool is used', () => {
    assert.deepEqual(messages(RULE, 'FROM debian:12\nRUN curl -O https://x/a\nRUN wget https://x/b\n'), [
      'wget here, and curl on line 2: use one download tool, so that the image needs only one.',
    ]);
  });
});
