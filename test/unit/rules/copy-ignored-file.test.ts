import * as assert from 'node:assert/strict';
import { memoryContext, messages, ruleCases } from '../helpers';

const withIgnore = (text: string, files: Record<string, string> = {}) => ({
  buildContext: memoryContext({ '.dockerignore': text, ...files }),
});

describe('copy-ignored-file', () => {
  ruleCases('copy-ignored-file', {
    valid: [
      {
        name: 'no build context: nothing is known',
        code: `FROM alpine:3.20
COPY README.md /app/
`,
      },
      {
        name: 'no .dockerignore in the context',
        code: `FROM alpine:3.20
COPY README.md /app/
`,
        options: { buildContext: memoryContext({ 'README.md': '# hi' }) },
      },
      {
        name: 'paths it does not exclude, --from copies, URLs, heredocs, unresolved variables',
        code: `FROM alpine:3.20 AS docs
COPY docs/ /docs/
FROM alpine:3.20
ARG WHICH
COPY --from=docs /docs/notes.md /app/
ADD https://example.com/notes.md /app/
COPY <<END /app/x.md
hello
END
COPY $WHICH /app/
COPY src/ /app/src/
`,
        options: withIgnore('*.md\n'),
      },
      {
        name: 'an exception keeps the file, or may keep something in the directory',
        code: `FROM alpine:3.20
COPY README.md /app/
COPY docs /app/docs
`,
        options: withIgnore('*.md\n!README.md\ndocs\n!docs/index.md\n'),
      },
      {
        name: 'the root copied: patterns that leave some of it',
        code: `FROM alpine:3.20
COPY . /app/
`,
        options: withIgnore('.*\n*.md\n'),
      },
      {
        name: 'the root with an exception after everything',
        code: `FROM alpine:3.20
COPY . /app/
`,
        options: withIgnore('*\n!src\n'),
      },
    ],
    invalid: [
      {
        name: 'files and directories, as written (./, a leading /), a variable resolved',
        code: `FROM alpine:3.20
ARG CONF=config/local.json
COPY ./.env /app/
#    ^^^^^^ copy-ignored-file
ADD /node_modules/x /app/
#   ^^^^^^^^^^^^^^^ copy-ignored-file
COPY $CONF package.json /app/
#    ^^^^^ copy-ignored-file
`,
        options: withIgnore('.env\nnode_modules\nconfig/*.json\n'),
      },
      {
        name: 'in every stage, whatever ships',
        code: `FROM golang:1.22 AS build
COPY secrets/token /tmp/
#    ^^^^^^^^^^^^^ copy-ignored-file
FROM alpine:3.20
COPY . .
#    ^ copy-ignored-file
`,
        options: withIgnore('**\n'),
      },
      {
        name: 'an excluded directory where no exception reaches',
        code: `FROM alpine:3.20
COPY build/ /app/
#    ^^^^^^ copy-ignored-file
`,
        options: withIgnore('build\n!docs/keep.md\n'),
      },
    ],
  });

  it('names the source, the ignore file and the pattern', () => {
    assert.deepEqual(messages('copy-ignored-file', 'FROM alpine:3.20\nADD notes.md /\n', withIgnore('# docs\n*.md\n')), [
      'ADD source "notes.md" is excluded from the build context by .dockerignore (pattern "*.md"): the builder does not send it, so ADD cannot take it.',
    ]);
  });

  it("reads the Dockerfile's own ignore file (which wins) where the context gives one", () => {
    const context = {
      ...memoryContext({ '.dockerignore': '*.md\n' }),
      ignoreFile: () => ({ name: 'web.Dockerfile.dockerignore', text: 'dist\n' }),
    };
    const text = 'FROM alpine:3.20\nCOPY README.md dist /app/\n';
    assert.deepEqual(
      messages('copy-ignored-file', text, { buildContext: context }).map((m) => m.slice(0, 60)),
      ['COPY source "dist" is excluded from the build context by web'],
    );
    assert.deepEqual(messages('copy-ignored-file', text, { buildContext: { ...context, ignoreFile: () => null } }), []);
  });

  it('is silent when the builder would refuse the ignore file', () => {
    assert.deepEqual(messages('copy-ignored-file', 'FROM alpine:3.20\nCOPY a.md /\n', withIgnore('*.md\n[oops\n')), []);
  });
});
