import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { messages, ruleCases } from '../helpers';

describe('definition-description', () => {
  ruleCases('definition-description', {
    valid: [
      {
        name: 'descriptions, a blank line, an empty comment, tool comments',
        code: `# syntax=docker/dockerfile:1
ARG BASE=alpine:3.20
# VERSION is the release to build
ARG VERSION=1.0
# a note

ARG TARGETOS
# a note
#
ARG TARGETARCH
# hadolint ignore=DL3006
FROM \${BASE} AS base
# check=skip=SecretsUsedInArgOrEnv
ARG TOKEN
# B is the second
ARG A=1 B=2
# not about an unnamed stage
FROM base
`,
      },
    ],
    invalid: [
      {
        name: 'a comment right above that starts otherwise',
        code: `# the release to build
ARG VERSION=1.0
#   ^^^^^^^ definition-description
# the build stage
FROM alpine:3.20 AS build
#                   ^^^^^ definition-description
# several
ARG A=1 B=2
^^^ definition-description
`,
      },
    ],
  });

  it('is off by default', () => {
    assert.deepEqual(
      lint('# a note\nARG X\n').findings.filter((f) => f.rule === 'definition-description'),
      [],
    );
  });

  it('says how to write a description', () => {
    assert.deepEqual(messages('definition-description', '# a note\nARG X\n'), [
      'The comment above this ARG does not start with its name, so it is not its description: write `# X <description>`, or put a blank line between them.',
    ]);
  });
});
