// Regression metrics, as scikit-learn's mean_squared_error,
// mean_absolute_error and r2_score for one target.
import { pair, Vector } from './inputs';

/** mean((yTrue - yPred)^2). */
export function meanSquaredError(yTrue: Vector, yPred: Vector): number {
  const [t, p] = pair('meanSquaredError', yTrue, yPred);
  let sum = 0;
  for (let i = 0; i < t.length; i++) sum += (t[i] - p[i]) ** 2;
  return sum / t.length;
}

/** mean(|yTrue - yPred|). */
export function meanAbsoluteError(yTrue: Vector, yPred: Vector): number {
  const [t, p] = pair('meanAbsoluteError', yTrue, yPred);
  let sum = 0;
  for (let i = 0; i < t.length; i++) sum += Math.abs(t[i] - p[i]);
  return sum / t.length;
}

/**
 * The coefficient of determination, 1 - sum((yTrue - yPred)^2) /
 * sum((yTrue - mean(yTrue))^2). A constant yTrue has no variance to explain:
 * 1 for a perfect prediction, else 0 (scikit-learn's force_finite).
 */
export function r2Score(yTrue: Vector, yPred: Vector): number {
  const [t, p] = pair('r2Score', yTrue, yPred);
  let mean = 0;
  for (let i = 0; i < t.length; i++) mean += t[i];
  mean /= t.length;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < t.length; i++) {
    residual += (t[i] - p[i]) ** 2;
    total += (t[i] - mean) ** 2;
  }
  if (total === 0) return residual === 0 ? 1 : 0;
  return 1 - residual / total;
}
