import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';

describe('shell-symlink', () => {
  ruleCases('shell-symlink', {
    valid: [
      {
        name: 'other links, a hard link, /bin/sh as an argument elsewhere',
        code: `FROM debian:12
RUN ln -sf /bin/true /sbin/initctl && ln -s foo bar && something_with /bin/sh && ln /bin/bash /bin/sh2
`,
      },
      {
        name: 'an image without /bin/sh gets one (distroless :debug with BusyBox), or one the tool does not know',
        code: `FROM gcr.io/distroless/static:debug
SHELL ["/busybox/sh", "-c"]
RUN ln -s /busybox/sh /bin/sh
FROM registry.example.com/base:1
RUN ln -sf /bin/bash /bin/sh
`,
      },
    ],
    invalid: [
      {
        name: 'any spelling of a symbolic link onto /bin/sh, in ONBUILD too',
        code: `FROM debian:12
RUN ln -sf /bin/bash /bin/sh
#   ^^^^^^^^^^^^^^^^^^^^^^^^ shell-symlink
ONBUILD RUN ln --symbolic --force /bin/bash /bin/sh
#           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ shell-symlink
`,
      },
    ],
  });

  it('points to SHELL', () => {
    assert.deepEqual(messages('shell-symlink', 'FROM debian:12\nRUN ln -s /bin/bash /bin/sh\n'), [
      'ln replaces /bin/sh for every program in the image: to run RUN steps with another shell, use SHELL.',
    ]);
  });
});
