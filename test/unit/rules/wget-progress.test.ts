import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { applyFix, fixTitles, ruleCases } from '../helpers';

const RULE = 'wget-progress';
const on = { rules: { [RULE]: 'info' as const } };

describe(RULE, () => {
  ruleCases(RULE, {
    valid: [
      {
        name: 'progress, quiet, no-verbose or a log file, alone or in a cluster of short options',
        code: `FROM debian:12
RUN wget --progress=bar:force https://example.com/a
RUN wget -qO- https://example.com/a | tar -xz
RUN wget -nv https://example.com/a
RUN wget -cq https://example.com/a
RUN wget -o /tmp/log https://example.com/a
RUN wget --append-output /tmp/log https://example.com/a
RUN wget --quiet https://example.com/a
`,
      },
    ],
    invalid: [
      {
        name: 'anything else (-O with its value, -nc) and ONBUILD RUN',
        code: `FROM debian:12
RUN wget -O /tmp/a https://example.com/a
#   ^^^^ wget-progress
RUN wget -Oq https://example.com/a && wget -nc https://example.com/b
#   ^^^^ wget-progress
#                                     ^^^^ wget-progress
ONBUILD RUN wget https://example.com/c
#           ^^^^ wget-progress
`,
      },
    ],
  });

  it('adds --progress=dot:giga where wget is GNU wget (Debian, Ubuntu), and re-lints clean', async () => {
    const text = 'FROM ubuntu:24.04\nRUN ["sh", "-c", "wget -O /a https://example.com/a"]\n';
    const after = await applyFix(RULE, text, 'Add --progress=dot:giga', on);
    assert.equal(after, 'FROM ubuntu:24.04\nRUN ["sh", "-c", "wget --progress=dot:giga -O /a https://example.com/a"]\n');
    assert.deepEqual(lint(after, { only: [RULE], ...on }).findings, []);
  });

  it('offers no fix where wget may be BusyBox wget or wget2, nor in exec form', () => {
    // BusyBox wget (Alpine's) is not reported at all: it prints a status line a second.
    assert.deepEqual(lint('FROM alpine:3.20\nRUN wget https://example.com/a\n', { only: [RULE], ...on }).findings, []);
    for (const base of ['fedora:41', 'example.com/unknown:1'])
      assert.deepEqual(fixTitles(RULE, `FROM ${base}\nRUN wget https://example.com/a\n`, on), [], base);
    assert.deepEqual(fixTitles(RULE, 'FROM debian:12\nRUN ["wget", "https://example.com/a"]\n', on), []);
  });
});
