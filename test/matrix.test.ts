// Matrix helpers, and any object of the Matrix form being accepted.
import { asDType, lModelForward, matrix, Matrix, relu, toArray, zeros, initializeParametersDeep } from '../lib';

describe('Matrix helpers', () => {
  test('matrix() from nested rows is row-major; a flat list is one row', () => {
    const m = matrix([[1, 2, 3], [4, 5, 6]]);
    expect(m.shape).toEqual([2, 3]);
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(m.data).toBeInstanceOf(Float64Array);
    expect(matrix([7, 8]).shape).toEqual([1, 2]);
    expect(matrix([[1]], 'float32').data).toBeInstanceOf(Float32Array);
  });

  test('toArray inverts matrix()', () => {
    expect(toArray(matrix([[1, 2], [3, 4], [5, 6]]))).toEqual([[1, 2], [3, 4], [5, 6]]);
  });

  test('ragged rows are refused with the row named', () => {
    expect(() => matrix([[1, 2], [3]])).toThrow(/matrix: rows\[1\] must be an array of 2 numbers.*received an Array of length 1/);
    expect(() => matrix([[1, 'x' as never]])).toThrow(/matrix: rows\[0\]\[1\] must be a number; received the string "x"/);
  });

  test('zeros and asDType', () => {
    const z = zeros(2, 3, 'float32');
    expect(z.shape).toEqual([2, 3]);
    expect(z.data).toBeInstanceOf(Float32Array);
    const m = matrix([[0.1, 0.2]]);
    expect(asDType(m, 'float64')).toBe(m);
    expect(Array.from(asDType(m, 'float32').data)).toEqual([Math.fround(0.1), Math.fround(0.2)]);
  });

  test('typed-array views with an offset into a larger buffer are read at their offset', () => {
    const buffer = new Float64Array([9, 9, -1, 2, -3, 4, 9]);
    const view: Matrix = { shape: [2, 2], data: buffer.subarray(2, 6) };
    const [A] = relu(view);
    expect(toArray(A)).toEqual([[0, 2], [0, 4]]);
    const X = { shape: [2, 2] as [number, number], data: new Float64Array([7, 7, 7, 0.5, -0.25, 1, 2]).subarray(3) };
    const p = initializeParametersDeep([2, 3, 1]);
    const [AL] = lModelForward(X, p);
    const [AL2] = lModelForward(matrix([[0.5, -0.25], [1, 2]]), p);
    expect(Array.from(AL.data)).toEqual(Array.from(AL2.data));
  });
});
