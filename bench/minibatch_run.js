// One deepnet mini-batch measurement in its own process (the backend and
// thread count are fixed when the addon loads). Prints one JSON line.
//   node bench/minibatch_run.js '{"layers":[2,5,2,1],"m":300,"batch":64,"head":"sigmoid",
//                                 "dtype":"float64","epochs":20,"reps":5,"optimizer":"adam"}'
// The data is bench/minibatch_numpy.py's (numpy's RandomState(0)); the model
// is the notebook's (He init, seed 3; batches shuffled with seeds 10 + e + 1).
// times_ms[i] is the time per epoch of block i of `epochs` epochs (one
// fitSync call each, continuing the same model), after a warm-up epoch.
const deepnet = require('..');

const spec = JSON.parse(process.argv[2]);
const { layers, m, dtype = 'float64' } = spec;
const K = layers[layers.length - 1];
const rng = new deepnet.RandomState(0);
const X = deepnet.asDType(rng.rand(layers[0], m), dtype);
const u = rng.rand(1, m).data;
const Y = deepnet.asDType({ shape: [1, m], data: u.map((x) => (spec.head === 'sigmoid' ? (x < 0.5 ? 1 : 0) : Math.floor(x * K))) }, dtype);
const model = new deepnet.Model({ layers, output: spec.head, init: 'he', seed: 3, dtype });
const fit = (epochs) => model.fitSync(X, Y, { optimizer: spec.optimizer, learningRate: spec.learning_rate ?? 0.0007,
  batchSize: spec.batch, epochs, shuffleSeed: 10 });
fit(1);  // warm-up
const times = [];
let cost;
for (let r = 0; r < (spec.reps || 5); r++) {
  const t = process.hrtime.bigint();
  cost = fit(spec.epochs).costs[spec.epochs - 1];
  times.push(Number(process.hrtime.bigint() - t) / 1e6 / spec.epochs);
}
const sorted = [...times].sort((a, b) => a - b);
console.log(JSON.stringify({ median_ms: sorted[Math.floor(sorted.length / 2)], times_ms: times, cost,
  peak_rss_mb: process.resourceUsage().maxRSS / 1024 }));
