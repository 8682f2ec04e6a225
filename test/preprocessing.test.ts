// RandomState.permutation (numpy's, bit for bit), trainTestSplit and the
// scalers, against numpy's and scikit-learn's outputs: ../shared/golden for
// the permutations, test/fixtures/sklearn_oracle.json (written by
// scripts/oracles/sklearn_oracle.py) for the rest.
import * as fs from 'fs';
import * as path from 'path';
import { fromRows, matrix, Matrix, minMaxScaler, RandomState, scalerFromJSON, standardScaler, toArray, toRows, trainTestSplit } from '../lib';
import { expectClose, loadGolden } from './helpers/golden';

const oracle = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'sklearn_oracle.json'), 'utf8'));

describe('RandomState.permutation', () => {
  test("golden permutations: np.random.seed(s); np.random.permutation(m), bit for bit", () => {
    const golden = loadGolden('optimization');
    for (const { m, seed, permutation } of golden.permutations) {
      expect(Array.from(new RandomState(seed).permutation(m))).toEqual(permutation);
    }
    const mb = golden.random_mini_batches;
    expect(Array.from(new RandomState(mb.seed).permutation(mb.X.shape[1]))).toEqual(mb.permutation);
  });

  test('consumes exactly the words numpy does: the next draws continue numpy\'s stream', () => {
    // permutation(1000) with seed 12345 is golden; what follows must be what a generator that drew
    // the same words one at a time gives next.
    const a = new RandomState(12345);
    a.permutation(1000);
    const b = new RandomState(12345);
    for (let i = 999; i >= 1; i--) {
      let mask = i;
      for (const shift of [1, 2, 4, 8, 16]) mask |= mask >>> shift;
      while ((b.uint32(1)[0] & mask) > i);
    }
    expect(Array.from(a.uint32(5))).toEqual(Array.from(b.uint32(5)));
    expect(Array.from(new RandomState(3).permutation(0))).toEqual([]);
    expect(Array.from(new RandomState(3).permutation(1))).toEqual([0]);
    expect(() => new RandomState(3).permutation(-1)).toThrow('RandomState.permutation: n must be an integer in [0, 2147483647]; received -1');
  });
});

/** X (3, m) whose column j holds j, 10 j, 100 j: a split's columns tell which examples they are. */
function indexed(m: number): Matrix {
  return matrix([0, 1, 2].map((r) => Array.from({ length: m }, (_, j) => j * 10 ** r)));
}

describe('trainTestSplit', () => {
  interface OracleSplit { m: number; options: Record<string, number>; stratify?: number[]; train: number[]; test: number[] }
  const cases: [string, OracleSplit][] = oracle.splits.map((s: OracleSplit) =>
    [`m = ${s.m}, ${JSON.stringify(s.options)}${s.stratify ? ', stratified' : ''}`, s]);
  test.each(cases)('scikit-learn train_test_split(%s): the same examples in the same order', (_, s) => {
      const { m, options, stratify, train, test } = s;
      const X = indexed(m);
      const Y = stratify ? matrix([stratify]) : matrix([Array.from({ length: m }, (_, j) => j % 2)]);
      const split = trainTestSplit(X, Y, {
        testSize: options.test_size, trainSize: options.train_size, seed: options.random_state, stratify: stratify !== undefined,
      });
      expect(Array.from(split.trainIndices)).toEqual(train);
      expect(Array.from(split.testIndices)).toEqual(test);
      expect(toArray(split.train.X)).toEqual([0, 1, 2].map((r) => train.map((j) => j * 10 ** r)));
      expect(toArray(split.test.X)[2]).toEqual(test.map((j) => j * 100));
      expect(Array.from(split.test.Y.data)).toEqual(test.map((j) => Y.data[j]));
    });

  test('stratified: each class keeps its share; rng continues a generator; shuffle false takes the columns in order', () => {
    const y = Array.from({ length: 100 }, (_, j) => (j < 70 ? 0 : 1));
    const split = trainTestSplit(indexed(100), matrix([y]), { testSize: 0.2, seed: 4, stratify: true });
    expect(Array.from(split.test.Y.data).filter((v) => v === 1).length).toBe(6);
    expect(split.train.Y.data.length).toBe(80);
    const rng = new RandomState(9);
    const first = trainTestSplit(indexed(10), matrix([y.slice(0, 10)]), { rng });
    const second = trainTestSplit(indexed(10), matrix([y.slice(0, 10)]), { rng });
    expect(Array.from(first.testIndices)).toEqual(Array.from(trainTestSplit(indexed(10), matrix([y.slice(0, 10)]), { seed: 9 }).testIndices));
    expect(Array.from(second.testIndices)).not.toEqual(Array.from(first.testIndices));
    const ordered = trainTestSplit(indexed(8), matrix([y.slice(0, 8)]), { shuffle: false, testSize: 3 });
    expect([Array.from(ordered.trainIndices), Array.from(ordered.testIndices)]).toEqual([[0, 1, 2, 3, 4], [5, 6, 7]]);
    const f32 = { shape: [2, 4] as [number, number], data: new Float32Array(8) };
    expect(trainTestSplit(f32, { shape: [1, 4], data: new Float32Array(4) }, { seed: 1 }).train.X.data).toBeInstanceOf(Float32Array);
  });

  test('bad input', () => {
    const X = indexed(10);
    const Y = matrix([[0, 1, 0, 1, 0, 1, 0, 1, 0, 1]]);
    expect(() => trainTestSplit(X, Y, { testSize: 10 })).toThrow('trainTestSplit: testSize must be an integer in [1, 9]; received 10');
    expect(() => trainTestSplit(X, Y, { testSize: 0 })).toThrow('trainTestSplit: testSize must be an integer in [1, 9]; received 0');
    expect(() => trainTestSplit(X, Y, { testSize: 0.5, trainSize: 0.6 })).toThrow('trainTestSplit: trainSize + testSize must be at most the 10 examples; received 6 + 5');
    expect(() => trainTestSplit(X, matrix([[0, 1, 1, 1, 1, 1, 1, 1, 1, 1]]), { stratify: true, seed: 1 })).toThrow(
      'trainTestSplit: Y must be at least 2 examples of each class to stratify; received one example of class 0');
    expect(() => trainTestSplit(X, Y, { stratify: true, testSize: 1 })).toThrow('trainTestSplit: testSize must be at least the 2 classes of Y to stratify; received 1 examples');
    expect(() => trainTestSplit(X, matrix([[1, 0]]))).toThrow(/trainTestSplit: Y.shape must be \(1, 10\)/);
    expect(() => trainTestSplit(fromRows(toArray(X)), Y)).toThrow(/trainTestSplit: Y.shape must be \(1, 3\) .*received \(1, 10\): if X holds one example per row \(10 examples of 3 features\), it is transposed.*fromRows\(X\)/);
    expect(() => trainTestSplit(X, Y, { shuffle: false, seed: 1 })).toThrow('trainTestSplit: seed and rng need shuffle');
    expect(() => trainTestSplit(X, Y, { seed: 1, rng: new RandomState(1) })).toThrow('trainTestSplit: give seed or rng, not both');
    expect(() => trainTestSplit(X, Y, { stratify: 'yes' } as never)).toThrow('trainTestSplit: stratify must be a boolean; received the string "yes"');
    expect(() => trainTestSplit(X, Y, { test: 0.2 } as never)).toThrow("trainTestSplit: unknown option 'test'");
  });
});

describe('scalers', () => {
  const s = oracle.scalers;
  const X = fromRows(s.X);  // (6 features, 50 examples)
  const X2 = fromRows(s.X2);

  // The same operations in the same order as scikit-learn (numpy sums a column of a C-ordered X in
  // order), so the statistics and transforms are bit-identical to scikit-learn's, not merely close.
  test("standardScaler: scikit-learn's mean, population variance and scale, bit for bit; constant features scale by 1", () => {
    const scaler = standardScaler().fit(X);
    const json = scaler.toJSON() as { mean: number[]; var: number[]; scale: number[]; nSamples: number };
    expect([json.mean, json.var, json.scale]).toEqual([s.standard.mean, s.standard.var, s.standard.scale]);
    expect(json.scale.slice(4)).toEqual([1, 1]);
    expect(json.nSamples).toBe(50);
    expect(scaler.transform(X)).toEqual(fromRows(s.standard.transform_X));
    expect(scaler.transform(X2)).toEqual(fromRows(s.standard.transform_X2));
    expect(scaler.inverseTransform(X2)).toEqual(fromRows(s.standard.inverse_X2));
    // Back to X2 within the rounding of the largest value on the way (feature 3's mean of 1e6).
    expectClose(scaler.inverseTransform(scaler.transform(X2)), X2, 2 ** -52 * 1e6, 'round trip');
    // Standardized training features: mean 0 and variance 1 (the constant ones: 0 after centring).
    const Z = scaler.fitTransform(X);
    const z0 = Array.from(Z.data.subarray(0, 50));
    expect(Math.abs(z0.reduce((a, b) => a + b, 0) / 50)).toBeLessThan(1e-15);
    expect(Math.abs(z0.reduce((a, b) => a + b * b, 0) / 50 - 1)).toBeLessThan(1e-14);
  });

  test.each([0, 1])("minMaxScaler (feature range %#): scikit-learn's statistics and transforms, bit for bit", (k) => {
    const want = s.minmax[k];
    const scaler = minMaxScaler({ featureRange: want.feature_range }).fit(X);
    const json = scaler.toJSON() as { dataMin: number[]; dataMax: number[]; scale: number[]; min: number[] };
    expect([json.dataMin, json.dataMax, json.scale, json.min]).toEqual([want.data_min, want.data_max, want.scale, want.min]);
    expect(scaler.transform(X2)).toEqual(fromRows(want.transform_X2));
    expect(scaler.inverseTransform(X2)).toEqual(fromRows(want.inverse_X2));
  });

  test('toJSON / scalerFromJSON: a saved scaler transforms exactly as the fitted one; float32 stays float32', () => {
    for (const scaler of [standardScaler().fit(X), minMaxScaler({ featureRange: [-1, 1] }).fit(X)]) {
      const back = scalerFromJSON(JSON.parse(JSON.stringify(scaler)));
      expect(back.transform(X2)).toEqual(scaler.transform(X2));
      expect(back.toJSON()).toEqual(scaler.toJSON());
      expect(back.nFeatures).toBe(6);
    }
    const X32 = { shape: X2.shape, data: Float32Array.from(X2.data) };
    const t = standardScaler().fit(X).transform(X32);
    expect(t.data).toBeInstanceOf(Float32Array);
    const t64 = standardScaler().fit(X).transform({ shape: X2.shape, data: Float64Array.from(X32.data) });
    expect(t.data).toEqual(Float32Array.from(t64.data));
  });

  test("layout 'rows': X (m, features) read in place, the same statistics and values as columns, bit for bit", () => {
    for (const make of [standardScaler, () => minMaxScaler({ featureRange: [-1, 2] })]) {
      const cols = make().fit(X);
      const rows = make().fit(toRows(X), { layout: 'rows' });
      expect(rows.toJSON()).toEqual(cols.toJSON());
      expect(rows.transform(toRows(X2), { layout: 'rows' })).toEqual(toRows(cols.transform(X2)));
      expect(rows.inverseTransform(toRows(X2), { layout: 'rows' })).toEqual(toRows(cols.inverseTransform(X2)));
      expect(make().fitTransform(toRows(X), { layout: 'rows' })).toEqual(toRows(cols.transform(X)));
    }
    const scaler = standardScaler().fit(X);
    expect(() => scaler.transform(X, { layout: 'rows' })).toThrow(
      "standardScaler.transform: X.shape must be (any, 6) (layout 'rows'; the scaler was fitted on 6 features); received (6, 50)");
    expect(() => scaler.transform(X, { layout: 'row' } as never)).toThrow(
      "standardScaler.transform: layout must be 'columns' or 'rows'; received the string \"row\"");
  });

  test('bad input: unfitted, wrong features (a transposed X named), bad JSON', () => {
    expect(() => standardScaler().transform(X)).toThrow('standardScaler.transform: the scaler is not fitted: call fit(Xtrain) first');
    expect(() => minMaxScaler().toJSON()).toThrow('minMaxScaler.toJSON: the scaler is not fitted: call fit(Xtrain) first');
    const scaler = standardScaler().fit(X);
    expect(() => scaler.transform(fromRows(toArray(X)))).toThrow(new RangeError(
      'standardScaler.transform: X.shape must be (6, any) (the scaler was fitted on 6 features); received (50, 6): ' +
      'X looks transposed (one example per row, (50, 6)); deepnet takes examples as columns: pass fromRows(X)'));
    expect(() => standardScaler().fit(matrix([[1, NaN]]))).toThrow('standardScaler.fit: X must be finite (no NaN or Infinity); received NaN at [0, 1]');
    expect(() => minMaxScaler({ featureRange: [1, 0] })).toThrow('minMaxScaler: featureRange must be [lo, hi] with lo < hi; received [1, 0]');
    expect(() => minMaxScaler({ range: [0, 1] } as never)).toThrow("minMaxScaler: unknown option 'range'");
    const json = scaler.toJSON();
    expect(() => scalerFromJSON({ ...json, scale: [1, 2] })).toThrow('scalerFromJSON: json.scale must be of length 6 (as json.mean); received an Array of length 2');
    expect(() => scalerFromJSON({ ...json, scale: [0, 1, 1, 1, 1, 1] })).toThrow('scalerFromJSON: json.scale must be positive entries (a scale divides); received 0 at [0]');
    expect(() => scalerFromJSON({ ...json, mean: ['1'] })).toThrow('scalerFromJSON: json.mean must be a non-empty array of finite numbers; received an Array of length 1');
    expect(() => scalerFromJSON({ type: 'robust' })).toThrow("scalerFromJSON: json.type must be 'standardScaler' or 'minMaxScaler'; received the string \"robust\"");
    expect(() => scalerFromJSON(null)).toThrow('scalerFromJSON: json must be a ScalerJSON object; received null');
  });
});
