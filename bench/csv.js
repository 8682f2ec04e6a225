// node bench/csv.js: loadCsv against numpy's loadtxt (and genfromtxt, and
// pandas when installed) on one generated 80,000 x 50 CSV with a 0/1 label
// (78 MB of repr'd doubles). Each load runs in its own process under
// /usr/bin/time -v, in interleaved rounds; the table gives medians of the
// load call's time, the process's peak RSS, and that peak above the same
// runtime's baseline (the interpreter with the library loaded, nothing read),
// against the bytes of the array loaded. First, loadCsv's values are checked
// against loadtxt's, bit for bit.
//
// Options: --rounds N (default 5), --file PATH (default: a temporary file, made once), --genfromtxt.
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const rounds = Number(opt('--rounds', 5));
const file = opt('--file', path.join(os.tmpdir(), 'deepnet-bench-80000x50.csv'));
const here = __dirname;
const [M, N] = [80000, 50];

if (!fs.existsSync(file)) {
  console.log(`writing ${file} ...`);
  execFileSync('python3', [path.join(here, 'csv_numpy.py'), 'make', file, String(M), String(N)], { stdio: 'inherit' });
}

/** One load in a fresh process: { ms (the load call), wall (s), rssMB (peak) }. */
function measure(command, argv) {
  const r = spawnSync('/usr/bin/time', ['-v', command, ...argv], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${command} ${argv.join(' ')} failed:\n${r.stderr}`);
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)[1]);
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  return { ms: out.ms, rssMB: rss / 1024 };
}

function hasPandas() {
  return spawnSync('python3', ['-c', 'import pandas']).status === 0;
}

function verify() {
  const dump = path.join(os.tmpdir(), `deepnet-bench-loadtxt-${process.pid}.f64`);
  execFileSync('python3', [path.join(here, 'csv_numpy.py'), 'dump', file, dump]);
  const want = new Float64Array(fs.readFileSync(dump).buffer.slice(0));
  fs.rmSync(dump);
  const { loadCsv } = require('../dist');
  const ds = loadCsv(file, { labelColumn: null, layout: 'rows' });  // every column, as loadtxt reads them
  let differ = 0;
  for (let i = 0; i < want.length; i++) if (!Object.is(ds.X.data[i], want[i])) differ++;
  console.log(`values: loadCsv vs loadtxt on ${want.length} numbers: ${differ} differ`);
  if (differ !== 0 || want.length !== ds.X.data.length) process.exit(1);
}

const node = (dtype) => ['node', [path.join(here, 'csv_load.js'), file, dtype]];
const py = (how) => ['python3', [path.join(here, 'csv_numpy.py'), how, file]];
const runs = {
  'deepnet loadCsv float64': node('float64'),
  'deepnet loadCsv float32': node('float32'),
  'numpy loadtxt': py('loadtxt'),
  ...(args.includes('--genfromtxt') ? { 'numpy genfromtxt': py('genfromtxt') } : {}),
  ...(hasPandas() ? { 'pandas read_csv': py('pandas') } : {}),
  'node baseline': node('baseline'),
  'python baseline': py('baseline'),
};

verify();
const results = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
for (let r = 0; r < rounds; r++) {
  // Alternate the order, so neither side always runs first in a round.
  const names = Object.keys(runs);
  for (const name of r % 2 ? names.reverse() : names) results[name].push(measure(...runs[name]));
  console.log(`round ${r + 1}/${rounds}: ` + Object.entries(results).map(([k, v]) => `${k} ${v[r].ms.toFixed(0)} ms`).join(', '));
}

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const base = { node: median(results['node baseline'].map((x) => x.rssMB)), python: median(results['python baseline'].map((x) => x.rssMB)) };
const arrayMB = { float64: (M * (N + 1) * 8) / 2 ** 20, float32: (M * (N + 1) * 4) / 2 ** 20 };
console.log(`\n${path.basename(file)}: ${(fs.statSync(file).size / 1e6).toFixed(1)} MB, ${M} x ${N} + label; ${rounds} rounds, medians`);
console.log('| loader | load (ms) | speed-up vs loadtxt | peak RSS (MiB) | above baseline (MiB) | array (MiB) | above baseline / array |');
console.log('|---|---|---|---|---|---|---|');
for (const [name, v] of Object.entries(results)) {
  if (name.endsWith('baseline')) continue;
  const ms = median(v.map((x) => x.ms));
  // The median of the per-round ratios: both sides of a ratio ran within seconds of each other.
  const speedup = median(v.map((x, i) => results['numpy loadtxt'][i].ms / x.ms));
  const rss = median(v.map((x) => x.rssMB));
  const above = rss - (name.startsWith('deepnet') ? base.node : base.python);
  const array = name.endsWith('float32') ? arrayMB.float32 : arrayMB.float64;
  console.log(`| ${name} | ${ms.toFixed(0)} | ${speedup.toFixed(2)}x | ${rss.toFixed(1)} | ${above.toFixed(1)} | ` +
    `${array.toFixed(1)} | ${(above / array).toFixed(2)} |`);
}
console.log(`baselines: node + deepnet ${base.node.toFixed(1)} MiB, python + numpy ${base.python.toFixed(1)} MiB`);
