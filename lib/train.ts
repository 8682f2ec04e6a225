// The notes' L_layer_model: the whole training loop in one native call.
import { integerIn, options, positiveNumber, typeError } from './errors';
import { checkLayersDims, initializeParametersDeep } from './init';
import { checkData } from './labels';
import { allocate, dtypeOf, Matrix } from './matrix';
import { native } from './native';
import { NetworkParameters, readLayers } from './parameters';

/** Options of lLayerModel (the notes' L_layer_model). */
export interface LLayerModelOptions {
  /** Default 0.0075, as the notes. */
  learningRate?: number;
  /** Default 3000. */
  numIterations?: number;
  /** Print "Cost after iteration i: cost" every 100 iterations. Default false. */
  printCost?: boolean;
  /**
   * Seed of the deep initialization (default 3: the notes' init re-seeds with
   * 3, so their np.random.seed(1) before it has no effect; the course's
   * dnn_app_utils seeds 1).
   */
  seed?: number;
}

/** lLayerModel's result. */
export interface LLayerModelResult {
  /** The trained W1, b1, ..., WL, bL. */
  parameters: NetworkParameters;
  /** The cost at iterations 0, 100, 200, ... (computed before that iteration's update). */
  costs: number[];
}

const MAX_ITERATIONS = 2 ** 31 - 1;

/**
 * Trains [LINEAR->RELU]*(L-1) -> LINEAR->SIGMOID on X (n_x, m), Y (1, m) with
 * batch gradient descent, from initializeParametersDeep(layersDims, { seed }).
 * The dtype of X (float64 or float32) is the dtype of the computation.
 */
export function lLayerModel(X: Matrix, Y: Matrix, layersDims: number[], opts?: LLayerModelOptions): LLayerModelResult {
  const where = 'lLayerModel';
  const dims = checkLayersDims(where, layersDims);
  const [x, y] = checkData(where, X, Y, dims[0]);
  if (dims[0] !== x.shape[0]) {
    throw new RangeError(`${where}: layersDims[0] must equal the rows of X (${x.shape[0]} features); received ${dims[0]}`);
  }
  if (dims[dims.length - 1] !== 1) {
    throw new RangeError(`${where}: the last entry of layersDims must be 1 (one sigmoid output unit); received ${dims[dims.length - 1]}`);
  }
  const o = options<LLayerModelOptions>(where, opts, ['learningRate', 'numIterations', 'printCost', 'seed']);
  const learningRate = positiveNumber(where, 'learningRate', o.learningRate ?? 0.0075);
  const numIterations = integerIn(where, 'numIterations', o.numIterations ?? 3000, 0, MAX_ITERATIONS);
  if (o.printCost !== undefined && typeof o.printCost !== 'boolean') throw typeError(where, 'printCost', 'a boolean', o.printCost);

  const parameters = initializeParametersDeep(dims, { seed: o.seed ?? 3, dtype: dtypeOf(x.data) });
  const { W, b } = readLayers(where, 'parameters', parameters);
  const all = allocate('float64', numIterations, where) as Float64Array;
  const onLog = o.printCost
    ? (i: number, cost: number) => console.log(`Cost after iteration ${i}: ${cost.toFixed(6)}`)
    : null;
  native.train(x.data, y.data, W.map((w) => w.data), b.map((v) => v.data), dims, x.shape[1],
    learningRate, numIterations, 100, onLog, all);
  const costs: number[] = [];
  for (let i = 0; i < numIterations; i += 100) costs.push(all[i]);
  return { parameters, costs };
}
