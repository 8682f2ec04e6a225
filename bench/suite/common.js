// Helpers shared by the benchmark sections (bench/run.js): child processes
// (each measurement runs in its own, since the gemm backend and thread
// count are fixed when the addon loads), medians, paired ratios, and the
// Python peers found on this machine.
const { execFileSync } = require('child_process');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');

function log(msg) {
  process.stderr.write(`${msg}\n`);
}

/** Runs a measurement script; its last stdout line is its JSON result. */
function child(command, argv, env = {}) {
  const out = execFileSync(command, argv, { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split('\n').pop());
}

/** A deepnet script of bench/ with the backend ('openblas' | 'builtin') and thread count. */
function deepnet(script, spec, backend, threads) {
  const env = { DEEPNET_NUM_THREADS: String(threads) };
  if (backend === 'builtin') env.DEEPNET_GEMM = 'builtin';
  return child(process.execPath, ['--expose-gc', path.join(root, 'bench', script), JSON.stringify(spec)], env);
}

/** A Python script of bench/ on `threads` BLAS threads. */
function python(interpreter, script, spec, threads) {
  const n = String(threads);
  return child(interpreter, [path.join(root, 'bench', script), JSON.stringify(spec)],
    { OPENBLAS_NUM_THREADS: n, OMP_NUM_THREADS: n, MKL_NUM_THREADS: n });
}

/** The first interpreter that can import the module, or null. */
function pythonWith(module, candidates) {
  for (const py of candidates) {
    try {
      execFileSync(py, ['-c', `import ${module}`], { stdio: 'ignore' });
      return py;
    } catch {
      // not this one
    }
  }
  return null;
}

function median(values) {
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/**
 * The median over rounds of a[i] / b[i]: two configurations measured within
 * the same minute of each round, compared in the same conditions (the ratio
 * of two separate medians could set a quiet one against a disturbed one).
 */
function paired(a, b) {
  const n = Math.min(a.length, b.length);
  return median(Array.from({ length: n }, (_, i) => a[i] / b[i]));
}

/** Collects per-round values under a key. */
class Rounds {
  constructor() {
    this.values = {};
    this.labels = {};
  }
  add(key, value, label) {
    (this.values[key] ??= []).push(value);
    if (label) this.labels[key] = label;
  }
  has(key) {
    return key in this.values;
  }
  get(key) {
    return this.values[key];
  }
  median(key) {
    return median(this.values[key]);
  }
}

const BACKENDS = ['openblas', 'builtin'];  // the second forces DEEPNET_GEMM=builtin
/**
 * A training or inference run's gemm, as the tables show it: with OpenBLAS
 * loaded, the products go where the measured dispatch sends them (which may
 * be nowhere near OpenBLAS), so the row says so.
 */
const gemmShown = (backend) => (backend === 'openblas' ? 'dispatch' : backend === 'builtin' ? 'built-in' : backend);

module.exports = { root, log, child, deepnet, python, pythonWith, median, paired, Rounds, BACKENDS, gemmShown };
