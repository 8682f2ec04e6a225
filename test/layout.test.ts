// Rows in, columns out: transposes, fromRows, and the shape errors that name
// a transposed X or Y.
import * as path from 'path';
import { fromRows, gradientCheckN, initializeParametersDeep, lLayerModel, lModelForward, matrix, predict, RandomState, toColumns, toRows, transpose } from '../lib';
import * as datasets from '../lib/datasets';
import { DATASETS } from './helpers/golden';

/** M^T computed naively, entry by entry. */
function naiveTranspose(rows: number, cols: number, a: ArrayLike<number>): number[] {
  const out: number[] = new Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j];
  return out;
}

describe('transposes', () => {
  test.each([[1, 1], [1, 70], [70, 1], [33, 65], [100, 50], [257, 31]])('(%i, %i) matches the naive transpose, float64 and float32', (r, c) => {
    const M = new RandomState(r * 1000 + c).randn(r, c);
    const T = transpose(M);
    expect(T.shape).toEqual([c, r]);
    expect(Array.from(T.data)).toEqual(naiveTranspose(r, c, M.data));
    const M32 = { shape: M.shape, data: Float32Array.from(M.data) };
    const T32 = toRows(M32);
    expect(T32.data).toBeInstanceOf(Float32Array);
    expect(Array.from(T32.data)).toEqual(naiveTranspose(r, c, M32.data));
    expect(toColumns(toRows(M))).toEqual(M);
  });

  test('fromRows: nested rows (one array per example), a flat label array, a Matrix in rows', () => {
    expect(fromRows([[1, 2, 3], [4, 5, 6]])).toEqual({ shape: [3, 2], data: Float64Array.from([1, 4, 2, 5, 3, 6]) });
    expect(fromRows([0, 1, 1])).toEqual({ shape: [1, 3], data: Float64Array.from([0, 1, 1]) });
    expect(fromRows([[1.5], [2.5]], 'float32').data).toEqual(Float32Array.from([1.5, 2.5]));
    expect(fromRows(matrix([[1, 2], [3, 4], [5, 6]]))).toEqual(matrix([[1, 3, 5], [2, 4, 6]]));
    // NaN is data to a transpose: kept, not refused.
    expect(Number.isNaN(fromRows([[NaN]]).data[0])).toBe(true);
  });

  test('bad input names the function, the argument and what it received', () => {
    expect(() => fromRows([[1, 2], [3]])).toThrow('fromRows: rows[1] must be an array of 2 numbers (as rows[0]; every example has the same features); received an Array of length 1');
    expect(() => fromRows([[1, '2' as never]])).toThrow('fromRows: rows[0][1] must be a number; received the string "2"');
    expect(() => fromRows([1, null as never])).toThrow('fromRows: rows[1] must be a number; received null');
    expect(() => fromRows([])).toThrow('fromRows: rows must be at least one example; received an empty array');
    expect(() => fromRows([[]])).toThrow('fromRows: rows[0] must be at least one value; received an empty array');
    expect(() => fromRows([[1]], 'int32' as never)).toThrow("fromRows: dtype must be 'float64' or 'float32'; received the string \"int32\"");
    expect(() => toRows({ shape: [2, 2], data: new Float64Array(3) })).toThrow('toRows: X.data must be of length rows*cols = 4');
    expect(() => transpose([[1]] as never)).toThrow('transpose: M must be a Matrix');
  });
});

describe('shape errors name a transposed X or Y', () => {
  const cancer = datasets.loadCsv(path.join(DATASETS, 'breast_cancer.csv'));
  const rowsX = toRows(cancer.X);  // (569, 30): as scikit-learn holds it

  test("X in rows with Y (1, m): the issue's case, no longer blamed on Y alone", () => {
    // lLayerModel knows the input size (layersDims[0] = 30): X is the transposed one, for certain.
    expect(() => lLayerModel(rowsX, cancer.Y, [30, 4, 1], { numIterations: 1 })).toThrow(new RangeError(
      'lLayerModel: X.shape must be (30, 569) (30 features, one column per label of Y (1, 569)); received (569, 30): X looks ' +
      'transposed (one example per row); deepnet takes examples as columns, X (features, m) and Y (1, m): pass fromRows(X)'));
    // The fix the message names works.
    expect(() => lLayerModel(fromRows(rowsX), cancer.Y, [30, 4, 1], { numIterations: 1 })).not.toThrow();
    // predict checks X and Y before it reads the parameters: Y's shape, and the transpose as the likely cause.
    expect(() => predict(rowsX, cancer.Y, initializeParametersDeep([30, 4, 1]))).toThrow(new RangeError(
      'predict: Y.shape must be (1, 30) (one label per example: X has m = 30 columns); received (1, 569): if X holds one ' +
      'example per row (569 examples of 30 features), it is transposed; deepnet takes examples as columns, X (features, m) ' +
      'and Y (1, m): pass fromRows(X)'));
  });

  test('Y as a column, and both in rows', () => {
    const Ycol = toRows(cancer.Y);  // (569, 1)
    const params = initializeParametersDeep([30, 4, 1]);
    expect(() => predict(cancer.X, Ycol, params)).toThrow(new RangeError(
      'predict: Y.shape must be (1, 569) (one label per example: X has m = 569 columns); received (569, 1): Y looks ' +
      'transposed (a column); deepnet takes examples as columns, X (features, m) and Y (1, m): pass fromRows(Y)'));
    expect(() => predict(rowsX, Ycol, params)).toThrow(new RangeError(
      'predict: Y.shape must be (1, 30) (one label per example: X has m = 30 columns); received (569, 1): X (569, 30) and Y ' +
      'both look transposed (one example per row); deepnet takes examples as columns, X (features, m) and Y (1, m): ' +
      'pass fromRows(X) and fromRows(Y)'));
    // A mismatch that is not a transpose keeps the plain message; so does a known input size that X's rows match.
    expect(() => predict(cancer.X, matrix([[1, 0, 1]]), params)).toThrow(new RangeError(
      'predict: Y.shape must be (1, 569) (one label per example: X has m = 569 columns); received (1, 3)'));
    expect(() => lLayerModel(new RandomState(1).randn(3, 4), matrix([[1, 0, 1]]), [3, 2, 1])).toThrow(new RangeError(
      'lLayerModel: Y.shape must be (1, 4) (one label per example: X has m = 4 columns); received (1, 3)'));
  });

  test('X in rows against W1: lModelForward and gradientCheckN say so', () => {
    const params = initializeParametersDeep([30, 4, 1]);
    expect(() => lModelForward(rowsX, params)).toThrow(new RangeError(
      'lModelForward: X.shape must be (30, any) (W1 has 30 columns: one row per input feature); received (569, 30): ' +
      'X looks transposed (one example per row, (569, 30)); deepnet takes examples as columns: pass fromRows(X)'));
    expect(() => lModelForward(new RandomState(1).randn(5, 4), params)).toThrow(
      /^lModelForward: X\.shape must be \(30, any\) \(W1 has 30 columns: one row per input feature\); received \(5, 4\)$/);
    const X = new RandomState(2).randn(3, 2);
    const p = initializeParametersDeep([2, 3, 1]);
    expect(() => gradientCheckN(p, {}, X, matrix([[1, 0]]))).toThrow(/gradientCheckN: X\.shape must be \(2, any\) \(W1 has 2 columns\); received \(3, 2\): X looks transposed/);
  });
});
