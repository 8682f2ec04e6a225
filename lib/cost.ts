// The costs: the notes' compute_cost (sigmoid output), and the softmax and
// linear outputs'.
import { checkMatrix, dtypeOf, expectShape, Matrix, sameDType } from './matrix';
import { native } from './native';
import { checkTargets } from './targets';

/** Checks AL and Y: both (1, m), same dtype, finite. Returns m. */
export function checkOutputs(where: string, AL: unknown, Y: unknown): [Matrix, Matrix] {
  const al = checkMatrix(where, 'AL', AL);
  const y = checkMatrix(where, 'Y', Y);
  expectShape(where, 'AL', al, 1, null, '(one probability per example)');
  expectShape(where, 'Y', y, 1, al.shape[1], `(one label per example, like AL ${al.shape[0]}x${al.shape[1]})`);
  sameDType(where, [['AL', al], ['Y', y]]);
  return [al, y];
}

/**
 * J = -(1/m) * sum(Y*log(AL) + (1-Y)*log(1-AL)), computed as the notes'
 * numpy code does (same operations, numpy's pairwise sum). Like numpy it is
 * Infinity when some AL is exactly 0 or 1 on the wrong side.
 */
export function computeCost(AL: Matrix, Y: Matrix): number {
  const [al, y] = checkOutputs('computeCost', AL, Y);
  return native.computeCost(al.data, y.data, 'notes');
}

/**
 * The softmax output's cost from its logits ZL (K, m), in log-sum-exp form:
 * J = -(1/m) * sum(Y * log softmax(ZL)), finite however large the logits.
 * Y: one-hot (K, m) or class labels (1, m) in 0..K-1.
 */
export function computeCostSoftmax(ZL: Matrix, Y: Matrix): number {
  const where = 'computeCostSoftmax';
  const z = checkMatrix(where, 'ZL', ZL);
  const [K, m] = z.shape;
  const y = checkTargets(where, 'softmax', K, m, Y, dtypeOf(z.data));
  return native.headCost(z.data, z.data, y.data, K, m, 'softmax');
}

/** The linear output's cost: J = (1/(2m)) * sum over outputs and examples of (AL - Y)^2. */
export function computeCostLinear(AL: Matrix, Y: Matrix): number {
  const where = 'computeCostLinear';
  const a = checkMatrix(where, 'AL', AL);
  const [K, m] = a.shape;
  const y = checkTargets(where, 'linear', K, m, Y, dtypeOf(a.data));
  return native.headCost(a.data, a.data, y.data, K, m, 'linear');
}
