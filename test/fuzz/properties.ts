/**
 * What must hold for any input, however broken: the engine never throws and never takes a second,
 * every finding's range lies inside the document, every fix offered (each alternative, as a quick-fix
 * applies it alone) builds edits inside the document that do not overlap and whose result re-lints
 * without a rule failing, "fix all" (with suggestions) gives a text that
 * re-lints without a rule failing and is stable, and the multi-stage conversion either refuses or
 * keeps every instruction and comes out clean. Used by the fuzz tests and by bench/fuzz.ts.
 */
import fc from 'fast-check';
import { lint } from '../../server/src/linter/lint';
import { type Finding } from '../../server/src/engine/findings';
import { applyEdits } from '../../server/src/engine/edits';
import { fixAll } from '../../server/src/linter/fix';
import { convertToScratch, CLEAN_OF } from '../../server/src/convert/convert';
import { LineIndex } from '../../server/src/model/text';
import { DockerfileModel } from '../../server/src/model/model';
import { memoryContext } from '../unit/helpers';

const GO_SOURCES = memoryContext({ 'main.go': 'package main\n', 'go.mod': 'module example.com/x\n', 'go.sum': '' });

export const TIME_LIMIT_MS = 1000;

export type Verdict = { ok: true } | { ok: false; kind: 'crash' | 'hang' | 'violation'; detail: string };

function rangesInside(
  text: string,
  findings: { rule: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }[],
): string | undefined {
  const lines = new LineIndex(text);
  for (const f of findings) {
    const { start, end } = f.range;
    const bad =
      start.line < 0 ||
      end.line >= lines.lineCount ||
      end.line < start.line ||
      (end.line === start.line && end.character < start.character) ||
      start.character > lines.lineText(start.line).length ||
      end.character > lines.lineText(end.line).length;
    if (bad) return `${f.rule} ${JSON.stringify(f.range)} outside the document`;
  }
  return undefined;
}

/** Whether `after` is `before` with words added: every word of `before`, in order, nothing changed. */
function wordsKept(before: string, after: string): boolean {
  // `;` ends a word too: `pkg;` gains a word as `pkg ca-certificates;`.
  const a = before.split(/[\s;]+/).filter(Boolean);
  const b = after.split(/[\s;]+/).filter(Boolean);
  if (a[0] !== b[0]) return false;
  let j = 0;
  for (const w of b) if (j < a.length && w === a[j]) j++;
  return j === a.length && b.length - a.length <= 2;
}

/** Each fix of each finding, applied alone (as the editor's quick-fix does); undefined when all hold. */
async function eachFixAlone(text: string, findings: Finding[]): Promise<Verdict | undefined> {
  for (const f of findings) {
    for (const fix of f.fixes ?? []) {
      if (fix.unavailable || fix.network) continue; // not applicable here / needs a registry
      let edits;
      try {
        edits = await fix.edits({});
      } catch (e) {
        return { ok: false, kind: 'crash', detail: `fix "${fix.title}" of ${f.rule}: ${e instanceof Error ? e.stack : String(e)}` };
      }
      // Inside the document, in order, and never between the \r and \n of a line break.
      const splitsCrlf = (o: number) => o > 0 && text[o - 1] === '\r' && text[o] === '\n';
      const outside = edits.find((e) => e.start < 0 || e.end > text.length || e.start > e.end || splitsCrlf(e.start) || splitsCrlf(e.end));
      if (outside)
        return {
          ok: false,
          kind: 'violation',
          detail: `fix "${fix.title}" of ${f.rule} edits outside the document or inside a line break: ${JSON.stringify(outside)}`,
        };
      let after: string;
      try {
        after = applyEdits(text, edits);
      } catch (e) {
        return { ok: false, kind: 'violation', detail: `fix "${fix.title}" of ${f.rule}: ${e instanceof Error ? e.message : String(e)}` };
      }
      const errors: string[] = [];
      const relinted = lint(after, { onRuleError: (id, e) => errors.push(`${id}: ${String(e)}`) });
      if (errors.length) return { ok: false, kind: 'crash', detail: `after fix "${fix.title}" of ${f.rule}: ${errors.join('\n')}` };
      const outsideAfter = rangesInside(after, relinted.findings);
      if (outsideAfter) return { ok: false, kind: 'violation', detail: `after fix "${fix.title}" of ${f.rule}: ${outsideAfter}` };
    }
  }
  return undefined;
}

/** Runs every property on one input. */
export async function check(text: string): Promise<Verdict> {
  const started = Date.now();
  try {
    const errors: string[] = [];
    const { findings } = lint(text, { onRuleError: (id, e) => errors.push(`${id}: ${e instanceof Error ? e.stack : String(e)}`) });
    if (errors.length) return { ok: false, kind: 'crash', detail: errors.join('\n') };
    const outside = rangesInside(text, findings);
    if (outside) return { ok: false, kind: 'violation', detail: outside };
    const alone = await eachFixAlone(text, findings);
    if (alone) return alone;

    const fixed = await fixAll(text, { unsafe: true, onRuleError: (id, e) => errors.push(`${id}: ${String(e)}`) });
    if (errors.length) return { ok: false, kind: 'crash', detail: `while fixing: ${errors.join('\n')}` };
    if (fixed.text !== text) {
      const after = lint(fixed.text, { onRuleError: (id, e) => errors.push(`${id}: ${String(e)}`) });
      if (errors.length) return { ok: false, kind: 'crash', detail: `after fixing: ${errors.join('\n')}` };
      const outsideAfter = rangesInside(fixed.text, after.findings);
      if (outsideAfter) return { ok: false, kind: 'violation', detail: `after fixing: ${outsideAfter}` };
      const again = await fixAll(fixed.text, { unsafe: true });
      if (again.text !== fixed.text) return { ok: false, kind: 'violation', detail: 'fix all is not stable' };
    }

    // A Go project's sources as the build context, so that COPY . . can be converted.
    const converted = convertToScratch(text, { buildContext: GO_SOURCES });
    if (converted.ok) {
      const dirty = lint(converted.text, { only: CLEAN_OF }).findings;
      if (dirty.length) return { ok: false, kind: 'violation', detail: `converted file has ${dirty.map((f) => f.rule).join(', ')}` };
      const after = new DockerfileModel(converted.text).instructions.map((i) => converted.text.slice(i.span.start, i.span.end));
      const kept = new Set(after);
      const model = new DockerfileModel(text);
      for (const i of model.instructions) {
        const t = text.slice(i.span.start, i.span.end);
        if (['CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'FROM'].includes(i.keyword) || /\bgo\s+(build|get|install)\b/.test(t)) continue;
        if (kept.has(t) || kept.has(t.replace(/\r/g, ''))) continue;
        // Kept with words added (the conversion adds ca-certificates to the builder's package install).
        if (after.some((a) => wordsKept(t, a))) continue;
        return { ok: false, kind: 'violation', detail: `conversion lost: ${t}` };
      }
    }
  } catch (e) {
    return { ok: false, kind: 'crash', detail: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  const ms = Date.now() - started;
  if (ms > TIME_LIMIT_MS) return { ok: false, kind: 'hang', detail: `${ms} ms` };
  return { ok: true };
}

/** Pieces Dockerfiles are made of, including the awkward ones. */
const PIECES = [
  'FROM ',
  'FROM scratch',
  'FROM golang:1.26 AS build',
  'FROM alpine',
  ' AS ',
  'RUN ',
  'CMD ',
  'ENTRYPOINT ',
  'USER ',
  'COPY ',
  'ADD ',
  'ENV ',
  'ARG ',
  'EXPOSE ',
  'WORKDIR ',
  'HEALTHCHECK ',
  'SHELL ',
  'ONBUILD ',
  'LABEL ',
  '--from=',
  '--mount=type=cache,target=/x ',
  '--platform=$BUILDPLATFORM ',
  'go build -o /out/app .',
  'go build -ldflags "-X a=b"',
  'CGO_ENABLED=0 ',
  'apk add ',
  'apt-get install -y ',
  '&& ',
  '; ',
  '| ',
  '|| ',
  '\\\n',
  '`\n',
  '\n',
  '\r\n',
  '\r',
  '# ',
  '# escape=`\n',
  '# syntax=x\n',
  '# dockerfile-hardener ignore=root-user\n',
  '# check=skip=all\n',
  '<<EOF\n',
  'EOF\n',
  '<<-"EOT"\n',
  '"',
  "'",
  '$',
  '${',
  '}',
  '$(',
  ')',
  '[',
  ']',
  '["',
  '", "',
  '"]',
  '{',
  '*',
  '?',
  '~',
  '=',
  ':',
  '@sha256:',
  '/',
  '..',
  'root',
  '0',
  '10001',
  'appuser',
  '80',
  '65536',
  '-',
  '\t',
  ' ',
  '\uFEFF',
  '\uD800',
  '\uDC00',
  '\u0000',
  'é',
  '😀',
];

/** Arbitrary Dockerfile-like text: pieces in any order. */
export const pieceText = fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }).map((p) => p.join(''));

/** Any UTF-16 text, lone surrogates included. */
export const anyText = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 300 });

/** A real file, mutated: cut, spliced with pieces, truncated. */
export function mutated(seeds: string[]): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom(...seeds),
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: 40 }), fc.oneof(fc.constantFrom(...PIECES), fc.constant(''))), { maxLength: 6 }),
    )
    .map(([text, edits]) => {
      let t = text;
      for (const [at, len, insert] of edits) {
        const i = t.length ? at % t.length : 0;
        t = t.slice(0, i) + insert + t.slice(i + len);
      }
      return t;
    });
}
