// Targets Y for each output layer, checked and put in the (K, m) form the
// native layer trains on. The one place that says what labels each head takes.
import { Output } from './architecture';
import { allocate, checkMatrix, DType, dtypeOf, expectShape, Matrix } from './matrix';

/**
 * Y for a network with K outputs over m examples:
 *  - 'sigmoid': (K, m) of 0/1;
 *  - 'softmax': integer class labels (1, m) in 0..K-1, turned into one-hot
 *    (K, m), or (K, m) already one-hot (every entry 0 or 1, one 1 per column);
 *  - 'linear': (K, m) of real numbers.
 * Returned in `dtype` (class labels are converted; other Y must already have it).
 */
export function checkTargets(where: string, output: Output, K: number, m: number, Y: unknown, dtype: DType): Matrix {
  const y = checkMatrix(where, 'Y', Y);
  const perExample = `(one column per example: X has m = ${m} columns)`;
  if (output === 'softmax' && y.shape[0] === 1 && K > 1) {
    expectShape(where, 'Y', y, 1, m, perExample);
    return oneHot(where, y, K, dtype);
  }
  const rows = output === 'softmax' ? `${K} rows (one per class) or 1 row of class labels 0..${K - 1}` : `${K} row${K === 1 ? '' : 's'} (one per output unit)`;
  if (y.shape[0] !== K || y.shape[1] !== m) {
    throw new RangeError(`${where}: Y.shape must be (${K}, ${m}): ${rows} ${perExample}; received (${y.shape[0]}, ${y.shape[1]})`);
  }
  if (dtypeOf(y.data) !== dtype) {
    throw new TypeError(`${where}: Y is ${dtypeOf(y.data)} but X and the model are ${dtype} (convert with asDType)`);
  }
  if (output === 'sigmoid') {
    for (let i = 0; i < y.data.length; i++) {
      const v = y.data[i];
      if (v !== 0 && v !== 1) {
        throw new RangeError(`${where}: Y must hold 0/1 labels for a sigmoid output; received ${v} at [${Math.floor(i / m)}, ${i % m}]` +
          (Number.isInteger(v) && v > 1 ? ' (class labels need output: \'softmax\')' : ''));
      }
    }
  } else if (output === 'softmax') {
    checkOneHot(where, y, K, m);
  }
  return y;
}

function oneHot(where: string, labels: Matrix, K: number, dtype: DType): Matrix {
  const m = labels.shape[1];
  const out = allocate(dtype, K * m, where);
  for (let j = 0; j < m; j++) {
    const c = labels.data[j];
    if (!Number.isInteger(c) || c < 0 || c >= K) {
      throw new RangeError(`${where}: Y must hold class labels 0..${K - 1} (integers, one per example) for a softmax output ` +
        `of ${K} units; received ${c} at [0, ${j}]`);
    }
    out[c * m + j] = 1;
  }
  return { shape: [K, m], data: out };
}

function checkOneHot(where: string, y: Matrix, K: number, m: number): void {
  for (let j = 0; j < m; j++) {
    let ones = 0;
    for (let k = 0; k < K; k++) {
      const v = y.data[k * m + j];
      if (v !== 0 && v !== 1) {
        throw new RangeError(`${where}: Y (${K}, ${m}) must be one-hot for a softmax output (0 or 1 entries, one 1 per column); ` +
          `received ${v} at [${k}, ${j}]`);
      }
      ones += v;
    }
    if (ones !== 1) {
      throw new RangeError(`${where}: Y (${K}, ${m}) must be one-hot for a softmax output: column ${j} sums to ${ones}, not 1`);
    }
  }
}

/** For each column of A (K, m), the row of its first largest entry (np.argmax(A, axis=0)). */
export function argmaxColumns(A: Matrix): Matrix {
  const [K, m] = A.shape;
  const out = allocate(dtypeOf(A.data), m);
  for (let j = 0; j < m; j++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (A.data[k * m + j] > A.data[best * m + j]) best = k;
    out[j] = best;
  }
  return { shape: [1, m], data: out };
}
