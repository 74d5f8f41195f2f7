import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';

describe('copy-from-stage-order', () => {
  ruleCases('copy-from-stage-order', {
    valid: [
      {
        name: 'earlier stages by name or index, and images',
        code: `FROM scratch AS build
RUN foo
FROM node:22
COPY --from=build foo .
COPY --from=0 foo .
COPY --from=haskell:latest bar .
COPY --from=nginx /etc/nginx /etc/nginx
`,
      },
    ],
    invalid: [
      {
        name: 'its own stage, by name or index',
        code: `FROM node:22 AS foo
COPY --from=foo bar .
#           ^^^ copy-from-stage-order
FROM node:22
COPY --from=1 bar .
#           ^ copy-from-stage-order
`,
      },
      {
        name: 'a stage further down, by name (any case) or index',
        code: `FROM scratch
COPY --from=Build foo .
#           ^^^^^ copy-from-stage-order
COPY --from=1 foo .
#           ^ copy-from-stage-order
FROM node:22 AS build
`,
      },
    ],
  });

  it('says what the builder does with a later stage name', () => {
    assert.deepEqual(messages('copy-from-stage-order', 'FROM scratch\nCOPY --from=build foo .\nFROM node:22 AS build\n'), [
      '--from=build: the stage of that name starts on line 3, after this one, so the builder pulls an image named "build" instead. Define the stage first.',
    ]);
  });
});
