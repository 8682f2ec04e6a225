// The arguments of the metrics: label and score vectors as a Matrix (1, m)
// or (m, 1), a typed array or a plain array of numbers, checked finite.
import { rangeError, typeError } from '../errors';
import { checkMatrix, shapeString, typedArrayKind } from '../matrix';
import type { Matrix } from '../matrix';

/** A vector of m values: a Matrix (1, m) or (m, 1) (deepnet's Y, predictions, AL), a typed array or a number[]. */
export type Vector = Matrix | ArrayLike<number>;

/** The values of v, checked: finite numbers, at least one. */
export function vector(where: string, arg: string, v: unknown): ArrayLike<number> {
  let values: ArrayLike<number>;
  const kind = typedArrayKind(v);
  if (Array.isArray(v) || (kind !== null && !kind.startsWith('Big'))) {
    values = v as ArrayLike<number>;
  } else if (v !== null && typeof v === 'object' && 'shape' in v) {
    const m = checkMatrix(where, arg, v);
    if (m.shape[0] !== 1 && m.shape[1] !== 1) {
      throw rangeError(where, `${arg}.shape`, '(1, m) or (m, 1): one value per example', shapeString(m));
    }
    return m.data;
  } else {
    throw typeError(where, arg, 'a Matrix (1, m), a typed array or an array of numbers', v);
  }
  if (values.length === 0) throw rangeError(where, arg, 'at least one value', 'an empty array');
  const plain = Array.isArray(values);
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (plain && typeof x !== 'number') throw typeError(where, `${arg}[${i}]`, 'a number', x);
    if (!Number.isFinite(x)) throw rangeError(where, arg, 'finite (no NaN or Infinity)', `${x} at [${i}]`);
  }
  return values;
}

/** Two vectors of the same length (yTrue and a prediction of it). */
export function pair(where: string, a: unknown, b: unknown, names: [string, string] = ['yTrue', 'yPred']): [ArrayLike<number>, ArrayLike<number>] {
  const x = vector(where, names[0], a);
  const y = vector(where, names[1], b);
  if (x.length !== y.length) {
    throw rangeError(where, names[1], `${x.length} values, one per value of ${names[0]}`, `${y.length} values`);
  }
  return [x, y];
}

/** The distinct values of the vectors, ascending (scikit-learn's unique_labels). */
export function uniqueSorted(...vectors: ArrayLike<number>[]): number[] {
  const set = new Set<number>();
  for (const v of vectors) for (let i = 0; i < v.length; i++) set.add(v[i]);
  return Array.from(set).sort((p, q) => p - q);
}

/** Labels given as an option: distinct finite numbers; else null. */
export function labelsOption(where: string, labels: unknown): number[] | null {
  if (labels === undefined) return null;
  if (!Array.isArray(labels) || labels.length === 0 || !labels.every((l) => typeof l === 'number' && Number.isFinite(l))) {
    throw typeError(where, 'labels', 'a non-empty array of finite numbers', labels);
  }
  if (new Set(labels).size !== labels.length) throw rangeError(where, 'labels', 'distinct values', `[${labels.join(', ')}]`);
  return labels;
}
