import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { labelKeyProblem } from '../../../server/src/rules/label-key-invalid';
import { ruleCases } from '../helpers';

describe('label-key-invalid', () => {
  ruleCases('label-key-invalid', {
    valid: [
      {
        name: 'reverse-DNS keys, plain lower-case keys, digits at the end',
        code: `FROM debian:12
LABEL org.opencontainers.image.title="svc" maintainer="ops@example.com" com.example.v2=yes
`,
      },
      {
        name: 'a quoted key, and the legacy "key value" form',
        code: `FROM debian:12
LABEL "com.example.build-host"="ci-7"
LABEL description The service image
`,
      },
      {
        name: 'labels Docker Desktop extensions must set, and Operator Framework bundle labels',
        code: `FROM alpine:3.20
LABEL com.docker.desktop.extension.api.version=">= 0.3.0" com.docker.extension.screenshots="[]"
LABEL operators.operatorframework.io.metrics.project_layout=go.kubebuilder.io/v4
`,
      },
      {
        name: 'a key from a build argument with a valid default',
        code: `FROM alpine:3.20
ARG NS=com.example
LABEL $NS.team=platform
`,
      },
    ],
    invalid: [
      {
        name: "Docker's reserved namespaces",
        code: `FROM alpine:3.20
LABEL com.docker.owner=me io.docker.x=1 org.dockerproject.y=2
#     ^^^^^^^^^^^^^^^^ label-key-invalid
#                         ^^^^^^^^^^^ label-key-invalid
#                                       ^^^^^^^^^^^^^^^^^^^ label-key-invalid
`,
      },
      {
        name: 'upper case, underscores, bad first or last character, doubled separators',
        code: `FROM alpine:3.20
LABEL Version=1 build_id=7 -x=1 x.=1 a..b=1 a--b=1
#     ^^^^^^^ label-key-invalid
#               ^^^^^^^^ label-key-invalid
#                          ^^ label-key-invalid
#                               ^^ label-key-invalid
#                                    ^^^^ label-key-invalid
#                                           ^^^^ label-key-invalid
`,
      },
      {
        name: 'an ONBUILD LABEL, and a key from a variable whose value is unknown',
        code: `FROM alpine:3.20
ONBUILD LABEL com.docker.x=1
#             ^^^^^^^^^^^^ label-key-invalid
ARG PREFIX
LABEL \${PREFIX}.team=platform
#     ^^^^^^^^^^^^^^ label-key-invalid
`,
      },
      {
        name: 'a key from a build argument whose default is not a valid key',
        code: `FROM alpine:3.20
ARG NS=Com.Example
LABEL $NS.team=platform
#     ^^^^^^^^ label-key-invalid
`,
      },
    ],
  });

  it('says what is wrong with the key', () => {
    assert.equal(labelKeyProblem('com.docker.owner'), 'the com.docker.* namespace is reserved for Docker');
    assert.equal(labelKeyProblem('Build_ID'), 'it holds upper-case letters, "_": keys are lower-case letters, digits, "." and "-"');
    assert.equal(labelKeyProblem('1abc'), 'it must start with a lower-case letter');
    assert.equal(labelKeyProblem('abc-'), 'it must end with a lower-case letter or a digit');
    assert.equal(labelKeyProblem('a..b'), 'it holds "..": separators stand alone');
    assert.equal(labelKeyProblem('org.opencontainers.image.source'), undefined);
    const [f] = lint('FROM alpine\nLABEL $UNSET.x=1\n', { only: ['label-key-invalid'] }).findings;
    assert.match(f.message, /built from a variable \(\$UNSET\) whose value is not known here/);
  });
});
