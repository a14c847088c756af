'use strict';
// The npm registry this project is developed against serves only the platform packages of the
// machines it runs on (linux x64/arm64). `npm install` then leaves every other platform's optional
// binary (esbuild's, SWC's, Biome's…) out of package-lock.json, and `npm ci` refuses the lockfile
// as out of sync. This adds those entries back, marked optional and limited to their platform, so
// `npm ci` skips them on this machine and installs them wherever they exist.
// Run after changing dependencies: `npm run lockfile:complete`. tests/unit/lockfile.test.ts checks it.
const { readFileSync, writeFileSync } = require('node:fs');

const OS = [
  'darwin',
  'linux',
  'win32',
  'android',
  'freebsd',
  'openbsd',
  'netbsd',
  'sunos',
  'aix',
  'openharmony',
];
const CPU = [
  'arm64',
  'x64',
  'ia32',
  'arm',
  'ppc64',
  'ppc64le',
  's390x',
  'riscv64',
  'loong64',
  'mips64el',
  'wasm32',
];

function missingOptionalEntries(lock) {
  const packages = lock.packages ?? {};
  const added = {};
  for (const meta of Object.values(packages)) {
    for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
      const key = `node_modules/${name}`;
      if (packages[key] || added[key]) continue;
      const parts = name.split('/').pop().split('-');
      const entry = { version, optional: true };
      const os = parts.find((part) => OS.includes(part));
      const cpu = parts.find((part) => CPU.includes(part));
      if (os) entry.os = [os];
      if (cpu) entry.cpu = [cpu];
      if (parts.includes('musl')) entry.libc = ['musl'];
      if (parts.includes('gnu') || parts.includes('gnueabihf')) entry.libc = ['glibc'];
      added[key] = entry;
    }
  }
  return added;
}

module.exports = { missingOptionalEntries };

if (require.main === module) {
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
  const added = missingOptionalEntries(lock);
  Object.assign(lock.packages, added);
  lock.packages = Object.fromEntries(
    Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
  );
  writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
  console.log(`package-lock.json: added ${Object.keys(added).length} optional platform entries`);
}
