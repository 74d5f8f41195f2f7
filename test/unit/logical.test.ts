/**
 * Logical text and its map back to the document (server/src/model/logical.ts): every logical
 * character maps to the document character it came from, across continuations, dropped comment and
 * blank lines, escapes, CRLF and the backtick escape; slices and decoded JSON strings keep the map.
 * The map is stored as runs, so these check it character by character against the document.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { LogicalText, RunBuilder, endOffset, logicalArguments, unfoldLine } from '../../server/src/model/logical';
import { decodeJsonArray } from '../../server/src/model/model';

/** Every offset the map gives, 0 … text.length. */
function offsets(l: LogicalText): number[] {
  return Array.from({ length: l.text.length + 1 }, (_, i) => l.at(i));
}

/** Each logical character is the document character its offset names, and offsets only go forward. */
function assertMapsInto(doc: string, l: LogicalText): void {
  const at = offsets(l);
  for (let i = 0; i < l.text.length; i++) {
    assert.equal(
      doc[at[i]],
      l.text[i],
      `logical ${i} (${JSON.stringify(l.text[i])}) maps to ${at[i]} (${JSON.stringify(doc[at[i]])}) in ${JSON.stringify(doc)}`,
    );
    assert.ok(at[i + 1] > at[i], `offsets go forward at ${i} in ${JSON.stringify(doc)}`);
  }
}

/**
 * Documents made of the pieces that unfolding treats specially, with every other character unique
 * (a counter in the private use area), so that a character found at the mapped offset can only be
 * the one the logical text holds.
 */
function documents(escape: '\\' | '`'): fc.Arbitrary<string> {
  const e = escape;
  const piece = fc.constantFrom(
    'x',
    'x',
    'x',
    ' ',
    '\t',
    `${e}\n`,
    `${e}  \n`,
    `${e}\r\n`,
    '\n',
    '\r\n',
    '# c\n',
    '  # c\n',
    `${e}x`,
    `${e}`,
    '"',
    "'",
    '<<',
  );
  return fc.array(piece, { maxLength: 40 }).map((pieces) => {
    let n = 0;
    return pieces.map((p) => p.replace(/x/g, () => String.fromCharCode(0xe000 + n++))).join('');
  });
}

describe('logical text', () => {
  for (const escape of ['\\', '`'] as const) {
    it(`maps each character of an unfolded line to its document offset (escape ${escape})`, () => {
      fc.assert(
        fc.property(documents(escape), fc.nat(), (doc, startSeed) => {
          const start = doc.length ? startSeed % doc.length : 0;
          const { logical, stop } = unfoldLine(doc, start, doc.length, escape);
          assertMapsInto(doc, logical);
          assert.equal(logical.at(logical.text.length), stop);
          // Nothing but continuations, and the comment and blank lines after them, is left out.
          const kept = offsets(logical).slice(0, -1);
          for (let k = start, j = 0; k < stop; k++) {
            if (kept[j] === k) j++;
            else assert.ok(/[\s#c`\\]/.test(doc[k]), `dropped ${JSON.stringify(doc[k])} at ${k} of ${JSON.stringify(doc)}`);
          }
        }),
        { numRuns: 400, seed: 7 },
      );
    });
  }

  it('continues the map over what follows the first line (heredoc bodies are verbatim)', () => {
    fc.assert(
      fc.property(documents('\\'), (doc) => {
        const l = logicalArguments(doc, 0, doc.length, '\\');
        assertMapsInto(doc, l);
        assert.equal(l.at(l.text.length), doc.length);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('keeps the map in slices', () => {
    fc.assert(
      fc.property(documents('\\'), fc.nat(), fc.nat(), (doc, a, b) => {
        const l = logicalArguments(doc, 0, doc.length, '\\');
        const n = l.text.length + 1;
        const [from, to] = [a % n, b % n].sort((x, y) => x - y);
        const s = l.slice(from, to);
        assert.equal(s.text, l.text.slice(from, to));
        assert.deepEqual(offsets(s), offsets(l).slice(from, to + 1));
      }),
      { numRuns: 300, seed: 3 },
    );
  });

  it('reads a continued line as the builder does, with the end of a token before a continuation', () => {
    const doc = 'RUN a \\\n# note\n\n  b\\\r\n c';
    const { logical, stop } = unfoldLine(doc, 4, doc.length, '\\');
    assert.equal(logical.text, 'a   b c');
    assert.deepEqual(offsets(logical), [4, 5, 16, 17, 18, 22, 23, 24]);
    assert.equal(stop, doc.length);
    // The space before the continuation ends at 6, though the next logical character is at 16.
    assert.equal(endOffset(logical, 2), 6);
  });

  it('records one run per continued line, not one number per character', () => {
    const runs = new RunBuilder();
    runs.run(0, 10);
    runs.run(5, 15); // continues the run before
    runs.run(8, 40);
    runs.run(8, 60); // an empty run is replaced
    runs.run(12, 64); // and this continues the replacement
    assert.deepEqual(runs.done(), [0, 10, 8, 60]);
  });

  it('maps a decoded JSON string to its escapes and continuations', () => {
    const doc = 'CMD ["a\\"b", "c\\\n  \\u0041"]';
    const l = logicalArguments(doc, 4, doc.length, '\\');
    const strings = decodeJsonArray(l)!;
    assert.deepEqual(
      strings.map((s) => s.value),
      ['a"b', 'c  A'],
    );
    // a, the escape for ", b, the closing quote; c, the next line's two blanks, the \u escape, the quote.
    assert.deepEqual(offsets(strings[0].logical), [6, 7, 9, 10]);
    assert.deepEqual(offsets(strings[1].logical), [14, 17, 18, 19, 25]);
  });
});
