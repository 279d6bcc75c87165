#!/usr/bin/env node
// The Python, Java, .NET and Go sources of the library, as jsii-pacmak generates them from the .jsii assembly and the
// rosetta tablet (.jsii.tabl.json), without building them (--code-only: no pip, Maven, dotnet or go needed). Then checks
// that each language's package exists and that its README carries every README example translated to that language.
//
//   node scripts/pacmak-code-only.js OUTDIR          generate into OUTDIR (emptied first), check, print the file list
//   node scripts/pacmak-code-only.js --check OUTDIR  check what OUTDIR already holds (the test feeds it broken copies)
//
// Needs the build's .jsii and .jsii.tabl.json (`npx projen build`, or compile and post-compile). Exits 1 on a failed check.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const PACKAGE_JSON = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const TARGETS = PACKAGE_JSON.jsii.targets;

// Where each language's copy of README.md lands, how its code blocks are delimited, and how a translated example
// imports the library (a TypeScript example left untranslated names it as 'cdk-ami-sharing').
const LANGUAGES = {
  python: {
    readme: `python/README.md`,
    blocks: /^```python\n([\s\S]*?)^```$/gm,
    library: `from ${TARGETS.python.module} import`,
    sample: 'AmiLaunchPermissions(self, "Share",',
    sources: [`python/src/${TARGETS.python.module}/__init__.py`, 'python/setup.py', 'python/pyproject.toml'],
  },
  java: {
    readme: `java/src/main/java/${TARGETS.java.package.replace(/\./g, '/')}/package-info.java`,
    blocks: /<blockquote><pre>\n([\s\S]*?)<\/pre><\/blockquote>/g,
    library: `import ${TARGETS.java.package}.`,
    sample: 'AmiLaunchPermissions.Builder.create(this, "Share")',
    sources: ['java/pom.xml', `java/src/main/java/${TARGETS.java.package.replace(/\./g, '/')}/AmiLaunchPermissions.java`],
  },
  dotnet: {
    readme: `dotnet/${TARGETS.dotnet.packageId}/${TARGETS.dotnet.namespace}/NamespaceDoc.cs`,
    blocks: /<code><!\[CDATA\[\n([\s\S]*?)\]\]><\/code>/g,
    library: `using ${TARGETS.dotnet.namespace};`,
    sample: 'new AmiLaunchPermissions(this, "Share", new AmiLaunchPermissionsProps {',
    sources: [`dotnet/${TARGETS.dotnet.packageId}/${TARGETS.dotnet.packageId}.csproj`,
      `dotnet/${TARGETS.dotnet.packageId}/${TARGETS.dotnet.namespace}/AmiLaunchPermissions.cs`],
  },
  go: {
    readme: 'go/cdkamisharing/README.md',
    blocks: /^```go\n([\s\S]*?)^```$/gm,
    library: `import "${TARGETS.go.moduleName}/cdkamisharing"`,
    sample: 'cdkamisharing.NewAmiLaunchPermissions(this, jsii.String("Share"), &AmiLaunchPermissionsProps{',
    sources: ['go/cdkamisharing/go.mod', 'go/cdkamisharing/AmiLaunchPermissions.go', 'go/cdkamisharing/jsii/jsii.go'],
  },
};

// The README's TypeScript examples: every one of them is translated, or jsii-pacmak leaves it in TypeScript.
function readmeExamples() {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/^```ts\b[^\n]*\n([\s\S]*?)^```$/gm)].map(m => m[1]);
}

// TypeScript that no translation keeps: an import of the npm package, `declare const`, a type annotation on a const.
const TYPESCRIPT_LEFT = [/from ['"]cdk-ami-sharing['"]/, /^\s*declare const /m, /\bimport \{/, /non-compiling source/i];

function check(outdir) {
  const failures = [];
  const examples = readmeExamples();
  const usingLibrary = examples.filter(e => /from 'cdk-ami-sharing'/.test(e)).length;
  if (examples.length === 0) failures.push('README.md has no ```ts examples: the check would prove nothing');
  for (const [language, spec] of Object.entries(LANGUAGES)) {
    if (!TARGETS[language]) {
      failures.push(`${language}: package.json's jsii.targets has no ${language} target`);
      continue;
    }
    for (const file of [spec.readme, ...spec.sources]) {
      if (!fs.existsSync(path.join(outdir, file))) failures.push(`${language}: ${file} was not generated`);
    }
    const readmeFile = path.join(outdir, spec.readme);
    if (!fs.existsSync(readmeFile)) continue;
    const text = fs.readFileSync(readmeFile, 'utf8');
    const blocks = [...text.matchAll(spec.blocks)].map(m => m[1]);
    const translated = blocks.filter(b => b.includes(spec.library));
    if (translated.length !== usingLibrary) {
      failures.push(`${language}: ${spec.readme} has ${translated.length} examples that use ${spec.library}; README.md has ${usingLibrary} that use cdk-ami-sharing`);
    }
    if (!text.includes(spec.sample)) failures.push(`${language}: ${spec.readme} lacks the simplest example translated (${spec.sample})`);
    for (const pattern of TYPESCRIPT_LEFT) {
      const left = blocks.find(b => pattern.test(b)) ?? (pattern.test(text) ? text : undefined);
      if (left) failures.push(`${language}: ${spec.readme} still holds TypeScript (${pattern}): ${left.split('\n').find(l => pattern.test(l))?.trim()}`);
    }
  }
  return failures;
}

function listFiles(dir, prefix = '') {
  return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)).flatMap(entry =>
    entry.isDirectory() ? listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`]);
}

function main() {
  const args = process.argv.slice(2);
  const checkOnly = args[0] === '--check';
  const outdir = path.resolve(checkOnly ? args[1] ?? '' : args[0] ?? '');
  if (!(checkOnly ? args[1] : args[0])) {
    console.error('usage: node scripts/pacmak-code-only.js [--check] OUTDIR');
    process.exit(2);
  }
  if (!checkOnly) {
    for (const file of ['.jsii', '.jsii.tabl.json']) {
      if (!fs.existsSync(path.join(ROOT, file))) {
        console.error(`pacmak-code-only: no ${file}: run 'npx projen build' (or compile and post-compile) first`);
        process.exit(1);
      }
    }
    fs.rmSync(outdir, { recursive: true, force: true });
    const started = Date.now();
    // --no-npmignore: pacmak would otherwise rewrite .npmignore (projen's file); --no-fingerprint: always regenerate.
    execFileSync(path.join(ROOT, 'node_modules', '.bin', 'jsii-pacmak'), [
      '--code-only', '--no-npmignore', '--no-fingerprint', '--rosetta-tablet', path.join(ROOT, '.jsii.tabl.json'),
      '--outdir', outdir, '--targets', ...Object.keys(LANGUAGES),
    ], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' } });
    console.log(`pacmak-code-only: generated ${Object.keys(LANGUAGES).join(', ')} into ${outdir} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const language of Object.keys(LANGUAGES)) {
      const files = fs.existsSync(path.join(outdir, language)) ? listFiles(path.join(outdir, language)) : [];
      console.log(`\n${language} (${files.length} files):\n${files.map(f => `  ${language}/${f}`).join('\n')}`);
    }
  }
  const failures = check(outdir);
  if (failures.length) {
    console.error(`\npacmak-code-only: FAILED\n${failures.map(f => `  - ${f}`).join('\n')}`);
    process.exit(1);
  }
  console.log(`\npacmak-code-only: every language has its package and all ${readmeExamples().filter(e => /from .cdk-ami-sharing./.test(e)).length} README examples translated`);
}

main();
