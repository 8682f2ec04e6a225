// Peak memory of a fit with mini-batches against full batch (the optimization
// issue's promise): m = 400k examples of 50 features, [50, 64, 32, 1], batch
// 256 with Adam, and full-batch gradient descent, each in its own process.
// Prints, per configuration, the peak RSS and what it should be at most:
// the runtime's baseline + X + Y + parameters + optimizer state + the
// training arena (for a batch, or for all m), as native/model/network.cc lays it out.
//   node bench/minibatch_memory.js [--m 400000]
const { execFileSync } = require('child_process');
const path = require('path');

const args = process.argv.slice(2);
const m = args.includes('--m') ? Number(args[args.indexOf('--m') + 1]) : 400000;
const layers = [50, 64, 32, 1];

if (args.includes('--child')) {
  const spec = JSON.parse(args[args.indexOf('--child') + 1]);
  const deepnet = require('..');
  const status = () => require('fs').readFileSync('/proc/self/status', 'utf8');
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status())[1]) * 1024;
  // The baseline: Node with deepnet loaded and a tiny fit done (the pool and gemm warmed up).
  const tiny = new deepnet.Model({ layers: [2, 2, 1] });
  tiny.fitSync(deepnet.zeros(2, 4), deepnet.zeros(1, 4), { iterations: 1 });
  const baseline = kb('VmRSS');
  // X (50, m) and Y (1, m), written in place (no temporaries).
  const X = deepnet.zeros(layers[0], spec.m);
  for (let i = 0; i < X.data.length; i++) X.data[i] = ((i * 2654435761) % 1000) / 1000;
  const Y = deepnet.zeros(1, spec.m);
  for (let j = 0; j < spec.m; j++) Y.data[j] = j % 2;
  const model = new deepnet.Model({ layers, init: 'he' });
  const t = process.hrtime.bigint();
  model.fitSync(X, Y, spec.fit);
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  console.log(JSON.stringify({ baseline, peak: kb('VmHWM'), seconds }));
  process.exit(0);
}

/** Bytes of the training arena for b examples (network.cc's layout, padding left out). */
function arenaBytes(b, batchInputs) {
  const L = layers.length - 1;
  let count = 0;
  let widest = 0;
  for (let l = 1; l <= L; l++) {
    count += layers[l] * b * (l === L ? 2 : 1);  // A (hidden: also Z), the output layer's Z and A
    if (l < L) widest = Math.max(widest, layers[l] * b);
  }
  count += params + widest;  // gradients, scratch
  if (batchInputs) count += (layers[0] + layers[L]) * b;
  return count * 8 + (batchInputs ? m * 4 : 0);  // + the shuffled order (int32)
}

const params = layers.slice(1).reduce((s, n, i) => s + n * (layers[i] + 1), 0);
const MB = 2 ** 20;
const configs = [
  { name: `batch 256, Adam, 2 epochs`, fit: { optimizer: 'adam', batchSize: 256, epochs: 2, learningRate: 0.001 }, state: 2 * params * 8, arena: arenaBytes(256, true) },
  { name: 'full batch, gd, 2 iterations', fit: { iterations: 2, learningRate: 0.1 }, state: 0, arena: arenaBytes(m, false) },
];
const data = (layers[0] + 1) * m * 8;
console.log(`| fit (m = ${m}, layers [${layers}]) | peak RSS (MB) | baseline + X + Y + parameters + state + arena (MB) | ratio | arena (MB) | time (s) |`);
console.log('|---|---|---|---|---|---|');
for (const c of configs) {
  const out = execFileSync(process.execPath, [__filename, '--child', JSON.stringify({ m, fit: c.fit })], { cwd: path.resolve(__dirname, '..'), encoding: 'utf8' });
  const r = JSON.parse(out.trim().split('\n').pop());
  const bound = r.baseline + data + params * 8 * 2 + c.state + c.arena;  // parameters: the current and the spare
  console.log(`| ${c.name} | ${(r.peak / MB).toFixed(1)} | ${(bound / MB).toFixed(1)} (${(r.baseline / MB).toFixed(1)} + ${(data / MB).toFixed(1)} + ` +
    `${((params * 16 + c.state) / MB).toFixed(2)} + ${(c.arena / MB).toFixed(1)}) | ${(r.peak / bound).toFixed(3)} | ${(c.arena / MB).toFixed(1)} | ${r.seconds.toFixed(2)} |`);
}
