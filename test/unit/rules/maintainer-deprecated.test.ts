import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { applyEdits } from '../../../server/src/engine/edits';
import { ruleCases } from '../helpers';

describe('maintainer-deprecated', () => {
  ruleCases('maintainer-deprecated', {
    valid: [
      {
        name: 'the label',
        code: `FROM busybox
LABEL org.opencontainers.image.authors="hudu@mail.com"
`,
      },
    ],
    invalid: [
      {
        name: 'anywhere, before FROM too',
        code: `MAINTAINER Lukas
^^^^^^^^^^ maintainer-deprecated
FROM debian:12
maintainer hudu@mail.com
^^^^^^^^^^ maintainer-deprecated
`,
      },
    ],
  });

  const fixOf = (text: string) => lint(text, { only: ['maintainer-deprecated'] }).findings[0]?.fixes ?? [];

  it('moves the text into the label, in the file keyword case, and re-lints clean', async () => {
    const text = 'from debian:12\nmaintainer Jane <jane@example.com>\n';
    const [fix] = fixOf(text);
    const after = applyEdits(text, await fix.edits({}));
    assert.equal(after, 'from debian:12\nlabel org.opencontainers.image.authors="Jane <jane@example.com>"\n');
    assert.deepEqual(lint(after, { only: ['maintainer-deprecated'] }).findings, []);
  });

  it('offers no fix where LABEL would read the text otherwise (quotes, variables, escapes)', () => {
    for (const who of ['"Jane"', '$AUTHOR', 'a\\\\b', '`x`']) assert.deepEqual(fixOf(`FROM debian:12\nMAINTAINER ${who}\n`), [], who);
  });
});
