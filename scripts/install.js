#!/usr/bin/env node
// npm install hook: use the prebuilt binary in prebuilds/ when one fits this
// machine, otherwise compile with node-gyp (node-gyp-build decides, as for
// better-sqlite3 or classic-level). The prebuilds are for glibc; on musl
// (Alpine) and platforms without a prebuild, say so and what a source build
// needs before building; if compiling fails too, say what was looked for and
// how to build from source.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');

/** 'glibc 2.36', 'musl', or null off Linux. */
function detectLibc() {
  if (process.platform !== 'linux') return null;
  const glibc = process.report && process.report.getReport().header.glibcVersionRuntime;
  return glibc ? `glibc ${glibc}` : 'musl';
}

/** The prebuild directories the package ships, e.g. ['linux-arm64', 'linux-x64']. */
function shippedPrebuilds(dir = root) {
  try {
    return fs.readdirSync(path.join(dir, 'prebuilds')).sort();
  } catch (err) {
    return [];
  }
}

/** What a source build needs on this system: the command that installs it. */
function buildPackages(platform, libc) {
  if (platform === 'linux' && libc === 'musl') return 'apk add build-base python3 openblas-dev (Alpine)';
  if (platform === 'linux') {
    return 'apt-get install g++ make python3 libopenblas-dev (Debian/Ubuntu) or ' +
      'dnf install gcc-c++ make python3 openblas-devel (Fedora/RHEL)';
  }
  if (platform === 'darwin') return 'xcode-select --install (the Xcode command line tools)';
  return 'a C++17 compiler, make and python3';
}

/**
 * Whether a shipped prebuild can serve this platform, and the line to print
 * when not: the prebuilds are linked against glibc, so musl builds from source.
 */
function plan({ platform, arch, libc, shipped }) {
  const target = `${platform}-${arch}`;
  const label = libc ? `${target} (${libc})` : target;
  const fits = shipped.includes(target) && (libc === null || libc.startsWith('glibc'));
  const offer = shipped.length ? `deepnet ships prebuilds for ${shipped.join(', ')} (glibc 2.28 and later)` :
    'this copy of deepnet has no prebuilds';
  return {
    fits,
    label,
    notice: fits ? null : `deepnet: no prebuilt binary for ${label}: ${offer}. Building from source, which needs ` +
      `a C++17 compiler, make and python3: ${buildPackages(platform, libc)}.\n`,
  };
}

function main() {
  const libc = detectLibc();
  const p = plan({ platform: process.platform, arch: process.arch, libc, shipped: shippedPrebuilds() });
  if (p.notice) process.stderr.write(p.notice);
  // node-gyp-build tells musl from glibc by /etc/alpine-release alone: tell it.
  const env = libc === 'musl' ? { ...process.env, LIBC: 'musl' } : process.env;
  const bin = require.resolve('node-gyp-build/bin.js');
  const result = spawnSync(process.execPath, [bin], { stdio: 'inherit', cwd: root, env });
  if (result.status !== 0) {
    process.stderr.write(
      `\ndeepnet: no prebuilt binary fits ${p.label}, Node-API ${process.versions.napi}, Node ${process.version}, ` +
        'and building from source failed (see above).\n' +
        `To build from source, install ${buildPackages(process.platform, libc)}; OpenBLAS is optional. ` +
        'Then run: npm rebuild deepnet --build-from-source\n',
    );
    process.exit(result.status === null ? 1 : result.status);
  }
}

module.exports = { detectLibc, shippedPrebuilds, buildPackages, plan };
if (require.main === module) main();
