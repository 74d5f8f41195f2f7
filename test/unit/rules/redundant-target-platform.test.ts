import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { applyEdits } from '../../../server/src/engine/edits';
import { ruleCases } from '../helpers';

describe('redundant-target-platform', () => {
  ruleCases('redundant-target-platform', {
    valid: [
      {
        name: 'the build platform, a constant, none',
        code: `FROM --platform=$BUILDPLATFORM golang:1.22 AS build
FROM --platform=linux/amd64 alpine:3.20
FROM alpine:3.20
`,
      },
    ],
    invalid: [
      {
        name: 'both spellings, in lower case too',
        code: `FROM --platform=$TARGETPLATFORM scratch
#    ^^^^^^^^^^^^^^^^^^^^^^^^^^ redundant-target-platform
from --platform=\${TARGETPLATFORM} scratch AS b
#    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ redundant-target-platform
`,
      },
    ],
  });

  it('removes the flag and the blank after it; the result re-lints clean', async () => {
    const text = 'FROM --platform=$TARGETPLATFORM   alpine:3.20 AS app\n';
    const [f] = lint(text, { only: ['redundant-target-platform'] }).findings;
    const after = applyEdits(text, await f.fixes![0].edits({}));
    assert.equal(after, 'FROM alpine:3.20 AS app\n');
    assert.deepEqual(lint(after, { only: ['redundant-target-platform'] }).findings, []);
  });
});
