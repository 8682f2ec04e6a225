// Prediction and accuracy, as the course's predict(X, y, parameters).
import { forwardChecked } from './forward';
import { checkData } from './labels';
import { allocate, dtypeOf, Matrix } from './matrix';
import { NetworkParameters } from './parameters';

/** predict's result. */
export interface Prediction {
  /** (1, m): 1 where AL > 0.5, else 0. */
  predictions: Matrix;
  /** Fraction of examples where the prediction equals Y. */
  accuracy: number;
}

/** The notes' predict(X, y, parameters): 1 where the network's AL > 0.5, and the accuracy against Y. */
export function predict(X: Matrix, Y: Matrix, parameters: NetworkParameters): Prediction {
  const [x, y] = checkData('predict', X, Y);
  const [AL] = forwardChecked('predict', x, parameters);
  const m = x.shape[1];
  const p = allocate(dtypeOf(x.data), m);
  let correct = 0;
  for (let i = 0; i < m; i++) {
    p[i] = AL.data[i] > 0.5 ? 1 : 0;
    if (p[i] === y.data[i]) correct++;
  }
  return { predictions: { shape: [1, m], data: p }, accuracy: correct / m };
}
