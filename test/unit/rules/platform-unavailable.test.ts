import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';
import { digestOf, index, single } from '../../support/facts';

const debian = index(digestOf('d'), [
  { platform: 'linux/amd64', digest: digestOf('a') },
  { platform: 'linux/arm64/v8', digest: digestOf('b') },
  { platform: 'linux/arm/v7', digest: digestOf('c') },
]);
const facts = { imageFacts: { 'docker.io/library/debian:12': debian, 'ghcr.io/acme/tool:1': single({}, { platform: 'linux/amd64' }) } };

describe('platform-unavailable', () => {
  ruleCases('platform-unavailable', {
    valid: [
      { name: 'silent without facts', code: 'FROM --platform=linux/s390x debian:12\n' },
      {
        name: 'arm64 is arm64/v8; arm takes a variant',
        code: 'FROM --platform=linux/arm64 debian:12\nFROM --platform=linux/arm debian:12\nFROM --platform=linux/amd64/v1 debian:12\n',
        options: facts,
      },
      {
        name: 'a platform from a build argument',
        code: 'FROM --platform=$TARGETPLATFORM debian:12\nFROM --platform=${BUILDPLATFORM} debian:12\n',
        options: facts,
      },
      { name: 'no --platform', code: 'FROM debian:12\n', options: facts },
      {
        name: 'a higher variant runs a lower one',
        code: 'FROM --platform=linux/amd64/v3 debian:12\nFROM --platform=linux/arm/v8 debian:12\n',
        options: facts,
      },
    ],
    invalid: [
      {
        name: 'an index without it, and a single-platform image',
        options: facts,
        code: `FROM --platform=linux/riscv64 debian:12
#    ^^^^^^^^^^^^^^^^^^^^^^^^ platform-unavailable
FROM --platform=linux/arm64 ghcr.io/acme/tool:1
#    ^^^^^^^^^^^^^^^^^^^^^^ platform-unavailable
FROM --platform=linux/arm/v6 debian:12
#    ^^^^^^^^^^^^^^^^^^^^^^^ platform-unavailable
`,
      },
    ],
  });

  it('names what the image provides and where that came from', () => {
    assert.deepEqual(messages('platform-unavailable', 'FROM --platform=linux/s390x debian:12\n', facts), [
      'debian:12 has no linux/s390x manifest: it provides linux/amd64, linux/arm64/v8, linux/arm/v7 (Docker Hub, read 2026-12-01). The build fails at this FROM on that platform.',
    ]);
  });

  it('a FROM without --platform (or with $TARGETPLATFORM) against the platforms the build targets, where known', () => {
    const text = 'FROM debian:12\nFROM --platform=$TARGETPLATFORM debian:12\nFROM --platform=$BUILDPLATFORM debian:12\n';
    assert.deepEqual(messages('platform-unavailable', text, facts), []);
    assert.deepEqual(messages('platform-unavailable', text, { ...facts, targetPlatforms: ['linux/amd64', 'linux/arm64'] }), []);
    assert.deepEqual(messages('platform-unavailable', text, { ...facts, targetPlatforms: ['linux/amd64', 'linux/s390x'] }), [
      'debian:12 has no linux/s390x manifest (a platform the build targets): it provides linux/amd64, linux/arm64/v8, linux/arm/v7 (Docker Hub, read 2026-12-01). The build fails at this FROM on that platform.',
      'debian:12 has no linux/s390x manifest (a platform the build targets): it provides linux/amd64, linux/arm64/v8, linux/arm/v7 (Docker Hub, read 2026-12-01). The build fails at this FROM on that platform.',
    ]);
  });
});
