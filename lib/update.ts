// Gradient descent: the notes' update_parameters.
import { positiveNumber, typeError } from './errors';
import { checkMatrix, expectShape, Matrix, sameDType } from './matrix';
import { native } from './native';
import { Grads, NetworkParameters, readLayers, toParameters } from './parameters';

/** Checks that grads has dW{l}, db{l} shaped like W{l}, b{l}. */
export function readGrads(where: string, grads: unknown, W: Matrix[], b: Matrix[]): { dW: Matrix[]; db: Matrix[] } {
  if (grads === null || typeof grads !== 'object' || Array.isArray(grads)) {
    throw typeError(where, 'grads', 'a grads object { dW1, db1, ... }', grads);
  }
  const g = grads as Record<string, unknown>;
  const pick = (key: string, like: Matrix): Matrix => {
    if (!(key in g)) throw new TypeError(`${where}: grads is missing ${key} (expected dW1, db1, ..., dW${W.length}, db${W.length})`);
    const m = checkMatrix(where, `grads.${key}`, g[key]);
    expectShape(where, `grads.${key}`, m, like.shape[0], like.shape[1], `(the shape of ${key.slice(1)})`);
    sameDType(where, [[key.slice(1), like], [`grads.${key}`, m]]);
    return m;
  };
  return { dW: W.map((w, i) => pick(`dW${i + 1}`, w)), db: b.map((v, i) => pick(`db${i + 1}`, v)) };
}

/**
 * W{l} = W{l} - learningRate * dW{l}, b{l} = b{l} - learningRate * db{l}.
 * Returns new parameters; the arrays passed in are not modified.
 */
export function updateParameters(parameters: NetworkParameters, grads: Grads, learningRate: number): NetworkParameters {
  const where = 'updateParameters';
  const { W, b } = readLayers(where, 'parameters', parameters);
  const { dW, db } = readGrads(where, grads, W, b);
  const lr = positiveNumber(where, 'learningRate', learningRate);
  const copy = (m: Matrix): Matrix => ({ shape: [m.shape[0], m.shape[1]], data: m.data.slice() });
  const newW = W.map(copy);
  const newB = b.map(copy);
  native.update([...newW, ...newB].map((m) => m.data), [...dW, ...db].map((m) => m.data), lr);
  return toParameters(newW, newB);
}
