// A worker thread that trains with deepnet (the built package in dist/).
// workerData: { X, Y, shape, seed, iterations } trains the reg_model network and
// posts its parameters; { big: true, ... } starts a long fit on random data,
// posts 'started' and keeps training until it is terminated.
const { parentPort, workerData, threadId } = require('worker_threads');
const deepnet = require('../../dist');

if (workerData.big) {
  const m = 4096;
  const rng = new deepnet.RandomState(workerData.seed);
  const X = rng.randn(784, m);
  const Y = { shape: [1, m], data: rng.rand(1, m).data.map((u) => (u < 0.5 ? 1 : 0)) };
  const model = new deepnet.Model({ layers: [784, 256, 128, 1], seed: workerData.seed });
  model.fit(X, Y, { iterations: workerData.iterations, ...(workerData.progress ? { logEvery: 1, onProgress: () => undefined } : {}) });
  parentPort.postMessage('started');
} else {
  const X = { shape: workerData.shape, data: Float64Array.from(workerData.X) };
  const Y = { shape: [1, workerData.shape[1]], data: Float64Array.from(workerData.Y) };
  const model = new deepnet.Model({ layers: [2, 20, 3, 1], seed: workerData.seed });
  model.fit(X, Y, { learningRate: 0.3, iterations: workerData.iterations }).then(() => {
    const params = Object.fromEntries(Object.entries(model.getParameters()).map(([k, v]) => [k, Array.from(v.data)]));
    parentPort.postMessage({ params, threadId });
  });
}
