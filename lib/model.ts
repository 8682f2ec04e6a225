// Model: the typed API for production code, on the same native kernels.
// A general fully-connected network (hidden activations, a sigmoid, softmax
// or linear output) trained with Course 2's arithmetic: each head's cost from
// its logits (plus the L2 term), dZL = AL - Y, L2 and inverted dropout as
// Course 2, mini-batches and the optimizers of Course 2 Week 2; it stops
// (keeping the last finite parameters) if training diverges.
import * as fs from 'fs';
import { Architecture, checkArchitecture, HiddenActivation, layerActivations, Output } from './architecture';
import { checkLambd } from './backward';
import { checkKeepProb } from './dropout';
import { integerIn, options, typeError } from './errors';
import { checkExamples, checkInputs, checkLayout, FitOptions, FitPlan, History, Layout, ModelShape, planFit } from './fitOptions';
import { transpose } from './layout';
import { checkLayersDims } from './init';
import { decodeModel, encodeModel, InitName, INIT_NAMES } from './io/modelFile';
import { checkDestination, writeFileAtomic } from './io/atomic';
import { FILE_LIMITS, readRegularFile } from './io/regularFile';
import { headerLength } from './io/safetensors';
import { allocate, DType, Matrix, nonFiniteError } from './matrix';
import { meanSquaredError, r2Score } from './metrics/regression';
import { ownScaler, scaleInputs, scalePlan, scalerForFit } from './modelScaler';
import { AbortError, TrainingDivergedError } from './fitErrors';
import { native, NativeHistory } from './native';
import { NativeModel, NativeProgress, NativeResult, NativeSettings, NativeValidation } from './nativeModel';
import { NetworkParameters, readLayers, toParameters } from './parameters';
import { Scaler, scalerFromJSON } from './scalers';
import { cancelOnExit } from './shutdown';
import { argmaxColumns } from './targets';

export { AbortError, TrainingDivergedError } from './fitErrors';
export type { InitName } from './io/modelFile';
export type { FitOptions, History, Progress, LearningRateDecay, EarlyStoppingOptions, OptimizerName, Layout } from './fitOptions';

/** Options of predict, predictProba and evaluate. */
export interface PredictOptions {
  /** 'rows': X is (m, features) and the results come back as rows too, (m, K). Default 'columns'. */
  layout?: Layout;
}

/** The network a Model is: its layers, activations, output, initialization and regularization. */
export interface ModelOptions {
  /** [n_x, n_1, ..., n_L]: input features, hidden units, output units (1 for binary, K classes for softmax). */
  layers: number[];
  /** 'sigmoid' (default: binary, or independent 0/1 labels), 'softmax' (K classes), 'linear' (regression). */
  output?: Output;
  /** Hidden layers' activation, one for all or one per hidden layer: 'relu' (default), 'tanh', 'sigmoid', 'leakyRelu'. */
  activation?: HiddenActivation | HiddenActivation[];
  /**
   * 'deep' (randn / sqrt(n_prev), the notes; default), 'he' (randn * sqrt(2 / n_prev)),
   * 'xavier' (randn * sqrt(1 / n_prev)), 'random' (randn * 10, the course's), 'zeros'.
   * Each draws exactly as its notes counterpart.
   */
  init?: InitName;
  /** Seed of the initialization (default 3, as the course); dropout masks and shuffles continue the same stream. */
  seed?: number;
  /** 'float64' (default, faithful to numpy) or 'float32' (faster); X and Y must have it. */
  dtype?: DType;
  /** L2 strength lambd (default 0). */
  l2?: number;
  /** Inverted dropout on hidden layers (default 1: off). */
  keepProb?: number;
  /**
   * Re-seed the dropout generator with this seed before every forward pass,
   * as the course's forward_propagation_with_dropout does (every step then
   * uses the same masks). Without it, masks are fresh every step.
   */
  dropoutSeed?: number;
}

/** Options of Model.load. */
export interface LoadOptions {
  /** Accept NaN or Infinity in the weights (refused by default). */
  allowNonFinite?: boolean;
}

/** What evaluate() reports: the cost, and accuracy (classifiers) or the regression errors (linear output). */
export interface Evaluation {
  /** The training objective without dropout: the output's cost (+ the L2 term). */
  cost: number;
  /** Classifiers: the share of correct predictions (per unit for a sigmoid output of several units); NaN for the linear output. */
  accuracy: number;
  /** Linear output: mean over outputs and examples of (prediction - Y)^2. */
  meanSquaredError?: number;
  /** Linear output: the coefficient of determination, averaged over outputs (scikit-learn's r2_score). */
  r2?: number;
}

type F = Float64Array | Float32Array;

const INITS: Record<InitName, { method: string; scale: number }> = {
  deep: { method: 'deep', scale: 1 },
  he: { method: 'he', scale: 1 },
  xavier: { method: 'xavier', scale: 1 },
  random: { method: 'scaled', scale: 10 },
  zeros: { method: 'zeros', scale: 1 },
};

/** One fit's bookkeeping across its native calls (one per checkpoint chunk). */
interface FitRun {
  plan: FitPlan;
  history: NativeHistory;
  steps: number;
  bestCost: number;
  sinceBest: number;
  bestEpoch: number;
  communicationSeconds: number;
}

/**
 * A fully-connected network, trained natively: relu, tanh, sigmoid or
 * leaky-relu hidden layers; a sigmoid, softmax or linear output; L2 and
 * inverted dropout; full-batch or mini-batch gradient descent, momentum,
 * RMSprop or Adam, with learning-rate decay, validation, early stopping and
 * checkpoints; an optional input scaler; float64 or float32. Examples are
 * columns (X (n_x, m)) unless a method is given { layout: 'rows' }. Its
 * defaults (relu, sigmoid, 'deep' init, seed 3, learning rate 0.0075, 3000
 * full-batch iterations) are the notes' L_layer_model's, whose costs and
 * parameters it reproduces within the golden tolerances.
 *
 * @example
 * const model = new Model({ layers: [2, 20, 3, 1], init: 'he' });
 * model.fitSync(X, Y, { learningRate: 0.3, iterations: 30000 });
 * model.predict(Xtest);   // (1, m) of 0/1
 */
export class Model {
  /** [n_x, n_1, ..., n_L]: input features, hidden units, output units. */
  readonly layers: readonly number[];
  /** The output layer: 'sigmoid', 'softmax' or 'linear'. */
  readonly output: Output;
  /** One activation per hidden layer. */
  readonly activation: readonly HiddenActivation[];
  /** How the weights were initialized. */
  readonly init: InitName;
  /** The seed of the initialization (dropout masks and shuffles continue its stream). */
  readonly seed: number;
  /** The dtype of the parameters and of the X and Y the model takes. */
  readonly dtype: DType;
  /** L2 strength lambd (0: none). */
  readonly l2: number;
  /** Inverted dropout on hidden layers (1: none). */
  readonly keepProb: number;
  /** The seed the dropout masks are re-drawn from before every forward pass, if any. */
  readonly dropoutSeed: number | undefined;
  private readonly native: NativeModel;
  private fitting = false;
  /** Epochs trained so far, over every fit (saved in model files). */
  private trained = 0;
  private lastLearningRate: number | undefined;
  /** Which optimizer (and hyper-parameters) the native optimizer state belongs to. */
  private optimizerKey: string | undefined;
  /** The model's own copy of its input scaler (see scaler). */
  private inputScaler: Scaler | null = null;

  constructor(opts: ModelOptions) {
    const where = 'Model';
    if (opts === null || typeof opts !== 'object') throw typeError(where, 'options', 'an object { layers, ... }', opts);
    const o = options<ModelOptions>(where, opts, ['layers', 'output', 'activation', 'init', 'seed', 'dtype', 'l2', 'keepProb', 'dropoutSeed']);
    const layers = checkLayersDims(where, o.layers, 'layers');
    const arch = checkArchitecture(where, layers, o.activation, o.output);
    const init = o.init ?? 'deep';
    if (typeof init !== 'string' || !INIT_NAMES.includes(init)) {
      throw typeError(where, 'init', `one of ${INIT_NAMES.map((k) => `'${k}'`).join(', ')}`, init);
    }
    const dtype = o.dtype ?? 'float64';
    if (dtype !== 'float64' && dtype !== 'float32') throw typeError(where, 'dtype', "'float64' or 'float32'", dtype);
    this.layers = Object.freeze([...layers]);
    this.output = arch.output;
    this.activation = Object.freeze([...arch.hidden]);
    this.init = init;
    this.seed = integerIn(where, 'seed', o.seed ?? 3, 0, 2 ** 32 - 1);
    this.dtype = dtype;
    this.l2 = checkLambd(where, o.l2);
    this.keepProb = checkKeepProb(where, o.keepProb);
    this.dropoutSeed = o.dropoutSeed === undefined ? undefined : integerIn(where, 'dropoutSeed', o.dropoutSeed, 0, 2 ** 32 - 1);
    const NativeModelClass = (native as unknown as { NativeModel: new (config: object) => NativeModel }).NativeModel;
    this.native = new NativeModelClass({
      dims: layers, hidden: arch.hidden, output: arch.output, dtype, init: INITS[init].method, scale: INITS[init].scale,
      seed: this.seed, lambd: this.l2, keepProb: this.keepProb, dropoutSeed: this.dropoutSeed ?? -1,
    });
  }

  /** Number of parameters (every W and b). */
  get size(): number {
    return this.layers.slice(1).reduce((sum, n, i) => sum + n * (this.layers[i] + 1), 0);
  }

  /** Epochs trained so far over every fit (restored by Model.load); with full batches, iterations. */
  get epochsTrained(): number {
    return this.trained;
  }

  /** Same as epochsTrained. */
  get iterationsTrained(): number {
    return this.trained;
  }

  /**
   * The scaler applied to every X before the network sees it (a copy: changing
   * it does not change the model), or null. Set by fit's `scaler` option or by
   * setScaler; saved in model files.
   */
  get scaler(): Scaler | null {
    return this.inputScaler && scalerFromJSON(this.inputScaler.toJSON());
  }

  /**
   * Attaches a fitted scaler (fitted on the model's n_x input features; the
   * model keeps a copy), or detaches it with null. Parameters trained on
   * unscaled inputs do not change: attach a scaler before training.
   */
  setScaler(scaler: Scaler | null): void {
    const where = 'Model.setScaler';
    this.ensureIdle(where);
    this.inputScaler = scaler === null ? null : ownScaler(where, 'scaler', scaler, this.layers[0]);
  }

  private get shape(): ModelShape {
    return { layers: this.layers, dtype: this.dtype, output: this.output, keepProb: this.keepProb };
  }

  private get architecture(): Architecture {
    return { hidden: [...this.activation], output: this.output };
  }

  /** Trains on X (n_x, m), Y on the calling thread (see FitOptions). */
  fitSync(X: Matrix, Y: Matrix, opts?: FitOptions): History {
    const where = 'Model.fitSync';
    this.ensureNotFitting(where);
    const run = this.startFit(this.scaledPlan(where, planFit(where, this.shape, X, Y, opts, false)));
    this.fitting = true;
    try {
      for (let from = 0; ;) {
        const count = this.chunkSize(run, from);
        const [settings, onProgress, history, validation] = this.chunkArgs(run, from, count);
        const result = this.native.fitSync(run.plan.X.data, run.plan.Y.data, run.plan.m, settings, onProgress, history, validation);
        const done = this.afterChunk(where, run, from, result);
        if (done) return done;
        from += count;
      }
    } finally {
      this.fitting = false;
    }
  }

  /**
   * Trains on a worker thread of the addon: the event loop stays free,
   * progress callbacks arrive on the main thread. X and Y are copied first,
   * so the caller may reuse them right away.
   */
  async fit(X: Matrix, Y: Matrix, opts?: FitOptions): Promise<History> {
    const where = 'Model.fit';
    this.ensureNotFitting(where);
    const run = this.startFit(this.scaledPlan(where, planFit(where, this.shape, X, Y, opts, true)));
    const signal = run.plan.signal;
    if (signal?.aborted) throw new AbortError(`${where}: aborted before it started`, this.history(run, 0, false));
    this.fitting = true;
    const onAbort = () => this.native.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    const stopWatchingExit = cancelOnExit(onAbort);
    try {
      for (let from = 0; ;) {
        const count = this.chunkSize(run, from);
        const [settings, onProgress, history, validation] = this.chunkArgs(run, from, count);
        const result: NativeResult = signal?.aborted
          // Aborted between two checkpoint chunks: stop here, as at any step.
          ? { completed: 0, steps: 0, stop: 'cancelled', bestEpoch: -1, bestCost: run.bestCost, sinceBest: run.sinceBest, communicationSeconds: 0 }
          : await this.native.fit(run.plan.X.data, run.plan.Y.data, run.plan.m, settings, onProgress, history, validation);
        const done = this.afterChunk(where, run, from, result);
        if (done) return done;
        from += count;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      stopWatchingExit();
      this.fitting = false;
    }
  }

  /**
   * Saves the model to `path` in the safetensors format (tensors W1..bL and
   * the optimizer's state; the header holds the layers, activations, dtype,
   * settings, training progress and deepnet's version), atomically: a crash
   * mid-save leaves the previous file intact. Python: safetensors.numpy.load_file(path).
   */
  save(path: string): void {
    const where = 'Model.save';
    this.ensureIdle(where);
    if (typeof path !== 'string' || path.length === 0) throw typeError(where, 'path', 'a file path', path);
    checkDestination(where, path);  // before encoding a possibly large model
    this.writeFile(where, path);
  }

  /** Reads a model saved by save() (or a checkpoint), validating it fully first. */
  static load(path: string, opts?: LoadOptions): Model {
    const where = 'Model.load';
    if (typeof path !== 'string' || path.length === 0) throw typeError(where, 'path', 'a file path', path);
    const o = options<LoadOptions>(where, opts, ['allowNonFinite']);
    if (o.allowNonFinite !== undefined && typeof o.allowNonFinite !== 'boolean') {
      throw typeError(where, 'allowNonFinite', 'a boolean', o.allowNonFinite);
    }
    // The header's length is checked before the rest of the file is read.
    const bytes = readRegularFile(where, path, FILE_LIMITS.model, (fd, size) => {
      const head = Buffer.alloc(8);
      headerLength(head.subarray(0, fs.readSync(fd, head, 0, 8, 0)), size, path);
    });
    const file = decodeModel(where, path, bytes, o.allowNonFinite === true);
    let model: Model;
    try {
      model = new Model(file.settings);
      model.native.writeParameters(file.parameters);
      if (file.rng) model.native.setRngState(file.rng.key, file.rng.pos, file.rng.hasGauss, file.rng.gauss);
      if (file.optimizer) model.native.setOptimizerState(file.optimizer.v, file.optimizer.s, file.optimizer.t);
    } catch (err) {
      // decodeModel checked every field; what is left (memory for the model) still names the file.
      const message = `${where}: ${path}: ${(err as Error).message}`;
      throw (err as Error).name === 'RangeError' ? new RangeError(message) : new Error(message);
    }
    model.optimizerKey = file.optimizer?.key;
    if (file.scaler) model.inputScaler = scalerFromJSON(file.scaler);
    model.trained = file.epochsTrained;
    model.lastLearningRate = file.learningRate;
    return model;
  }

  /**
   * The output layer's values AL (K, m), without dropout: probabilities for
   * sigmoid and softmax outputs. With { layout: 'rows' }, X is (m, features)
   * and AL comes back as (m, K).
   */
  predictProba(X: Matrix, opts?: PredictOptions): Matrix {
    const where = 'Model.predictProba';
    const layout = this.predictLayout(where, opts);
    const AL = this.probabilities(where, X, layout);
    return layout === 'rows' ? transpose(AL) : AL;
  }

  /**
   * Predictions: sigmoid output, (K, m) of 0/1 (1 where AL > 0.5); softmax,
   * (1, m) of class indices (the first largest probability); linear, the
   * values (K, m). With { layout: 'rows' }, X is (m, features) and the
   * predictions come back as rows: (m, K), (m, 1) of class indices.
   */
  predict(X: Matrix, opts?: PredictOptions): Matrix {
    const where = 'Model.predict';
    const layout = this.predictLayout(where, opts);
    const AL = this.probabilities(where, X, layout);
    let p: Matrix;
    if (this.output === 'linear') {
      p = AL;
    } else if (this.output === 'softmax') {
      p = argmaxColumns(AL);
    } else {
      const data = allocate(this.dtype, AL.data.length);
      AL.data.forEach((a, i) => { data[i] = a > 0.5 ? 1 : 0; });
      p = { shape: AL.shape, data };
    }
    return layout === 'rows' ? transpose(p) : p;
  }

  /**
   * The cost without dropout and the accuracy (classifiers) or MSE and R^2
   * (linear output) on (X, Y); { layout: 'rows' } as fit's.
   */
  evaluate(X: Matrix, Y: Matrix, opts?: PredictOptions): Evaluation {
    const where = 'Model.evaluate';
    this.ensureIdle(where);
    const layout = this.predictLayout(where, opts);
    const [X0, y] = checkExamples(where, this.shape, X, Y, '', layout);
    const x = scaleInputs(this.inputScaler, X0, layout);
    const m = y.shape[1];
    const { cost, accuracy } = this.native.evaluate(x.data, y.data, m, layout === 'rows');
    if (!Number.isFinite(cost)) {
      // Finite inputs so large that the network's outputs overflow: an error, not a silent Infinity.
      let largest = 0;
      for (const v of x.data) largest = Math.max(largest, Math.abs(v));
      throw new RangeError(`${where}: the cost is ${cost}: the network's outputs overflow for X, whose largest ` +
        `magnitude is ${largest}; scale the inputs (e.g. standardScaler)`);
    }
    if (this.output !== 'linear') return { cost, accuracy };
    return { cost, accuracy: NaN, ...regressionErrors(this.outputs(where, x, m, layout), y) };
  }

  private predictLayout(where: string, opts: unknown): Layout {
    return checkLayout(where, options<PredictOptions>(where, opts, ['layout']).layout);
  }

  /**
   * AL (K, m) for X in `layout`, checked and scaled. Without a scaler, X goes
   * to the addon as given, and each thread checks its chunks for NaN and
   * infinity while they are in cache (one read of X from memory fewer).
   */
  private probabilities(where: string, X: unknown, layout: Layout): Matrix {
    this.ensureIdle(where);
    const scaler = this.inputScaler;
    const [x, m] = checkInputs(where, this.shape, X, layout, '', scaler === null);
    return this.outputs(where, scaleInputs(scaler, x, layout), m, layout, scaler === null);
  }

  /** AL (K, m) for x, scaled and checked (unless checkFinite: then checked here). */
  private outputs(where: string, x: Matrix, m: number, layout: Layout, checkFinite = false): Matrix {
    const K = this.layers[this.layers.length - 1];
    const AL = allocate(this.dtype, K * m, where);
    if (!this.native.predictProba(x.data, m, AL, layout === 'rows', checkFinite)) throw nonFiniteError(where, 'X', x);
    return { shape: [K, m], data: AL };
  }

  /** A copy of the parameters { W1, b1, ..., WL, bL }. */
  getParameters(): NetworkParameters {
    this.ensureIdle('Model.getParameters');
    const flat = allocate(this.dtype, this.size);
    this.native.readParameters(flat);
    const out: NetworkParameters = {};
    let at = 0;
    for (let l = 1; l < this.layers.length; l++) {
      const [n, k] = [this.layers[l], this.layers[l - 1]];
      out[`W${l}`] = { shape: [n, k], data: flat.slice(at, at + n * k) };
      at += n * k;
      out[`b${l}`] = { shape: [n, 1], data: flat.slice(at, at + n) };
      at += n;
    }
    return out;
  }

  /** Replaces the parameters (shapes must match the layers, dtype the model's). */
  setParameters(parameters: NetworkParameters): void {
    const where = 'Model.setParameters';
    this.ensureIdle(where);
    const { dims, W, b, dtype } = readLayers(where, 'parameters', parameters);
    if (dims.length !== this.layers.length || dims.some((d, i) => d !== this.layers[i])) {
      throw new RangeError(`${where}: parameters have layers [${dims}] but the model has [${this.layers}]`);
    }
    if (dtype !== this.dtype) throw new TypeError(`${where}: parameters are ${dtype} but the model is ${this.dtype}`);
    this.native.writeParameters(this.flatten(toParameters(W, b)));
  }

  /** A table of the layers, their shapes and parameter counts, and the settings. */
  summary(): string {
    const acts = layerActivations(this.architecture);
    const rows = [['layer', 'units', 'activation', 'W shape', 'parameters']];
    rows.push(['0 (input)', String(this.layers[0]), '', '', '']);
    for (let l = 1; l < this.layers.length; l++) {
      const [n, k] = [this.layers[l], this.layers[l - 1]];
      rows.push([String(l), String(n), acts[l - 1], `(${n}, ${k})`, String(n * (k + 1))]);
    }
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    const lines = rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd());
    const dropout = this.keepProb < 1 ? `keepProb ${this.keepProb}${this.dropoutSeed === undefined ? '' : ` (masks re-seeded with ${this.dropoutSeed})`}` : 'no dropout';
    lines.push(`${this.size} parameters, ${this.dtype}, init '${this.init}' (seed ${this.seed}), ` +
      `${this.l2 > 0 ? `L2 lambd ${this.l2}` : 'no L2'}, ${dropout}` +
      (this.inputScaler ? `, inputs scaled by ${this.inputScaler.toJSON().type}` : ''));
    return lines.join('\n');
  }

  private ensureIdle(where: string): void {
    if (this.fitting) throw new Error(`${where}: this model is fitting; wait for fit() to finish (or abort it) first`);
  }

  private ensureNotFitting(where: string): void {
    if (this.fitting) throw new Error(`${where}: this model is already fitting; wait for that fit to finish (or abort it)`);
  }

  /** The plan with its X scaled by the model's scaler, after fitting the one fit's `scaler` option asks for. */
  private scaledPlan(where: string, plan: FitPlan): FitPlan {
    if (plan.scaler !== undefined) this.inputScaler = scalerForFit(where, plan.scaler, plan, this.layers[0]);
    return this.inputScaler ? scalePlan(plan, this.inputScaler) : plan;
  }

  /** Allocates the fit's history; a different optimizer than the state's starts afresh. */
  private startFit(plan: FitPlan): FitRun {
    if (plan.settings.optimizer !== 'gd' && plan.optimizerKey !== this.optimizerKey) {
      this.native.resetOptimizer();
      this.optimizerKey = plan.optimizerKey;
    }
    const buffer = () => allocate('float64', plan.epochs, 'Model.fit') as Float64Array;
    return {
      plan, steps: 0, bestCost: Number.MAX_VALUE, sinceBest: 0, bestEpoch: -1, communicationSeconds: 0,
      history: { costs: buffer(), valCosts: buffer(), valAccuracies: buffer(), learningRates: buffer() },
    };
  }

  /** Epochs of the native call starting at `from`: up to the next checkpoint, or all. */
  private chunkSize(run: FitRun, from: number): number {
    return run.plan.checkpoint ? Math.min(run.plan.checkpoint.every, run.plan.epochs - from) : run.plan.epochs;
  }

  private chunkArgs(run: FitRun, from: number, count: number): [NativeSettings, NativeProgress, NativeHistory, NativeValidation] {
    const { plan } = run;
    const settings = { ...plan.settings, epochs: count, firstEpoch: this.trained, bestCost: run.bestCost, sinceBest: run.sinceBest,
      xRows: plan.xRows };
    const user = plan.world.rank === 0 ? plan.onProgress : undefined;  // one process reports
    const onProgress: NativeProgress = user
      ? (e, cost, valCost, valAccuracy, learningRate) => user({
        epoch: from + e, iteration: from + e, epochs: plan.epochs, iterations: plan.epochs, cost, learningRate,
        ...(plan.validation ? { validationCost: valCost } : {}),
        ...(plan.validation && this.output !== 'linear' ? { validationAccuracy: valAccuracy } : {}),
      })
      : null;
    const h = run.history;
    const part = (a: Float64Array) => a.subarray(from, from + count);
    const history = { costs: part(h.costs), valCosts: part(h.valCosts), valAccuracies: part(h.valAccuracies), learningRates: part(h.learningRates) };
    const v = plan.validation;
    return [settings, onProgress, history, v ? { X: v.X.data, Y: v.Y.data, m: v.m, rows: plan.xRows } : null];
  }

  /** Books a finished chunk; returns the history when the fit is over (or throws). */
  private afterChunk(where: string, run: FitRun, from: number, result: NativeResult): History | null {
    this.trained += result.completed;
    this.lastLearningRate = run.plan.settings.learningRate;
    run.steps += result.steps;
    run.communicationSeconds += result.communicationSeconds;
    run.bestCost = result.bestCost;
    run.sinceBest = result.sinceBest;
    if (result.bestEpoch >= 0) run.bestEpoch = from + result.bestEpoch;
    const completed = from + result.completed;
    if (result.stop === 'diverged') this.optimizerKey = undefined;  // the native state was reset
    // One process writes the checkpoint (they all hold the same model).
    if (run.plan.checkpoint && result.stop !== 'diverged' && run.plan.world.rank === 0) this.writeFile(`${where} (checkpoint)`, run.plan.checkpoint.path);
    if (result.stop === 'finished' && completed < run.plan.epochs) return null;
    const history = this.history(run, completed, result.stop === 'early');
    if (result.stop === 'diverged') {
      const full = run.plan.settings.batchSize === 0;
      const at = full ? `iteration ${completed}` : `epoch ${completed} (step ${run.steps + 1} of this fit)`;
      history.costs = run.history.costs.slice(0, completed + (full ? 1 : 0));
      throw new TrainingDivergedError(
        `${where}: training diverged at ${at} (non-finite ${result.diverged}); the model keeps ` +
        (run.steps === 0 ? 'its initial parameters' : 'the parameters of the last finite step') + '. Try a smaller learningRate.',
        completed, history);
    }
    if (result.stop === 'cancelled') {
      throw new AbortError(`${where}: aborted after ${completed} ${run.plan.settings.batchSize === 0 ? 'iterations' : 'epochs'}; ` +
        'the model keeps the parameters of its last finished step', history);
    }
    return history;
  }

  private history(run: FitRun, completed: number, stoppedEarly: boolean): History {
    const h = run.history;
    const take = (a: Float64Array) => (completed === a.length ? a : a.slice(0, completed));
    return {
      costs: take(h.costs), iterations: completed, epochs: completed, steps: run.steps, learningRates: take(h.learningRates),
      ...(run.plan.validation ? { validationCosts: take(h.valCosts) } : {}),
      ...(run.plan.validation && this.output !== 'linear' ? { validationAccuracies: take(h.valAccuracies) } : {}),
      stoppedEarly, ...(run.bestEpoch >= 0 ? { bestEpoch: run.bestEpoch } : {}),
      ...(run.plan.world.size > 1 || run.plan.settings.distributed ? { communicationSeconds: run.communicationSeconds } : {}),
    };
  }

  private writeFile(where: string, path: string): void {
    const flat = allocate(this.dtype, this.size);
    this.native.readParameters(flat);
    const state = this.optimizerKey === undefined ? null : this.native.getOptimizerState();
    const key = this.optimizerKey ?? '';
    writeFileAtomic(path, encodeModel({
      settings: {
        layers: [...this.layers], activation: [...this.activation], output: this.output, init: this.init, seed: this.seed,
        dtype: this.dtype, l2: this.l2, keepProb: this.keepProb, ...(this.dropoutSeed === undefined ? {} : { dropoutSeed: this.dropoutSeed }),
      },
      parameters: flat, epochsTrained: this.trained, version: native.backendInfo().version, rng: this.native.getRngState(),
      ...(this.lastLearningRate === undefined ? {} : { learningRate: this.lastLearningRate }),
      ...(this.inputScaler ? { scaler: this.inputScaler.toJSON() } : {}),
      ...(state ? { optimizer: { key, t: state.t, v: key.startsWith('rmsprop') ? null : state.v, s: key.startsWith('momentum') ? null : state.s } } : {}),
    }), where);
  }

  /** W1, b1, ..., WL, bL of `parameters` in one array of the model's dtype. */
  private flatten(parameters: NetworkParameters): F {
    const flat = allocate(this.dtype, this.size);
    let at = 0;
    for (let l = 1; l < this.layers.length; l++) {
      for (const key of [`W${l}`, `b${l}`]) {
        flat.set(parameters[key].data, at);
        at += parameters[key].data.length;
      }
    }
    return flat;
  }
}

/** MSE over every output and example, and R^2 averaged over the outputs (scikit-learn's r2_score, uniform average). */
function regressionErrors(A: Matrix, Y: Matrix): { meanSquaredError: number; r2: number } {
  const [K, m] = Y.shape;
  let r2 = 0;
  for (let k = 0; k < K; k++) r2 += r2Score(Y.data.subarray(k * m, (k + 1) * m), A.data.subarray(k * m, (k + 1) * m));
  return { meanSquaredError: meanSquaredError(Y.data, A.data), r2: r2 / K };
}
