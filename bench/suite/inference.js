// I1 and I2: inference throughput, Model.predictProba (natively, in chunks)
// against the notes' L_model_forward in numpy over all the examples at
// once, in the same dtype and thread count.
//   I1 [30, 16, 8, 1] sigmoid, m = 100,000
//   I2 [784, 256, 128, 10] softmax (W4's network), m = 16,384
const { deepnet, python, log, paired, Rounds, BACKENDS, gemmShown } = require('./common');
const { measurePeaks } = require('./peaks');

const WORKLOADS = [
  { id: 'I1', name: 'small net, many examples', layers: [30, 16, 8, 1], m: 100000 },
  { id: 'I2', name: "W4's network", layers: [784, 256, 128, 10], m: 16384 },
];

/** FLOPs of the forward pass's products over m examples. */
const forwardFlops = (layers, m) => layers.slice(1).reduce((sum, n, l) => sum + 2 * m * n * layers[l], 0);

function run({ quick, numpy }) {
  const ms = new Rounds();
  const peak = new Rounds();  // measured in I1's rounds, for both workloads' targets
  const n = quick ? 1 : 5;
  for (const w of WORKLOADS) {
    for (let round = 1; round <= n; round++) {
      if (w === WORKLOADS[0]) measurePeaks(peak, 'I', `I round ${round}`);
      for (const dtype of ['float64', 'float32']) {
        for (const threads of [1, 2]) {
          const spec = { layers: w.layers, m: w.m, dtype, reps: quick ? 3 : 7 };
          if (numpy) {
            const r = python(numpy, 'inference_numpy.py', spec, threads);
            ms.add(`${w.id}/${dtype}/${threads}/numpy`, r.median_ms, `numpy ${r.numpy}`);
            log(`${w.id} numpy ${dtype} ${threads}t (round ${round}): ${r.median_ms.toFixed(3)} ms`);
          }
          for (const backend of BACKENDS) {
            const r = deepnet('inference_run.js', spec, backend, threads);
            ms.add(`${w.id}/${dtype}/${threads}/${r.backend.gemm}`, r.median_ms, 'deepnet');
            log(`${w.id} deepnet ${dtype} ${threads}t ${r.backend.gemm} (round ${round}): ${r.median_ms.toFixed(3)} ms`);
          }
        }
      }
    }
  }
  const lines = ['| workload | dtype | threads | implementation | gemm | ms | examples / s | speed-up vs numpy |', '|---|---|---|---|---|---|---|---|'];
  const targets = [];
  for (const [key] of Object.entries(ms.values)) {
    const [id, dtype, threads, impl] = key.split('/');
    const w = WORKLOADS.find((x) => x.id === id);
    const t = ms.median(key);
    const np = `${id}/${dtype}/${threads}/numpy`;
    const speedup = impl !== 'numpy' && ms.has(np) ? paired(ms.get(np), ms.get(key)) : null;
    lines.push(`| ${id} ${w.name} [${w.layers}], m = ${w.m} | ${dtype} | ${threads} | ${ms.labels[key]} | ${impl === 'numpy' ? "OpenBLAS (numpy's)" : gemmShown(impl)} | ` +
      `${t.toFixed(2)} | ${(w.m / (t / 1e3)).toExponential(2)} | ${speedup ? `${speedup.toFixed(2)}x` : '—'} |`);
  }
  if (numpy) {
    for (const w of WORKLOADS) {
      for (const dtype of ['float64', 'float32']) {
        for (const threads of [1, 2]) {
          const key = [`${w.id}/${dtype}/${threads}/openblas`, `${w.id}/${dtype}/${threads}/builtin`].find((k) => ms.has(k));
          const gflops = forwardFlops(w.layers, w.m) / (ms.median(key) * 1e6);
          targets.push({ name: `${w.id} inference ${dtype}, ${threads} thread${threads > 1 ? 's' : ''}, vs numpy's forward pass`,
            value: paired(ms.get(`${w.id}/${dtype}/${threads}/numpy`), ms.get(key)), goal: 2, unit: 'x',
            peakShare: gflops / peak.median(`I/${dtype}/${threads}`) });
        }
      }
    }
  }
  return { title: 'Inference: predictProba against numpy\'s forward pass', markdown: lines.join('\n'), targets };
}

module.exports = { run };
