// node bench/calibrate.js: measures the built-in gemm against OpenBLAS on
// every product shape of the benchmark's workloads (native/tests/bench_gemm
// --json: W1-W5 training steps, I1/I2 inference chunks, square 1024), sums
// each backend's time per shape class, dtype and thread count, and writes
// this CPU family's row of lib/gemmDispatchTable.ts: the classes where
// OpenBLAS was faster by more than the margin and saves at least 1% of all
// the shapes' time at that dtype and thread count (a near tie, or a saving of
// microseconds, stays built-in: its results do not depend on the thread
// count, the table stays stable from run to run, and mixing the backends has
// a cost of its own: OpenBLAS's threads spin for about 0.1 s after each call
// and take a core from the built-in kernel's). The small-K class always stays
// built-in (gemm.h).
// Prints the sums per class. Rebuild (npm run compile) for the new row to load.
//   node bench/calibrate.js [--runs 3] [--reps 5] [--margin 0.05]
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { median } = require('./suite/common');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const runs = opt('--runs', 3), reps = opt('--reps', 5), margin = opt('--margin', 0.05);
const CLASSES = ['smallK', 'thin', 'thinNT', 'dot', 'packedShallow', 'packed'];
const tableFile = path.join(root, 'lib', 'gemmDispatchTable.ts');

function benchBinary() {
  const dir = path.join(root, 'build-native');
  execFileSync('cmake', ['-S', root, '-B', dir, '-DDEEPNET_NATIVE_TESTS=ON', '-DCMAKE_BUILD_TYPE=Release'], { stdio: 'ignore' });
  execFileSync('cmake', ['--build', dir, '-j', '2', '--target', 'bench_gemm'], { stdio: 'ignore' });
  return path.join(dir, 'bench_gemm');
}

function main() {
  const { backendInfo } = require('..');
  const info = backendInfo();
  if (info.gemm !== 'openblas') throw new Error('calibrate needs OpenBLAS (apt-get install libopenblas-dev): there is nothing to choose without it');
  const family = info.gemmDispatch.family;
  const binary = benchBinary();
  const times = {};  // `${shape}/${dtype}/${threads}` -> { class, builtin: [], openblas: [] }
  for (let r = 1; r <= runs; r++) {
    process.stderr.write(`bench_gemm run ${r} of ${runs}\n`);
    const out = execFileSync(binary, ['--json', String(reps)], { encoding: 'utf8', maxBuffer: 1 << 26 });
    for (const line of out.split('\n').filter((l) => l.startsWith('{'))) {
      const m = JSON.parse(line);
      const t = (times[`${m.shape}/${m.dtype}/${m.threads}`] ??= { ...m, builtin: [], openblas: [] });
      t.builtin.push(m.builtin_us);
      t.openblas.push(m.openblas_us);
    }
  }
  const sums = {};  // `${dtype}/${threads}/${class}` -> { builtin, openblas, shapes }
  for (const t of Object.values(times)) {
    const s = (sums[`${t.dtype}/${t.threads}/${t.class}`] ??= { builtin: 0, openblas: 0, shapes: [] });
    s.builtin += median(t.builtin);
    s.openblas += median(t.openblas);
    s.shapes.push(t.shape);
  }
  const openblas = { float64: [[], []], float32: [[], []] };
  const lines = ['| dtype | threads | class | shapes | built-in us | OpenBLAS us | OpenBLAS / built-in time | chosen |', '|---|---|---|---|---|---|---|---|'];
  for (const dtype of ['float64', 'float32']) {
    for (const threads of [1, 2]) {
      const total = CLASSES.reduce((a, c) => { const s = sums[`${dtype}/${threads}/${c}`]; return a + (s ? Math.min(s.builtin, s.openblas) : 0); }, 0);
      for (const c of CLASSES) {
        const s = sums[`${dtype}/${threads}/${c}`];
        if (!s) continue;
        const blas = c !== 'smallK' && s.openblas < s.builtin * (1 - margin) && s.builtin - s.openblas >= 0.01 * total;
        if (blas) openblas[dtype][threads - 1].push(c);
        lines.push(`| ${dtype} | ${threads} | ${c} | ${s.shapes.length} | ${s.builtin.toFixed(1)} | ${s.openblas.toFixed(1)} | ` +
          `${(s.openblas / s.builtin).toFixed(2)} | ${blas ? 'OpenBLAS' : 'built-in'} |`);
      }
    }
  }
  const table = require(path.join(root, 'dist', 'gemmDispatchTable')).GEMM_DISPATCH_TABLE;
  const date = new Date().toISOString().slice(0, 10);
  table[family] = { measured: date, machine: `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${info.openblasConfig ?? 'OpenBLAS'}`, openblas };
  const text = fs.readFileSync(tableFile, 'utf8');
  const start = text.indexOf('export const GEMM_DISPATCH_TABLE');
  fs.writeFileSync(tableFile, `${text.slice(0, start)}export const GEMM_DISPATCH_TABLE: Record<string, GemmDispatchRow> = ${JSON.stringify(table, null, 2)};\n`);
  process.stdout.write(`Gemm dispatch for ${family}, ${date} (${runs} runs of bench_gemm, medians; margin ${margin}):\n\n${lines.join('\n')}\n`);
  process.stderr.write(`wrote ${path.relative(process.cwd(), tableFile)}; npm run compile to load it\n`);
}

main();
