// npm run bench: deepnet against the notes' numpy code, side by side, in one
// session. Every measurement runs in its own child process (the gemm backend
// and thread count are fixed when the addon loads); the children run one at a
// time. Prints the table and writes bench/RESULTS.md.
//
// Options: --quick (fewer repetitions), --no-numpy, --out <file>.
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const outFile = args.includes('--out') ? args[args.indexOf('--out') + 1] : path.join(__dirname, 'RESULTS.md');

const WORKLOADS = [
  { id: 'W1', name: 'cat', layers: [12288, 20, 7, 5, 1], m: 209, iterations: 20, numpyIterations: 30 },
  { id: 'W2', name: 'wide batch', layers: [784, 256, 128, 1], m: 8192, iterations: 3, numpyIterations: 5 },
  { id: 'W3', name: 'tiny', layers: [2, 20, 3, 1], m: 211, iterations: 2000, numpyIterations: 2000 },
];
const BACKENDS = ['openblas', 'builtin'];
const DTYPES = ['float64', 'float32'];
const THREADS = [1, 2];
const reps = quick ? 3 : 7;

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

function main() {
  const rows = [];
  const peak = {};  // `${dtype}/${threads}` -> best GFLOP/s of a 2048^2 gemm over the backends
  const backendsSeen = {};
  for (const dtype of DTYPES) {
    for (const threads of THREADS) {
      for (const backend of BACKENDS) {
        const r = child(process.execPath, [path.join(__dirname, 'deepnet_run.js'),
          JSON.stringify({ peak: 2048, dtype, reps: quick ? 3 : 5 })], deepnetEnv(backend, threads));
        backendsSeen[backend] = r.backend.gemm;
        const key = `${dtype}/${threads}`;
        peak[key] = Math.max(peak[key] ?? 0, r.gflops);
        log(`peak gemm ${dtype} ${threads} thread(s) ${r.backend.gemm}: ${r.gflops.toFixed(1)} GFLOP/s`);
      }
    }
  }
  const withNumpy = numpyAvailable();
  if (!withNumpy) log('numpy is not available (python3 -c "import numpy" failed): the numpy rows are skipped');

  for (const w of WORKLOADS) {
    const numpy = {};
    if (withNumpy) {
      for (const threads of THREADS) {
        const r = child('python3', [path.join(__dirname, 'notes_numpy.py'),
          JSON.stringify({ layers: w.layers, m: w.m, dtype: 'float64', iterations: quick ? Math.ceil(w.numpyIterations / 2) : w.numpyIterations })],
        { OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) });
        numpy[threads] = r.median_ms;
        rows.push({ w, impl: `numpy ${r.numpy}`, dtype: 'float64', threads, backend: 'OpenBLAS (numpy\'s)', ms: r.median_ms });
        log(`${w.id} numpy float64 ${threads}t: ${r.median_ms.toFixed(3)} ms`);
      }
    }
    for (const dtype of DTYPES) {
      for (const threads of THREADS) {
        for (const backend of BACKENDS) {
          const r = child(process.execPath, [path.join(__dirname, 'deepnet_run.js'),
            JSON.stringify({ layers: w.layers, m: w.m, dtype, iterations: w.iterations, reps })], deepnetEnv(backend, threads));
          rows.push({ w, impl: 'deepnet', dtype, threads, backend: r.backend.gemm, ms: r.median_ms,
            rss: r.peak_rss, baseline: r.baseline_rss, modelBytes: r.model_bytes, numpyMs: numpy[threads] });
          log(`${w.id} deepnet ${dtype} ${threads}t ${r.backend.gemm}: ${r.median_ms.toFixed(3)} ms`);
        }
      }
    }
    for (const row of rows) if (row.w === w && row.numpyMs === undefined) row.numpyMs = numpy[row.threads];
  }
  const table = render(rows, peak);
  process.stdout.write(`${table}\n`);
  fs.writeFileSync(outFile, results(table, peak, backendsSeen));
  log(`wrote ${path.relative(process.cwd(), outFile)}`);
}

function render(rows, peak) {
  const head = ['workload', 'implementation', 'dtype', 'threads', 'gemm', 'ms / iteration', 'GFLOP/s', '% of peak',
    'speed-up vs numpy f64', 'peak RSS (MB)', 'RSS over baseline / model bytes'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const gflops = flops(r.w.layers, r.w.m) / (r.ms * 1e6);
    const pct = (100 * gflops) / peak[`${r.dtype}/${r.threads}`];
    const speedup = r.numpyMs ? `${(r.numpyMs / r.ms).toFixed(2)}x` : '—';
    const rss = r.rss ? (r.rss / 2 ** 20).toFixed(0) : '—';
    const over = r.rss ? ((r.rss - r.baseline) / r.modelBytes).toFixed(2) : '—';
    lines.push(`| ${r.w.id} ${r.w.name} | ${r.impl} | ${r.dtype} | ${r.threads} | ${r.backend} | ${r.ms.toFixed(r.ms < 1 ? 4 : 2)} | ` +
      `${gflops.toFixed(1)} | ${pct.toFixed(0)}% | ${speedup} | ${rss} | ${over} |`);
  }
  lines.push('');
  lines.push(`Measured gemm peak (2048 x 2048 x 2048, best backend): ${Object.entries(peak)
    .map(([k, v]) => `${k.replace('/', ', ')} thread(s) ${v.toFixed(1)} GFLOP/s`).join('; ')}.`);
  return lines.join('\n');
}

function results(table, peak, backendsSeen) {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `# Benchmark results

Measured ${new Date().toISOString().slice(0, 10)} on ${cpu}, ${os.cpus().length} cores, ` +
`Node ${process.version}, ${os.platform()} ${os.release()}; gemm backends: ${Object.values(backendsSeen).join(', ')}.
Reproduce with \`npm run bench\` (about five minutes; \`npm run bench -- --quick\` for a rough pass).

How to read it: each row is the median wall-clock time of one training iteration (forward + cost +
backward + update, after warm-up) of the notes' network on random data of the workload's shape.
GFLOP/s counts the useful work of an iteration (forward, dW, and dA for layers 2..L) and
"% of peak" compares it with a large square gemm measured in the same run. "speed-up" is the
notes' numpy code (float64, same thread count) divided by the row's time. "RSS over baseline /
model bytes" is the peak resident memory of the run above the runtime's baseline (Node, the addon
and its warmed-up gemm), divided by the bytes of X, Y, parameters, gradients and the cached Z and
A that the notes' model holds. The machine is shared and noisy: compare rows of one run, not runs.

${table}
`;
}

main();
