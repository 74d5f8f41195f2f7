// Bundles the extension client (entry + language client), the language server and the CLI into dist/ with esbuild.
//   node scripts/build.mjs [--dev]   (--dev: no minification, with source maps)
import { build } from 'esbuild';
import { chmodSync, copyFileSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import ts from 'typescript';

const dev = process.argv.includes('--dev');
rmSync('dist', { recursive: true, force: true });
const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  minify: !dev,
  sourcemap: dev,
  logLevel: 'warning',
  legalComments: 'none',
};
// The YAML parser (for config files) is its own bundle, which the CLI and the server require only
// when they read a config file (server/src/config/projectConfig.ts): V8 then compiles ~115 KB less
// at every start.
const yamlApart = {
  name: 'yaml-apart',
  setup(b) {
    b.onResolve({ filter: /^yaml$/ }, () => ({ path: './yaml.js', external: true }));
  },
};
// The HCL parser (for docker-bake.hcl: server/src/config/hclParser.ts) likewise: its runtime is
// dist/hcl.js, loaded on the first Bake HCL file, with the two WebAssembly modules beside it.
const hclApart = {
  name: 'hcl-apart',
  setup(b) {
    b.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: './hcl.js', external: true }));
  },
};
// The language server never shows a rule's docs (its diagnostics link to docs/rules): its bundle
// leaves out each rule's rationale, differences and examples, a third of the rules' bytes. The CLI
// keeps them (`rules`, SARIF's rule help). A rule file's other code is untouched.
const DOCS = { rationale: "''", differences: 'undefined', examples: '{ invalid: [], valid: [] }' };
const rulesWithoutDocs = {
  name: 'rules-without-docs',
  setup(b) {
    b.onLoad({ filter: /[\\/]server[\\/]src[\\/]rules[\\/][^\\/]+\.ts$/ }, ({ path }) => {
      const text = readFileSync(path, 'utf8');
      const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
      const cuts = [];
      const visit = (node) => {
        if (
          ts.isCallExpression(node) &&
          node.expression.getText(file) === 'defineRule' &&
          ts.isObjectLiteralExpression(node.arguments[0])
        ) {
          for (const p of node.arguments[0].properties)
            if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text in DOCS)
              cuts.push({ start: p.initializer.getStart(file), end: p.initializer.end, text: DOCS[p.name.text] });
        }
        ts.forEachChild(node, visit);
      };
      visit(file);
      let contents = text;
      for (const c of cuts.sort((x, y) => y.start - x.start)) contents = contents.slice(0, c.start) + c.text + contents.slice(c.end);
      return { contents, loader: 'ts' };
    });
  },
};
await Promise.all([
  // The extension entry is tiny; the language client is its own bundle, loaded after activation.
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode', './client-lsp.js'] }),
  build({ ...common, entryPoints: ['client/src/lsp.ts'], outfile: 'dist/client-lsp.js', external: ['vscode'] }),
  // A bin of the npm package too (`dockerfile-hardener-server --stdio`): hence the shebang, which node ignores.
  build({
    ...common,
    entryPoints: ['server/src/server-main.ts'],
    outfile: 'dist/server.js',
    banner: { js: '#!/usr/bin/env node' },
    plugins: [yamlApart, hclApart, rulesWithoutDocs],
  }),
  build({
    ...common,
    entryPoints: ['server/src/cli-main.ts'],
    outfile: 'dist/cli-main.js',
    plugins: [yamlApart, hclApart],
  }),
  // The bin: runs dist/cli-main.js through V8's code cache (server/src/cli/codeCache.ts).
  build({ ...common, entryPoints: ['server/src/cli-bin.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, stdin: { contents: "module.exports = require('yaml');", resolveDir: '.', loader: 'js' }, outfile: 'dist/yaml.js' }),
  build({
    ...common,
    stdin: { contents: "module.exports = require('web-tree-sitter');", resolveDir: '.', loader: 'js' },
    outfile: 'dist/hcl.js',
  }),
]);
const require = createRequire(import.meta.url);
copyFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), 'dist/web-tree-sitter.wasm');
copyFileSync(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-hcl.wasm'), 'dist/tree-sitter-hcl.wasm');
for (const bin of ['dist/cli.js', 'dist/server.js']) chmodSync(bin, 0o755);
