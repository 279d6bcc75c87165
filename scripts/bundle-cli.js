// Bundles the `cdk-ami-sharing` command (cli/) into assets/cli/index.js, the package's `bin`. Same options as the
// handler's bundle (deterministic, minified, SDK's ES-module entry points), plus the shebang npm needs to run it.
const path = require('path');
const esbuild = require('esbuild');
const { handlerBundleOptions } = require('./bundle-handler');

const root = path.join(__dirname, '..');
const shippedCli = path.join(root, 'assets', 'cli', 'index.js');

module.exports = { shippedCli };

if (require.main === module) {
  esbuild.buildSync({
    ...handlerBundleOptions(shippedCli),
    entryPoints: ['cli/index.ts'],
    banner: { js: '#!/usr/bin/env node' },
  });
}
