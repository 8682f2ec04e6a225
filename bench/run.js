// npm run bench: deepnet against the notes' numpy code, side by side, in one
// session. Every measurement runs in its own child process (the gemm backend
// and thread count are fixed when the addon loads); the children run one at a
// time. The machine is shared and noisy, so the whole set is measured in
// several interleaved rounds and each configuration reports the median of its
// rounds (a best-of would compare one side's luckiest moment with the other's).
// Prints the table and writes bench/RESULTS.md.
//
// Options: --quick (one round, fewer repetitions), --no-numpy, --out <file>.
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const outFile = args.includes('--out') ? args[args.indexOf('--out') + 1] : path.join(__dirname, 'RESULTS.md');

const WORKLOADS = [
  { id: 'W1', name: 'cat', layers: [12288, 20, 7, 5, 1], m: 209, iterations: 20, numpyIterations: 10, rounds: 8 },
  { id: 'W2', name: 'wide batch', layers: [784, 256, 128, 1], m: 8192, iterations: 3, numpyIterations: 2, rounds: 6 },
  { id: 'W3', name: 'tiny', layers: [2, 20, 3, 1], m: 211, iterations: 2000, numpyIterations: 300, rounds: 8 },
];
const BACKENDS = ['openblas', 'builtin'];  // the second forces DEEPNET_GEMM=builtin
const DTYPES = ['float64', 'float32'];
const THREADS = [1, 2];
const reps = quick ? 3 : 7;
// Rounds per workload: more give every configuration (numpy's too) more
// chances at a quiet moment of the machine; W1 and W3 are short.
const roundsOf = (w) => (quick ? 1 : w.rounds);

function child(command, argv, env) {
  const out = execFileSync(command, argv, { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split('\n').pop());
}

function deepnetEnv(backend, threads) {
  const env = { DEEPNET_NUM_THREADS: String(threads) };
  if (backend === 'builtin') env.DEEPNET_GEMM = 'builtin';
  return env;
}

function numpyAvailable() {
  try {
    execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    return !args.includes('--no-numpy');
  } catch {
    return false;
  }
}

/** Useful FLOPs of one iteration: forward, dW, and dA for layers 2..L (dA0 is never needed). */
function flops(layers, m) {
  let total = 0;
  for (let l = 1; l < layers.length; l++) total += 2 * m * layers[l] * layers[l - 1] * (l >= 2 ? 3 : 2);
  return total;
}

function log(msg) {
  process.stderr.write(`${msg}\n`);
}

/** Collects a key's value of every round. */
function record(map, key, value) {
  (map[key] ??= []).push(value);
}

/**
 * numpy's time over deepnet's, round by round (both ran within the same
 * minute of the round), then the median: a comparison in the same conditions,
 * where the ratio of two separate medians could set a quiet numpy against a
 * disturbed deepnet.
 */
function pairedSpeedup(numpyRounds, rounds) {
  return median(rounds.map((t, i) => numpyRounds[i] / t));
}

function median(values) {
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

function main() {
  const peak = {};  // `${workload}/${dtype}/${threads}` -> per round, the best GFLOP/s of a 2048^2 gemm over backends
  const ms = {};    // `${workload}/${impl}/${dtype}/${threads}/${backend}` -> per round, the run's median ms per iteration
  const memory = {};
  const labels = {};
  const withNumpy = numpyAvailable();
  if (!withNumpy) log('numpy is not available (python3 -c "import numpy" failed): the numpy rows are skipped');
  // The peak of a large square gemm, measured at the start of every round of
  // a workload (the better backend of the round); the workload's rows are
  // compared with the median of its own rounds' readings, taken in the same
  // minutes as they are.
  const measurePeaks = (id, label) => {
    for (const dtype of DTYPES) {
      for (const threads of THREADS) {
        let round = 0;
        for (const backend of BACKENDS) {
          const r = child(process.execPath, ['--expose-gc', path.join(__dirname, 'deepnet_run.js'),
            JSON.stringify({ peak: 2048, dtype, reps: 3 })], deepnetEnv(backend, threads));
          round = Math.max(round, r.gflops);
          log(`peak gemm ${dtype} ${threads}t ${r.backend.gemm} (${label}): ${r.gflops.toFixed(1)} GFLOP/s`);
        }
        record(peak, `${id}/${dtype}/${threads}`, round);
      }
    }
  };
  // Workload by workload, the rounds interleave numpy and every deepnet
  // configuration, so that the rows compared run minutes apart at most.
  for (const w of WORKLOADS) {
    for (let round = 1; round <= roundsOf(w); round++) {
      measurePeaks(w.id, `${w.id} round ${round}`);
      if (withNumpy) {
        for (const threads of THREADS) {
          const r = child('python3', [path.join(__dirname, 'notes_numpy.py'), JSON.stringify({
            layers: w.layers, m: w.m, dtype: 'float64', iterations: w.numpyIterations, reps: quick ? 3 : 5,
          })], { OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) });
          const key = `${w.id}/numpy/float64/${threads}/numpy`;
          record(ms, key, r.median_ms);
          labels[key] = `numpy ${r.numpy}`;
          log(`${w.id} numpy float64 ${threads}t (round ${round}): ${r.median_ms.toFixed(4)} ms`);
        }
      }
      for (const dtype of DTYPES) {
        for (const threads of THREADS) {
          for (const backend of BACKENDS) {
            const r = child(process.execPath, ['--expose-gc', path.join(__dirname, 'deepnet_run.js'),
              JSON.stringify({ layers: w.layers, m: w.m, dtype, iterations: w.iterations, reps })], deepnetEnv(backend, threads));
            const key = `${w.id}/deepnet/${dtype}/${threads}/${r.backend.gemm}`;
            record(ms, key, r.median_ms);
            const over = (r.peak_rss - r.baseline_rss) / r.model_bytes;
            if (!(key in memory) || over < memory[key].over) memory[key] = { over, rss: r.peak_rss, bytes: r.model_bytes, extra: r.peak_rss - r.baseline_rss };
            log(`${w.id} deepnet ${dtype} ${threads}t ${r.backend.gemm} (round ${round}): ${r.median_ms.toFixed(4)} ms`);
          }
        }
      }
    }
  }
  const numpyKey = (id, threads) => `${id}/numpy/float64/${threads}/numpy`;
  const rows = Object.entries(ms).map(([key, values]) => {
    const [id, impl, dtype, threads, backend] = key.split('/');
    const w = WORKLOADS.find((x) => x.id === id);
    return { w, impl: labels[key] ?? impl, dtype, threads: Number(threads), backend: impl === 'numpy' ? "OpenBLAS (numpy's)" : backend,
      ms: median(values), fastest: Math.min(...values), slowest: Math.max(...values), mem: memory[key],
      speedup: ms[numpyKey(id, threads)] && pairedSpeedup(ms[numpyKey(id, threads)], values) };
  });
  const table = render(rows, peak);
  process.stdout.write(`${table}\n`);
  fs.writeFileSync(outFile, results(table));
  log(`wrote ${path.relative(process.cwd(), outFile)}`);
}

function render(rows, peak) {
  const head = ['workload', 'implementation', 'dtype', 'threads', 'gemm', 'ms / iteration', 'rounds: fastest–slowest ms', 'GFLOP/s', '% of peak',
    'speed-up vs numpy f64', 'peak RSS (MB)', 'RSS over baseline / model bytes (MB / MB)'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const gflops = flops(r.w.layers, r.w.m) / (r.ms * 1e6);
    const pct = (100 * gflops) / median(peak[`${r.w.id}/${r.dtype}/${r.threads}`]);
    const speedup = r.speedup ? `${r.speedup.toFixed(2)}x` : '—';
    const rss = r.mem ? (r.mem.rss / 2 ** 20).toFixed(0) : '—';
    const over = r.mem ? `${r.mem.over.toFixed(2)} (${(r.mem.extra / 2 ** 20).toFixed(1)} / ${(r.mem.bytes / 2 ** 20).toFixed(1)})` : '—';
    const digits = r.ms < 1 ? 4 : 2;
    lines.push(`| ${r.w.id} ${r.w.name} | ${r.impl} | ${r.dtype} | ${r.threads} | ${r.backend} | ${r.ms.toFixed(digits)} | ` +
      `${r.fastest.toFixed(digits)}–${r.slowest.toFixed(digits)} | ` +
      `${gflops.toFixed(1)} | ${pct.toFixed(0)}% | ${speedup} | ${rss} | ${over} |`);
  }
  lines.push('');
  lines.push(`Measured gemm peak (2048 x 2048 x 2048, the better backend of each round, median over each workload's rounds), GFLOP/s: ${
    WORKLOADS.map((w) => `${w.id} ${Object.entries(peak).filter(([k]) => k.startsWith(`${w.id}/`))
      .map(([k, v]) => `${k.split('/').slice(1).join(' ').replace(/ (\d)$/, ' $1t')} ${median(v).toFixed(1)}`).join(', ')}`).join('; ')}.`);
  return lines.join('\n');
}

function results(table) {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `# Benchmark results

Measured ${new Date().toISOString().slice(0, 10)} on ${cpu}, ${os.cpus().length} cores, ` +
`Node ${process.version}, ${os.platform()} ${os.release()}, median of ${WORKLOADS.map((w) => `${roundsOf(w)} (${w.id})`).join(', ')} interleaved rounds.
Reproduce with \`npm run bench\` (about twenty minutes; \`npm run bench -- --quick\` for one rough round).

How to read it: each row is the median wall-clock time of one training iteration (forward + cost +
backward + update, after warm-up) of the notes' network on random data of the workload's shape:
in every round a run's median over its repetitions, then the median over the rounds, which
interleave numpy and every deepnet configuration (the fastest and slowest rounds are shown too).
GFLOP/s counts the useful work of an iteration (forward, dW, and dA for layers 2..L) and
"% of peak" compares it with a large square gemm (the best of both backends, measured at the start
of every round; each workload against the median of its own rounds' readings). "speed-up" is the
notes' numpy code (float64, same thread count) divided by the row's time, in each round, then
the median over the rounds (numpy and the row ran within a minute of each other). numpy is timed over
blocks of consecutive iterations after its initialization; deepnet as the difference between an
lLayerModel call of 1 + n iterations and one of 1 iteration, over n, which leaves out the call's
setup (initialization, input checks, the arena's first touch) in the same way. The machine is
shared and noisy (other tenants come and go: one configuration's rounds can differ by 2x), which is
why every number is a median over interleaved rounds.
"RSS over baseline / model bytes" is the peak resident memory of the run above the runtime's
baseline (Node, the addon and its warmed-up gemm), divided by the bytes of X, Y, parameters,
gradients and the cached Z and A that the notes' model holds.

${table}
`;
}

main();
