/**
 * The layers of the source tree, checked (`npm run check:layers`, in `npm test`). From the bottom:
 *
 *   model     the Dockerfile model: parse, shell words, images, users, run-time facts
 *   engine    what rules are written against: findings and options, edits, ignores
 *   fixes     edit helpers several rules share, pin planning
 *   rules     one file per rule, and their list
 *   linter    the lint run, fix-all, the incremental linter (they need the list)
 *   config, convert, registry, pin, shellcheck, format, download, docs: features the editors and the CLI use
 *   cli, lsp  the two front ends, apart from each other; server-main.ts and cli-main.ts on top
 *
 * A folder imports only from its own layer's folder or lower ones, never in a circle; the VS Code
 * client imports nothing of the server.
 */
const below = (...folders) => `^server/src/(?!(${folders.join('|')})/)`;

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules that import each other, directly or not.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    { name: 'model-at-the-bottom', severity: 'error', from: { path: '^server/src/model/' }, to: { path: below('model') } },
    {
      name: 'engine-under-fixes-and-rules',
      severity: 'error',
      from: { path: '^server/src/engine/' },
      to: { path: below('model', 'engine') },
    },
    { name: 'fixes-under-rules', severity: 'error', from: { path: '^server/src/fixes/' }, to: { path: below('model', 'engine', 'fixes') } },
    {
      name: 'rules-under-the-linter',
      severity: 'error',
      from: { path: '^server/src/rules/' },
      to: { path: below('model', 'engine', 'fixes', 'rules') },
    },
    {
      name: 'linter-under-the-features',
      severity: 'error',
      from: { path: '^server/src/linter/' },
      to: { path: below('model', 'engine', 'fixes', 'rules', 'linter') },
    },
    {
      name: 'features-under-the-front-ends',
      severity: 'error',
      comment:
        'config, convert, registry, pin, shellcheck, format, download and docs never reach into the CLI, the server or the entry points.',
      from: { path: '^server/src/(config|convert|registry|pin|shellcheck|format|download|docs)/' },
      to: { path: '^server/src/(cli/|lsp/|[^/]+\\.ts$)' },
    },
    {
      name: 'registry-on-the-model-only',
      severity: 'error',
      from: { path: '^server/src/registry/' },
      to: { path: below('model', 'registry') },
    },
    { name: 'cli-apart-from-lsp', severity: 'error', from: { path: '^server/src/cli/' }, to: { path: '^server/src/lsp/' } },
    { name: 'lsp-apart-from-cli', severity: 'error', from: { path: '^server/src/lsp/' }, to: { path: '^server/src/cli/' } },
    {
      name: 'thin-client',
      severity: 'error',
      comment: 'The client starts the server as a process; it imports none of its code.',
      from: { path: '^client/' },
      to: { path: '^server/' },
    },
    {
      name: 'server-without-vscode',
      severity: 'error',
      comment: 'The server runs in any editor.',
      from: { path: '^server/' },
      to: { path: '^vscode$', dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-peer', 'unknown', 'undetermined'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '(^|/)(out|dist|node_modules)/' },
  },
};
