import { ruleCases } from '../helpers';

describe('inline-ignore', () => {
  ruleCases('inline-ignore', {
    valid: [
      {
        name: 'global ignores and other comments',
        code: `# dockerfile-hardener global ignore=latest-tag\n# hadolint shell=bash\nFROM alpine\n`,
      },
      { name: 'a heredoc line is not a comment', code: `FROM alpine:3.20\nRUN <<EOF\n# hadolint ignore=DL3018\nEOF\n` },
    ],
    invalid: [
      {
        name: 'either tool’s, indented too',
        code: `FROM alpine:3.20
  # dockerfile-hardener ignore=apk-cache
# ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ inline-ignore
RUN apk add curl
`,
      },
    ],
  });
});
