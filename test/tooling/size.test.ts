/**
 * Sizes the next engineer can read: no source file (server/src, client/src) over 400 lines and no
 * function over 80, except the files listed here with the reason written down.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');
const MAX_FILE_LINES = 400;
const MAX_FUNCTION_LINES = 80;

/** Files allowed over the limit, and why. */
const LONG_FILES: Record<string, string> = {
  'server/src/model/model.ts':
    'the model builder: one pass over the outline that keeps the stage, ARG and ENV scopes as it goes; its types, Stage, JSON helpers and instruction readers are already in their own files',
};

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

const files = ['server/src', 'client/src'].flatMap((d) => sources(path.join(ROOT, d)));
const rel = (f: string) => path.relative(ROOT, f).split(path.sep).join('/');

describe('code size', () => {
  it(`no source file over ${MAX_FILE_LINES} lines, except those whose reason is written down`, () => {
    assert.ok(files.length > 50, `found only ${files.length} source files`);
    const long = files
      .map((f) => ({ file: rel(f), lines: readFileSync(f, 'utf8').split('\n').length - 1 }))
      .filter((x) => x.lines > MAX_FILE_LINES);
    assert.deepEqual(
      long.filter((x) => !LONG_FILES[x.file]).map((x) => `${x.file}: ${x.lines} lines`),
      [],
    );
    // An exception that is no longer needed is taken off the list.
    for (const file of Object.keys(LONG_FILES))
      assert.ok(
        long.some((x) => x.file === file),
        `${file} is no longer over the limit`,
      );
  });

  it(`no function over ${MAX_FUNCTION_LINES} lines`, () => {
    const long: string[] = [];
    for (const f of files) {
      const src = ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (n: ts.Node): void => {
        if (ts.isFunctionLike(n) && 'body' in n && n.body) {
          const first = src.getLineAndCharacterOfPosition(n.getStart()).line;
          const last = src.getLineAndCharacterOfPosition(n.getEnd()).line;
          if (last - first + 1 > MAX_FUNCTION_LINES) long.push(`${rel(f)}:${first + 1} (${last - first + 1} lines)`);
        }
        ts.forEachChild(n, visit);
      };
      visit(src);
    }
    assert.deepEqual(long, []);
  });
});
