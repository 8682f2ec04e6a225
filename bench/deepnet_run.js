// One deepnet measurement in its own process (the backend and thread count
// are fixed when the addon loads). Prints one JSON line.
//   node bench/deepnet_run.js '{"layers":[...],"m":209,"dtype":"float64","iterations":10,"reps":7}'
// Times `reps` calls of lLayerModel(..., { numIterations: iterations }) after
// one warm-up call; the median of (call time / iterations) is ms per iteration.
const deepnet = require('..');

const spec = JSON.parse(process.argv[2]);
const { layers, m } = spec;
const dtype = spec.dtype || 'float64';
const rng = new deepnet.RandomState(0);
const X = deepnet.asDType(rng.rand(layers[0], m), dtype);
const Y = deepnet.asDType({ shape: [1, m], data: rng.rand(1, m).data.map((u) => (u > 0.5 ? 1 : 0)) }, dtype);
const baselineRss = process.resourceUsage().maxRSS * 1024;

if (spec.peak) {
  // Peak gemm: C = A B for square n x n operands, through linearForward.
  const n = spec.peak;
  const A = deepnet.asDType(rng.rand(n, n), dtype);
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

const run = (iterations) => deepnet.lLayerModel(X, Y, layers, { numIterations: iterations, learningRate: 0.0075 });
run(Math.max(1, Math.min(spec.iterations, 3)));  // warm-up: page in X, start the threads
const perIteration = [];
for (let r = 0; r < spec.reps; r++) {
  const t = process.hrtime.bigint();
  run(spec.iterations);
  perIteration.push(Number(process.hrtime.bigint() - t) / 1e6 / spec.iterations);
}
const sorted = [...perIteration].sort((a, c) => a - c);
console.log(JSON.stringify({
  median_ms: sorted[Math.floor(sorted.length / 2)],
  times_ms: perIteration,
  peak_rss: process.resourceUsage().maxRSS * 1024,
  baseline_rss: baselineRss,
  backend: deepnet.backendInfo(),
}));
