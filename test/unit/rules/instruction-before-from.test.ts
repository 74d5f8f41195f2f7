import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';

describe('instruction-before-from', () => {
  ruleCases('instruction-before-from', {
    valid: [
      { name: 'ARG and comments before FROM', code: `# a comment\nARG BASE=debian:12\nARG TAG\nFROM $BASE\nRUN true\n` },
      { name: 'a fragment without FROM is not judged', code: `RUN apt-get update\nCOPY . /src\n` },
    ],
    invalid: [
      {
        name: 'every instruction before the first FROM but the ARGs',
        code: `ARG X=1
ENV A=b
^^^ instruction-before-from
run echo hi
^^^ instruction-before-from
FROM alpine:3.20
LABEL a=b
`,
      },
    ],
  });

  it('says the build stops there', () => {
    assert.deepEqual(messages('instruction-before-from', 'EXPOSE 80\nFROM nginx:1.27\n'), [
      'EXPOSE before the first FROM: only ARG may come before it, and the build stops here. Move it into a stage.',
    ]);
  });
});
