import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { applyEdits } from '../../../server/src/engine/edits';
import { messages, ruleCases } from '../helpers';

const D = (c: string) => `sha256:${c.repeat(64)}`;
const OLD = D('a');
const NOW = D('b');
const checked = { currentDigests: { 'docker.io/library/alpine:3.20': NOW, 'docker.io/library/golang:1.22': NOW } };

describe('stale-digest', () => {
  ruleCases('stale-digest', {
    valid: [
      {
        name: 'silent without a registry check, however old the pin',
        code: `FROM alpine:3.20@${OLD}\n`,
      },
      {
        name: 'the digest the check found, in another case of hex digits',
        code: `FROM alpine:3.20@${NOW.toUpperCase().replace('SHA256', 'sha256')}\n`,
        options: checked,
      },
      {
        name: 'an image the check did not answer for',
        code: `FROM debian:12@${OLD}\n`,
        options: checked,
      },
    ],
    invalid: [
      {
        name: 'COPY --from an image and a second stage are checked too',
        code: `FROM golang:1.22@${OLD} AS build
#                ${'^'.repeat(71)} stale-digest
FROM alpine:3.20
COPY --from=alpine:3.20@${OLD} /etc/ssl/certs /etc/ssl/certs
#                       ${'^'.repeat(71)} stale-digest
`,
        options: checked,
      },
    ],
  });

  it('names both digests, shortened, and the image', () => {
    assert.deepEqual(messages('stale-digest', `FROM alpine:3.20@${OLD}\n`, checked), [
      `alpine:3.20 now points at ${NOW.slice(0, 19)}…, not the pinned ${OLD.slice(0, 19)}…: the tag has moved (a rebuild, an update or a new release). Review the change and update the digest.`,
    ]);
  });

  it('"Update digest" writes the digest the check found, and the result lints clean and stays put', async () => {
    const text = `FROM alpine:3.20@${OLD}\nRUN true\n`;
    const [finding] = lint(text, { ...checked, only: ['stale-digest'] }).findings;
    const fix = finding.fixes?.[0];
    assert.equal(fix?.title, 'Update digest');
    const after = applyEdits(text, await fix!.edits({}));
    assert.equal(after, `FROM alpine:3.20@${NOW}\nRUN true\n`);
    assert.deepEqual(lint(after, { ...checked, only: ['stale-digest'] }).findings, []);
  });
});
