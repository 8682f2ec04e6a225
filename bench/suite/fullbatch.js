// W1-W3: the notes' L-layer network, full-batch gradient descent, against
// the notes' numpy code (float64), per iteration. Every round interleaves
// the gemm peak, numpy and every deepnet configuration, so the rows compared
// ran minutes apart at most; each row reports the median of its rounds.
const { deepnet, python, log, median, paired, Rounds, BACKENDS, gemmShown } = require('./common');
const { measurePeaks } = require('./peaks');

const WORKLOADS = [
  { id: 'W1', name: 'cat', layers: [12288, 20, 7, 5, 1], m: 209, iterations: 20, numpyIterations: 10, rounds: 8 },
  { id: 'W2', name: 'wide batch', layers: [784, 256, 128, 1], m: 8192, iterations: 3, numpyIterations: 2, rounds: 6 },
  { id: 'W3', name: 'tiny', layers: [2, 20, 3, 1], m: 211, iterations: 2000, numpyIterations: 300, rounds: 8 },
];
const DTYPES = ['float64', 'float32'];
const THREADS = [1, 2];

/** Useful FLOPs of one iteration: forward, dW, and dA for layers 2..L (dA0 is never needed). */
function flops(layers, m) {
  let total = 0;
  for (let l = 1; l < layers.length; l++) total += 2 * m * layers[l] * layers[l - 1] * (l >= 2 ? 3 : 2);
  return total;
}

function run({ quick, numpy }) {
  const peak = new Rounds();
  const ms = new Rounds();
  const memory = {};
  const reps = quick ? 3 : 7;
  for (const w of WORKLOADS) {
    const n = quick ? 1 : w.rounds;
    for (let round = 1; round <= n; round++) {
      measurePeaks(peak, w.id, `${w.id} round ${round}`);
      if (numpy) {
        for (const threads of THREADS) {
          const r = python(numpy, 'notes_numpy.py', { layers: w.layers, m: w.m, dtype: 'float64', iterations: w.numpyIterations, reps: quick ? 3 : 5 }, threads);
          ms.add(`${w.id}/numpy/float64/${threads}/numpy`, r.median_ms, `numpy ${r.numpy}`);
          log(`${w.id} numpy float64 ${threads}t (round ${round}): ${r.median_ms.toFixed(4)} ms`);
        }
      }
      for (const dtype of DTYPES) {
        for (const threads of THREADS) {
          for (const backend of BACKENDS) {
            const r = deepnet('deepnet_run.js', { layers: w.layers, m: w.m, dtype, iterations: w.iterations, reps }, backend, threads);
            const key = `${w.id}/deepnet/${dtype}/${threads}/${r.backend.gemm}`;
            ms.add(key, r.median_ms);
            const over = (r.peak_rss - r.baseline_rss) / r.model_bytes;
            if (!(key in memory) || over < memory[key].over) memory[key] = { over, rss: r.peak_rss, bytes: r.model_bytes, extra: r.peak_rss - r.baseline_rss };
            log(`${w.id} deepnet ${dtype} ${threads}t ${r.backend.gemm} (round ${round}): ${r.median_ms.toFixed(4)} ms`);
          }
        }
      }
    }
  }
  const numpyKey = (id, threads) => `${id}/numpy/float64/${threads}/numpy`;
  const speedup = (key) => {
    const [id, , , threads] = key.split('/');
    return ms.has(numpyKey(id, threads)) ? paired(ms.get(numpyKey(id, threads)), ms.get(key)) : null;
  };
  const gflops = (key) => {
    const w = WORKLOADS.find((x) => x.id === key.split('/')[0]);
    return flops(w.layers, w.m) / (ms.median(key) * 1e6);
  };
  const peakOf = (key) => {
    const [id, , dtype, threads] = key.split('/');
    return peak.median(`${id}/${dtype}/${threads}`);
  };

  const head = ['workload', 'implementation', 'dtype', 'threads', 'gemm', 'ms / iteration', 'rounds: fastest–slowest ms', 'GFLOP/s', '% of peak',
    'speed-up vs numpy f64', 'peak RSS (MB)', 'RSS over baseline / model bytes (MB / MB)'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const [key, values] of Object.entries(ms.values)) {
    const [id, impl, dtype, threads, backend] = key.split('/');
    const w = WORKLOADS.find((x) => x.id === id);
    const t = median(values);
    const digits = t < 1 ? 4 : 2;
    const s = speedup(key);
    const mem = memory[key];
    lines.push(`| ${id} ${w.name} | ${ms.labels[key] ?? impl} | ${dtype} | ${threads} | ${impl === 'numpy' ? "OpenBLAS (numpy's)" : gemmShown(backend)} | ` +
      `${t.toFixed(digits)} | ${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)} | ` +
      `${gflops(key).toFixed(1)} | ${((100 * gflops(key)) / peakOf(key)).toFixed(0)}% | ${s ? `${s.toFixed(2)}x` : '—'} | ` +
      `${mem ? (mem.rss / 2 ** 20).toFixed(0) : '—'} | ${mem ? `${mem.over.toFixed(2)} (${(mem.extra / 2 ** 20).toFixed(1)} / ${(mem.bytes / 2 ** 20).toFixed(1)})` : '—'} |`);
  }
  lines.push('', `Measured gemm peak (2048 x 2048 x 2048, the better backend of each round, median over each workload's rounds), GFLOP/s: ${
    WORKLOADS.map((w) => `${w.id} ${Object.keys(peak.values).filter((k) => k.startsWith(`${w.id}/`))
      .map((k) => `${k.split('/').slice(1).join(' ')}t ${peak.median(k).toFixed(1)}`).join(', ')}`).join('; ')}.`);

  // The default configuration: OpenBLAS when this machine has it.
  const dflt = (id, dtype, threads) => [`${id}/deepnet/${dtype}/${threads}/openblas`, `${id}/deepnet/${dtype}/${threads}/builtin`].find((k) => ms.has(k));
  const targets = [];
  const share = (key) => gflops(key) / peakOf(key);
  if (numpy) {
    for (const [id, name, dtype, goal] of [['W1', 'cat', 'float32', 8], ['W1', 'cat', 'float64', 4], ['W3', 'tiny', 'float64', 30]]) {
      const key = dflt(id, dtype, 1);
      targets.push({ name: `${id} ${name}, ${dtype}, 1 thread, vs the notes' numpy${dtype === 'float32' ? ' (float64)' : ''}`, value: speedup(key), goal, unit: 'x', peakShare: share(key) });
    }
  }
  const w2 = ['openblas', 'builtin'].map((b) => `W2/deepnet/float32/2/${b}`).filter((k) => ms.has(k));
  const w2best = w2.reduce((a, k) => (gflops(k) > gflops(a) ? k : a), w2[0]);
  targets.push({ name: `W2 wide batch, float32, 2 threads, of the sgemm peak (${gemmShown(w2best.split('/')[4])})`, value: share(w2best), goal: 0.9, unit: '%' });
  return { title: 'Full batch: the notes\' network (W1–W3), per iteration', markdown: lines.join('\n'), targets };
}

module.exports = { run, flops };
