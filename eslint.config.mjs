// ESLint with typescript-eslint's recommended rules over the product, its tests, the bench and the
// scripts (`npm run check:lint`, part of `npm test`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const node = {
  require: 'readonly',
  module: 'writable',
  exports: 'writable',
  process: 'readonly',
  console: 'readonly',
  __dirname: 'readonly',
  Buffer: 'readonly',
  URL: 'readonly',
  setTimeout: 'readonly',
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-artifacts/**', '.cache/**', '.vscode-test/**', '*.vsix'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Plain JavaScript (build scripts, CommonJS fixtures): Node's globals, and require is how CommonJS imports.
  { files: ['**/*.{js,cjs,mjs}'], languageOptions: { globals: node }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
  // The bench loads each subject in the child process that measures it, so that loading is not timed.
  { files: ['bench/child.ts'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
