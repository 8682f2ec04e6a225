// backendInfo, thread control, and both gemm backends giving the golden numbers.
import { execFileSync } from 'child_process';
import * as path from 'path';
import * as deepnet from '../lib';
import { backendInfo, lLayerModel, lModelForward, RandomState, setNumThreads } from '../lib';
import { expectClose, loadGolden, toMatrix, toParams, TOL } from './helpers/golden';

const root = path.resolve(__dirname, '..');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const pkg = require('../package.json');

/** Runs a snippet against the built package (dist/) in a fresh Node process: the backend is chosen at load. */
function inChild(code: string, env: Record<string, string>): unknown {
  const out = execFileSync(process.execPath, ['-e', code], {
    cwd: root, env: { ...process.env, ...env }, encoding: 'utf8',
  });
  return JSON.parse(out);
}

// eslint-disable-next-line @typescript-eslint/no-var-requires
const threadCases = require('./helpers/thread_cases');

describe('OpenBLAS\'s thread pool', () => {
  // Its threads spin for about 0.1 s after starting: started at load, they
  // took a core from predictProba's built-in threads. deepnet opens it with
  // one thread and grows it at the first product on OpenBLAS that needs two.
  const threadsOf = (env: Record<string, string>) => inChild(`
    const fs = require('fs'), d = require('./dist'), { native } = require('./dist/native');
    const tasks = () => fs.readdirSync('/proc/self/task').length;
    const model = new d.Model({ layers: [30, 16, 8, 1], output: 'sigmoid', seed: 3 });
    model.predictProba(new d.RandomState(0).rand(30, 20000));
    const afterPredict = tasks();
    native.setGemmDispatch({ float64: [['packed'], ['packed']], float32: [[], []] });
    d.lModelForward(new d.RandomState(1).rand(300, 400), d.initializeParametersDeep([300, 300, 1], { seed: 1 }));
    console.log(JSON.stringify({ gemm: d.backendInfo().gemm, afterPredict, afterProduct: tasks() }));`,
  { DEEPNET_NUM_THREADS: '2', ...env }) as { gemm: string; afterPredict: number; afterProduct: number };

  test('starts only when a product on OpenBLAS needs two threads, not at load', () => {
    if (process.platform !== 'linux') return;  // counts /proc/self/task
    const withBlas = threadsOf({});
    const builtin = threadsOf({ DEEPNET_GEMM: 'builtin' });
    expect(builtin.afterProduct).toBe(builtin.afterPredict);
    if (withBlas.gemm !== 'openblas') return;  // no OpenBLAS here: nothing more to see
    expect(withBlas.afterPredict).toBe(builtin.afterPredict);  // loading it started no thread
    // Its pool, once a product needed it: a pthreads build's (MAX_THREADS in
    // its config; a serial build says SINGLE_THREADED, an OpenMP one uses OpenMP's threads).
    const config = backendInfo().openblasConfig ?? '';
    if (/MAX_THREADS=/.test(config) && !/USE_OPENMP/.test(config)) expect(withBlas.afterProduct).toBeGreaterThan(withBlas.afterPredict);
  });
});

describe('backendInfo', () => {
  test('reports gemm, SIMD level, threads and the addon version', () => {
    const info = backendInfo();
    expect(['openblas', 'builtin']).toContain(info.gemm);
    expect(process.arch === 'arm64' ? ['neon', 'portable'] : ['avx512', 'avx2+fma', 'portable']).toContain(info.simd);
    expect(process.arch === 'arm64' ? ['neon'] : ['avx512', 'avx2+fma', 'portable']).toContain(info.simdBest);
    expect(info.threads).toBeGreaterThanOrEqual(1);
    expect(info.version).toBe(pkg.version);
    expect(info.napiVersion).toBe(8);
    if (process.env.DEEPNET_GEMM === 'builtin') expect(info.gemm).toBe('builtin');
    if (info.gemm === 'openblas') expect(info.openblasConfig).toMatch(/OpenBLAS/);
    // CI forces each CPU family's kernels: make sure the forcing took.
    const forced = { portable: 'portable', avx2: 'avx2+fma', avx512: 'avx512' }[process.env.DEEPNET_SIMD ?? ''];
    if (forced) expect([info.simd, info.simdReason]).toEqual([forced, `DEEPNET_SIMD=${process.env.DEEPNET_SIMD}`]);
    if (!process.env.DEEPNET_SIMD) expect([info.simd, info.simdReason]).toEqual([info.simdBest, 'the best this CPU has']);
    if (info.gemm === 'openblas' && process.env.OPENBLAS_CORETYPE) {
      expect(info.openblasCore?.toLowerCase()).toBe(process.env.OPENBLAS_CORETYPE.toLowerCase());
    }
  });

  test('names the platform and the addon that loaded: this repository\'s source build', () => {
    const info = backendInfo();
    const glibc = (process.report.getReport() as { header: { glibcVersionRuntime?: string } }).header.glibcVersionRuntime;
    expect(info.platform).toBe(`${process.platform}-${process.arch}` +
      (process.platform === 'linux' ? ` (${glibc ? `glibc ${glibc}` : 'musl'})` : ''));
    if (process.env.DEEPNET_ADDON) {
      expect([info.addon, info.addonFile]).toEqual(['DEEPNET_ADDON', path.resolve(process.env.DEEPNET_ADDON)]);
    } else {
      expect([info.addon, info.addonFile]).toEqual(['source build', path.join(root, 'build', 'Release', 'deepnet.node')]);
    }
  });

  test('setNumThreads changes the reported thread count', () => {
    const before = backendInfo().threads;
    try {
      setNumThreads(1);
      expect(backendInfo().threads).toBe(1);
      setNumThreads(3);
      expect(backendInfo().threads).toBe(3);
    } finally {
      setNumThreads(before);
    }
  });

  test('the built-in gemm gives the same bits with 1 and 2 threads on runs that split every kernel', () => {
    // In a child process that forces it: the backend is chosen when the addon loads.
    const out = inChild(`
      const t = require('./test/helpers/thread_cases'), d = require('./dist');
      console.log(JSON.stringify({ gemm: d.backendInfo().gemm, difference: t.firstDifference(t.run(d, 1), t.run(d, 2)) }));`,
    { DEEPNET_GEMM: 'builtin' });
    expect(out).toEqual({ gemm: 'builtin', difference: -1 });
  });

  test('the loaded backend: 1 and 2 threads bit-identical (built-in) or within 1e-12 (OpenBLAS, which blocks differently on 1 thread)', () => {
    const one = threadCases.run(deepnet, 1);
    const two = threadCases.run(deepnet, 2);
    if (backendInfo().gemm === 'builtin') {
      expect(threadCases.firstDifference(one, two)).toBe(-1);
    } else {
      // Measured with OpenBLAS 0.3.21: 1.1e-16 (SkylakeX/Cooperlake kernels), 0 (Haswell).
      const [f64a, f64b, f64c, f32] = threadCases.largestDifference(one, two) as number[];
      expect(Math.max(f64a, f64b, f64c)).toBeLessThanOrEqual(1e-12);
      expect(f32).toBeLessThanOrEqual(1e-5);
    }
  });

  test("lLayerModel on the cat network's shape: the same bits with 1 and 2 threads on the built-in kernel", () => {
    // One thread streams X once per iteration for dW1 and the next W1 X. Where
    // this CPU family's dispatch sends a float64 class to OpenBLAS (the default
    // rules, e.g. at DEEPNET_SIMD=portable), its own threading decides: within 1e-12.
    const rng = new RandomState(4);
    const X = rng.rand(12288, 209);
    const Y = { shape: [1, 209] as [number, number], data: rng.rand(1, 209).data.map((u) => (u < 0.5 ? 1 : 0)) };
    const run = (threads: number) => {
      setNumThreads(threads);
      const { parameters, costs } = lLayerModel(X, Y, [12288, 20, 7, 5, 1], { numIterations: 4, learningRate: 0.0075 });
      return [costs, ...Object.values(parameters).map((p) => Array.from(p.data))];
    };
    const before = backendInfo().threads;
    try {
      const one = run(1), two = run(2);
      const info = backendInfo();
      if (info.gemm === 'builtin' || info.gemmDispatch.openblas.float64.every((classes) => classes.length === 0)) {
        expect(threadCases.firstDifference([one], [two])).toBe(-1);
      } else {
        expect(threadCases.largestDifference([one], [two])[0]).toBeLessThanOrEqual(1e-12);
      }
      expect(one[0][0]).toBeGreaterThan(0.5);
    } finally {
      setNumThreads(before);
    }
  });

  test('one and two threads give bit-identical float64 results', () => {
    const c = loadGolden('forward_backward').cases[1];
    const run = (threads: number) => {
      setNumThreads(threads);
      return Array.from(lModelForward(toMatrix(c.X), toParams(c.parameters))[0].data);
    };
    const before = backendInfo().threads;
    try {
      expect(run(1)).toEqual(run(2));
    } finally {
      setNumThreads(before);
    }
  });
});

describe('forced backends in a child process', () => {
  const c = loadGolden('forward_backward').cases[0];
  const snippet = `
    const d = require('./dist');
    const X = d.matrix(${JSON.stringify(c.X.data)});
    const p = ${JSON.stringify(Object.fromEntries(Object.entries(c.parameters).map(([k, v]) => [k, (v as { data: number[][] }).data])))};
    const params = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, d.matrix(v)]));
    const [AL] = d.lModelForward(X, params);
    console.log(JSON.stringify({ info: d.backendInfo(), AL: Array.from(AL.data) }));`;

  type Forced = [string, Record<string, string>, string | null, string | null];
  const forcedCases: Forced[] = [
    ['DEEPNET_GEMM=builtin', { DEEPNET_GEMM: 'builtin' }, 'builtin', null],
    ['DEEPNET_SIMD=portable', { DEEPNET_SIMD: 'portable' }, null, 'portable'],
  ];
  if (process.arch === 'x64' && backendInfo().simdBest !== 'portable') forcedCases.push(['DEEPNET_SIMD=avx2', { DEEPNET_SIMD: 'avx2' }, null, 'avx2+fma']);
  if (backendInfo().simdBest === 'avx512') forcedCases.push(['DEEPNET_SIMD=avx512', { DEEPNET_SIMD: 'avx512' }, null, 'avx512']);
  test.each(forcedCases)('%s is honoured and matches the golden AL', (_name, env, gemm, simd) => {
    const out = inChild(snippet, env) as { info: { gemm: string; simd: string }; AL: number[] };
    if (gemm) expect(out.info.gemm).toBe(gemm);
    if (simd) expect(out.info.simd).toBe(simd);
    expectClose(out.AL, c.plain.forward.A3, TOL.array, 'AL');
  });

  test('a DEEPNET_SIMD level the CPU lacks, or no level at all, falls back to the best it has and says why', () => {
    const snippet2 = `const d = require('./dist'); console.log(JSON.stringify(d.backendInfo()));`;
    const best = backendInfo().simdBest;
    const want = process.arch === 'arm64' ? 'avx512' : 'neon';
    const lacking = inChild(snippet2, { DEEPNET_SIMD: want }) as { simd: string; simdReason: string };
    expect([lacking.simd, lacking.simdReason]).toEqual([best, `DEEPNET_SIMD=${want} asked, but this CPU lacks it: the best it has`]);
    const bogus = inChild(snippet2, { DEEPNET_SIMD: 'sse9' }) as { simd: string; simdReason: string };
    expect([bogus.simd, bogus.simdReason]).toEqual([best, 'DEEPNET_SIMD=sse9 is not a level (avx512, avx2, neon, portable): the best this CPU has']);
  });
});
