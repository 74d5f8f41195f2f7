import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import type { LintOptions } from '../../../server/src/engine/findings';
import { ruleCases } from '../helpers';
import { isEmail, isRfc3339, labelValueProblem, spdxProblem } from '../../../server/src/model/labelValues';

const oci: LintOptions['labelSchema'] = {
  'org.opencontainers.image.source': 'url',
  'org.opencontainers.image.licenses': 'spdx',
};
const all: LintOptions['labelSchema'] = {
  title: 'text',
  home: 'url',
  created: 'rfc3339',
  license: 'spdx',
  commit: 'hash',
  version: 'semver',
  contact: 'email',
};

describe('label-schema', () => {
  ruleCases('label-schema', {
    valid: [
      {
        name: 'every label set, with values of their types',
        options: { labelSchema: all },
        code: `FROM alpine:3.20
LABEL title="svc" home="https://example.com/svc" created="2024-05-01T12:00:00Z" \\
      license="Apache-2.0 OR MIT" commit=43c572f version=1.4.0-rc.1+build.7 \\
      contact="Ops Team <ops@example.com>"
`,
      },
      {
        name: 'labels set in the stage a stage is built on, and a builder stage copied from',
        options: { labelSchema: oci },
        code: `FROM golang:1.22 AS build
RUN go build -o /app .
FROM alpine:3.20 AS base
LABEL org.opencontainers.image.source=https://github.com/example/app org.opencontainers.image.licenses=MIT
FROM base
COPY --from=build /app /app
`,
      },
      {
        name: 'stages picked by a build argument are used, whichever it picks',
        options: { labelSchema: { a: 'text' } },
        code: `ARG FLAVOR=slim
FROM alpine:3.20 AS base-slim
FROM debian:12 AS base-full
FROM base-\${FLAVOR}
LABEL a=1
`,
      },
      {
        name: 'values from build arguments (set with --build-arg) are not checked',
        options: { labelSchema: { version: 'semver', commit: 'hash' } },
        code: `FROM alpine:3.20
ARG VERSION=dev
ARG COMMIT=unknown
LABEL version=$VERSION commit="\${COMMIT}"
`,
      },
      {
        name: 'without a schema, nothing',
        code: `FROM alpine:3.20
LABEL anything=""
`,
      },
    ],
    invalid: [
      {
        name: 'missing labels, once per image stage, all named',
        options: { labelSchema: oci },
        code: `FROM alpine:3.20 AS tools
#                   ^^^^^ label-schema
FROM alpine:3.20
#    ^^^^^^^^^^^ label-schema
LABEL org.opencontainers.image.licenses=MIT
`,
      },
      {
        name: 'badly formed values, and an empty one',
        options: { labelSchema: all },
        code: `FROM alpine:3.20
LABEL title="" home=example.com created=2024-05-01 license="Apache 2.0" \\
#           ^^ label-schema
#                   ^^^^^^^^^^^ label-schema
#                                       ^^^^^^^^^^ label-schema
#                                                          ^^^^^^^^^^^^ label-schema
      commit=HEAD version=v1.2.3 contact=ops
#            ^^^^ label-schema
#                         ^^^^^^ label-schema
#                                        ^^^ label-schema
`,
      },
      {
        name: 'strict labels: a label outside the schema, ONBUILD too',
        options: { labelSchema: { a: 'text' }, strictLabels: true },
        code: `FROM alpine:3.20
LABEL a=1 b=2
#         ^ label-schema
ONBUILD LABEL c=3
#             ^ label-schema
`,
      },
    ],
  });

  const run = (text: string, options: Omit<LintOptions, 'only'>) => lint(text, { ...options, only: ['label-schema'] }).findings;

  it('runs when a schema is configured, though off by default; a severity set for it still wins', () => {
    const text = 'FROM alpine:3.20\nLABEL a=""\n';
    assert.equal(run(text, { labelSchema: { a: 'text' } }).length, 1);
    assert.equal(run(text, { labelSchema: { a: 'text' }, rules: { 'label-schema': 'off' } }).length, 0);
    assert.equal(run(text, {}).length, 0);
    assert.equal(run(text, { strictLabels: true }).length, 1);
  });

  it('passes the code of each check, so that hadolint ignore comments silence only that check', () => {
    const text = 'FROM alpine:3.20\nLABEL home=x version=1\n';
    const fs = run(text, { labelSchema: { home: 'url', version: 'semver', other: 'text' } });
    assert.deepEqual(
      fs.map((f) => `${f.peerCodes!.hadolint.join()} ${f.severity}`),
      ['DL3049 info', 'DL3052 warning', 'DL3056 warning'],
    );
    const ignored = run(`FROM alpine:3.20\n# hadolint ignore=DL3056\nLABEL home=x version=1\n`, {
      labelSchema: { home: 'url', version: 'semver' },
    });
    assert.deepEqual(
      ignored.map((f) => f.peerCodes!.hadolint.join()),
      ['DL3052'],
    );
  });

  it('says what is missing and where', () => {
    const [one] = run('FROM alpine:3.20 AS app\n', { labelSchema: { a: 'text' } });
    assert.equal(one.message, 'Label "a" of the label schema is not set in stage "app".');
    const [two] = run('FROM alpine:3.20 AS base\nFROM base\n', { labelSchema: { a: 'text', b: 'url' } });
    assert.equal(two.message, 'Labels "a", "b" of the label schema are not set in stage 1 (nor in the stages it is built on).');
  });

  it('checks values', () => {
    assert.equal(isRfc3339('2021-03-10T10:26:33.564595127+01:00'), true);
    assert.equal(isRfc3339('2023-02-29T00:00:00Z'), false);
    assert.equal(isEmail('"Doe, Jane" <jane@example.com>, ops@example.com'), true);
    assert.equal(isEmail('jane@'), false);
    assert.equal(spdxProblem('(MIT OR Apache-2.0) AND GPL-2.0-or-later WITH Classpath-exception-2.0'), undefined);
    assert.equal(spdxProblem('LicenseRef-Proprietary'), undefined);
    assert.equal(spdxProblem('MIT OR'), 'a license identifier is missing');
    assert.equal(spdxProblem('GPLv2'), '"GPLv2" is not an SPDX license identifier');
    assert.equal(labelValueProblem('hash', '43c572f1272b6b3171dd1db9e41b7027128ce080'), undefined);
    assert.match(labelValueProblem('semver', 'v1.2.3')!, /no "v" prefix/);
    assert.match(labelValueProblem('url', 'github.com/x/y')!, /absolute URL/);
  });
});
