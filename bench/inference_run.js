// deepnet's inference, timed: Model.predictProba over all the examples (it
// runs in chunks of 8192 natively), the network and data of inference_numpy.py.
//   node bench/inference_run.js '{"layers":[30,16,8,1],"m":100000,"dtype":"float64","reps":7}'
const deepnet = require('..');

const spec = JSON.parse(process.argv[2]);
const { layers, m, dtype = 'float64' } = spec;
const X = deepnet.asDType(new deepnet.RandomState(0).rand(layers[0], m), dtype);
const output = layers[layers.length - 1] === 1 ? 'sigmoid' : 'softmax';
const model = new deepnet.Model({ layers, output, init: 'he', seed: 3, dtype });
model.predictProba(X);
const times = [];
for (let r = 0; r < (spec.reps || 7); r++) {
  const t = process.hrtime.bigint();
  model.predictProba(X);
  times.push(Number(process.hrtime.bigint() - t) / 1e6);
}
const sorted = [...times].sort((a, b) => a - b);
console.log(JSON.stringify({ median_ms: sorted[Math.floor(sorted.length / 2)], times_ms: times, backend: deepnet.backendInfo() }));
