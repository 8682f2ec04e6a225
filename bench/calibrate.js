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
// On a CPU running AVX-512 it also times the built-in kernel's AVX2 paths
// (bench_gemm under DEEPNET_SIMD=avx2) and names the classes where they were
// faster by more than the margin, over both thread counts together (the
// built-in kernel's results stay independent of the thread count; a level,
// unlike OpenBLAS, costs nothing to mix in, so no 1% floor) and slower at
// neither thread count, thin and thin NT as one (LEVEL_GROUPS); OpenBLAS is
// then compared with the faster level.
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
// The classes that change level together: thin and thin NT, because the
// first layer's streamed pair (gemm_streamed) computes both at one level, and
// only does when the dispatch puts them at the same one. SmallK never moves.
const LEVEL_GROUPS = [['thin', 'thinNT'], ['dot'], ['packedShallow'], ['packed']];
const tableFile = path.join(root, 'lib', 'gemmDispatchTable.ts');

function benchBinary() {
  const dir = path.join(root, 'build-native');
  execFileSync('cmake', ['-S', root, '-B', dir, '-DDEEPNET_NATIVE_TESTS=ON', '-DCMAKE_BUILD_TYPE=Release'], { stdio: 'ignore' });
  execFileSync('cmake', ['--build', dir, '-j', '2', '--target', 'bench_gemm'], { stdio: 'ignore' });
  return path.join(dir, 'bench_gemm');
}

/** Median times per shape over `runs` runs of bench_gemm at each level: key `${shape}/${dtype}/${threads}`. */
function measure(binary, levels) {
  const times = {};  // key -> { class (at the CPU's level), builtin: { level: [] }, openblas: [] }
  for (let r = 1; r <= runs; r++) {
    for (const level of levels) {
      process.stderr.write(`bench_gemm run ${r} of ${runs}${levels.length > 1 ? `, built-in at ${level}` : ''}\n`);
      const env = level === levels[0] ? process.env : { ...process.env, DEEPNET_SIMD: level };
      const out = execFileSync(binary, ['--json', String(reps)], { encoding: 'utf8', maxBuffer: 1 << 26, env });
      for (const line of out.split('\n').filter((l) => l.startsWith('{'))) {
        const m = JSON.parse(line);
        const t = (times[`${m.shape}/${m.dtype}/${m.threads}`] ??= { ...m, builtin: {}, openblas: [] });
        if (level === levels[0]) { t.class = m.class; t.openblas.push(m.openblas_us); }
        (t.builtin[level] ??= []).push(m.builtin_us);
      }
    }
  }
  return times;
}

/** Whether `faster` beats `slower` by more than the margin and saves at least 1% of `total`. */
const worth = (faster, slower, total) => faster < slower * (1 - margin) && slower - faster >= 0.01 * total;

function main() {
  const { backendInfo } = require('..');
  const info = backendInfo();
  if (info.gemm !== 'openblas') throw new Error('calibrate needs OpenBLAS (apt-get install libopenblas-dev): there is nothing to choose without it');
  const family = info.gemmDispatch.family;
  // At AVX-512 the built-in kernel's AVX2 paths are candidates too (a Zen 4
  // splits 512-bit operations in two).
  const levels = info.simd === 'avx512' ? ['avx512', 'avx2'] : [info.simd];
  const times = measure(benchBinary(), levels);
  const sums = {};  // `${dtype}/${threads}/${class}` -> { [level]: us, openblas: us, shapes }
  for (const t of Object.values(times)) {
    const s = (sums[`${t.dtype}/${t.threads}/${t.class}`] ??= { openblas: 0, shapes: 0 });
    for (const level of levels) s[level] = (s[level] ?? 0) + median(t.builtin[level]);
    s.openblas += median(t.openblas);
    s.shapes++;
  }
  const sum = (dtype, threads, c, what) => sums[`${dtype}/${threads}/${c}`]?.[what] ?? 0;
  // The built-in kernel's level per dtype and class, over both thread counts
  // together, so its results stay independent of the thread count.
  const builtinAvx2 = { float64: [], float32: [] };
  const levelOf = (dtype, c) => (builtinAvx2[dtype].includes(c) ? 'avx2' : levels[0]);
  if (levels.length > 1) {
    for (const dtype of ['float64', 'float32']) {
      const at = (group, level, threads) => group.reduce((a, c) => a + sum(dtype, threads, c, level), 0);
      const both = (group, level) => at(group, level, 1) + at(group, level, 2);
      // The margin alone (unlike a switch to OpenBLAS, a level costs nothing
      // to mix in), and slower at neither thread count.
      for (const group of LEVEL_GROUPS) {
        const neverSlower = [1, 2].every((t) => at(group, 'avx2', t) <= at(group, 'avx512', t));
        if (neverSlower && worth(both(group, 'avx2'), both(group, 'avx512'), 0)) builtinAvx2[dtype].push(...group);
      }
    }
  }
  const openblas = { float64: [[], []], float32: [[], []] };
  const head = levels.length > 1 ? '| dtype | threads | class | shapes | built-in AVX-512 us | built-in AVX2 us | OpenBLAS us | OpenBLAS / built-in time | chosen |'
    : '| dtype | threads | class | shapes | built-in us | OpenBLAS us | OpenBLAS / built-in time | chosen |';
  const lines = [head, head.replace(/[^|]+/g, '---')];
  for (const dtype of ['float64', 'float32']) {
    for (const threads of [1, 2]) {
      const builtin = (c) => sum(dtype, threads, c, levelOf(dtype, c));
      const total = CLASSES.reduce((a, c) => a + Math.min(builtin(c), sum(dtype, threads, c, 'openblas')), 0);
      for (const c of CLASSES) {
        const s = sums[`${dtype}/${threads}/${c}`];
        if (!s) continue;
        const blas = c !== 'smallK' && worth(s.openblas, builtin(c), total);
        if (blas) openblas[dtype][threads - 1].push(c);
        const chosen = blas ? 'OpenBLAS' : levels.length > 1 ? `built-in ${levelOf(dtype, c) === 'avx2' ? 'AVX2' : 'AVX-512'}` : 'built-in';
        lines.push(`| ${dtype} | ${threads} | ${c} | ${s.shapes} | ${levels.map((l) => s[l].toFixed(1)).join(' | ')} | ${s.openblas.toFixed(1)} | ` +
          `${(s.openblas / builtin(c)).toFixed(2)} | ${chosen} |`);
      }
    }
  }
  const table = require(path.join(root, 'dist', 'gemmDispatchTable')).GEMM_DISPATCH_TABLE;
  const date = new Date().toISOString().slice(0, 10);
  table[family] = { measured: date, machine: `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${info.openblasConfig ?? 'OpenBLAS'}`, openblas,
    ...(levels.length > 1 ? { builtinAvx2 } : {}) };
  const text = fs.readFileSync(tableFile, 'utf8');
  const start = text.indexOf('export const GEMM_DISPATCH_TABLE');
  fs.writeFileSync(tableFile, `${text.slice(0, start)}export const GEMM_DISPATCH_TABLE: Record<string, GemmDispatchRow> = ${JSON.stringify(table, null, 2)};\n`);
  process.stdout.write(`Gemm dispatch for ${family}, ${date} (${runs} runs of bench_gemm, medians; margin ${margin}):\n\n${lines.join('\n')}\n`);
  process.stderr.write(`wrote ${path.relative(process.cwd(), tableFile)}; npm run compile to load it\n`);
}

main();
