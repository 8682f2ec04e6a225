// Square 1024 gemm: the built-in kernel against OpenBLAS, float64 and
// float32, 1 and 2 threads, through linearForward (the bias add is a
// thousandth of the work), interleaved round by round.
const { deepnet, log, paired, Rounds, BACKENDS } = require('./common');

const SIZE = 1024;

function run({ quick }) {
  const rounds = new Rounds();
  const n = quick ? 1 : 5;
  let openblas = true;
  for (let round = 1; round <= n; round++) {
    for (const dtype of ['float64', 'float32']) {
      for (const threads of [1, 2]) {
        for (const backend of BACKENDS) {
          const r = deepnet('deepnet_run.js', { peak: SIZE, dtype, reps: 5 }, backend, threads);
          if (backend === 'openblas' && r.backend.gemm !== 'openblas') openblas = false;
          rounds.add(`${dtype}/${threads}/${r.backend.gemm}`, r.gflops);
          log(`square ${SIZE} ${dtype} ${threads}t ${r.backend.gemm} (round ${round}): ${r.gflops.toFixed(1)} GFLOP/s`);
        }
      }
    }
  }
  const lines = [`| dtype | threads | built-in GFLOP/s | OpenBLAS GFLOP/s | built-in / OpenBLAS |`, '|---|---|---|---|---|'];
  const targets = [];
  for (const dtype of ['float64', 'float32']) {
    for (const threads of [1, 2]) {
      const b = rounds.get(`${dtype}/${threads}/builtin`);
      if (!openblas) {
        lines.push(`| ${dtype} | ${threads} | ${rounds.median(`${dtype}/${threads}/builtin`).toFixed(1)} | — | — |`);
        continue;
      }
      const o = rounds.get(`${dtype}/${threads}/openblas`);
      const ratio = paired(b, o);
      lines.push(`| ${dtype} | ${threads} | ${rounds.median(`${dtype}/${threads}/builtin`).toFixed(1)} | ` +
        `${rounds.median(`${dtype}/${threads}/openblas`).toFixed(1)} | ${ratio.toFixed(2)}x |`);
      targets.push({ name: `built-in gemm, square ${SIZE} ${dtype} ${threads}T, vs OpenBLAS`, value: ratio, goal: 0.95, unit: 'x' });
    }
  }
  const note = openblas ? '' : '\n\nOpenBLAS was not found: no comparison (install libopenblas-dev).';
  return { title: `Square ${SIZE} gemm (median of ${n} rounds)`, markdown: lines.join('\n') + note, targets };
}

module.exports = { run };
