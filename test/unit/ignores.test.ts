/**
 * Ignore comments, ours and hadolint's, and BuildKit's check=skip, across rules: which findings they
 * silence and which they leave. Each case is a caret picture of what remains.
 */
import * as assert from 'node:assert/strict';
import { lint } from '../../server/src/linter/lint';
import { renderPicture, stripPicture } from '../../server/src/engine/pictures';

const RULES = ['latest-tag', 'unpinned-digest', 'root-user', 'go-get-deprecated', 'go-build-unstripped', 'shell-form-cmd'];

function assertRemaining(picture: string): void {
  const source = stripPicture(picture);
  assert.equal(
    renderPicture(source, lint(source, { only: RULES, rules: { 'unpinned-digest': 'info', 'latest-tag': 'warning' } }).findings),
    picture,
  );
}

describe('ignore comments', () => {
  it('silence the listed rules for the instruction right below, and only for it', () => {
    assertRemaining(`# dockerfile-hardener ignore=latest-tag, unpinned-digest
FROM alpine AS a
FROM debian
#    ^^^^^^ latest-tag
#    ^^^^^^ unpinned-digest
`);
  });

  it('count anywhere in the comment block right above the instruction', () => {
    assertRemaining(`FROM alpine:3.20@sha256:${'ab'.repeat(32)}
# dockerfile-hardener ignore=root-user
# The entrypoint drops privileges with su-exec,
# after fixing the ownership of the mounted volume.
USER root
`);
  });

  it('do not reach over a blank line or another instruction', () => {
    assertRemaining(`FROM ubuntu:20.04@sha256:${'ab'.repeat(32)}
# dockerfile-hardener ignore=root-user

USER root
#    ^^^^ root-user
# hadolint ignore=DL3025
RUN true
CMD /app
#   ^^^^ shell-form-cmd
`);
  });

  it('above a RUN cover its continuation lines and its heredoc body', () => {
    assertRemaining(`FROM golang:1.22@sha256:${'ab'.repeat(32)} AS app
# dockerfile-hardener ignore=go-get-deprecated,go-build-unstripped
RUN go mod tidy && \\
    go get ./... && \\
    go build -o /app .
# dockerfile-hardener ignore=go-get-deprecated
RUN <<EOF
go get ./...
go build -o /app2 .
^^^^^^^^ go-build-unstripped
EOF
USER 10001
`);
  });

  it('global ignores apply wherever they are written', () => {
    assertRemaining(`FROM alpine
#    ^^^^^^ unpinned-digest
USER root
# dockerfile-hardener global ignore=latest-tag,root-user
`);
  });

  it("map hadolint's codes to the matching rules, globally too", () => {
    assertRemaining(`# hadolint global ignore=DL3007
FROM alpine:latest AS a
#    ^^^^^^^^^^^^^ unpinned-digest
# hadolint ignore=DL3006,DL3002
FROM debian
#    ^^^^^^ unpinned-digest
USER root
#    ^^^^ root-user
`);
  });

  it("BuildKit's check=skip silences the rules it names, and all only those with a BuildKit check", () => {
    assertRemaining(`# check=skip=all
FROM alpine
#    ^^^^^^ latest-tag
#    ^^^^^^ root-user
#    ^^^^^^ unpinned-digest
CMD /app
`);
  });

  it('ignore unknown ids and malformed comments', () => {
    assertRemaining(`# dockerfile-hardener ignore=no-such-rule
# dockerfile-hardener ignore:latest-tag
# hadolint ignore=DL9999
FROM alpine
#    ^^^^^^ latest-tag
#    ^^^^^^ unpinned-digest
`);
  });

  it('the BUILDKIT_DOCKERFILE_CHECK build argument overrides the file’s check directive, and a directive is not also a local comment', () => {
    const text = '# check=skip=all\nFROM scratch as base\ncopy Dockerfile .\n';
    const codes = (buildArgs?: Record<string, string>) =>
      lint(text, { only: ['instruction-casing'], buildArgs }).findings.flatMap((f) => f.peerCodes!.buildkit);
    assert.deepEqual(codes(), []);
    assert.deepEqual(codes({ BUILDKIT_DOCKERFILE_CHECK: 'skip=ConsistentInstructionCasing;error=true' }), ['FromAsCasing']);
    assert.deepEqual(codes({ BUILDKIT_DOCKERFILE_CHECK: 'skip=all' }), []);
    assert.deepEqual(codes({ BUILDKIT_DOCKERFILE_CHECK: '' }).sort(), ['ConsistentInstructionCasing', 'FromAsCasing']);
  });
});
