// backendInfo, thread control, and both gemm backends giving the golden numbers.
import { execFileSync } from 'child_process';
import * as path from 'path';
import { asDType, backendInfo, lLayerModel, lModelForward, Model, RandomState, setNumThreads } from '../lib';
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

/**
 * Where two lists of number arrays first differ bit for bit ("i:j"), or -1;
 * a short answer where toEqual would print a diff of a million numbers.
 */
function firstDifference(a: number[][], b: number[][]): string | -1 {
  if (a.length !== b.length) return `${a.length} arrays vs ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    if (a[i].length !== b[i].length) return `${i}: length ${a[i].length} vs ${b[i].length}`;
    for (let j = 0; j < a[i].length; j++) if (!Object.is(a[i][j], b[i][j])) return `${i}:${j}`;
  }
  return -1;
}

describe('backendInfo', () => {
  test('reports gemm, SIMD level, threads and the addon version', () => {
    const info = backendInfo();
    expect(['openblas', 'builtin']).toContain(info.gemm);
    expect(['avx2+fma', 'portable']).toContain(info.simd);
    expect(info.threads).toBeGreaterThanOrEqual(1);
    expect(info.version).toBe(pkg.version);
    expect(info.napiVersion).toBe(8);
    if (process.env.DEEPNET_GEMM === 'builtin') expect(info.gemm).toBe('builtin');
    if (info.gemm === 'openblas') expect(info.openblasConfig).toMatch(/OpenBLAS/);
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

  test('a training run large enough to split every kernel gives the same bits with 1 and 2 threads', () => {
    // m = 4096 and a 784-wide input: the elementwise kernels split over the
    // pool (over 65536 elements) and the large products over threads. A 2-D
    // input and a 4-unit layer: the products with fused bias+relu and relu
    // mask (K <= 4), split over rows.
    const rng = new RandomState(2);
    const labels = (m: number) => ({ shape: [1, m] as [number, number], data: rng.rand(1, m).data.map((u) => (u < 0.5 ? 1 : 0)) });
    // A wide input into 20 units, on one thread: dW1, W1's update and the
    // next W1 X share one pass over X (gemm_streamed), with two they do not.
    const cases = [
      { layers: [784, 64, 32, 1], X: rng.randn(784, 4096), Y: labels(4096) },
      { layers: [2, 64, 4, 1], X: rng.randn(2, 40000), Y: labels(40000) },
      { layers: [3000, 20, 5, 1], X: rng.randn(3000, 209), Y: labels(209) },
      { layers: [3000, 20, 5, 1], X: asDType(rng.randn(3000, 209), 'float32'), Y: asDType(labels(209), 'float32'), dtype: 'float32' as const },
    ];
    const run = (threads: number) => {
      setNumThreads(threads);
      return cases.map(({ layers, X, Y, dtype }) => {
        const model = new Model({ layers, init: 'he', l2: 0.1, dtype });
        const costs = model.fitSync(X, Y, { iterations: 3, learningRate: 0.05 }).costs;
        return [Array.from(costs), ...Object.values(model.getParameters()).map((p) => Array.from(p.data))];
      });
    };
    const before = backendInfo().threads;
    try {
      expect(firstDifference(run(1).flat(), run(2).flat())).toBe(-1);
    } finally {
      setNumThreads(before);
    }
  });

  test("lLayerModel on the cat network's shape gives the same bits with 1 and 2 threads", () => {
    // One thread streams X once per iteration for dW1 and the next W1 X.
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
      const one = run(1);
      expect(firstDifference(one, run(2))).toBe(-1);
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

  test.each([
    ['DEEPNET_GEMM=builtin', { DEEPNET_GEMM: 'builtin' }, 'builtin', null],
    ['DEEPNET_SIMD=portable', { DEEPNET_SIMD: 'portable' }, null, 'portable'],
  ])('%s is honoured and matches the golden AL', (_name, env, gemm, simd) => {
    const out = inChild(snippet, env as Record<string, string>) as { info: { gemm: string; simd: string }; AL: number[] };
    if (gemm) expect(out.info.gemm).toBe(gemm);
    if (simd) expect(out.info.simd).toBe(simd);
    expectClose(out.AL, c.plain.forward.A3, TOL.array, 'AL');
  });
});
