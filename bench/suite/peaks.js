// The machine's gemm peak, measured in the same minutes as the rows it is
// compared with: a 2048 x 2048 x 2048 product through linearForward, the
// better of the two backends, per dtype and thread count.
const { deepnet, log, BACKENDS } = require('./common');

const DTYPES = ['float64', 'float32'];
const THREADS = [1, 2];

/** Records `${prefix}/${dtype}/${threads}` -> this round's peak GFLOP/s into rounds. */
function measurePeaks(rounds, prefix, label) {
  for (const dtype of DTYPES) {
    for (const threads of THREADS) {
      let best = 0;
      for (const backend of BACKENDS) {
        const r = deepnet('deepnet_run.js', { peak: 2048, dtype, reps: 3 }, backend, threads);
        best = Math.max(best, r.gflops);
        log(`peak gemm ${dtype} ${threads}t ${r.backend.gemm} (${label}): ${r.gflops.toFixed(1)} GFLOP/s`);
      }
      rounds.add(`${prefix}/${dtype}/${threads}`, best);
    }
  }
}

module.exports = { measurePeaks };
