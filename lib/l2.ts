// L2 regularization's cost term (Course 2, compute_cost_with_regularization).
// Its gradient term is lModelBackward(AL, Y, caches, { lambd }).
import { checkLambd } from './backward';
import { checkOutputs } from './cost';
import { expectShape, Matrix, sameDType } from './matrix';
import { native } from './native';
import { NetworkParameters, readLayers } from './parameters';

/**
 * cross_entropy_cost + (1/m) * (lambd/2) * (sum(W1^2) + sum(W2^2) + ... + sum(WL^2)),
 * in that order of operations, with the course's reg_utils.compute_cost
 * (1./m * nansum(...)) as the cross-entropy.
 */
export function computeCostWithRegularization(AL: Matrix, Y: Matrix, parameters: NetworkParameters, lambd: number): number {
  const where = 'computeCostWithRegularization';
  const [al, y] = checkOutputs(where, AL, Y);
  const { W } = readLayers(where, 'parameters', parameters);
  const l = checkLambd(where, lambd);
  expectShape(where, 'AL', al, W[W.length - 1].shape[0], null, '(one row per output unit of the last W)');
  sameDType(where, [['AL', al], ['parameters.W1', W[0]]]);
  const crossEntropy = native.computeCost(al.data, y.data, 'course2');
  return crossEntropy + native.l2Cost(W.map((w) => w.data), al.shape[1], l);
}
