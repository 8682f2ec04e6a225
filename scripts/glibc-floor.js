#!/usr/bin/env node
// Which versions of glibc, libstdc++ and libgcc a Linux binary needs, read
// from its ELF version references (readelf, from binutils, reads any
// architecture), and whether they are within the floor the prebuilds
// promise: RHEL 8's glibc 2.28 and the GCC 8 runtime it ships.
// Also fails on a needed library outside the C runtime, and on an undefined
// symbol that carries no version (a symbol the build's old glibc lacks would
// show up so, and fail to load at run time), other than Node-API's and weak
// ones.
// Usage: node scripts/glibc-floor.js FILE... (exit 1 if any is above the floor)
'use strict';
const { spawnSync } = require('child_process');

const FLOOR = { GLIBC: '2.28', GLIBCXX: '3.4.25', CXXABI: '1.3.11', GCC: '7.0.0' };
const RUNTIME_LIBRARIES = /^(libc\.so\.6|libm\.so\.6|libdl\.so\.2|libpthread\.so\.0|librt\.so\.1|libgcc_s\.so\.1|libstdc\+\+\.so\.6|ld-linux[\w.-]*\.so\.\d)$/;
const FROM_NODE = /^(napi_|node_api_)/;

/** -1, 0 or 1 as dotted version a is below, equal to or above b. */
function compareVersions(a, b) {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] || 0) - (y[i] || 0);
    if (d) return Math.sign(d);
  }
  return 0;
}

function readelf(args, file) {
  const r = spawnSync('readelf', ['-W', ...args, file], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`readelf ${args.join(' ')} ${file} failed: ${r.error ? r.error.message : r.stderr.trim()}`);
  }
  return r.stdout;
}

/** The needed libraries, version references (GLIBC: ['2.17', ...]) and unversioned strong undefined symbols. */
function inspect(file) {
  const needed = [...readelf(['-d'], file).matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]);
  const versions = {};
  for (const m of readelf(['-V'], file).matchAll(/Name: ([A-Z]+)_([\d.]+)\s+Flags/g)) {
    (versions[m[1]] = versions[m[1]] || []).push(m[2]);
  }
  const unversioned = [];
  for (const line of readelf(['--dyn-syms'], file).split('\n')) {
    const f = line.trim().split(/\s+/);  // Num: Value Size Type Bind Vis Ndx Name
    if (f.length >= 8 && f[6] === 'UND' && f[4] !== 'WEAK' && !f[7].includes('@')) unversioned.push(f[7]);
  }
  return { needed, versions, unversioned };
}

/** The highest version of each family and what breaks the floor. */
function evaluate({ needed, versions, unversioned }) {
  const highest = {};
  const problems = [];
  for (const [family, list] of Object.entries(versions)) {
    highest[family] = list.reduce((a, b) => (compareVersions(a, b) >= 0 ? a : b));
    if (!(family in FLOOR)) problems.push(`an unknown version family ${family}_${highest[family]}`);
    else if (compareVersions(highest[family], FLOOR[family]) > 0) {
      problems.push(`${family}_${highest[family]} is above the floor ${family}_${FLOOR[family]}`);
    }
  }
  for (const lib of needed) if (!RUNTIME_LIBRARIES.test(lib)) problems.push(`it needs ${lib}`);
  const missing = unversioned.filter((s) => !FROM_NODE.test(s));
  if (missing.length) problems.push(`undefined symbols without a version: ${missing.join(', ')}`);
  return { highest, problems };
}

function main(files) {
  if (!files.length) {
    process.stderr.write('usage: node scripts/glibc-floor.js FILE...\n');
    return 2;
  }
  let failed = 0;
  for (const file of files) {
    const info = inspect(file);
    const { highest, problems } = evaluate(info);
    const list = Object.entries(highest).map(([f, v]) => `${f}_${v}`).join(', ');
    process.stdout.write(`${file}: needs ${list || 'no versioned symbols'} (${info.needed.join(' ')}); ` +
      `floor ${Object.entries(FLOOR).map(([f, v]) => `${f}_${v}`).join(' ')}: ${problems.length ? 'FAILED' : 'ok'}\n`);
    for (const p of problems) process.stdout.write(`  ${p}\n`);
    if (problems.length) failed++;
  }
  return failed ? 1 : 0;
}

module.exports = { FLOOR, compareVersions, inspect, evaluate };
if (require.main === module) process.exitCode = main(process.argv.slice(2));
