// One SWC configuration for the build and for jest. Path aliases need an absolute
// baseUrl, so it is computed from this file's location instead of being committed.
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const libs = ['contracts', 'event-log', 'bus', 'testing', 'kube', 'materializer', 'sealing', 'local-stack', 'runtime'];
const paths = {};
for (const lib of libs) {
  paths[`@slipway/${lib}`] = [`libs/${lib}/src`];
  paths[`@slipway/${lib}/*`] = [`libs/${lib}/src/*`];
}

module.exports = {
  root,
  swcOptions: {
    sourceMaps: true,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
      keepClassNames: true,
      baseUrl: root,
      paths,
    },
    module: { type: 'commonjs' },
  },
};
