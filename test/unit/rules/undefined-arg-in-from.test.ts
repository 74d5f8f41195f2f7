import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { messages, ruleCases } from '../helpers';

describe('undefined-arg-in-from', () => {
  ruleCases('undefined-arg-in-from', {
    valid: [
      {
        name: 'global ARGs, predefined platform arguments, and defaults in the expansion',
        code: `ARG base=scratch
ARG DEBUG
FROM $base
FROM --platform=$BUILDPLATFORM scratch\${DEBUG}
FROM scra\${NOPE:-tch}
`,
      },
    ],
    invalid: [
      {
        name: 'a typo, an ARG of a stage, one of several',
        code: `ARG tag=latest
FROM --platform=$BULIDPLATFORM scratch
#               ^^^^^^^^^^^^^^ undefined-arg-in-from
ARG version
FROM busybox:\${tag}\${version} AS b
#                  ^^^^^^^^^^ undefined-arg-in-from
`,
      },
    ],
  });

  it('stands for both BuildKit checks where the missing argument leaves no valid reference', () => {
    const [f] = lint('FROM alpine:$NOPE\n', { only: ['undefined-arg-in-from'] }).findings;
    assert.deepEqual(f.peerCodes?.buildkit, ['UndefinedArgInFrom', 'InvalidDefaultArgInFrom']);
    assert.match(f.message, /Without it the image is "alpine:", not a valid reference\.$/);
    // A declared ARG without a default is from-arg-without-default's (off by default).
    assert.deepEqual(lint('ARG T\nFROM alpine:$T\n', { only: ['undefined-arg-in-from'] }).findings, []);
  });

  it('says where to declare it', () => {
    assert.deepEqual(messages('undefined-arg-in-from', 'FROM busybox:$TAG\n'), [
      'TAG is not a build argument FROM can see: declare ARG TAG before the first FROM (FROM lines see only those, and the platform ones the builder predefines). Without it the image is "busybox:", not a valid reference.',
    ]);
  });
});
