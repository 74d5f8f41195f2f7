/**
 * The model's fast path (an outline of dockerfile-ast's parse, details parsed on demand) gives what
 * the plain path gives, on the cases where the two could part: flags that are not plain, escaped
 * keywords, the backtick escape, heredocs, CRLF, comments inside continuations, a BOM.
 */
import * as assert from 'node:assert/strict';
import { DockerfileModel } from '../../server/src/model/model';
import { firstNonBlank } from '../../server/src/model/logical';
import { mayHaveFlags } from '../../server/src/model/model';
import { rules } from '../../server/src/rules';
import { stripPicture } from '../../server/src/engine/pictures';
import { assertSameAsReference } from '../support/equivalence';

const CASES: Record<string, string> = {
  'flags after an argument with -- inside': 'FROM alpine\nRUN foo--bar --mount=type=cache,target=/x echo hi\nCOPY a--b --from=x /a /b\n',
  'flags across continuations':
    'FROM alpine AS b\nRUN --mount=type=cache,target=/root/.cache \\\n    --mount=type=secret,id=npm \\\n  npm ci\nCOPY \\\n  --from=b --chown=1000:1000 /a /b\n',
  'a flag-looking first argument with an escape':
    'FROM alpine\nRUN \\\n  --network=none make\nRUN \\--x y\nADD --checksum=sha256:abc https://example.com/a.tgz /a\n',
  'escaped keyword': 'FROM alpine\nRU\\\nN echo hi\nCO\\\nPY a b\n',
  'backtick escape':
    '# escape=`\nFROM mcr.microsoft.com/windows/servercore\nRUN --mount=type=cache,target=C:\\cache `\n    echo hi `\n    && dir\nCOPY --from=0 C:\\a C:\\b\n',
  heredocs:
    'FROM alpine\nRUN <<EOF\nset -e\napk add --no-cache curl\nEOF\nCOPY <<-EOT /etc/motd\n\thello << there\n\tEOT\nRUN cat <<A && cat <<B\na\nA\nb\nB\nUSER root\n',
  'heredoc marker far away': 'FROM alpine\nRUN echo one\nRUN echo two\n' + 'RUN echo x\n'.repeat(50) + 'RUN cat <<EOF\nbody\nEOF\n',
  CRLF: 'FROM golang:1.22 AS build\r\nRUN --mount=type=cache,target=/go \\\r\n  go build -o /out/app .\r\nFROM scratch\r\nCOPY --from=build /out/app /app\r\nUSER 0\r\nCMD /app\r\n',
  'comments inside continuations': 'FROM alpine\nRUN apk add \\\n# a comment\n    curl \\\n\n    sudo\nENV A=1 \\\n# note\n    B=2\n',
  'instructions before FROM and empty ones':
    'USER root\nARG X\nFROM\nRUN\nCOPY\nENV\nONBUILD RUN sudo ls\nHEALTHCHECK --interval=5s CMD curl -f http://localhost/ || exit 1\n',
  'ONBUILD and SHELL':
    'FROM alpine\nONBUILD RUN --mount=type=cache,target=/x curl http://x | sh\nONBUILD COPY --from=y a b\nSHELL ["/bin/bash", "-c"]\nCMD echo hi\n',
  BOM: '\ufeffFROM alpine:3.20\nRUN --network=none chmod 777 /x\n',
  unterminated: 'FROM alpine\nRUN echo \\',
};

describe('the fast model path equals the reference path', () => {
  for (const [name, text] of Object.entries(CASES)) {
    it(name, () => assertSameAsReference(name, text));
  }

  it("on every rule's examples", () => {
    let n = 0;
    for (const rule of rules) {
      for (const example of [...rule.examples.invalid, ...rule.examples.valid]) {
        assertSameAsReference(`${rule.id} example`, stripPicture(example), rule.examples.options);
        n++;
      }
    }
    assert.ok(n > 50);
  });
});

describe('outline helpers', () => {
  it('mayHaveFlags: only a plain first argument without -- rules flags out', () => {
    const at = (s: string) => mayHaveFlags(s, 3, s.length, '\\');
    assert.equal(at('RUN echo --x'), false);
    assert.equal(at('RUN   '), false);
    assert.equal(at('RUN --mount=x y'), true);
    assert.equal(at('RUN a--b --c'), true);
    assert.equal(at('RUN \\\n --c y'), true);
    assert.equal(at('RUN\n'), true);
  });

  it('firstNonBlank skips blanks, continuations and the comment lines inside them', () => {
    const s = 'RUN  \\\n# c\n\n   echo';
    assert.equal(firstNonBlank(s, 3, s.length, '\\'), s.indexOf('echo'));
    assert.equal(firstNonBlank('RUN   ', 3, 6, '\\'), 6);
    assert.equal(firstNonBlank('RUN \\x', 3, 6, '\\'), 4);
  });

  it('builds the full dockerfile-ast parse only when asked', () => {
    const m = new DockerfileModel('FROM alpine\nRUN echo hi\n');
    assert.equal(m.instructions[1].ast.getKeyword(), 'RUN');
    assert.equal(m.instructions[1].ast.getRange().start.line, 1);
    assert.equal(m.ast.getInstructions().length, 2);
  });
});
