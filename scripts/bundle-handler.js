// Bundles the custom-resource handler (lambda/) into assets/ami-attribute-handler/index.js.
// Deterministic on purpose: no source maps, no legal comments, no absolute paths, so the asset hash users snapshot
// depends only on our source and the pinned dependency versions.
const path = require('path');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..');
const outfile = path.join(root, 'assets', 'ami-attribute-handler', 'index.js');

esbuild.buildSync({
  absWorkingDir: root,
  entryPoints: ['lambda/index.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
});
