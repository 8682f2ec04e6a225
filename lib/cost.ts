// The cross-entropy cost: the notes' compute_cost.
import { checkMatrix, expectShape, Matrix, sameDType } from './matrix';
import { native } from './native';

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
