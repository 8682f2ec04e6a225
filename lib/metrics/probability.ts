// Metrics of predicted probabilities and scores: ROC AUC (binary) and log
// loss, as scikit-learn's roc_auc_score and log_loss.
import { rangeError } from '../errors';
import { checkMatrix, dtypeOf, isFloatArray, shapeString } from '../matrix';
import type { Matrix } from '../matrix';
import { pair, vector, Vector } from './inputs';

/**
 * The area under the ROC curve of scores for 0/1 labels: the probability that
 * a random positive scores above a random negative, ties counting one half
 * (what scikit-learn's trapezoids over distinct thresholds give). Computed
 * exactly from ranks: one rounding, at the final division.
 */
export function rocAuc(yTrue: Vector, yScore: Vector): number {
  const where = 'rocAuc';
  const [t, s] = pair(where, yTrue, yScore, ['yTrue', 'yScore']);
  let positives = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] !== 0 && t[i] !== 1) throw rangeError(where, 'yTrue', '0/1 labels', `${t[i]} at [${i}]`);
    positives += t[i];
  }
  const negatives = t.length - positives;
  if (positives === 0 || negatives === 0) {
    throw rangeError(where, 'yTrue', 'both classes (ROC AUC is undefined with one)', `only ${positives ? 1 : 0}s`);
  }
  const order = Array.from({ length: s.length }, (_, i) => i).sort((a, b) => s[a] - s[b]);
  // Twice the Mann-Whitney U: for each positive, 2 per negative scored lower, 1 per tie (integers, exact).
  let twiceU = 0;
  let below = 0;
  for (let k = 0; k < order.length;) {
    let pos = 0;
    let neg = 0;
    const score = s[order[k]];
    for (; k < order.length && s[order[k]] === score; k++) {
      if (t[order[k]] === 1) pos++;
      else neg++;
    }
    twiceU += pos * (2 * below + neg);
    below += neg;
  }
  return twiceU / (2 * positives * negatives);
}

/**
 * The mean negative log-likelihood of the true labels (natural log).
 * Binary: yProb is P(y = 1) per example, (1, m) like a sigmoid AL, and
 * yTrue 0/1. Multi-class: yProb is (K, m), one column of class
 * probabilities per example like a softmax AL, and yTrue holds class
 * indices 0..K-1 (scikit-learn's log_loss with labels = 0..K-1). As
 * scikit-learn, probabilities are clipped to [eps, 1 - eps], eps the
 * machine epsilon of yProb's dtype (2^-52 for float64 and plain arrays,
 * 2^-23 for float32), so a confident wrong answer costs -log(eps) = 36.04
 * (float64), never Infinity. Probabilities outside [0, 1], or columns not
 * summing to 1 within sqrt(eps), are an error (scikit-learn warns).
 */
export function logLoss(yTrue: Vector, yProb: Matrix | ArrayLike<number>): number {
  const where = 'logLoss';
  const t = vector(where, 'yTrue', yTrue);
  const probs = probabilities(where, yProb, t.length);
  const { K, m, p } = probs;
  const eps = probs.float32 ? 2 ** -23 : 2 ** -52;
  const clip = (x: number): number => Math.min(Math.max(x, eps), 1 - eps);
  for (let i = 0; i < p.length; i++) {
    if (p[i] < 0 || p[i] > 1) throw rangeError(where, 'yProb', 'probabilities in [0, 1]', `${p[i]} at index ${i}`);
  }
  let loss = 0;
  for (let j = 0; j < m; j++) {
    const y = t[j];
    if (K === 1) {
      if (y !== 0 && y !== 1) throw rangeError(where, 'yTrue', '0/1 labels (yProb has one row: P(y = 1))', `${y} at [${j}]`);
      // scikit-learn forms the column [1 - p, p] in yProb's dtype, then clips.
      const q = probs.float32 ? Math.fround(1 - p[j]) : 1 - p[j];
      loss -= Math.log(clip(y === 1 ? p[j] : q));
      continue;
    }
    if (!(Number.isInteger(y) && y >= 0 && y < K)) {
      throw rangeError(where, 'yTrue', `class indices 0..${K - 1} (yProb has ${K} rows)`, `${y} at [${j}]`);
    }
    let sum = 0;
    for (let k = 0; k < K; k++) sum += p[k * m + j];
    if (!(Math.abs(sum - 1) <= Math.sqrt(eps))) {
      throw rangeError(where, 'yProb', 'columns summing to 1 (class probabilities of one example)', `a sum of ${sum} in column ${j}`);
    }
    loss -= Math.log(clip(p[y * m + j]));
  }
  return loss / m;
}

/** yProb as K rows of m probabilities, one column per label of yTrue (a vector is one row). */
function probabilities(where: string, yProb: unknown, m: number): { K: number; m: number; p: ArrayLike<number>; float32: boolean } {
  if (yProb !== null && typeof yProb === 'object' && !Array.isArray(yProb) && !ArrayBuffer.isView(yProb)) {
    const M = checkMatrix(where, 'yProb', yProb);
    if (M.shape[1] !== m) {
      const hint = M.shape[0] === m ? ': it looks transposed (one example per row); pass (K, m), one column per example' : '';
      throw rangeError(where, 'yProb.shape', `(K, ${m}) (one column per label of yTrue)`, shapeString(M) + hint);
    }
    return { K: M.shape[0], m, p: M.data, float32: dtypeOf(M.data) === 'float32' };
  }
  const p = vector(where, 'yProb', yProb);
  if (p.length !== m) throw rangeError(where, 'yProb', `${m} probabilities, one per label of yTrue`, `${p.length} values`);
  return { K: 1, m, p, float32: isFloatArray(p) && dtypeOf(p) === 'float32' };
}
