import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';
import { parsePlatform } from '../../../server/src/rules/from-platform-constant';

describe('from-platform-constant', () => {
  ruleCases('from-platform-constant', {
    valid: [
      {
        name: 'variables, however written, and no flag',
        code: `ARG PLATFORM=linux/amd64
FROM --platform=$BUILDPLATFORM golang:1.22 AS build
FROM --platform="\${TARGETPLATFORM:-linux/amd64}" alpine:3.20
FROM --platform=linux/\${TARGETARCH} alpine:3.20
FROM --platform=$PLATFORM alpine:3.20
FROM alpine:3.20
`,
      },
      {
        name: 'a stage named after its platform, an image made for it',
        code: `FROM --platform=linux/amd64 debian:12 AS base-amd64
FROM --platform=linux/arm64 debian:12 AS build_aarch64
FROM --platform=windows/amd64 mcr.microsoft.com/windows/nanoserver:ltsc2022 AS windows
FROM --platform=linux/arm/v7 example.com/tools:1.0-arm32v7 AS tools
FROM base-\${TARGETARCH}
`,
      },
      {
        name: 'a value the builder would refuse (another error, not this one)',
        code: `FROM --platform=not/a/real/platform alpine:3.20
FROM --platform=plan10 alpine:3.20
`,
      },
    ],
    invalid: [
      {
        name: 'an OS, an OS and architecture, quoted, with a variant',
        code: `FROM --platform=linux debian:12
#    ^^^^^^^^^^^^^^^^ from-platform-constant
FROM --platform="linux/amd64" debian:12 AS build
#    ^^^^^^^^^^^^^^^^^^^^^^^^ from-platform-constant
from --PLATFORM=linux/arm/v7 debian:12 AS runtime
#    ^^^^^^^^^^^^^^^^^^^^^^^ from-platform-constant
`,
      },
    ],
  });

  it('reads platforms as the builder does', () => {
    assert.deepEqual(parsePlatform('linux/x86_64'), { os: 'linux', arch: 'amd64' });
    assert.deepEqual(parsePlatform('aarch64'), { arch: 'arm64' });
    assert.deepEqual(parsePlatform('windows'), { os: 'windows' });
    assert.equal(parsePlatform('linux amd64'), undefined);
  });

  it('says what the flag does and what to do instead', () => {
    assert.deepEqual(messages('from-platform-constant', 'FROM --platform=linux/amd64 node:22\n'), [
      '--platform=linux/amd64 builds this stage for linux/amd64 whatever platform the build targets: another target gets it under emulation or for the wrong platform. Leave --platform out, use $BUILDPLATFORM for a stage of build tools, or name the stage after its platform.',
    ]);
  });
});
