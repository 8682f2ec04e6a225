// The Matrix type: { shape: [rows, cols], data } in row-major (numpy C) order.
// Examples are columns: X is (n_x, m), Y is (1, m).
import { types } from 'util';
import { describe, integerIn, rangeError, typeError } from './errors';
import { checkMemory } from './memory';
import { native } from './native';

/** The two dtypes of the computation: float64 (numpy's, bit-faithful) or float32 (faster). */
export type DType = 'float64' | 'float32';
/** The typed arrays a Matrix holds. */
export type FloatArray = Float64Array | Float32Array;

/** A 2-D array in row-major (numpy C) order: data[i * cols + j] is row i, column j. */
export interface Matrix<A extends FloatArray = FloatArray> {
  /** [rows, cols]. */
  shape: [number, number];
  /** rows * cols values, row after row. */
  data: A;
}

/** Nested rows ([[1, 2], [3, 4]]) or a flat row ([1, 2] -> shape (1, 2)). */
export type NestedRows = readonly (readonly number[])[] | readonly number[];

/**
 * The typed-array kind of x ('Float64Array', 'Uint32Array', ...) or null.
 * Checked through the internal slot rather than instanceof, so arrays from
 * another realm (a vm context, a worker, the addon under jest) are recognized.
 */
export function typedArrayKind(x: unknown): string | null {
  if (!ArrayBuffer.isView(x) || x instanceof DataView) return null;
  return Object.prototype.toString.call(x).slice(8, -1);
}

export function isFloatArray(x: unknown): x is FloatArray {
  const kind = typedArrayKind(x);
  return kind === 'Float64Array' || kind === 'Float32Array';
}

/** The dtype of a Matrix's data: 'float64' or 'float32'. */
export function dtypeOf(data: FloatArray): DType {
  return typedArrayKind(data) === 'Float32Array' ? 'float32' : 'float64';
}

/** A zero-filled array; a request beyond the memory available is a RangeError (see memory.ts). */
export function allocate(dtype: DType, length: number, where = 'deepnet'): FloatArray {
  checkMemory(where, `a result of ${length} ${dtype} values`, length * (dtype === 'float32' ? 4 : 8));
  return dtype === 'float32' ? new Float32Array(length) : new Float64Array(length);
}

/** 'float64' (the default, for undefined) or 'float32'; anything else is a TypeError naming `where`. */
export function checkDType(where: string, dtype: unknown): DType {
  if (dtype === undefined) return 'float64';
  if (dtype !== 'float64' && dtype !== 'float32') throw typeError(where, 'dtype', "'float64' or 'float32'", dtype);
  return dtype;
}

/** A zero-filled (rows, cols) matrix. */
export function zeros(rows: number, cols: number, dtype: DType = 'float64'): Matrix {
  const where = 'zeros';
  const [r, c] = [integerIn(where, 'rows', rows, 1, 2 ** 31 - 1), integerIn(where, 'cols', cols, 1, 2 ** 31 - 1)];
  return { shape: [r, c], data: allocate(checkDType(where, dtype), r * c, where) };
}

/** A matrix from nested rows of numbers (numpy's np.array(rows)). */
export function matrix(rows: NestedRows, dtype: DType = 'float64'): Matrix {
  const where = 'matrix';
  if (!Array.isArray(rows)) throw typeError(where, 'rows', 'an array of rows of numbers', rows);
  checkDType(where, dtype);
  const nested = rows.length > 0 && Array.isArray(rows[0]);
  const list = (nested ? rows : [rows]) as readonly (readonly number[])[];
  const cols = list.length > 0 ? list[0].length : 0;
  const data = allocate(dtype, list.length * cols);
  list.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== cols) {
      throw rangeError(where, `rows[${i}]`, `an array of ${cols} numbers (rows must have equal length)`, describe(row));
    }
    row.forEach((x, j) => {
      if (typeof x !== 'number') throw typeError(where, `rows[${i}][${j}]`, 'a number', x);
      data[i * cols + j] = x;
    });
  });
  return { shape: [list.length, cols], data };
}

/** Nested rows of a matrix (inverse of `matrix`). */
export function toArray(m: Matrix): number[][] {
  const [rows, cols] = m.shape;
  const out: number[][] = [];
  for (let i = 0; i < rows; i++) out.push(Array.from(m.data.subarray(i * cols, (i + 1) * cols)));
  return out;
}

export function shapeString(m: Matrix): string {
  return `(${m.shape[0]}, ${m.shape[1]})`;
}

function isShape(shape: unknown): shape is [number, number] {
  return (
    Array.isArray(shape) &&
    shape.length === 2 &&
    shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 1 && d <= 2 ** 31 - 1)
  );
}

/** Whether `key` of `o` is a plain field (no getter, no Proxy): read again, it gives the same value. */
function plainField(o: object, key: string | number): boolean {
  const d = types.isProxy(o) ? undefined : Object.getOwnPropertyDescriptor(o, key);
  return d !== undefined && 'value' in d;
}

/** Whether a Matrix's shape and data, read again, give what was checked. */
function plainFields(value: object): boolean {
  if (!plainField(value, 'shape') || !plainField(value, 'data')) return false;
  const shape = (value as { shape: object }).shape;
  return plainField(shape, 0) && plainField(shape, 1);
}

/**
 * Checks that `value` is a Matrix: shape [rows, cols] of positive integers and
 * a Float64Array/Float32Array of rows*cols elements, and (unless allowNonFinite)
 * no NaN or Infinity. Returns it typed, never copying the data; `shape` and
 * `data` are read once, and a value whose fields are getters or a Proxy (which
 * might answer differently on the next read) comes back as a new { shape, data }
 * of what was checked.
 */
export function checkMatrix(where: string, arg: string, value: unknown, allowNonFinite = false): Matrix {
  const expected = 'a Matrix { shape: [rows, cols], data: Float64Array | Float32Array }';
  if (value === null || typeof value !== 'object' || Array.isArray(value) || ArrayBuffer.isView(value)) {
    throw typeError(where, arg, expected, value);
  }
  const { shape, data } = value as { shape?: unknown; data?: unknown };
  if (!isShape(shape)) {
    throw typeError(where, `${arg}.shape`, '[rows, cols] with positive integer sizes', shape);
  }
  if (!isFloatArray(data)) {
    throw typeError(where, `${arg}.data`, 'a Float64Array or Float32Array', data);
  }
  const [rows, cols] = shape;
  if (data.length !== rows * cols) {
    throw rangeError(where, `${arg}.data`, `of length rows*cols = ${rows * cols} for shape (${rows}, ${cols})`,
      `length ${data.length}`);
  }
  if (!allowNonFinite && native.firstNonFinite(data) >= 0) throw nonFiniteError(where, arg, { shape: [rows, cols], data });
  return plainFields(value) ? value as Matrix : { shape: [rows, cols], data };
}

/** The error for a matrix that holds a NaN or an infinity, naming the first. */
export function nonFiniteError(where: string, arg: string, m: Matrix): RangeError {
  const bad = native.firstNonFinite(m.data), cols = m.shape[1];
  return rangeError(where, arg, 'finite (no NaN or Infinity)', `${m.data[bad]} at [${Math.floor(bad / cols)}, ${bad % cols}]`);
}

/** Throws unless every matrix has the same dtype as the first; returns it. */
export function sameDType(where: string, named: [string, Matrix][]): DType {
  const dtype = dtypeOf(named[0][1].data);
  for (const [name, m] of named) {
    if (dtypeOf(m.data) !== dtype) {
      throw new TypeError(`${where}: ${name} is ${dtypeOf(m.data)} but ${named[0][0]} is ${dtype}; ` +
        'all arrays of one call must share a dtype (convert with asDType)');
    }
  }
  return dtype;
}

/** The matrix converted to dtype (the same object when it already is). */
export function asDType(m: Matrix, dtype: DType): Matrix {
  const where = 'asDType';
  const checked = checkMatrix(where, 'm', m, true);
  checkDType(where, dtype ?? null);  // required here
  if (dtypeOf(checked.data) === dtype) return checked;
  return { shape: checked.shape, data: dtype === 'float32' ? Float32Array.from(checked.data) : Float64Array.from(checked.data) };
}

export function expectShape(where: string, arg: string, m: Matrix, rows: number | null, cols: number | null, why: string): void {
  if ((rows !== null && m.shape[0] !== rows) || (cols !== null && m.shape[1] !== cols)) {
    const want = `(${rows ?? 'any'}, ${cols ?? 'any'})`;
    throw rangeError(where, `${arg}.shape`, `${want} ${why}`, shapeString(m));
  }
}
