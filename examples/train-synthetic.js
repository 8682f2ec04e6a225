// Trains the notes' L-layer network on data deepnet generates itself (two
// noisy concentric rings), then reports the cost curve, accuracy and speed.
// Run: npm run example
const deepnet = require('..');

const m = 400;
const rng = new deepnet.RandomState(1);
const angle = rng.rand(1, m).data;
const noise = rng.randn(2, m).data;
const X = deepnet.zeros(2, m);
const Y = deepnet.zeros(1, m);
for (let i = 0; i < m; i++) {
  const inner = i % 2;                       // label 1: the inner ring
  const radius = inner ? 0.5 : 1.0;
  X.data[i] = radius * Math.cos(2 * Math.PI * angle[i]) + 0.08 * noise[i];
  X.data[m + i] = radius * Math.sin(2 * Math.PI * angle[i]) + 0.08 * noise[m + i];
  Y.data[i] = inner;
}

const info = deepnet.backendInfo();
console.log(`deepnet ${info.version}: gemm ${info.gemm}, SIMD ${info.simd}, ${info.threads} threads`);
const layers = [2, 10, 5, 1];
const start = process.hrtime.bigint();
const { parameters, costs } = deepnet.lLayerModel(X, Y, layers, {
  learningRate: 0.3, numIterations: 3000, printCost: true,
});
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const { accuracy } = deepnet.predict(X, Y, parameters);
console.log(`layers [${layers}], m = ${m}: cost ${costs[0].toFixed(4)} -> ${costs[costs.length - 1].toFixed(4)}, ` +
  `train accuracy ${(accuracy * 100).toFixed(1)}%, ${(ms / 3000 * 1000).toFixed(1)} µs per iteration`);
