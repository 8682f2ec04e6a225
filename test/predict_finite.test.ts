// predict and predictProba check X for NaN and infinity in the addon, chunk by
// chunk (no scaler), or up front (with one): the same errors either way,
// naming the first non-finite value in X's memory order. A chunk read in
// place is checked through its first layer's Z1 = W1 X, and X itself only
// where Z1 is not finite.
import { Matrix, Model, RandomState, standardScaler, toRows } from '../lib';

const layers = [30, 16, 8, 1];
// Several prediction chunks on any cache size (at most 8192 examples each),
// copied out of X (its rows 16384 apart fall in one L1 set) or read in place
// (20003).
const M = [16384, 20003];

function data(dtype: 'float64' | 'float32', m = M[0]): Matrix {
  const X = new RandomState(0).rand(30, m);
  return dtype === 'float64' ? X : { shape: X.shape, data: Float32Array.from(X.data) };
}

function withValues(X: Matrix, values: [number, number, number][]): Matrix {
  const data = X.data.slice();
  for (const [r, c, v] of values) data[r * X.shape[1] + c] = v;
  return { shape: X.shape, data };
}

describe.each(M.flatMap((examples) => (['float64', 'float32'] as const).map((dtype) => [examples, dtype] as const)))(
  'predictProba on non-finite X (m = %d, %s)', (m, dtype) => {
  const model = new Model({ layers, output: 'sigmoid', init: 'he', seed: 3, dtype });
  const X = data(dtype, m);
  const before = model.predictProba(X);

  test('one NaN in the last chunk: the value and its place', () => {
    const bad = withValues(X, [[7, m - 3, NaN]]);
    expect(() => model.predictProba(bad)).toThrow(
      `Model.predictProba: X must be finite (no NaN or Infinity); received NaN at [7, ${m - 3}]`);
    expect(() => model.predict(bad)).toThrow(
      `Model.predict: X must be finite (no NaN or Infinity); received NaN at [7, ${m - 3}]`);
  });

  test('two in different chunks: the first in memory order, not in chunk order', () => {
    // [29, 10] is in the first chunk, [0, 15000] in a later one but earlier in memory.
    const bad = withValues(X, [[29, 10, -Infinity], [0, 15000, Infinity]]);
    expect(() => model.predictProba(bad)).toThrow('received Infinity at [0, 15000]');
  });

  test('-Infinity alone (relu would map its Z1 to 0)', () => {
    expect(() => model.predictProba(withValues(X, [[5, 100, -Infinity]]))).toThrow('received -Infinity at [5, 100]');
  });

  test('finite X whose Z1 overflows: no error, the outputs of a checked copy', () => {
    const huge = dtype === 'float64' ? 1e308 : 3e38;
    const big = withValues(X, Array.from({ length: 30 }, (_, r) => [r, 4321, huge] as [number, number, number]));
    const out = model.predictProba(big);
    expect(Array.from(out.data)).toEqual(Array.from(model.predictProba(toRows(big), { layout: 'rows' }).data));
    expect(out.data[4321]).not.toBe(before.data[4321]);
    expect(out.data[4320]).toBe(before.data[4320]);
  });

  test('one chunk, X read in place', () => {
    const small: Matrix = { shape: [30, 5], data: X.data.slice(0, 150) };
    small.data[4 * 5 + 2] = NaN;
    expect(() => model.predictProba(small)).toThrow('received NaN at [4, 2]');
  });

  test("layout 'rows'", () => {
    const bad = toRows(withValues(X, [[3, 12345, NaN]]));
    expect(() => model.predictProba(bad, { layout: 'rows' })).toThrow('received NaN at [12345, 3]');
  });

  test('the model is unchanged after the error', () => {
    expect(() => model.predictProba(withValues(X, [[0, 0, NaN]]))).toThrow('received NaN at [0, 0]');
    expect(Array.from(model.predictProba(X).data)).toEqual(Array.from(before.data));
  });
});

test('with an input scaler, X is checked before it is scaled', () => {
  const X = data('float64');
  const model = new Model({ layers, output: 'sigmoid', init: 'he', seed: 3 });
  model.setScaler(standardScaler().fit(X));
  expect(() => model.predictProba(withValues(X, [[2, 9, NaN]]))).toThrow(
    'Model.predictProba: X must be finite (no NaN or Infinity); received NaN at [2, 9]');
});
