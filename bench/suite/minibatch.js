// W4 and W5: mini-batch training with Adam, per epoch, against the peers:
// PyTorch (CPU, the usual training loop), numpy written tightly (every
// buffer allocated once), and the course notebook's model() in numpy.
//   W4 [784, 256, 128, 10] softmax, m = 8192, batch 128, float32; deepnet
//      reads X as rows ({ layout: 'rows' }), as PyTorch holds it and as the
//      docs advise for shuffled batches (a batch's examples are then
//      contiguous runs; the tight numpy gathers columns, as it holds them)
//   W4L W4 after 30 epochs: by then most of W4's dead units' Adam moments are
//      subnormal floats, which slow numpy and PyTorch (x86's assists) and
//      which deepnet computes in double (optimizers_simd.h); not a target
//   W5 [2, 5, 2, 1] (the course's moons net) sigmoid, m = 300, batch 64, float64
const { deepnet, python, log, paired, Rounds, BACKENDS, gemmShown } = require('./common');
const { measurePeaks } = require('./peaks');
const { flops } = require('./fullbatch');

const WORKLOADS = [
  { id: 'W4', name: 'MNIST-sized softmax', layers: [784, 256, 128, 10], m: 8192, batch: 128, head: 'softmax', dtype: 'float32', layout: 'rows',
    threads: [1, 2], rounds: 4, epochs: { deepnet: 3, tight: 2, torch: 2 } },
  { id: 'W4L', name: 'MNIST-sized softmax after 30 epochs', layers: [784, 256, 128, 10], m: 8192, batch: 128, head: 'softmax',
    dtype: 'float32', layout: 'rows', warmup: 30, peaks: 'W4', threads: [1], rounds: 3, epochs: { deepnet: 3, tight: 2, torch: 2 } },
  { id: 'W5', name: 'moons', layers: [2, 5, 2, 1], m: 300, batch: 64, head: 'sigmoid', dtype: 'float64',
    threads: [1], rounds: 5, epochs: { deepnet: 2000, tight: 100, torch: 50, notebook: 200 } },
];

function run({ quick, numpy, torch }) {
  const ms = new Rounds();
  const peak = new Rounds();
  const memory = {};
  for (const w of WORKLOADS) {
    const spec = { layers: w.layers, m: w.m, batch: w.batch, head: w.head, dtype: w.dtype, optimizer: 'adam', learning_rate: 0.0007,
      warmup: w.warmup ?? 1, reps: quick ? 2 : 3 };
    const layout = w.layout ?? 'columns';
    const n = quick ? 1 : w.rounds;
    for (let round = 1; round <= n; round++) {
      if (w.id === 'W4') measurePeaks(peak, w.id, `${w.id} round ${round}`);
      for (const threads of w.threads) {
        const peers = [
          numpy && ['numpy, tight', numpy, 'minibatch_tight.py', w.epochs.tight],
          numpy && w.epochs.notebook && ['numpy, the course notebook', numpy, 'minibatch_numpy.py', w.epochs.notebook],
          torch && ['PyTorch', torch, 'minibatch_torch.py', w.epochs.torch],
        ].filter(Boolean);
        for (const [name, py, script, epochs] of peers) {
          const r = python(py, script, { ...spec, epochs, threads }, threads);
          ms.add(`${w.id}/${name}/${threads}/—`, r.median_ms, `${name} ${r.torch ?? r.numpy ?? ''}`.trim());
          log(`${w.id} ${name} ${threads}t (round ${round}): ${r.median_ms.toFixed(4)} ms/epoch`);
        }
        for (const backend of BACKENDS) {
          const r = deepnet('minibatch_run.js', { ...spec, layout, epochs: w.epochs.deepnet }, backend, threads);
          const key = `${w.id}/deepnet/${threads}/${r.backend.gemm}`;
          ms.add(key, r.median_ms, `deepnet (X as ${layout})`);
          const ratio = r.peak_rss / r.bound.total;
          if (!(key in memory) || ratio < memory[key].ratio) memory[key] = { ratio, rss: r.peak_rss, bound: r.bound };
          log(`${w.id} deepnet ${threads}t ${r.backend.gemm} (round ${round}): ${r.median_ms.toFixed(4)} ms/epoch`);
        }
      }
    }
  }
  const MB = 2 ** 20;
  const gflopsOf = (w, key) => (flops(w.layers, w.m) / (ms.median(key) * 1e6));
  const head = ['workload', 'implementation', 'threads', 'gemm', 'ms / epoch', 'rounds: fastest–slowest', 'GFLOP/s', '% of sgemm peak', 'peak RSS (MB)', 'RSS / bound'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const [key, values] of Object.entries(ms.values)) {
    const [id, impl, threads, backend] = key.split('/');
    const w = WORKLOADS.find((x) => x.id === id);
    const t = ms.median(key);
    const digits = t < 1 ? 4 : 2;
    const peakKey = `${w.peaks ?? id}/float32/${threads}`;
    const pk = peak.has(peakKey) && w.dtype === 'float32' ? `${((100 * gflopsOf(w, key)) / peak.median(peakKey)).toFixed(0)}%` : '—';
    const mem = memory[key];
    lines.push(`| ${id} ${w.name} ${w.dtype} | ${ms.labels[key] ?? impl} | ${threads} | ${gemmShown(backend)} | ${t.toFixed(digits)} | ` +
      `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)} | ${gflopsOf(w, key).toFixed(1)} | ${pk} | ` +
      `${mem ? (mem.rss / MB).toFixed(0) : '—'} | ${mem ? `${mem.ratio.toFixed(2)} (bound ${(mem.bound.total / MB).toFixed(0)} MB)` : '—'} |`);
  }
  const dflt = (id, threads) => [`${id}/deepnet/${threads}/openblas`, `${id}/deepnet/${threads}/builtin`].find((k) => ms.has(k));
  const faster = (id, threads, peer) => (ms.has(`${id}/${peer}/${threads}/—`) ? paired(ms.get(`${id}/${peer}/${threads}/—`), ms.get(dflt(id, threads))) : null);
  const targets = [];
  const w4 = WORKLOADS[0];
  const w4share = gflopsOf(w4, dflt('W4', 1)) / peak.median('W4/float32/1');
  if (torch) targets.push({ name: 'W4 float32, 1 thread, vs PyTorch', value: faster('W4', 1, 'PyTorch'), goal: 3, unit: 'x', peakShare: w4share });
  if (numpy) targets.push({ name: 'W4 float32, 1 thread, vs tight numpy', value: faster('W4', 1, 'numpy, tight'), goal: 2, unit: 'x', peakShare: w4share });
  targets.push({ name: 'W4 float32, 1 thread, of the sgemm peak', value: w4share, goal: 0.7, unit: '%' });
  targets.push({ name: 'W4 float32, 2 threads over 1', value: paired(ms.get(dflt('W4', 1)), ms.get(dflt('W4', 2))), goal: 1.7, unit: 'x' });
  if (numpy) targets.push({ name: 'W5 float64 vs the course notebook\'s numpy', value: faster('W5', 1, 'numpy, the course notebook'), goal: 50, unit: 'x' });
  if (torch) targets.push({ name: 'W5 float64 vs PyTorch', value: faster('W5', 1, 'PyTorch'), goal: 200, unit: 'x' });
  const m4 = memory[dflt('W4', 1)];
  targets.push({ name: 'W4 peak RSS over data + parameters + state + a batch\'s workspace + baseline', value: m4.ratio, goal: 1.3, unit: 'x', atMost: true });
  const b = m4.bound.parts;
  const late = [numpy && `${faster('W4L', 1, 'numpy, tight').toFixed(2)}x the tight numpy`,
    torch && `${faster('W4L', 1, 'PyTorch').toFixed(2)}x PyTorch`].filter(Boolean);
  const note = `\n\nW4's memory bound (1 thread): baseline ${(b.baseline / MB).toFixed(1)} + data ${(b.data / MB).toFixed(1)} + ` +
    `parameters, spare, gradients and Adam's state ${(b.parameters / MB).toFixed(1)} + one batch's arena and the order ${(b.arena / MB).toFixed(1)} MB.` +
    (late.length ? `\nW4L (not a target): the same fit timed after 30 epochs, when many of its dead units' Adam moments are ` +
      `subnormal; deepnet ran ${late.join(', ')} there, 1 thread.` : '') +
    (torch ? '' : '\nPyTorch was not found (python3 -c "import torch" failed, also /usr/bin/python3): its rows are missing.');
  return { title: 'Mini-batches with Adam (W4, W5), per epoch', markdown: lines.join('\n') + note, targets };
}

module.exports = { run };
