import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { applyFix, fixTitles, messages, ruleCases } from '../helpers';

const fixed = async (text: string) => {
  const after = await applyFix('legacy-key-value', text);
  assert.deepEqual(lint(after, { only: ['legacy-key-value'] }).findings, [], after);
  return after;
};

describe('legacy-key-value', () => {
  ruleCases('legacy-key-value', {
    valid: [
      {
        name: 'key=value, several at once',
        code: `FROM alpine:3.20\nENV A=1 B="two words"\nLABEL version=1.0 "com.example.vendor"="ACME"\n`,
      },
      { name: 'a quoted key with blanks', code: `FROM alpine:3.20\nLABEL "com.example.my label"=yes\n` },
      { name: 'ARG has no legacy form', code: `FROM alpine:3.20\nARG VERSION\nARG A=1 B=2\n` },
      { name: 'a key alone is not the legacy form (the builder rejects it)', code: `FROM alpine:3.20\nENV LONELY\n` },
    ],
    invalid: [
      {
        name: 'ENV and LABEL, in any case',
        code: `FROM alpine:3.20
ENV ONE TWO= THREE=world
^^^^^^^^^^^^^^^^^^^^^^^^ legacy-key-value
label maintainer Jane Doe
^^^^^^^^^^^^^^^^^^^^^^^^^ legacy-key-value
`,
      },
    ],
  });

  it('says that the rest of the line is one value', () => {
    assert.deepEqual(messages('legacy-key-value', 'FROM a\nENV PATH /x:$PATH\n'), [
      'ENV PATH <value> is the legacy form: everything after the key is one value. Write ENV PATH=<value>.',
    ]);
  });

  it('rewrites to key=value, quoting values with blanks, keeping variables', async () => {
    assert.equal(await fixed('FROM a\nENV PATH /x:$PATH\n'), 'FROM a\nENV PATH=/x:$PATH\n');
    assert.equal(await fixed('FROM a\nenv   OPTS  -Xmx1g  -Dx=y   \n'), 'FROM a\nenv   OPTS="-Xmx1g  -Dx=y"   \n');
    assert.equal(await fixed('FROM a\nENV ONE TWO= THREE=world\n'), 'FROM a\nENV ONE="TWO= THREE=world"\n');
  });

  it('offers no fix where quoting would change the value', () => {
    for (const v of ['"quoted"', "it's", 'C:\\\\dir', 'a \\\n  b', '`x`'])
      assert.deepEqual(fixTitles('legacy-key-value', `FROM a\nENV KEY ${v}\n`), [], v);
  });
});
