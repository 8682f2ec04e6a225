// Model.fit's options and data, checked in one place before any training
// starts, and turned into what the native training loop takes.
import { Output } from './architecture';
import { integerIn, options, positiveNumber, rangeError, typeError } from './errors';
import { checkDestination } from './io/atomic';
import { checkLayout, Layout, transpose } from './layout';
import { allocate, checkMatrix, DType, dtypeOf, expectShape, Matrix, shapeString } from './matrix';
import { checkScalerOption, ScalerOption } from './modelScaler';

export { checkLayout } from './layout';
export type { Layout } from './layout';
import { native, NativeFitSettings } from './native';
import { checkTargets } from './targets';

/** The optimizers of Model.fit: gradient descent, momentum, RMSprop, Adam. */
export type OptimizerName = 'gd' | 'momentum' | 'rmsprop' | 'adam';
export const OPTIMIZERS: readonly OptimizerName[] = ['gd', 'momentum', 'rmsprop', 'adam'];

/** Learning-rate decay after each epoch (Course 2 Week 2), from the fit's learningRate lr0. */
export interface LearningRateDecay {
  /** 'inverse': lr0 / (1 + rate * epoch) (update_lr); 'step': lr0 / (1 + rate * floor(epoch / interval)) (schedule_lr_decay). */
  schedule: 'inverse' | 'step';
  /** decay_rate: how fast the learning rate falls. */
  rate: number;
  /** Epochs per step of the 'step' schedule (default 1000, as the course). */
  interval?: number;
}

/** When fit stops before its epochs are done (as Keras' EarlyStopping). */
export interface EarlyStoppingOptions {
  /** Epochs without improvement of the watched cost before training stops. */
  patience: number;
  /** An improvement must lower the watched cost by more than this (default 0). */
  minDelta?: number;
  /** When training stops early, go back to the best epoch's parameters (default true, as Keras' restore_best_weights). */
  restoreBest?: boolean;
}

/** What onProgress receives every logEvery epochs. */
export interface Progress {
  /** The epoch just finished, counted from 0 in this fit (with full batches, an epoch is an iteration). */
  epoch: number;
  /** Same as epoch (the name full-batch training has always used). */
  iteration: number;
  /** Epochs this fit runs. */
  epochs: number;
  /** Same as epochs. */
  iterations: number;
  /** The epoch's cost: each batch's cost before its step, weighted by batch size. */
  cost: number;
  /** The cost on the validation data after the epoch (when there is validation data). */
  validationCost?: number;
  /** The accuracy on the validation data after the epoch (classifiers). */
  validationAccuracy?: number;
  /** The learning rate the epoch used. */
  learningRate: number;
}


/** Options of Model.fit and Model.fitSync, each checked before training with an error naming it. */
export interface FitOptions {
  /**
   * 'rows': X (and validation.X) hold one example per row, (m, features),
   * and Y is (m, K), (m, 1) or class labels (1, m); read in place, no transpose.
   */
  layout?: Layout;
  /** Default 0.0075. */
  learningRate?: number;
  /** Passes over the data (default 3000). */
  epochs?: number;
  /** Alias of epochs, the name full-batch gradient descent has always used. */
  iterations?: number;
  /** onProgress runs every logEvery epochs (default 100), and on the epoch early stopping ends on. */
  logEvery?: number;
  /** Called with each logged epoch's Progress (on the main thread, for fit too). */
  onProgress?: (progress: Progress) => void;
  /** fit() only: stops at the next step; fit() rejects with an AbortError. */
  signal?: AbortSignal;
  /**
   * Save the model (parameters, optimizer state, generator state, epochs
   * done) to `path` every `every` epochs and at the end, atomically.
   * Model.load(path) and a fit of the remaining epochs end with exactly the
   * parameters of an uninterrupted run.
   */
  checkpoint?: { path: string; every: number };
  /** 'gd' (default), 'momentum', 'rmsprop' or 'adam'. */
  optimizer?: OptimizerName;
  /** Momentum's average (default 0.9). */
  beta?: number;
  /** Adam's first-moment average (default 0.9). */
  beta1?: number;
  /** Adam's and RMSprop's squared-gradient average (default 0.999). */
  beta2?: number;
  /** Default 1e-8. */
  epsilon?: number;
  /** Examples per step (default: all of them, full-batch gradient descent). */
  batchSize?: number;
  /** Shuffle the examples before each epoch (default: true when batchSize < m). */
  shuffle?: boolean;
  /**
   * The course's scheme: before epoch e (counted over every fit of this
   * model, from 0) a generator seeded with shuffleSeed + e + 1 draws the
   * permutation; shuffleSeed 10 reproduces the notebook. Without it, the
   * model's own generator draws them (reproducible per seed).
   */
  shuffleSeed?: number;
  /** Decay the learning rate after each epoch (Course 2 Week 2's schedules). */
  learningRateDecay?: LearningRateDecay;
  /** Held-out examples: a cost (and accuracy) per epoch in History. */
  validation?: { X: Matrix; Y: Matrix };
  /** Hold out the last fraction of the examples (columns) for validation, as Keras. */
  validationSplit?: number;
  /** Stop when the validation cost (the training cost without validation data) stops improving. */
  earlyStopping?: EarlyStoppingOptions;
  /**
   * Data-parallel training over MPI (run under mpirun, mpiexec or srun): true
   * when every process passes the same X, Y (each takes its share of every
   * step), or { sharded: true } when each passes its own examples. One
   * allreduce per step adds up the processes' gradients; all apply the same
   * update. Process 0 reports progress and writes checkpoints.
   * checkEvery: compare the processes' parameters every this many steps
   * (they are always compared at the end).
   */
  distributed?: boolean | { sharded?: boolean; checkEvery?: number };
  /**
   * Scale the inputs: 'standard' or 'minmax' fits that scaler on this fit's
   * training examples (not on those validationSplit holds out); a Scaler is
   * used as it is when fitted, else fitted on them. The model keeps it (see
   * Model.scaler), saves it and applies it to every X it is given.
   */
  scaler?: ScalerOption;
}

/** What a fit did: one entry per epoch, and how it ended. */
export interface History {
  /** One cost per epoch, computed as Progress.cost (a typed array: long runs stay out of the JavaScript heap). */
  costs: Float64Array;
  /** Epochs completed (their steps applied). */
  iterations: number;
  /** Same as iterations. */
  epochs: number;
  /** Optimizer steps taken. */
  steps: number;
  /** The learning rate each epoch used. */
  learningRates: Float64Array;
  /** With validation data: its cost after each epoch. */
  validationCosts?: Float64Array;
  /** With validation data and a classifier: its accuracy after each epoch. */
  validationAccuracies?: Float64Array;
  /** Whether early stopping ended the fit; bestEpoch is the epoch it went back to (or would have). */
  stoppedEarly: boolean;
  /** With early stopping: the epoch of the lowest watched cost (whose parameters are restored when restoreBest). */
  bestEpoch?: number;
  /** Distributed training: seconds this process spent in the allreduces. */
  communicationSeconds?: number;
}

/** What a model tells the checks about itself. */
export interface ModelShape {
  layers: readonly number[];
  dtype: DType;
  output: Output;
  keepProb: number;
}

/** A fit, checked: the native settings (but the epoch count and first epoch, set per call) and the data. */
export interface FitPlan {
  settings: Omit<NativeFitSettings, 'epochs' | 'firstEpoch'>;
  epochs: number;
  logEvery: number;
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
  checkpoint?: { path: string; every: number };
  /** The optimizer and its hyper-parameters: a state saved under another key starts afresh. */
  optimizerKey: string;
  /** X as given: (n_x, m), or (m, n_x) when xRows. */
  X: Matrix;
  /** Y as the native layer takes it: (K, m). */
  Y: Matrix;
  xRows: boolean;
  /** The examples' count. */
  m: number;
  validation: { X: Matrix; Y: Matrix; m: number } | null;
  /** This process's rank and the job's size (1 process when not distributed). */
  world: { rank: number; size: number };
  /** fit's scaler option, checked but not yet fitted. */
  scaler?: ScalerOption;
}

const KNOWN = ['layout', 'learningRate', 'epochs', 'iterations', 'logEvery', 'onProgress', 'checkpoint', 'optimizer', 'beta', 'beta1',
  'beta2', 'epsilon', 'batchSize', 'shuffle', 'shuffleSeed', 'learningRateDecay', 'validation', 'validationSplit',
  'earlyStopping', 'distributed', 'scaler'] as const;
const MAX = 2 ** 31 - 1;

/** A number in the open interval (0, 1). */
function fraction(where: string, arg: string, value: unknown): number {
  if (typeof value !== 'number') throw typeError(where, arg, 'a number in (0, 1)', value);
  if (!(value > 0 && value < 1)) throw rangeError(where, arg, 'a number in (0, 1)', String(value));
  return value;
}

function nonNegative(where: string, arg: string, value: unknown): number {
  if (typeof value !== 'number') throw typeError(where, arg, 'a finite number >= 0', value);
  if (!(Number.isFinite(value) && value >= 0)) throw rangeError(where, arg, 'a finite number >= 0', String(value));
  return value;
}

function isAbortSignal(x: unknown): x is AbortSignal {
  return x !== null && typeof x === 'object' && typeof (x as AbortSignal).addEventListener === 'function' &&
    typeof (x as AbortSignal).aborted === 'boolean';
}

/** Columns [from, to) of a (rows, m) matrix, copied. */
export function columns(m: Matrix, from: number, to: number): Matrix {
  const [rows, cols] = m.shape;
  const out = allocate(dtypeOf(m.data), rows * (to - from));
  for (let r = 0; r < rows; r++) out.set(m.data.subarray(r * cols + from, r * cols + to), r * (to - from));
  return { shape: [rows, to - from], data: out };
}

/**
 * X for this model, checked: (n_x, m) in the columns layout, (m, n_x) in
 * rows; returns it with its example count.
 */
export function checkInputs(where: string, model: ModelShape, X: unknown, layout: Layout, name = '',
  allowNonFinite = false): [Matrix, number] {
  const x = checkMatrix(where, `${name}X`, X, allowNonFinite);
  const n = model.layers[0];
  if (layout === 'rows') {
    if (x.shape[1] !== n) {
      throw new RangeError(`${where}: ${name}X.shape must be (any, ${n}) (layout 'rows': one example per row, ${n} features for ` +
        `the model's input layer); received ${shapeString(x)}${x.shape[0] === n ? ` (it looks like columns: drop layout 'rows')` : ''}`);
    }
  } else {
    expectShape(where, `${name}X`, x, n, null, `(the model's input layer has ${n} units: one row per feature, one column per example)` +
      (x.shape[1] === n && x.shape[0] !== n ? `; X looks like one example per row: pass { layout: 'rows' }` : ''));
  }
  if (dtypeOf(x.data) !== model.dtype) {
    throw new TypeError(`${where}: ${name}X is ${dtypeOf(x.data)} but the model is ${model.dtype} (convert with asDType)`);
  }
  return [x, layout === 'rows' ? x.shape[0] : x.shape[1]];
}

/** The examples X and their targets for this model, checked; Y comes back as (K, m). */
export function checkExamples(where: string, model: ModelShape, X: unknown, Y: unknown, name = '', layout: Layout = 'columns'): [Matrix, Matrix] {
  const [x, m] = checkInputs(where, model, X, layout, name);
  const K = model.layers[model.layers.length - 1];
  let y = Y;
  if (layout === 'rows') {
    const ym = checkMatrix(where, `${name}Y`, Y);
    // (m, K) or (m, 1) in rows; class labels may also come as (1, m).
    if (ym.shape[0] === m && !(ym.shape[0] === 1 && ym.shape[1] === m)) y = transpose(ym);
  }
  try {
    return [x, checkTargets(where, model.output, K, m, y, model.dtype)];
  } catch (err) {
    if (name && err instanceof Error) err.message = err.message.replace(`${where}: Y`, `${where}: ${name}Y`);
    throw err;
  }
}

/** Examples [from, to) of X in its layout (rows: a view, no copy). */
function examples(x: Matrix, from: number, to: number, rows: boolean): Matrix {
  if (!rows) return columns(x, from, to);
  const n = x.shape[1];
  return { shape: [to - from, n], data: x.data.subarray(from * n, to * n) };
}

/** Checks every option and the data of a fit. */
export function planFit(where: string, model: ModelShape, X: unknown, Y: unknown, opts: unknown, async: boolean): FitPlan {
  const o = options<FitOptions>(where, opts, async ? [...KNOWN, 'signal'] : KNOWN);
  const layout = checkLayout(where, o.layout);
  const rows = layout === 'rows';
  let [x, y] = checkExamples(where, model, X, Y, '', layout);
  const learningRate = positiveNumber(where, 'learningRate', o.learningRate ?? 0.0075);
  if (o.epochs !== undefined && o.iterations !== undefined && o.epochs !== o.iterations) {
    throw new RangeError(`${where}: epochs (${o.epochs}) and iterations (${o.iterations}) are the same setting; give one`);
  }
  const epochs = integerIn(where, o.epochs !== undefined ? 'epochs' : 'iterations', o.epochs ?? o.iterations ?? 3000, 0, MAX);
  const logEvery = integerIn(where, 'logEvery', o.logEvery ?? 100, 1, MAX);
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') throw typeError(where, 'onProgress', 'a function', o.onProgress);
  if (o.signal !== undefined && !isAbortSignal(o.signal)) throw typeError(where, 'signal', 'an AbortSignal', o.signal);
  const optimizer = o.optimizer ?? 'gd';
  if (!OPTIMIZERS.includes(optimizer)) throw typeError(where, 'optimizer', OPTIMIZERS.map((n) => `'${n}'`).join(', '), optimizer);
  const beta = fraction(where, 'beta', o.beta ?? 0.9);
  const beta1 = fraction(where, 'beta1', o.beta1 ?? 0.9);
  const beta2 = fraction(where, 'beta2', o.beta2 ?? 0.999);
  const epsilon = positiveNumber(where, 'epsilon', o.epsilon ?? 1e-8);

  let validation: { X: Matrix; Y: Matrix; m: number } | null = null;
  if (o.validation !== undefined && o.validationSplit !== undefined) {
    throw new TypeError(`${where}: give validation or validationSplit, not both`);
  }
  if (o.validation !== undefined) {
    if (o.validation === null || typeof o.validation !== 'object') throw typeError(where, 'validation', 'an object { X, Y }', o.validation);
    const [vx, vy] = checkExamples(where, model, o.validation.X, o.validation.Y, 'validation.', layout);
    validation = { X: vx, Y: vy, m: vy.shape[1] };
  } else if (o.validationSplit !== undefined) {
    const f = fraction(where, 'validationSplit', o.validationSplit);
    const m = y.shape[1];
    const split = Math.floor(m * (1 - f));
    if (split < 1 || split >= m) {
      throw new RangeError(`${where}: validationSplit ${f} of ${m} examples leaves ${split} to train on and ${m - split} to validate; ` +
        'each needs at least one');
    }
    validation = { X: examples(x, split, m, rows), Y: columns(y, split, m), m: m - split };
    [x, y] = [examples(x, 0, split, rows), columns(y, 0, split)];
  }
  const m = y.shape[1];
  const batchSize = o.batchSize === undefined ? m : integerIn(where, 'batchSize', o.batchSize, 1, MAX);
  const shuffle = o.shuffle ?? batchSize < m;
  if (typeof shuffle !== 'boolean') throw typeError(where, 'shuffle', 'a boolean', shuffle);
  const shuffleSeed = o.shuffleSeed === undefined ? -1 : integerIn(where, 'shuffleSeed', o.shuffleSeed, 0, 2 ** 32 - 1);
  if (shuffleSeed >= 0 && !shuffle) throw new TypeError(`${where}: shuffleSeed is set but shuffle is false`);

  let decay: NativeFitSettings['decay'] = 'none';
  let decayRate = 0;
  let decayInterval = 1000;
  if (o.learningRateDecay !== undefined) {
    const d = options<LearningRateDecay>(`${where} learningRateDecay`, o.learningRateDecay, ['schedule', 'rate', 'interval']);
    if (d.schedule !== 'inverse' && d.schedule !== 'step') {
      throw typeError(where, 'learningRateDecay.schedule', "'inverse' or 'step'", d.schedule);
    }
    decay = d.schedule;
    decayRate = nonNegative(where, 'learningRateDecay.rate', d.rate);
    decayInterval = integerIn(where, 'learningRateDecay.interval', d.interval ?? 1000, 1, MAX);
  }
  let patience = 0;
  let minDelta = 0;
  let restoreBest = true;
  if (o.earlyStopping !== undefined) {
    const e = options<EarlyStoppingOptions>(`${where} earlyStopping`, o.earlyStopping, ['patience', 'minDelta', 'restoreBest']);
    patience = integerIn(where, 'earlyStopping.patience', e.patience, 1, MAX);
    minDelta = nonNegative(where, 'earlyStopping.minDelta', e.minDelta ?? 0);
    restoreBest = e.restoreBest ?? true;
    if (typeof restoreBest !== 'boolean') throw typeError(where, 'earlyStopping.restoreBest', 'a boolean', restoreBest);
  }
  const checkpoint = checkCheckpoint(where, o.checkpoint, logEvery);
  const distributed = checkDistributed(where, o.distributed, model);
  const scaler = checkScalerOption(where, o.scaler);
  const key = optimizer === 'gd' ? 'gd' : optimizer === 'momentum' ? `momentum(${beta})`
    : optimizer === 'rmsprop' ? `rmsprop(${beta2},${epsilon})` : `adam(${beta1},${beta2},${epsilon})`;
  return {
    settings: {
      learningRate, logEvery, optimizer, beta, beta1, beta2, epsilon, batchSize: batchSize >= m ? 0 : batchSize, shuffle,
      shuffleSeed, decay, decayRate, decayInterval, patience, minDelta, restoreBest,
      ...(distributed ? { distributed: distributed.setting } : {}),
    },
    epochs, logEvery, onProgress: o.onProgress, signal: o.signal, checkpoint, optimizerKey: key,
    X: x, Y: y, xRows: rows, m, validation, world: distributed?.world ?? { rank: 0, size: 1 },
    ...(scaler === undefined ? {} : { scaler }),
  };
}

/** The distributed option, checked, and this process's place in the MPI job (MPI started here). */
function checkDistributed(where: string, value: unknown, model: ModelShape):
  { setting: true | { sharded: boolean; checkEvery: number }; world: { rank: number; size: number } } | undefined {
  if (value === undefined || value === false) return undefined;
  let setting: true | { sharded: boolean; checkEvery: number } = true;
  if (value !== true) {
    const d = options<{ sharded?: boolean; checkEvery?: number }>(`${where} distributed`, value, ['sharded', 'checkEvery']);
    if (d.sharded !== undefined && typeof d.sharded !== 'boolean') throw typeError(where, 'distributed.sharded', 'a boolean', d.sharded);
    setting = { sharded: d.sharded ?? false, checkEvery: integerIn(where, 'distributed.checkEvery', d.checkEvery ?? 0, 0, MAX) };
  }
  if (model.keepProb < 1) throw new TypeError(`${where}: distributed training does not support dropout yet (keepProb ${model.keepProb})`);
  try {
    return { setting, world: native.mpiWorld() };
  } catch (err) {
    throw new Error(`${where}: ${(err as Error).message.replace(/^deepnet: /, '')}`);
  }
}

function checkCheckpoint(where: string, value: unknown, logEvery: number): { path: string; every: number } | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object') throw typeError(where, 'checkpoint', 'an object { path, every }', value);
  const { path, every } = value as { path?: unknown; every?: unknown };
  if (typeof path !== 'string' || path.length === 0) throw typeError(where, 'checkpoint.path', 'a file path', path);
  checkDestination(where, path);  // a device or FIFO there is refused now, not after the first chunk of training
  const n = integerIn(where, 'checkpoint.every', every, 1, MAX);
  if (n % logEvery !== 0 && logEvery % n !== 0) {
    throw new RangeError(`${where}: checkpoint.every (${n}) must be a multiple or a divisor of logEvery (${logEvery}), ` +
      'so that progress reports keep their rhythm');
  }
  return { path, every: n };
}
