// Boundary fuzzing (issue: no crash on any input). Thousands of seeded random
// calls of the public API and of the raw addon: each returns or throws a
// JavaScript Error; the process never aborts. Longer runs: node test/fuzz/run.js.
import * as core from '../lib';
import * as datasets from '../lib/datasets';
import * as plot from '../lib/plot';
import { native } from '../lib/native';
import { Matrix } from '../lib';

// The core and its two subpaths, as one object for the fuzzer.
const deepnet = { ...core, datasets, plot };
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { makeFuzzer } = require('./fuzz/fuzzer');

const FUZZ_CALLS_PER_SEED = 1500;
const SEEDS = [11, 12, 13, 14];

test.each(SEEDS)(`${FUZZ_CALLS_PER_SEED} random calls (seed %i) return or throw Errors`, async (seed) => {
  const fuzzer = makeFuzzer(deepnet, seed, native);
  const seen: Record<string, { ok: number; error: number }> = {};
  for (let i = 0; i < FUZZ_CALLS_PER_SEED; i++) {
    const [name, outcome] = await fuzzer.step();
    seen[name] ??= { ok: 0, error: 0 };
    seen[name][outcome as 'ok' | 'error']++;
  }
  // The fuzzer reaches every target, and both outcomes of the public ones.
  expect(Object.keys(seen).sort()).toEqual([...fuzzer.targets].sort());
  for (const [name, counts] of Object.entries(seen)) {
    expect(`${name} errors: ${counts.error > 0}`).toBe(`${name} errors: true`);
    if (!name.startsWith('native')) expect(`${name} successes: ${counts.ok > 0}`).toBe(`${name} successes: true`);
  }
});

describe('unusual but valid memory gives the same results as plain arrays', () => {
  const rng = new deepnet.RandomState(5);
  const X = rng.randn(4, 7);
  const Y = deepnet.matrix([[1, 0, 1, 1, 0, 0, 1]]);
  const parameters = deepnet.initializeParametersHe([4, 5, 3, 1]);

  const copyInto = (m: Matrix, make: (n: number) => Float64Array): Matrix => {
    const data = make(m.data.length);
    data.set(m.data);
    return { shape: [m.shape[0], m.shape[1]], data };
  };
  const layouts: [string, (n: number) => Float64Array][] = [
    ['a view with an offset into a larger buffer', (n) => new Float64Array(n + 9).subarray(5, 5 + n)],
    ['a view at an odd byte offset alignment', (n) => new Float64Array(new ArrayBuffer(8 * (n + 3)), 8 * 3, n)],
    ['SharedArrayBuffer memory', (n) => new Float64Array(new SharedArrayBuffer(8 * n))],
  ];

  test.each(layouts)('%s', (_name, make) => {
    const P = Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, copyInto(v, make)]));
    const [AL, caches] = deepnet.lModelForward(copyInto(X, make), P);
    const [AL0, caches0] = deepnet.lModelForward(X, parameters);
    expect(Array.from(AL.data)).toEqual(Array.from(AL0.data));
    const g = deepnet.lModelBackward(AL, copyInto(Y, make), caches);
    const g0 = deepnet.lModelBackward(AL0, Y, caches0);
    for (const k of Object.keys(g0)) expect(Array.from(g[k].data)).toEqual(Array.from(g0[k].data));
    const trained = deepnet.lLayerModel(copyInto(X, make), copyInto(Y, make), [4, 5, 3, 1], { numIterations: 50, learningRate: 0.1 });
    const trained0 = deepnet.lLayerModel(X, Y, [4, 5, 3, 1], { numIterations: 50, learningRate: 0.1 });
    expect(trained.costs).toEqual(trained0.costs);
    const model = new deepnet.Model({ layers: [4, 5, 3, 1] });
    const model0 = new deepnet.Model({ layers: [4, 5, 3, 1] });
    expect(Array.from(model.fitSync(copyInto(X, make), copyInto(Y, make), { iterations: 20 }).costs))
      .toEqual(Array.from(model0.fitSync(X, Y, { iterations: 20 }).costs));
  });

  test('a detached buffer is refused with a clear error, not read', () => {
    const data = new Float64Array(28);
    structuredClone(data.buffer, { transfer: [data.buffer] });
    expect(() => deepnet.lModelForward({ shape: [4, 7], data }, parameters)).toThrow(/X\.data must be of length rows\*cols = 28.*received length 0/);
    expect(() => native.activationForward(new Float64Array(2), data, 'relu')).toThrow(/has 0 elements, expected 2/);
  });
});
