// Compiles apps/, libs/ and bench/ to dist/ with SWC (type checking is `npm run typecheck`).
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { root, swcOptions } = require('./swc-options');

// In this tree's own dist/: its paths are this tree's, and node_modules may be another's (a link).
const configFile = path.join(root, 'dist', '.slipway.swcrc');
fs.mkdirSync(path.dirname(configFile), { recursive: true });
fs.writeFileSync(configFile, JSON.stringify(swcOptions));
const swc = path.join(root, 'node_modules', '.bin', 'swc');
const sources = ['apps', 'libs', 'bench'].filter((dir) => fs.existsSync(path.join(root, dir)));
execFileSync(
  swc,
  // Tests and test helpers stay out of dist (and the images). The CLI takes a comma-separated
  // list here: a brace pattern ({spec,testing}) matched nothing and let them all through.
  [...sources, '-d', 'dist', '--config-file', configFile, '--ignore', '**/*.spec.ts,**/*.testing.ts', '--copy-files', '--quiet'],
  { cwd: root, stdio: 'inherit' },
);
