/**
 * The names package.json associates with the `dockerfile` language (Containerfile, *.Dockerfile,
 * *.dockerfile, Dockerfile.*, Containerfile.*) open as Dockerfiles in VS Code and get diagnostics.
 */
import * as assert from 'node:assert/strict';
import { expectPicture, open, ours, waitFor } from './support';

const CASES: { file: string; picture: string[] }[] = [
  {
    file: 'names/Containerfile',
    picture: [
      'FROM debian:bookworm-slim',
      '#    ^^^^^^^^^^^^^^^^^^^^ unpinned-digest (info)',
      'USER root',
      '#    ^^^^ root-user (warning)',
      '',
    ],
  },
  {
    file: 'names/api.Dockerfile',
    picture: [
      'FROM node:22',
      '#    ^^^^^^^ unpinned-digest (info)',
      'USER node',
      'ENTRYPOINT node server.js',
      '#          ^^^^^^^^^^^^^^ shell-form-cmd (info)',
      '',
    ],
  },
  {
    file: 'names/worker.dockerfile',
    picture: [
      'FROM golang:1.26',
      '#    ^^^^^^^^^^^ toolchain-final-stage (warning)',
      '#    ^^^^^^^^^^^ unpinned-digest (info)',
      'RUN go build -o /app .',
      '#   ^^^^^^^^ go-build-unstripped (info)',
      'USER 10001',
      '',
    ],
  },
  {
    file: 'names/Dockerfile.dev',
    picture: ['FROM python', '#    ^^^^^^ unpinned-digest (info)', 'USER 10001', ''],
  },
  {
    file: 'names/Containerfile.release',
    picture: ['FROM ubuntu:24.04', '#    ^^^^^^^^^^^^ unpinned-digest (info)', 'USER 10001:10001', ''],
  },
];

describe('file names that are Dockerfiles', () => {
  for (const c of CASES) {
    it(`${c.file.split('/').pop()} opens as dockerfile and is linted`, async () => {
      const doc = await open(c.file);
      assert.equal(doc.languageId, 'dockerfile');
      await expectPicture(doc, c.picture);
    });
  }

  it('a text file with Dockerfile content is not linted', async () => {
    const text = await open('names/notes.txt');
    assert.equal(text.languageId, 'plaintext');
    // The client only hands `dockerfile` documents to the server: once a Dockerfile opened after
    // the text file has its diagnostics, the text file has had every chance to get some.
    const doc = await open('names/Containerfile');
    await waitFor('the Containerfile diagnostics', () => (ours(doc.uri).length > 0 ? true : undefined));
    assert.deepEqual(ours(text.uri), []);
  });
});
