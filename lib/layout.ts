// Rows in, columns out. deepnet takes examples as columns, X (features, m) and
// Y (1, m), as the course's notes do; scikit-learn, tfjs, PyTorch and CSV
// files hold one example per row. These helpers convert at the cost of one
// transpose, and the shape checks use transposedHint to say so when an X or
// a Y looks like it came in rows.
import { describe, rangeError, typeError } from './errors';
import { allocate, checkMatrix, dtypeOf, DType, FloatArray, Matrix, shapeString } from './matrix';

/** How X holds its examples: 'columns' (X (features, m), the notes'; default) or 'rows' (X (m, features), scikit-learn's). */
export type Layout = 'columns' | 'rows';

/** The `layout` option of `where`, checked; 'columns' when absent. */
export function checkLayout(where: string, layout: unknown): Layout {
  if (layout === undefined || layout === 'columns' || layout === 'rows') return layout ?? 'columns';
  throw typeError(where, 'layout', "'columns' or 'rows'", layout);
}

/** Tiles of 32 x 32 values: a tile of the input and one of the output (8 KiB each in float64) stay in L1. */
const TILE = 32;

/** The transpose of M: (cols, rows), same dtype, in a new array (cache-blocked). */
export function transpose<A extends FloatArray>(M: Matrix<A>): Matrix<A> {
  const m = checkMatrix('transpose', 'M', M, true) as Matrix<A>;
  return transposed(m, 'transpose');
}

function transposed<A extends FloatArray>(m: Matrix<A>, where: string): Matrix<A> {
  const [rows, cols] = m.shape;
  const a = m.data;
  const out = allocate(dtypeOf(a), rows * cols, where) as A;
  for (let i0 = 0; i0 < rows; i0 += TILE) {
    const i1 = Math.min(i0 + TILE, rows);
    for (let j0 = 0; j0 < cols; j0 += TILE) {
      const j1 = Math.min(j0 + TILE, cols);
      for (let i = i0; i < i1; i++) {
        const src = i * cols;
        for (let j = j0; j < j1; j++) out[j * rows + i] = a[src + j];
      }
    }
  }
  return { shape: [cols, rows], data: out };
}

/**
 * Examples as columns from examples as rows: nested rows (one array per
 * example, as scikit-learn's X), a flat array (one label per example, as
 * scikit-learn's y: gives (1, m)), or a Matrix (m, features), which keeps
 * its dtype (dtype applies to arrays).
 */
export function fromRows(rows: Matrix | readonly (readonly number[])[] | readonly number[], dtype: DType = 'float64'): Matrix {
  const where = 'fromRows';
  if (!Array.isArray(rows)) return transposed(checkMatrix(where, 'rows', rows, true), where);
  if (dtype !== 'float64' && dtype !== 'float32') throw typeError(where, 'dtype', "'float64' or 'float32'", dtype);
  if (rows.length === 0) throw rangeError(where, 'rows', 'at least one example', 'an empty array');
  if (!Array.isArray(rows[0])) return fromNested([rows as readonly number[]], dtype, where, (_, j) => `rows[${j}]`);
  const out = fromNested(rows as readonly (readonly number[])[], dtype, where, (i, j) => `rows[${i}][${j}]`);
  return transposed(out, where);
}

/** The values of nested rows as a (rows.length, rows[0].length) matrix, each checked. */
function fromNested(rows: readonly (readonly number[])[], dtype: DType, where: string, name: (i: number, j: number) => string): Matrix {
  const cols = rows[0].length;
  if (cols === 0) throw rangeError(where, 'rows[0]', 'at least one value', 'an empty array');
  const data = allocate(dtype, rows.length * cols, where);
  rows.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== cols) {
      throw rangeError(where, `rows[${i}]`, `an array of ${cols} numbers (as rows[0]; every example has the same features)`, describe(row));
    }
    for (let j = 0; j < cols; j++) {
      const x = row[j];
      if (typeof x !== 'number') throw typeError(where, name(i, j), 'a number', x);
      data[i * cols + j] = x;
    }
  });
  return { shape: [rows.length, cols], data };
}

/** X (m, features), one example per row, as X (features, m): one transpose. */
export function toColumns<A extends FloatArray>(X: Matrix<A>): Matrix<A> {
  return transposed(checkMatrix('toColumns', 'X', X, true) as Matrix<A>, 'toColumns');
}

/** X (features, m), one example per column, as X (m, features) for other libraries: one transpose. */
export function toRows<A extends FloatArray>(X: Matrix<A>): Matrix<A> {
  return transposed(checkMatrix('toRows', 'X', X, true) as Matrix<A>, 'toRows');
}

/**
 * What to add to a shape error about `arg` when it looks transposed: its
 * columns, not its rows, have the `rows` that were expected (an X in rows
 * with `rows` features, or a Y (m, 1)). Empty otherwise.
 */
export function transposedHint(arg: string, M: Matrix, rows: number): string {
  if (M.shape[0] === rows || M.shape[1] !== rows) return '';
  return `: ${arg} looks transposed (one example per row, ${shapeString(M)}); deepnet takes examples as columns: ` +
    `pass fromRows(${arg})`;
}

/** Throws unless X has `features` rows; names the transpose when its columns have that size. */
export function expectFeatureRows(where: string, arg: string, X: Matrix, features: number, why: string): void {
  if (X.shape[0] === features) return;
  throw rangeError(where, `${arg}.shape`, `(${features}, any) ${why}`, shapeString(X) + transposedHint(arg, X, features));
}

/**
 * Throws unless Y is (1, m) for X (n, m). When the mismatch looks like a
 * transpose (X (m, n) with Y (1, m), Y (m, 1), or both in rows) the error
 * says which and how to convert. `features`, when the caller knows it (the
 * network's input size), settles whether X is the transposed one.
 */
export function expectExamplesAsColumns(where: string, X: Matrix, Y: Matrix, features?: number): void {
  const [n, m] = X.shape;
  if (Y.shape[0] === 1 && Y.shape[1] === m) return;
  const [yr, yc] = Y.shape;
  const convert = 'deepnet takes examples as columns, X (features, m) and Y (1, m)';
  if (yr === 1 && yc === n && features !== undefined && m === features && n !== features) {
    throw rangeError(where, 'X.shape', `(${features}, ${yc}) (${features} features, one column per label of Y ${shapeString(Y)})`,
      `${shapeString(X)}: X looks transposed (one example per row); ${convert}: pass fromRows(X)`);
  }
  let hint = '';
  if (yr === 1 && yc === n && features !== n) {
    hint = `: if X holds one example per row (${n} examples of ${m} features), it is transposed; ${convert}: pass fromRows(X)`;
  } else if (yc === 1 && yr === m) {
    hint = `: Y looks transposed (a column); ${convert}: pass fromRows(Y)`;
  } else if (yc === 1 && yr === n) {
    hint = `: X ${shapeString(X)} and Y both look transposed (one example per row); ${convert}: pass fromRows(X) and fromRows(Y)`;
  }
  throw rangeError(where, 'Y.shape', `(1, ${m}) (one label per example: X has m = ${m} columns)`, shapeString(Y) + hint);
}
