import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { applyEdits } from '../../../server/src/engine/edits';
import { messages, ruleCases } from '../helpers';
import { digestOf, index, single } from '../../support/facts';

const INDEX = digestOf('1');
const AMD = digestOf('a');
const ARM = digestOf('b');
const node = index(INDEX, [
  { platform: 'linux/amd64', digest: AMD },
  { platform: 'linux/arm64/v8', digest: ARM },
]);
const facts = { imageFacts: { 'docker.io/library/node:22': node, 'ghcr.io/acme/app:1': node } };

describe('platform-digest-pinned', () => {
  ruleCases('platform-digest-pinned', {
    valid: [
      { name: 'silent without facts, whatever is pinned', code: `FROM node:22@${AMD}\n` },
      { name: 'the index digest', code: `FROM node:22@${INDEX}\n`, options: facts },
      { name: 'a stage that asks for that platform', code: `FROM --platform=linux/arm64 node:22@${ARM}\n`, options: facts },
      { name: 'a digest the index does not list (the tag moved: stale-digest)', code: `FROM node:22@${digestOf('c')}\n`, options: facts },
      {
        name: 'a single-platform image pinned by its own digest',
        code: `FROM node:22@${AMD}\n`,
        options: { imageFacts: { 'docker.io/library/node:22': single({}, { digest: AMD }) } },
      },
      { name: 'a digest without a tag: nothing to compare with', code: `FROM node@${AMD}\n`, options: facts },
      {
        name: 'an index of one platform',
        code: `FROM node:22@${AMD}\n`,
        options: { imageFacts: { 'docker.io/library/node:22': index(INDEX, [{ platform: 'linux/amd64', digest: AMD }]) } },
      },
    ],
    invalid: [
      {
        name: 'FROM, COPY --from and RUN --mount from',
        options: facts,
        code: `FROM node:22@${AMD} AS build
#            ${'^'.repeat(71)} platform-digest-pinned
FROM ghcr.io/acme/app:1@${ARM}
#                       ${'^'.repeat(71)} platform-digest-pinned
COPY --from=node:22@${ARM} /usr/local/bin/node /node
#                   ${'^'.repeat(71)} platform-digest-pinned
`,
      },
      {
        name: 'a platform asked for that is not the pinned one',
        options: facts,
        code: `FROM --platform=linux/arm64 node:22@${AMD}
#                                   ${'^'.repeat(71)} platform-digest-pinned
`,
      },
    ],
  });

  it('names the platform, the index, where the fact came from and who gets the wrong image', () => {
    assert.deepEqual(messages('platform-digest-pinned', `FROM node:22@${AMD}\n`, facts), [
      `${AMD.slice(0, 19)}… is the linux/amd64 manifest of node:22, not its multi-platform index ${INDEX.slice(0, 19)}… (Docker Hub, read 2026-12-01): builds on linux/arm64/v8 get the linux/amd64 image. Pin the index digest.`,
    ]);
  });

  it('the fix writes the index digest, keeps --platform, tag and AS, and lints clean', async () => {
    const text = `FROM --platform=$BUILDPLATFORM node:22@${ARM} AS web\nRUN true\n`;
    const [f] = lint(text, { ...facts, only: ['platform-digest-pinned'] }).findings;
    const fix = f.fixes![0];
    assert.equal(fix.kind, 'suggestion');
    assert.equal(fix.preferred, true);
    const after = applyEdits(text, await fix.edits({}));
    assert.equal(after, `FROM --platform=$BUILDPLATFORM node:22@${INDEX} AS web\nRUN true\n`);
    assert.deepEqual(lint(after, { ...facts, only: ['platform-digest-pinned'] }).findings, []);
  });

  it('a digest given by an ARG default is fixed in the ARG', async () => {
    const text = `ARG NODE=node:22@${AMD}\nFROM \${NODE}\n`;
    const [f] = lint(text, { ...facts, only: ['platform-digest-pinned'] }).findings;
    assert.equal(applyEdits(text, await f.fixes![0].edits({})), `ARG NODE=node:22@${INDEX}\nFROM \${NODE}\n`);
  });
});
