// Preloaded (NODE_OPTIONS=--require) into a CLI or server process by test/support/modules.ts:
// when the process exits, writes the Node built-in modules it loaded, one a line, to the file
// named by DH_MODULE_LIST.
'use strict';
process.on('exit', () => {
  const loaded = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length));
  require('node:fs').writeFileSync(process.env.DH_MODULE_LIST, loaded.join('\n') + '\n');
});
