// Bundles the custom-resource handler (lambda/) into assets/ami-attribute-handler/index.js.
// Deterministic on purpose: no source maps, no legal comments, no absolute paths, so the asset hash users snapshot
// depends only on our source and the pinned dependency versions.
const path = require('path');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..');

/** The esbuild options of the shipped bundle (the benchmark builds its variants from these too). */
function handlerBundleOptions(outfile) {
  return {
    absWorkingDir: root,
    entryPoints: ['lambda/index.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    // The SDK's ES-module entry points let esbuild drop the parts of the EC2 client the handler never calls: 42 % fewer
    // bytes and about half the load time of its single CommonJS entry file (BENCHMARKS.md, section 4). Output stays CJS.
    mainFields: ['module', 'main'],
    // Those entry points load node built-ins with import(); as require() calls the bundle loads the same way in Lambda
    // and in a test's VM context (jest runs the shipped file in-process, where import() needs experimental flags).
    supported: { 'dynamic-import': false },
    logLevel: 'warning',
  };
}

module.exports = { handlerBundleOptions, shippedBundle: path.join(root, 'assets', 'ami-attribute-handler', 'index.js') };

if (require.main === module) {
  esbuild.buildSync(handlerBundleOptions(module.exports.shippedBundle));
}
