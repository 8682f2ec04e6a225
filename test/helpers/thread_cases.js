// Training runs large enough to split every kernel over threads, shared by the
// in-process test and a child process that forces a backend (the backend is
// chosen when the addon loads). CommonJS, so the child can load it with plain
// node against dist/.
'use strict';

// m = 4096 and a 784-wide input: the elementwise kernels split over the pool
// (over 65536 elements) and the large products over threads. A 2-D input and
// a 4-unit layer: the products with fused bias+relu and relu mask (K <= 4),
// split over rows. A wide input into 20 units: on one thread dW1, W1's update
// and the next W1 X share one pass over X (gemm_streamed), on two they do not.
// Then predictProba and evaluate on the training X: the first two cases span
// many chunks of examples, which two threads share out.
function cases(d) {
  const rng = new d.RandomState(2);
  const labels = (m) => ({ shape: [1, m], data: rng.rand(1, m).data.map((u) => (u < 0.5 ? 1 : 0)) });
  return [
    { layers: [784, 64, 32, 1], X: rng.randn(784, 4096), Y: labels(4096) },
    { layers: [2, 64, 4, 1], X: rng.randn(2, 40000), Y: labels(40000) },
    { layers: [3000, 20, 5, 1], X: rng.randn(3000, 209), Y: labels(209) },
    { layers: [3000, 20, 5, 1], X: d.asDType(rng.randn(3000, 209), 'float32'), Y: d.asDType(labels(209), 'float32'), dtype: 'float32' },
  ];
}

/** Per case: [costs, W1, b1, ..., probabilities, [cost, accuracy]] as plain arrays, after 3 iterations on `threads` threads. */
function run(d, threads) {
  const before = d.backendInfo().threads;
  d.setNumThreads(threads);
  try {
    return cases(d).map(({ layers, X, Y, dtype }) => {
      const model = new d.Model({ layers, init: 'he', l2: 0.1, dtype });
      const costs = model.fitSync(X, Y, { iterations: 3, learningRate: 0.05 }).costs;
      const scores = model.evaluate(X, Y);
      return [Array.from(costs), ...Object.values(model.getParameters()).map((p) => Array.from(p.data)),
        Array.from(model.predictProba(X).data), [scores.cost, scores.accuracy]];
    });
  } finally {
    d.setNumThreads(before);
  }
}

/** Where two runs first differ bit for bit ("case:array:index"), or -1. */
function firstDifference(a, b) {
  for (let c = 0; c < a.length; c++) {
    for (let i = 0; i < a[c].length; i++) {
      if (a[c][i].length !== b[c][i].length) return `${c}:${i}: length ${a[c][i].length} vs ${b[c][i].length}`;
      for (let j = 0; j < a[c][i].length; j++) if (!Object.is(a[c][i][j], b[c][i][j])) return `${c}:${i}:${j}`;
    }
  }
  return -1;
}

/** Per case, the largest norm-relative difference over its arrays: max|a-b| / max(1, max|b|). */
function largestDifference(a, b) {
  return a.map((arrays, c) => Math.max(...arrays.map((x, i) => {
    let diff = 0;
    let scale = 1;
    x.forEach((v, j) => {
      diff = Math.max(diff, Math.abs(v - b[c][i][j]));
      scale = Math.max(scale, Math.abs(b[c][i][j]));
    });
    return diff / scale;
  })));
}

module.exports = { run, firstDifference, largestDifference };
