// Parameter and gradient dictionaries, keyed as the notes: W1, b1, ..., WL, bL.
import { checkMatrix, DType, expectShape, Matrix, sameDType } from './matrix';
import { typeError } from './errors';

/** A network's parameters as the notes' dict: W1, b1, ..., WL, bL (W{l} (n_l, n_{l-1}), b{l} (n_l, 1)). */
export type NetworkParameters = Record<string, Matrix>;
/** Gradients as the notes' dict: dW1, db1, ..., and dA0..dAL from lModelBackward. */
export type Grads = Record<string, Matrix>;

/** The layers of a parameter dict, checked: W[l-1] is W{l}, dims = [n_0, ..., n_L]. */
export interface Layers {
  dims: number[];
  W: Matrix[];
  b: Matrix[];
  dtype: DType;
}

/**
 * Reads W1, b1, ..., WL, bL from `parameters` (L = number of W keys) and
 * checks shapes: W{l} (n_l, n_{l-1}), b{l} (n_l, 1).
 */
export function readLayers(where: string, arg: string, parameters: unknown): Layers {
  if (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) {
    throw typeError(where, arg, 'a parameters object { W1, b1, ..., WL, bL }', parameters);
  }
  const p = parameters as Record<string, unknown>;
  let L = 0;
  while (`W${L + 1}` in p) L++;
  if (L === 0) throw typeError(where, `${arg}.W1`, 'a Matrix (parameters need W1, b1, ...)', p.W1);
  const W: Matrix[] = [];
  const b: Matrix[] = [];
  for (let l = 1; l <= L; l++) {
    W.push(checkMatrix(where, `${arg}.W${l}`, p[`W${l}`]));
    b.push(checkMatrix(where, `${arg}.b${l}`, p[`b${l}`]));
  }
  const dims = [W[0].shape[1], ...W.map((w) => w.shape[0])];
  for (let l = 1; l <= L; l++) {
    expectShape(where, `${arg}.W${l}`, W[l - 1], dims[l], dims[l - 1],
      `(its columns must equal the rows of W${l - 1})`);
    expectShape(where, `${arg}.b${l}`, b[l - 1], dims[l], 1, `(a column with one entry per unit of W${l})`);
  }
  const dtype = sameDType(where, [
    ...W.map((w, i): [string, Matrix] => [`${arg}.W${i + 1}`, w]),
    ...b.map((x, i): [string, Matrix] => [`${arg}.b${i + 1}`, x]),
  ]);
  return { dims, W, b, dtype };
}

/** { W1, b1, ..., WL, bL } from per-layer lists. */
export function toParameters(W: Matrix[], b: Matrix[]): NetworkParameters {
  const out: NetworkParameters = {};
  W.forEach((w, i) => {
    out[`W${i + 1}`] = w;
    out[`b${i + 1}`] = b[i];
  });
  return out;
}
