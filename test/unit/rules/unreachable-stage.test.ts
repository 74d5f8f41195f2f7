import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';

describe('unreachable-stage', () => {
  ruleCases('unreachable-stage', {
    valid: [
      { name: 'a named stage may be a --target', code: `FROM golang:1.22 AS test\nRUN go test ./...\nFROM scratch\n` },
      {
        name: 'used by index, or through a mount',
        code: `FROM alpine:3.20\nFROM alpine:3.20\nFROM debian:12\nCOPY --from=0 /etc/os-release /a\nRUN --mount=from=1,target=/m true\n`,
      },
      { name: 'the last stage, and a single stage', code: `FROM alpine:3.20\nRUN true\n` },
      { name: 'the stage that ships (targetStage)', code: `FROM alpine:3.20\nFROM debian:12\n`, options: { targetStage: '0' } },
    ],
    invalid: [
      {
        name: 'an unnamed stage nothing uses, whatever its base',
        code: `ARG BASE=debian:12
FROM $BASE
#    ^^^^^ unreachable-stage
RUN apt-get update
FROM alpine:3.20
`,
      },
    ],
  });

  it('says why no build reaches it', () => {
    assert.deepEqual(messages('unreachable-stage', 'FROM alpine:3.20\nFROM alpine:3.20\n'), [
      'Stage 0 has no name and no other stage uses it: no build reaches it (it is not the last stage, and --target needs a name). Remove it, or name it if it is built with --target.',
    ]);
  });
});
