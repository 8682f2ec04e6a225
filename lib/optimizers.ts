// Optimizers (Course 2 Week 2, "Optimization methods"): the notebook's
// initialize_velocity, update_parameters_with_momentum, initialize_adam and
// update_parameters_with_adam, on the native kernels Model trains with
// (native/kernels/optimizers.h: the course's arithmetic, operation by
// operation). Inputs are never modified; results are new.
import { integerIn, positiveNumber, rangeError, typeError } from './errors';
import { allocate, dtypeOf, Matrix } from './matrix';
import { native, NativeFitSettings } from './native';
import { Grads, NetworkParameters, readLayers, toParameters } from './parameters';
import { readGrads } from './update';
import { OptimizerName } from './fitOptions';

/** The moving averages of the gradients, keyed like the gradients: dW1, db1, ..., dWL, dbL. */
export type OptimizerState = Record<string, Matrix>;

const copy = (m: Matrix): Matrix => ({ shape: [m.shape[0], m.shape[1]], data: m.data.slice() });
const zerosLike = (m: Matrix): Matrix => ({ shape: [m.shape[0], m.shape[1]], data: allocate(dtypeOf(m.data), m.data.length) });

function zeroState(where: string, parameters: NetworkParameters): OptimizerState {
  const { W, b } = readLayers(where, 'parameters', parameters);
  const state: OptimizerState = {};
  W.forEach((w, i) => {
    state[`dW${i + 1}`] = zerosLike(w);
    state[`db${i + 1}`] = zerosLike(b[i]);
  });
  return state;
}

/** initialize_velocity: v = { dW1: zeros like W1, db1: zeros like b1, ... }. */
export function initializeVelocity(parameters: NetworkParameters): OptimizerState {
  return zeroState('initializeVelocity', parameters);
}

/** initialize_adam: [v, s], both zeros like the gradients. */
export function initializeAdam(parameters: NetworkParameters): [OptimizerState, OptimizerState] {
  return [zeroState('initializeAdam', parameters), zeroState('initializeAdam', parameters)];
}

function fraction(where: string, arg: string, value: unknown): number {
  if (typeof value !== 'number') throw typeError(where, arg, 'a number in [0, 1)', value);
  if (!(value >= 0 && value < 1)) throw rangeError(where, arg, 'a number in [0, 1)', String(value));
  return value;
}

/** The native step's settings: the optimizer and its constants (the rest unused). */
function stepSettings(optimizer: OptimizerName, c: { beta?: number; beta1?: number; beta2?: number; epsilon?: number }): NativeFitSettings {
  return {
    learningRate: 1, epochs: 0, logEvery: 1, optimizer, beta: c.beta ?? 0.9, beta1: c.beta1 ?? 0.9, beta2: c.beta2 ?? 0.999,
    epsilon: c.epsilon ?? 1e-8, batchSize: 0, shuffle: false, shuffleSeed: -1, decay: 'none', decayRate: 0, decayInterval: 1,
    firstEpoch: 0, patience: 0, minDelta: 0, restoreBest: false,
  };
}

/** A state dict (v or s) shaped like the gradients, checked. */
function readState(where: string, arg: string, state: unknown, W: Matrix[], b: Matrix[]): { dW: Matrix[]; db: Matrix[] } {
  try {
    return readGrads(where, state, W, b);
  } catch (err) {
    if (err instanceof Error) err.message = err.message.replace(/grads/g, arg);
    throw err;
  }
}

/**
 * update_parameters_with_momentum: for every parameter,
 * v = beta * v + (1 - beta) * grad, then W = W - learningRate * v.
 * Returns [parameters, v], both new.
 */
export function updateParametersWithMomentum(parameters: NetworkParameters, grads: Grads, v: OptimizerState, beta: number,
  learningRate: number): [NetworkParameters, OptimizerState] {
  const where = 'updateParametersWithMomentum';
  const { W, b } = readLayers(where, 'parameters', parameters);
  const g = readGrads(where, grads, W, b);
  const vs = readState(where, 'v', v, W, b);
  const settings = stepSettings('momentum', { beta: fraction(where, 'beta', beta) });
  const lr = positiveNumber(where, 'learningRate', learningRate);
  const P = [...W, ...b].map(copy);
  const V = [...vs.dW, ...vs.db].map(copy);
  native.optimizerStep(settings, P.map((m) => m.data), [...g.dW, ...g.db].map((m) => m.data), V.map((m) => m.data),
    P.map((m) => allocate(dtypeOf(m.data), 0)), lr, 1, null, null);
  const L = W.length;
  return [toParameters(P.slice(0, L), P.slice(L)), keyed(V, L)];
}

/**
 * update_parameters_with_adam: for every parameter, with t the step (from 1),
 *   v = beta1 * v + (1 - beta1) * grad,       vCorrected = v / (1 - beta1^t)
 *   s = beta2 * s + (1 - beta2) * grad^2,     sCorrected = s / (1 - beta2^t)
 *   W = W - learningRate * vCorrected / (sqrt(sCorrected) + epsilon)
 * Returns [parameters, v, s, vCorrected, sCorrected], all new.
 */
export function updateParametersWithAdam(parameters: NetworkParameters, grads: Grads, v: OptimizerState, s: OptimizerState, t: number,
  learningRate = 0.01, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8):
  [NetworkParameters, OptimizerState, OptimizerState, OptimizerState, OptimizerState] {
  const where = 'updateParametersWithAdam';
  const { W, b } = readLayers(where, 'parameters', parameters);
  const g = readGrads(where, grads, W, b);
  const vs = readState(where, 'v', v, W, b);
  const ss = readState(where, 's', s, W, b);
  const step = integerIn(where, 't', t, 1, Number.MAX_SAFE_INTEGER);
  const settings = stepSettings('adam', { beta1: fraction(where, 'beta1', beta1), beta2: fraction(where, 'beta2', beta2),
    epsilon: positiveNumber(where, 'epsilon', epsilon) });
  const lr = positiveNumber(where, 'learningRate', learningRate);
  const P = [...W, ...b].map(copy);
  const V = [...vs.dW, ...vs.db].map(copy);
  const S = [...ss.dW, ...ss.db].map(copy);
  const VH = P.map(zerosLike);
  const SH = P.map(zerosLike);
  const data = (list: Matrix[]) => list.map((m) => m.data);
  native.optimizerStep(settings, data(P), data([...g.dW, ...g.db]), data(V), data(S), lr, step, data(VH), data(SH));
  const L = W.length;
  return [toParameters(P.slice(0, L), P.slice(L)), keyed(V, L), keyed(S, L), keyed(VH, L), keyed(SH, L)];
}

/** [dW1..dWL, db1..dbL] as { dW1, db1, ... }. */
function keyed(list: Matrix[], L: number): OptimizerState {
  const out: OptimizerState = {};
  for (let l = 1; l <= L; l++) {
    out[`dW${l}`] = list[l - 1];
    out[`db${l}`] = list[L + l - 1];
  }
  return out;
}
