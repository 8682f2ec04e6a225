// The optimization notebook's model() (Course 2 Week 2): He initialization,
// shuffled mini-batches, gd / momentum / adam, optional learning-rate decay,
// the whole loop in one native call with the notebook's own arithmetic
// (its summed cost and backward_propagation).
import { integerIn, options, positiveNumber, typeError } from './errors';
import { OptimizerName } from './fitOptions';
import { checkLayersDims, initializeParametersHe } from './init';
import { checkData } from './labels';
import { allocate, dtypeOf, Matrix } from './matrix';
import { native } from './native';
import { NetworkParameters, readLayers } from './parameters';
import { scheduleLrDecay, updateLr } from './schedules';

/** Options of miniBatchModel (the Optimization notebook's model()). */
export interface MiniBatchModelOptions {
  /** 'gd' (default), 'momentum' or 'adam'. */
  optimizer?: Exclude<OptimizerName, 'rmsprop'>;
  /** Default 0.0007, as the notebook. */
  learningRate?: number;
  /** Default 64. */
  miniBatchSize?: number;
  /** Momentum's average (default 0.9). */
  beta?: number;
  /** Adam's first-moment average (default 0.9). */
  beta1?: number;
  /** Adam's second-moment average (default 0.999). */
  beta2?: number;
  /** Default 1e-8. */
  epsilon?: number;
  /** Default 5000. */
  numEpochs?: number;
  /** Print "Cost after epoch i: cost" every 1000 epochs (and the learning rate, with decay). Default false. */
  printCost?: boolean;
  /** updateLr or scheduleLrDecay (the functions themselves, as the notebook passes them), applied after each epoch. */
  decay?: typeof updateLr | typeof scheduleLrDecay;
  /** Default 1. */
  decayRate?: number;
  /** scheduleLrDecay's time interval (default 1000). */
  timeInterval?: number;
}

/** miniBatchModel's result. */
export interface MiniBatchModelResult {
  /** The trained W1, b1, ..., WL, bL. */
  parameters: NetworkParameters;
  /** The notebook's costs: cost_avg at epochs 0, 100, 200, ... */
  costs: number[];
  /** Every epoch's cost_avg (the batches' summed costs / m, each taken before its batch's update). */
  epochCosts: Float64Array;
  /** The learning rate each epoch used. */
  learningRates: Float64Array;
}

/**
 * model(X, Y, layers_dims, optimizer, ...) of the notebook on X (n_x, m), Y
 * (1, m): parameters from initializeParametersHe (seed 3), then for epoch i
 * the batches of randomMiniBatches(X, Y, miniBatchSize, 10 + i + 1), each
 * forward, cost, backward and an update of `optimizer` (Adam's t counting
 * steps from 1). The dtype of X is the dtype of the computation.
 */
export function miniBatchModel(X: Matrix, Y: Matrix, layersDims: number[], opts?: MiniBatchModelOptions): MiniBatchModelResult {
  const where = 'miniBatchModel';
  const [x, y] = checkData(where, X, Y);
  const dims = checkLayersDims(where, layersDims);
  if (dims[0] !== x.shape[0]) throw new RangeError(`${where}: layersDims[0] must equal the rows of X (${x.shape[0]}); received ${dims[0]}`);
  if (dims[dims.length - 1] !== 1) throw new RangeError(`${where}: the last entry of layersDims must be 1 (one sigmoid output unit)`);
  const o = options<MiniBatchModelOptions>(where, opts, ['optimizer', 'learningRate', 'miniBatchSize', 'beta', 'beta1', 'beta2',
    'epsilon', 'numEpochs', 'printCost', 'decay', 'decayRate', 'timeInterval']);
  const optimizer = o.optimizer ?? 'gd';
  if (optimizer !== 'gd' && optimizer !== 'momentum' && optimizer !== 'adam') throw typeError(where, 'optimizer', "'gd', 'momentum' or 'adam'", optimizer);
  if (o.decay !== undefined && o.decay !== updateLr && o.decay !== scheduleLrDecay) {
    throw typeError(where, 'decay', 'updateLr or scheduleLrDecay', o.decay);
  }
  if (o.printCost !== undefined && typeof o.printCost !== 'boolean') throw typeError(where, 'printCost', 'a boolean', o.printCost);
  const epochs = integerIn(where, 'numEpochs', o.numEpochs ?? 5000, 0, 2 ** 31 - 1);
  const fraction = (name: string, v: number) => {
    if (!(v > 0 && v < 1)) throw new RangeError(`${where}: ${name} must be in (0, 1); received ${v}`);
    return v;
  };
  const settings = {
    learningRate: positiveNumber(where, 'learningRate', o.learningRate ?? 0.0007), epochs, logEvery: 1000, optimizer,
    beta: fraction('beta', o.beta ?? 0.9), beta1: fraction('beta1', o.beta1 ?? 0.9), beta2: fraction('beta2', o.beta2 ?? 0.999),
    epsilon: positiveNumber(where, 'epsilon', o.epsilon ?? 1e-8),
    batchSize: integerIn(where, 'miniBatchSize', o.miniBatchSize ?? 64, 1, 2 ** 31 - 1),
    shuffle: true, shuffleSeed: 10,
    decay: o.decay === undefined ? 'none' as const : o.decay === updateLr ? 'inverse' as const : 'step' as const,
    decayRate: o.decayRate ?? 1, decayInterval: integerIn(where, 'timeInterval', o.timeInterval ?? 1000, 1, 2 ** 31 - 1),
    firstEpoch: 0, patience: 0, minDelta: 0, restoreBest: false,
  };
  if (typeof settings.decayRate !== 'number' || !(settings.decayRate >= 0)) throw typeError(where, 'decayRate', 'a number >= 0', o.decayRate);

  const parameters = initializeParametersHe(dims, { seed: 3, dtype: dtypeOf(x.data) });
  const { W, b } = readLayers(where, 'parameters', parameters);
  const flat = allocate(dtypeOf(x.data), W.reduce((n, w, i) => n + w.data.length + b[i].data.length, 0), where);
  let at = 0;
  W.forEach((w, i) => {
    flat.set(w.data, at);
    at += w.data.length;
    flat.set(b[i].data, at);
    at += b[i].data.length;
  });
  const buffer = () => allocate('float64', epochs, where) as Float64Array;
  const history = { costs: buffer(), valCosts: buffer(), valAccuracies: buffer(), learningRates: buffer() };
  const onLog = o.printCost ? (i: number, cost: number) => {
    console.log(`Cost after epoch ${i}: ${cost.toFixed(6)}`);
    if (o.decay) console.log(`learning rate after epoch ${i}: ${o.decay(settings.learningRate, i, settings.decayRate, settings.decayInterval)}`);
  } : null;
  native.trainMiniBatch(x.data, y.data, x.shape[1], settings, onLog, history, null, flat, dims);
  at = 0;
  W.forEach((w, i) => {
    w.data.set(flat.subarray(at, at + w.data.length));
    at += w.data.length;
    b[i].data.set(flat.subarray(at, at + b[i].data.length));
    at += b[i].data.length;
  });
  const costs: number[] = [];
  for (let i = 0; i < epochs; i += 100) costs.push(history.costs[i]);
  return { parameters, costs, epochCosts: history.costs, learningRates: history.learningRates };
}
