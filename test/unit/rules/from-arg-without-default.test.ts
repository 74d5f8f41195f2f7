import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { messages, ruleCases } from '../helpers';

describe('from-arg-without-default', () => {
  ruleCases('from-arg-without-default', {
    valid: [
      {
        name: 'a default, an empty ARG where empty is fine, a default in the expansion, a predefined argument',
        code: `ARG TAG=1.36
ARG VARIANT
ARG MAYBE
FROM busybox:\${TAG}\${VARIANT}
FROM alpine:\${MAYBE:-3.20}
FROM example.com/tools:\${TARGETARCH}
`,
      },
      { name: 'an argument no ARG declares is undefined-arg-in-from’s', code: `FROM alpine:$NOPE\n` },
    ],
    invalid: [
      {
        name: 'an ARG without default, a default that is no reference',
        code: `ARG TAG
ARG SFX="box:"
ARG IMAGE
FROM busybox:$TAG
#    ^^^^^^^^^^^^ from-arg-without-default
FROM busy\${SFX}
#    ^^^^^^^^^^ from-arg-without-default
FROM $IMAGE AS b
#    ^^^^^^ from-arg-without-default
`,
      },
    ],
  });

  it('says what the image is without --build-arg', () => {
    assert.deepEqual(messages('from-arg-without-default', 'ARG IMAGE\nFROM $IMAGE\n'), [
      'With the ARG defaults the image is empty: the build works only with --build-arg IMAGE=…. Give ARG IMAGE a default that makes a valid reference.',
    ]);
  });

  it('is off by default', () => {
    assert.deepEqual(
      lint('ARG IMAGE\nFROM $IMAGE\n').findings.filter((f) => f.rule === 'from-arg-without-default'),
      [],
    );
  });
});
