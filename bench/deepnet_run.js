// One deepnet measurement in its own process (the backend and thread count
// are fixed when the addon loads). Prints one JSON line. Run with
// --expose-gc: garbage from one repetition is collected before the next, so
// the peak memory is one training run's.
//   node bench/deepnet_run.js '{"layers":[...],"m":209,"dtype":"float64","iterations":10,"reps":7}'
// Per repetition, times lLayerModel(..., { numIterations: 1 + iterations })
// and lLayerModel(..., { numIterations: 1 }) after one warm-up call: their
// difference over `iterations` is the time of an iteration, without the
// call's setup (initialization, input checks, the arena's first touch),
// which the numpy script leaves out too. The median over `reps` is reported.
const deepnet = require('..');

const spec = JSON.parse(process.argv[2]);
const { layers, m } = spec;
const dtype = spec.dtype || 'float64';
const rng = new deepnet.RandomState(0);
// The runtime's baseline: Node with deepnet loaded and its gemm warmed up
// (OpenBLAS allocates its work buffers on first use) on a tiny problem.
{
  const A = deepnet.zeros(64, 64, dtype);
  deepnet.linearForward(A, A, deepnet.zeros(64, 1, dtype));
}
const baselineRss = process.resourceUsage().maxRSS * 1024;

/**
 * A (rows, cols) matrix of uniforms in the dtype, drawn row by row through one
 * reused buffer, so that no garbage inflates the peak memory measured below.
 */
function uniform(rows, cols) {
  const out = deepnet.zeros(rows, cols, dtype);
  const row = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    rng.native.fillRand(row);
    out.data.set(row, r * cols);
  }
  return out;
}

if (spec.peak) {
  // Peak gemm: C = A B for square n x n operands, through linearForward.
  // Where OpenBLAS is loaded, every product goes to it, so that this is
  // OpenBLAS's own speed rather than wherever the dispatch table sends it.
  if (deepnet.backendInfo().gemm === 'openblas') {
    const all = require('./suite/dispatch_choice').CLASSES;
    require('../dist/native').native.setGemmDispatch({ float64: [all, all], float32: [all, all] });
  }
  const n = spec.peak;
  const A = uniform(n, n);
  const b = deepnet.zeros(n, 1, dtype);
  deepnet.linearForward(A, A, b);
  const times = [];
  for (let r = 0; r < (spec.reps || 5); r++) {
    const t = process.hrtime.bigint();
    deepnet.linearForward(A, A, b);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, c) => a - c);
  console.log(JSON.stringify({ best_ms: times[0], gflops: (2 * n ** 3) / (times[0] * 1e6), backend: deepnet.backendInfo() }));
  process.exit(0);
}

const X = uniform(layers[0], m);
const Y = uniform(1, m);
Y.data.forEach((u, i) => { Y.data[i] = u > 0.5 ? 1 : 0; });
const run = (iterations) => deepnet.lLayerModel(X, Y, layers, { numIterations: iterations, learningRate: 0.0075 });
/** Milliseconds of one call of `iterations` iterations, after a collection. */
const timed = (iterations) => {
  if (global.gc) global.gc();
  const t = process.hrtime.bigint();
  run(iterations);
  return Number(process.hrtime.bigint() - t) / 1e6;
};
run(Math.max(1, Math.min(spec.iterations, 3)));  // warm-up: page in X, start the threads
const perIteration = [];
for (let r = 0; r < spec.reps; r++) {
  const setup = timed(1);
  perIteration.push((timed(1 + spec.iterations) - setup) / spec.iterations);
}
const sorted = [...perIteration].sort((a, c) => a - c);
// What the notes' model must hold: X, Y, parameters, gradients and the cached Z and A.
const bytes = dtype === 'float32' ? 4 : 8;
let weights = 0;
let activations = 0;
for (let l = 1; l < layers.length; l++) {
  weights += layers[l] * (layers[l - 1] + 1);
  activations += 2 * layers[l] * m;
}
console.log(JSON.stringify({
  median_ms: sorted[Math.floor(sorted.length / 2)],
  times_ms: perIteration,
  peak_rss: process.resourceUsage().maxRSS * 1024,
  baseline_rss: baselineRss,
  model_bytes: bytes * ((layers[0] + 1) * m + 2 * weights + activations),
  backend: deepnet.backendInfo(),
}));
