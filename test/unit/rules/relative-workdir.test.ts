import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';

describe('relative-workdir', () => {
  ruleCases('relative-workdir', {
    valid: [
      {
        name: 'absolute paths, quoted or not, and Windows paths',
        code: `FROM debian:12
WORKDIR /usr/local
WORKDIR "/usr/local"
WORKDIR 'C:\\'
WORKDIR C:/
`,
      },
      {
        name: 'relative after an absolute WORKDIR of the stage or of a stage it is built on',
        code: `FROM scratch AS a
WORKDIR /app
WORKDIR sub
FROM a AS b
WORKDIR subdir/
`,
      },
      {
        name: 'a variable the tool cannot read',
        code: `FROM debian:12
WORKDIR \${work}
WORKDIR "\${dir}"
`,
      },
    ],
    invalid: [
      {
        name: 'relative before any absolute one, quoted or not; each stage on its own',
        code: `FROM debian:12
WORKDIR relative/dir
#       ^^^^^^^^^^^^ relative-workdir
WORKDIR "relative/dir"
#       ^^^^^^^^^^^^^^ relative-workdir
FROM debian:12
WORKDIR /abs
FROM scratch
WORKDIR app/
#       ^^^^ relative-workdir
`,
      },
    ],
  });

  it('says what it depends on', () => {
    assert.deepEqual(messages('relative-workdir', 'FROM scratch\nWORKDIR app/\n'), [
      'WORKDIR app/ is relative, and no absolute WORKDIR comes before it: where it lands depends on the base image. Write the absolute path.',
    ]);
  });
});
