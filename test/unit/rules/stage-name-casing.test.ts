import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { applyFix, fixTitles, messages, ruleCases } from '../helpers';

describe('stage-name-casing', () => {
  ruleCases('stage-name-casing', {
    valid: [
      { name: 'lower-case names', code: `FROM golang:1.22 AS build-base\nFROM build-base AS build_2\n` },
      { name: 'no name', code: `FROM Alpine\n` },
    ],
    invalid: [
      {
        name: 'upper-case letters anywhere in the name',
        code: `FROM golang:1.22 AS GoBuild
#                   ^^^^^^^ stage-name-casing
FROM alpine:3.20 AS RUNTIME
#                   ^^^^^^^ stage-name-casing
`,
      },
    ],
  });

  it('says what the builder reads', () => {
    assert.deepEqual(messages('stage-name-casing', 'FROM a AS Build\n'), [
      "Stage name 'Build' has upper-case letters; the builder reads it as 'build': write it so.",
    ]);
  });

  it('renames the stage and every literal reference to it, in any case', async () => {
    const text = `FROM golang:1.22 AS Build
RUN go build -o /out/app .
FROM Build AS test
RUN --mount=type=cache,from=BUILD,target=/cache go test ./...
FROM alpine:3.20
COPY --from=build /out/app /app
COPY --from=\${STAGE} /x /x
ONBUILD COPY --from=Build /a /a
`;
    assert.deepEqual(fixTitles('stage-name-casing', text), ['* Rename the stage build']);
    const after = await applyFix('stage-name-casing', text);
    assert.equal(
      after,
      `FROM golang:1.22 AS build
RUN go build -o /out/app .
FROM build AS test
RUN --mount=type=cache,from=build,target=/cache go test ./...
FROM alpine:3.20
COPY --from=build /out/app /app
COPY --from=\${STAGE} /x /x
ONBUILD COPY --from=Build /a /a
`,
    );
    assert.deepEqual(lint(after, { only: ['stage-name-casing'] }).findings, []);
  });

  it('offers no fix when another stage has the same name in another case', () => {
    assert.deepEqual(fixTitles('stage-name-casing', 'FROM a AS Build\nFROM b AS build\n'), []);
  });
});
