// Lets a worker thread started from the TypeScript sources (in a test run, where jest compiles
// the main thread's) require them too: each .ts file is compiled as the build compiles it.
const fs = require('node:fs');
const { transformSync } = require('@swc/core');
const { swcOptions } = require('./swc-options');

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), { ...swcOptions, filename, swcrc: false, sourceMaps: 'inline' });
  module._compile(code, filename);
};
