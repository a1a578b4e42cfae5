const { swcOptions } = require('./scripts/swc-options');

const transform = { '^.+\\.ts$': ['@swc/jest', { ...swcOptions, swcrc: false }] };
const common = { transform, testEnvironment: 'node', moduleFileExtensions: ['ts', 'js', 'json'] };

// Layers by file suffix: unit (*.unit.spec.ts, no network), integration (*.int.spec.ts) and
// end to end (*.e2e.spec.ts). Integration and end-to-end tests share one
// Postgres and one NATS started in global setup; each file isolates itself by schema/prefix.
module.exports = {
  testTimeout: 60_000,
  // Each test file leaves some of what it loaded reachable (jest's module registries under
  // Node's VM modules: 3-5 MB a unit file, ~25 MB one booting the apps), and on two cores
  // every file ran in jest's own process, whose heap reached 4.5 GB by the end. Set, this runs
  // the files in a worker that is started afresh once its heap passes the bound after a file.
  workerIdleMemoryLimit: '1GB',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.unit.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs}/**/*.{int,e2e}.spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
    },
  ],
};
