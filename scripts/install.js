#!/usr/bin/env node
// npm install hook: use the prebuilt binary in prebuilds/ when one fits this
// machine, otherwise compile with node-gyp (node-gyp-build decides, as for
// better-sqlite3 or classic-level). If compiling fails too, say what was
// looked for and how to build from source.
'use strict';
const { spawnSync } = require('child_process');
const path = require('path');

const bin = require.resolve('node-gyp-build/bin.js');
const result = spawnSync(process.execPath, [bin], { stdio: 'inherit', cwd: path.resolve(__dirname, '..') });
if (result.status !== 0) {
  const libc = process.report && process.report.getReport().header.glibcVersionRuntime ? 'glibc' : 'non-glibc';
  process.stderr.write(
    `\ndeepnet: no prebuilt binary fits ${process.platform}-${process.arch} (${libc}, Node-API ${process.versions.napi}, ` +
      `Node ${process.version}), and building from source failed (see above).\n` +
      'deepnet ships prebuilds for linux-x64 (glibc, Node-API 8 and later). To build from source, install a C++17 ' +
      'compiler, make and python3 (Debian/Ubuntu: apt-get install g++ make python3), optionally OpenBLAS ' +
      '(apt-get install libopenblas-dev), then run: npm rebuild deepnet --build-from-source\n',
  );
  process.exit(result.status === null ? 1 : result.status);
}
