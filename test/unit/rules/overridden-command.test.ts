import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';

describe('overridden-command', () => {
  ruleCases('overridden-command', {
    valid: [
      {
        name: 'one of each per stage',
        code: `FROM alpine:3.20
ENTRYPOINT ["/tini", "--"]
CMD ["/app"]
HEALTHCHECK CMD ["/app", "-healthcheck"]
`,
      },
      {
        name: 'each stage has its own (a stage built on another starts over)',
        code: `FROM debian:12 AS a
CMD ["bash"]
FROM a AS b
CMD ["/app"]
FROM debian:12
CMD ["other"]
`,
      },
    ],
    invalid: [
      {
        name: 'each earlier CMD, ENTRYPOINT and HEALTHCHECK, kinds apart',
        code: `FROM scratch
ENTRYPOINT ["/a"]
^^^^^^^^^^^^^^^^^ overridden-command
ENTRYPOINT ["/b"]
CMD ["x"]
^^^^^^^^^ overridden-command
CMD ["y"]
^^^^^^^^^ overridden-command
HEALTHCHECK CMD ["/a"]
^^^^^^^^^^^^^^^^^^^^^^ overridden-command
CMD ["z"]
HEALTHCHECK NONE
`,
      },
      {
        name: 'across lines, in shell form, in lower case',
        code: `FROM debian:12
cmd bash
^^^^^^^^ overridden-command
RUN apt-get update
cmd another
`,
      },
    ],
  });

  it('names the instruction that replaces it', () => {
    assert.deepEqual(messages('overridden-command', 'FROM debian:12\nCMD bash\nRUN foo\nCMD another\n'), [
      'This CMD has no effect: the CMD on line 4 replaces it (only the last one of a stage counts).',
    ]);
  });
});
