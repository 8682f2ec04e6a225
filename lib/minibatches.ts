// Mini-batches (Course 2 Week 2): the notebook's random_mini_batches.
import { integerIn } from './errors';
import { checkData } from './labels';
import { allocate, dtypeOf, Matrix } from './matrix';
import { RandomState } from './rng';

/** Columns `idx` of a (rows, m) matrix. */
function pick(m: Matrix, idx: Int32Array): Matrix {
  const [rows, cols] = m.shape;
  const out = allocate(dtypeOf(m.data), rows * idx.length);
  for (let r = 0; r < rows; r++) {
    const from = r * cols;
    const to = r * idx.length;
    for (let j = 0; j < idx.length; j++) out[to + j] = m.data[from + idx[j]];
  }
  return { shape: [rows, idx.length], data: out };
}

/**
 * random_mini_batches(X, Y, mini_batch_size, seed): np.random.seed(seed),
 * permute the columns of X (n_x, m) and Y (1, m), then cut them into batches
 * of miniBatchSize in order, the last one holding the remainder. Returns
 * [X_k, Y_k] pairs (copies).
 */
export function randomMiniBatches(X: Matrix, Y: Matrix, miniBatchSize = 64, seed = 0): [Matrix, Matrix][] {
  const where = 'randomMiniBatches';
  const [x, y] = checkData(where, X, Y);
  const size = integerIn(where, 'miniBatchSize', miniBatchSize, 1, 2 ** 31 - 1);
  const m = x.shape[1];
  const permutation = new RandomState(integerIn(where, 'seed', seed, 0, 2 ** 32 - 1)).permutation(m);
  const batches: [Matrix, Matrix][] = [];
  for (let k = 0; k < m; k += size) {
    const idx = permutation.subarray(k, Math.min(k + size, m));
    batches.push([pick(x, idx), pick(y, idx)]);
  }
  return batches;
}
