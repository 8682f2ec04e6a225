// node bench/calibrate.js: measures the built-in gemm against OpenBLAS on
// every product shape of the benchmark's workloads (native/tests/bench_gemm
// --json: W1-W5 training steps, I1/I2 inference chunks, square 1024), sums
// each backend's time per shape class, dtype and thread count, and writes
// this CPU family's row of lib/gemmDispatchTable.ts, chosen by the rules of
// suite/dispatch_choice.js. On a CPU running AVX-512 it also times the
// built-in kernel's AVX2 paths (bench_gemm under DEEPNET_SIMD=avx2).
// Prints the sums per class. Rebuild (npm run compile) for the new row to load.
//   node bench/calibrate.js [--runs 3] [--reps 5] [--margin 0.05]
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { median } = require('./suite/common');
const { CLASSES, chooseDispatch } = require('./suite/dispatch_choice');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const runs = opt('--runs', 3), reps = opt('--reps', 5), margin = opt('--margin', 0.05);
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
  const { openblas, builtinAvx2, levelOf } = chooseDispatch(sums, levels, margin);
  const head = levels.length > 1 ? '| dtype | threads | class | shapes | built-in AVX-512 us | built-in AVX2 us | OpenBLAS us | OpenBLAS / built-in time | chosen |'
    : '| dtype | threads | class | shapes | built-in us | OpenBLAS us | OpenBLAS / built-in time | chosen |';
  const lines = [head, head.replace(/[^|]+/g, '---')];
  for (const dtype of ['float64', 'float32']) {
    for (const threads of [1, 2]) {
      for (const c of CLASSES) {
        const s = sums[`${dtype}/${threads}/${c}`];
        if (!s) continue;
        const level = levelOf(dtype, c);
        const chosen = openblas[dtype][threads - 1].includes(c) ? 'OpenBLAS'
          : levels.length > 1 ? `built-in ${level === 'avx2' ? 'AVX2' : 'AVX-512'}` : 'built-in';
        lines.push(`| ${dtype} | ${threads} | ${c} | ${s.shapes} | ${levels.map((l) => s[l].toFixed(1)).join(' | ')} | ${s.openblas.toFixed(1)} | ` +
          `${(s.openblas / s[level]).toFixed(2)} | ${chosen} |`);
      }
    }
  }
  const table = require(path.join(root, 'dist', 'gemmDispatchTable')).GEMM_DISPATCH_TABLE;
  const date = new Date().toISOString().slice(0, 10);
  table[family] = { measured: date, machine: `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${info.openblasConfig ?? 'OpenBLAS'}`,
    ...(info.cpuModel ? { cpu: info.cpuModel } : {}), openblas,
    ...(builtinAvx2 ? { builtinAvx2 } : {}) };
  const text = fs.readFileSync(tableFile, 'utf8');
  const start = text.indexOf('export const GEMM_DISPATCH_TABLE');
  fs.writeFileSync(tableFile, `${text.slice(0, start)}export const GEMM_DISPATCH_TABLE: Record<string, GemmDispatchRow> = ${JSON.stringify(table, null, 2)};\n`);
  process.stdout.write(`Gemm dispatch for ${family}, ${date} (${runs} runs of bench_gemm, medians; margin ${margin}):\n\n${lines.join('\n')}\n`);
  process.stderr.write(`wrote ${path.relative(process.cwd(), tableFile)}; npm run compile to load it\n`);
}

main();
