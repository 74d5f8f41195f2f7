// Bundles the extension client (entry + language client), the language server and the CLI into dist/ with esbuild.
//   node scripts/build.mjs [--dev]   (--dev: no minification, with source maps)
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';

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
await Promise.all([
  // The extension entry is tiny; the language client is its own bundle, loaded after activation.
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode', './client-lsp.js'] }),
  build({ ...common, entryPoints: ['client/src/lsp.ts'], outfile: 'dist/client-lsp.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/server-main.ts'], outfile: 'dist/server.js', plugins: [yamlApart] }),
  build({
    ...common,
    entryPoints: ['server/src/cli-main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
    plugins: [yamlApart],
  }),
  build({ ...common, stdin: { contents: "module.exports = require('yaml');", resolveDir: '.', loader: 'js' }, outfile: 'dist/yaml.js' }),
]);
chmodSync('dist/cli.js', 0o755);
