// node bench/load.js [--runs N] [DIST ...]: how long require() of deepnet's
// core takes in a fresh process, and what it loads: the median and the fastest
// of N runs (interleaved over the DIST directories given, default ./dist),
// the modules in require.cache (deepnet's own and the rest), the heap and RSS
// it adds; next to `import numpy` in python3 when numpy is installed.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const args = process.argv.slice(2);
const at = args.indexOf('--runs');
const runs = at >= 0 ? Number(args[at + 1]) : 30;
const dists = args.filter((a, i) => a !== '--runs' && i !== at + 1);
if (dists.length === 0) dists.push(path.join(__dirname, '..', 'dist'));

const probe = (dist) => `
const before = process.memoryUsage();
const t = process.hrtime.bigint();
require(${JSON.stringify(path.resolve(dist))});
const ms = Number(process.hrtime.bigint() - t) / 1e6;
const after = process.memoryUsage();
const own = ${JSON.stringify(path.resolve(dist, '..') + path.sep)};
const files = Object.keys(require.cache);
const packages = new Set(files.filter((f) => f.includes('/node_modules/')).map((f) => f.split('/node_modules/').pop().split('/')[0]));
process.stdout.write(JSON.stringify({ ms, own: files.filter((f) => f.startsWith(own) && !f.includes('/node_modules/')).length,
  others: files.filter((f) => f.includes('/node_modules/')).length, packages: packages.size,
  heapMB: (after.heapUsed - before.heapUsed) / 2 ** 20, rssMB: (after.rss - before.rss) / 2 ** 20 }));`;

// A script file, not node -e: -e preloads Node's built-in modules (crypto among them) as globals.
const scripts = new Map(dists.map((d, i) => {
  const file = path.join(os.tmpdir(), `deepnet-load-${process.pid}-${i}.js`);
  fs.writeFileSync(file, probe(d));
  return [d, file];
}));
process.on('exit', () => { for (const f of scripts.values()) fs.rmSync(f, { force: true }); });

const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const results = Object.fromEntries(dists.map((d) => [d, []]));
const numpy = [];
let hasNumpy = true;
for (let i = 0; i < runs; i++) {
  for (const d of dists) results[d].push(JSON.parse(execFileSync(process.execPath, [scripts.get(d)], { encoding: 'utf8' })));
  if (hasNumpy) {
    try {
      numpy.push(Number(execFileSync('python3', ['-c', 'import time; t = time.perf_counter(); import numpy; print((time.perf_counter() - t) * 1e3)'],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })));
    } catch {
      hasNumpy = false;
    }
  }
}
for (const [d, r] of Object.entries(results)) {
  const f = (k) => median(r.map((x) => x[k]));
  console.log(`${d}: require ${f('ms').toFixed(1)} ms median, ${Math.min(...r.map((x) => x.ms)).toFixed(1)} ms fastest of ${runs}; ` +
    `${r[0].own} own modules, ${r[0].others} from node_modules (${r[0].packages} packages); +${f('heapMB').toFixed(1)} MB heap, +${f('rssMB').toFixed(1)} MB RSS`);
}
if (numpy.length > 0) console.log(`python3 import numpy: ${median(numpy).toFixed(1)} ms median, ${Math.min(...numpy).toFixed(1)} ms fastest of ${numpy.length}`);
