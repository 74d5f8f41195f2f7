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
await Promise.all([
  // The extension entry is tiny; the language client is its own bundle, loaded after activation.
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode', './client-lsp.js'] }),
  build({ ...common, entryPoints: ['client/src/lsp.ts'], outfile: 'dist/client-lsp.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/server-main.ts'], outfile: 'dist/server.js' }),
  build({ ...common, entryPoints: ['server/src/cli-main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
]);
chmodSync('dist/cli.js', 0o755);
