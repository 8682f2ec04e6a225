#!/usr/bin/env node
// npm run prebuild: every prebuilt binary the package ships,
// prebuilds/linux-x64/deepnet.glibc.node and prebuilds/linux-arm64/deepnet.glibc.node
// (Node-API, so one file per platform serves every Node version).
//
// Each is compiled by this machine's GCC (arm64: Debian's cross compiler,
// apt-get install g++-aarch64-linux-gnu) with libstdc++ linked in, but linked
// against glibc 2.17's libraries, taken from the sysroots of the napi-rs cross
// toolchains on npm (pinned by version and integrity, fetched once into
// node_modules/.cache), so every glibc symbol it binds exists in glibc 2.28;
// then glibc-floor.js checks that. The builds run in build-prebuild/<target>
// (symlinks to the sources), so build/ (a source build) stays as it is.
// Usage: npm run prebuild [-- linux-x64 linux-arm64]   (default: both)
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { inspect, evaluate } = require('./glibc-floor');

const repo = path.resolve(__dirname, '..');
const TARGETS = {
  'linux-x64': {
    arch: 'x64', triple: 'x86_64-linux-gnu',
    sysroot: {
      name: '@napi-rs/cross-toolchain-x64-target-x86_64', version: '1.0.0', toolchain: 'x86_64-unknown-linux-gnu',
      integrity: 'sha512-lecoghCfoTAX9MLFcIx9/nL9M8xdkZ9n8Pki8qjKUNzjiq1zbECdEbzIZAMMHRtrXxifK9dAyYuh8gSxNbr2og==',
    },
  },
  'linux-arm64': {
    arch: 'arm64', triple: 'aarch64-linux-gnu',
    sysroot: {
      name: '@napi-rs/cross-toolchain-x64-target-aarch64', version: '1.0.3', toolchain: 'aarch64-unknown-linux-gnu',
      integrity: 'sha512-EMFcy/ahFsmCY3BI1tMC3wRUYZ+cDuILg7nP1micaKXW1tO1+RvUB1CC6QYe+cv2W4Tuz9wr3qcFExWyjgWf2w==',
    },
  },
};

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}`);
  return r;
}

function hasCommand(cmd) {
  return spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
}

// The glibc 2.17 libraries of one napi-rs toolchain package: only its
// sysroot's lib and usr/lib directories (what the link reads) are kept.
function sysroot({ name, version, toolchain, integrity }) {
  const dir = path.join(repo, 'node_modules', '.cache', 'deepnet-sysroots', `${toolchain}-${version}`);
  const root = path.join(dir, toolchain, 'sysroot');
  if (fs.existsSync(path.join(dir, 'complete'))) return root;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deepnet-sysroot-'));
  try {
    const packed = spawnSync('npm', ['pack', `${name}@${version}`, '--json', '--pack-destination', tmp],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (packed.status !== 0) throw new Error(`npm pack ${name}@${version} failed`);
    const [info] = JSON.parse(packed.stdout);
    if (info.integrity !== integrity) {
      throw new Error(`${name}@${version}: integrity ${info.integrity}, expected ${integrity}`);
    }
    run('tar', ['-xzf', path.join(tmp, info.filename), '-C', tmp, `package/${toolchain}.tar.xz`]);
    run('tar', ['-xJf', path.join(tmp, 'package', `${toolchain}.tar.xz`), '-C', dir, '--wildcards',
      `*/${toolchain}/sysroot/lib*`, `*/${toolchain}/sysroot/usr/lib*`]);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  fs.writeFileSync(path.join(dir, 'complete'), `${name}@${version}\n`);
  return root;
}

function build(target) {
  const t = TARGETS[target];
  const native = os.arch() === t.arch;
  const prefix = native ? '' : `${t.triple}-`;
  if (!hasCommand(`${prefix}g++`)) {
    throw new Error(`${target} needs ${prefix}g++` +
      (native ? '' : ` (Debian/Ubuntu: apt-get install g++-${t.triple.replace(/_/g, '-')})`));
  }
  const stage = path.join(repo, 'build-prebuild', target);
  fs.rmSync(stage, { recursive: true, force: true });
  fs.mkdirSync(stage, { recursive: true });
  for (const f of ['binding.gyp', 'package.json', 'native']) fs.symlinkSync(path.join(repo, f), path.join(stage, f));
  const out = path.join(repo, 'prebuilds', target);
  fs.rmSync(out, { recursive: true, force: true });
  const env = {
    ...process.env,
    CC: `${prefix}gcc`, CXX: `${prefix}g++`,
    GYP_DEFINES: `deepnet_sysroot=${sysroot(t.sysroot)}`,
    JOBS: process.env.JOBS || String(Math.min(os.cpus().length, 4)),
  };
  // The Node-API headers of the running Node when it has them (no download).
  const headers = path.resolve(process.execPath, '..', '..');
  if (!env.npm_config_nodedir && fs.existsSync(path.join(headers, 'include', 'node', 'node_api.h'))) {
    env.npm_config_nodedir = headers;
  }
  const args = [require.resolve('prebuildify/bin.js'), '--napi', '--strip', '--strip-bin', `${prefix}strip`,
    '--tag-libc', '--arch', t.arch, '--cwd', stage, '--out', repo];
  if (env.npm_config_node_gyp) args.push('--node-gyp', env.npm_config_node_gyp);
  console.log(`== ${target}: ${prefix}g++, linked against ${env.GYP_DEFINES.split('=')[1]}`);
  run(process.execPath, args, { env, cwd: stage });
  return path.join(out, 'deepnet.glibc.node');
}

function main(argv) {
  const targets = argv.length ? argv : Object.keys(TARGETS);
  const unknown = targets.filter((t) => !(t in TARGETS));
  if (unknown.length) throw new Error(`unknown target ${unknown.join(', ')}; known: ${Object.keys(TARGETS).join(', ')}`);
  const files = targets.map(build);
  let ok = true;
  for (const file of files) {
    const { highest, problems } = evaluate(inspect(file));
    const size = (fs.statSync(file).size / 1024).toFixed(0);
    console.log(`${path.relative(repo, file)}: ${size} KiB, needs ${Object.entries(highest).map(([f, v]) => `${f}_${v}`).join(', ')}`);
    for (const p of problems) console.log(`  above the floor: ${p}`);
    ok = ok && problems.length === 0;
  }
  if (!ok) throw new Error('a prebuild needs more than the glibc floor (see above)');
}

try {
  main(process.argv.slice(2));
} catch (err) {
  console.error(`prebuild: ${err.message}`);
  process.exitCode = 1;
}
