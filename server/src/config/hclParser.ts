/**
 * The HCL parser for docker-bake.hcl: tree-sitter's HCL grammar (@tree-sitter-grammars/tree-sitter-hcl,
 * the grammar Neovim, Helix and Zed use) run by web-tree-sitter, both WebAssembly, so nothing native
 * is built at install. Loading compiles the two modules (~20 ms), so it happens once, on the first
 * Bake HCL file, never at start-up.
 *
 * In the bundles the runtime is its own file (dist/hcl.js) and both .wasm files sit beside it
 * (scripts/build.mjs); from the sources they are read from node_modules.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Node as SyntaxNode } from 'web-tree-sitter';

export type { SyntaxNode };

export interface HclParser {
  /**
   * Reads a file's syntax tree with `read` (its root has `hasError` set where the file does not
   * parse); the tree lives in WebAssembly memory and is freed when `read` returns.
   */
  parse<T>(text: string, read: (root: SyntaxNode) => T): T;
}

let loaded: HclParser | undefined;
let loading: Promise<HclParser> | undefined;

/** The parser, once `loadHclParser` has finished. */
export function hclParser(): HclParser | undefined {
  return loaded;
}

/** Where a .wasm file is: beside the bundle, else in its package. */
function wasmFile(name: string, pkg: string): string {
  const beside = path.join(__dirname, name);
  if (existsSync(beside)) return beside;
  return require.resolve(`${pkg}/${name}`);
}

/** Loads the parser (once; later calls share the first load). */
export function loadHclParser(): Promise<HclParser> {
  return (loading ??= (async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Parser, Language } = require('web-tree-sitter') as typeof import('web-tree-sitter');
    await Parser.init({ wasmBinary: readFileSync(wasmFile('web-tree-sitter.wasm', 'web-tree-sitter')) });
    const language = await Language.load(readFileSync(wasmFile('tree-sitter-hcl.wasm', '@tree-sitter-grammars/tree-sitter-hcl')));
    const parser = new Parser();
    parser.setLanguage(language);
    loaded = {
      parse<T>(text: string, read: (root: SyntaxNode) => T): T {
        const tree = parser.parse(text);
        if (!tree) throw new Error('the HCL parser gave no tree');
        try {
          return read(tree.rootNode);
        } finally {
          tree.delete();
        }
      },
    };
    return loaded;
  })());
}
