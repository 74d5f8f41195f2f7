import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { messages, ruleCases } from '../helpers';

describe('env-same-statement-reference', () => {
  ruleCases('env-same-statement-reference', {
    valid: [
      {
        name: 'set in one ENV, used in the next; names that only start the same; an escaped $',
        code: `FROM debian:12
ENV BLA="blubb"
ENV BLUBB="\${BLA}/blubb"
ENV BLA="blubb" BLUBB="\${BLAFOO}/blubb" X="$FOOBLA" Y="BLA/$BLAFOO/BLA" Z="\\$BLA"
ARG ARGV
ENV ARGV=\${ARGV}
ENV PATH=/bla:\${PATH}
`,
      },
      {
        name: 'a name the same ENV sets to what it already was (an ARG of that name)',
        code: `FROM debian:12
ARG HOME=/home/app
ARG LANGUAGE=en_US.UTF-8
ENV HOME=\${HOME} DOWNLOADS=\${HOME}/Downloads LANGUAGE="$LANGUAGE" LANG=\${LANGUAGE}
`,
      },
    ],
    invalid: [
      {
        name: 'a variable the same ENV sets, in any spelling',
        code: `FROM debian:12
ENV BLA="blubb" A="$BLA" B="\${BLA}/x" C="\${BLA:-d}"
#                  ^^^^ env-same-statement-reference
#                           ^^^^^^ env-same-statement-reference
#                                        ^^^^^^^^^ env-same-statement-reference
ENV PATH=/bla:\${PATH} PATH=/blubb:\${PATH}
#                                 ^^^^^^^ env-same-statement-reference
`,
      },
    ],
  });

  it('reads any name as text (fuzzing found one with regular-expression characters that threw)', () => {
    const errors: unknown[] = [];
    lint(`FROM debian:12\nENV ('Downloading {0} ...'=1 B=$A\n`, {
      only: ['env-same-statement-reference'],
      onRuleError: (_, e) => errors.push(e),
    });
    assert.deepEqual(errors, []);
  });

  it('says which value it gets', () => {
    assert.deepEqual(messages('env-same-statement-reference', 'FROM debian:12\nENV A=1 B=$A\n'), [
      "$A is A's value from before this ENV, not the one this ENV sets: set A in an ENV of its own first.",
    ]);
  });
});
