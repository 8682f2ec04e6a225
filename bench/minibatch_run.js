// One deepnet mini-batch measurement in its own process (the backend and
// thread count are fixed when the addon loads). Prints one JSON line.
//   node bench/minibatch_run.js '{"layers":[2,5,2,1],"m":300,"batch":64,"head":"sigmoid","layout":"columns",
//                                 "dtype":"float64","epochs":20,"reps":5,"optimizer":"adam"}'
// The data is bench/minibatch_numpy.py's (numpy's RandomState(0)), drawn row
// by row into the dtype (no temporary inflates the peak memory); the model
// is the notebook's (He init, seed 3; batches shuffled with seeds 10 + e + 1).
// times_ms[i] is the time per epoch of block i of `epochs` epochs (one
// fitSync call each, continuing the same model), after `warmup` epochs (1).
// peak_rss is compared with bound: what the fit should hold at most
// (bench/suite/memory.js).
const fs = require('fs');
const deepnet = require('..');
const { fitBound } = require('./suite/memory');

const spec = JSON.parse(process.argv[2]);
const { layers, m, dtype = 'float64' } = spec;
const status = () => fs.readFileSync('/proc/self/status', 'utf8');
const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status())[1]) * 1024;
// The baseline: Node with deepnet loaded and a tiny fit done (the pool and gemm warmed up).
new deepnet.Model({ layers: [2, 2, 1] }).fitSync(deepnet.zeros(2, 4), deepnet.zeros(1, 4), { iterations: 1 });
const baseline = kb('VmRSS');

const K = layers[layers.length - 1];
const rng = new deepnet.RandomState(0);
// layout 'rows': the same values, examples as rows (X^T, as PyTorch holds them).
const rows = spec.layout === 'rows';
const X = rows ? deepnet.zeros(m, layers[0], dtype) : deepnet.zeros(layers[0], m, dtype);
const row = new Float64Array(m);
for (let r = 0; r < layers[0]; r++) {
  rng.native.fillRand(row);
  if (rows) for (let j = 0; j < m; j++) X.data[j * layers[0] + r] = row[j];
  else X.data.set(row, r * m);
}
rng.native.fillRand(row);
const Y = rows ? deepnet.zeros(m, 1, dtype) : deepnet.zeros(1, m, dtype);
for (let j = 0; j < m; j++) Y.data[j] = spec.head === 'sigmoid' ? (row[j] < 0.5 ? 1 : 0) : Math.floor(row[j] * K);
const model = new deepnet.Model({ layers, output: spec.head, init: 'he', seed: 3, dtype });
const fit = (epochs) => model.fitSync(X, Y, { optimizer: spec.optimizer, learningRate: spec.learning_rate ?? 0.0007,
  batchSize: spec.batch, epochs, shuffleSeed: 10, ...(rows ? { layout: 'rows' } : {}) });
fit(spec.warmup ?? 1);  // warm-up
const times = [];
let cost;
for (let r = 0; r < (spec.reps || 5); r++) {
  const t = process.hrtime.bigint();
  cost = fit(spec.epochs).costs[spec.epochs - 1];
  times.push(Number(process.hrtime.bigint() - t) / 1e6 / spec.epochs);
}
const sorted = [...times].sort((a, b) => a - b);
const bound = fitBound({ baseline, layers, m, batch: spec.batch, dtypeBytes: dtype === 'float32' ? 4 : 8,
  optimizerStates: spec.optimizer === 'adam' ? 2 : spec.optimizer === 'gd' ? 0 : 1 });
console.log(JSON.stringify({ median_ms: sorted[Math.floor(sorted.length / 2)], times_ms: times, cost,
  peak_rss: kb('VmHWM'), bound, backend: deepnet.backendInfo() }));
