import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';
import { index, single, digestOf, config } from '../../support/facts';

const today = '2026-12-07';
const old = single({ created: '2025-01-10T08:00:00Z' });
const fresh = single({ created: '2026-11-30T08:00:00Z' });
const facts = {
  today,
  imageFacts: {
    'docker.io/library/python:3.11.4': old,
    'docker.io/library/python:3.13': fresh,
    [`docker.io/library/python@${digestOf('9')}`]: old,
    'docker.io/library/busybox:1.36': single({ created: '1970-01-01T00:00:00Z' }),
    'docker.io/library/alpine:3.23': single({}),
    'docker.io/library/multi:1': index(digestOf('1'), [
      { platform: 'linux/amd64', digest: digestOf('a'), config: config({ created: '2026-11-01T00:00:00Z' }) },
      { platform: 'linux/arm64', digest: digestOf('b'), config: config({ created: '2024-01-01T00:00:00Z' }) },
    ]),
  },
};

describe('stale-base', () => {
  ruleCases('stale-base', {
    valid: [
      { name: 'silent without facts', code: 'FROM python:3.11.4\n', options: { today } },
      { name: 'a fresh base', code: 'FROM python:3.13\n', options: facts },
      { name: 'a 1970 date (SOURCE_DATE_EPOCH=0) and no date at all', code: 'FROM busybox:1.36\n', options: facts },
      { name: 'no created date', code: 'FROM alpine:3.23\n', options: facts },
      { name: 'an old builder stage: only what ships counts', code: 'FROM python:3.11.4 AS build\nFROM python:3.13\n', options: facts },
      { name: 'a higher limit', code: 'FROM python:3.11.4\n', options: { ...facts, staleBaseDays: 800 } },
      { name: 'the platform asked for is fresh', code: 'FROM --platform=linux/amd64 multi:1\n', options: facts },
    ],
    invalid: [
      {
        name: 'through a stage it inherits from, and by digest',
        options: facts,
        code: `FROM python:3.11.4 AS base
#    ^^^^^^^^^^^^^ stale-base
FROM base
`,
      },
      {
        name: 'pinned by digest',
        options: facts,
        code: `FROM python@${digestOf('9')}
#    ${'^'.repeat(78)} stale-base
`,
      },
      {
        name: 'the platform asked for is old',
        options: facts,
        code: `FROM --platform=linux/arm64 multi:1
#                           ^^^^^^^ stale-base
`,
      },
    ],
  });

  it('gives the age, the date, where it came from and the limit', () => {
    assert.deepEqual(messages('stale-base', 'FROM python:3.11.4\n', facts), [
      'python:3.11.4 was created 695 days ago (2025-01-10, by its config on Docker Hub, read 2026-12-01), more than the 180 allowed: it may lack the security fixes its distribution published since. Move to a maintained tag or update the pin.',
    ]);
  });
});
