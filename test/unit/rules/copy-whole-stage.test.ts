import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';

describe('copy-whole-stage', () => {
  ruleCases('copy-whole-stage', {
    valid: [
      { name: 'a directory of the stage', code: `FROM golang:1.22 AS build\nFROM alpine:3.20\nCOPY --from=build /out /\n` },
      { name: 'the root into a directory', code: `FROM golang:1.22 AS build\nFROM alpine:3.20\nCOPY --from=build / /snapshot\n` },
      {
        name: 'a stage assembled on scratch',
        code: `FROM alpine:3.20 AS b\nFROM scratch AS rootfs\nCOPY --from=b /etc/passwd /etc/\nFROM alpine:3.20\nCOPY --from=rootfs / /\n`,
      },
      {
        name: 'a helper image made to be copied whole',
        code: `FROM tonistiigi/xx:1.4 AS xx\nFROM golang:1.22\nCOPY --from=xx / /\nCOPY --from=busybox:1.36 / /\n`,
      },
      { name: 'the build context', code: `FROM alpine:3.20\nCOPY / /\n` },
    ],
    invalid: [
      {
        name: 'a toolchain stage, quoted',
        code: `FROM maven:3.9 AS full
FROM scratch
COPY --from=full "/" "/"
#                ^^^ copy-whole-stage
`,
      },
    ],
  });

  it('names the stage and its toolchain', () => {
    assert.match(
      messages('copy-whole-stage', 'FROM golang:1.22 AS b\nFROM scratch\nCOPY --from=b / /\n')[0],
      /stage b \(built on golang: the Go toolchain\)/,
    );
  });
});
