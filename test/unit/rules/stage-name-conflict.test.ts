import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';

describe('stage-name-conflict', () => {
  ruleCases('stage-name-conflict', {
    valid: [
      {
        name: 'distinct names, and unnamed stages',
        code: `FROM golang:1.22 AS build
FROM alpine:3.20
FROM alpine:3.20 AS run
`,
      },
    ],
    invalid: [
      {
        name: 'a name used again (every time), whatever its case',
        code: `FROM node:22 AS foo
FROM scratch AS foo
#               ^^^ stage-name-conflict
FROM scratch AS FOO
#               ^^^ stage-name-conflict
`,
      },
      {
        name: 'the reserved names scratch and context',
        code: `FROM scratch AS scratch
#               ^^^^^^^ stage-name-conflict
FROM scratch AS context
#               ^^^^^^^ stage-name-conflict
`,
      },
    ],
  });

  it('points at the first stage of that name', () => {
    assert.deepEqual(messages('stage-name-conflict', 'FROM node:22 AS foo\nRUN x\nFROM scratch AS Foo\n'), [
      'The stage on line 1 is already named "foo" (names are compared without case): references to it are ambiguous. Rename one of them.',
    ]);
  });
});
