// Model: the typed API for production code, on the same native kernels.
// It trains the course's model: stable cost from ZL (plus the L2 term),
// dZL = AL - Y, L2 and inverted dropout as Course 2, and stops (keeping the
// last finite parameters) if training diverges.
import { checkLambd } from './backward';
import { checkKeepProb } from './dropout';
import { integerIn, options, positiveNumber, typeError } from './errors';
import { checkLayersDims } from './init';
import { checkData } from './labels';
import { allocate, checkMatrix, DType, dtypeOf, expectShape, Matrix } from './matrix';
import { native } from './native';
import * as fs from 'fs';
import { decode, encode, Tensor, writeFileAtomic } from './io/safetensors';
import { Parameters, readLayers, toParameters } from './parameters';
import { RandomStateState } from './rng';

export type InitName = 'deep' | 'he' | 'random' | 'zeros' | 'xavier';

export interface ModelOptions {
  /** [n_x, n_1, ..., n_L] with n_L = 1. */
  layers: number[];
  /**
   * 'deep' (randn / sqrt(n_prev), the notes; default), 'he' (randn * sqrt(2 / n_prev)),
   * 'xavier' (randn * sqrt(1 / n_prev)), 'random' (randn * 10, the course's), 'zeros'.
   * Each draws exactly as its notes counterpart.
   */
  init?: InitName;
  /** Seed of the initialization (default 3, as the course); dropout masks continue the same stream. */
  seed?: number;
  dtype?: DType;
  /** L2 strength lambd (default 0). */
  l2?: number;
  /** Inverted dropout on hidden layers (default 1: off). */
  keepProb?: number;
  /**
   * Re-seed the dropout generator with this seed before every forward pass,
   * as the course's forward_propagation_with_dropout does (every iteration
   * then uses the same masks). Without it, masks are fresh every iteration.
   */
  dropoutSeed?: number;
}

export interface Progress {
  iteration: number;
  cost: number;
  iterations: number;
}

export interface FitOptions {
  /** Default 0.0075. */
  learningRate?: number;
  /** Default 3000. */
  iterations?: number;
  /** onProgress runs every logEvery iterations (default 100). */
  logEvery?: number;
  onProgress?: (progress: Progress) => void;
  /** fit() only: stops at the next iteration boundary; fit() rejects with an AbortError. */
  signal?: AbortSignal;
  /**
   * Save the model (parameters, generator state, iterations done) to `path`
   * every `every` iterations and at the end, atomically. Model.load(path)
   * and a fit of the remaining iterations end with exactly the parameters of
   * an uninterrupted run.
   */
  checkpoint?: { path: string; every: number };
}

export interface History {
  /**
   * The cost of every iteration, computed before that iteration's update (a
   * typed array: long runs stay out of the JavaScript heap).
   */
  costs: Float64Array;
  /** Iterations completed (their updates applied). */
  iterations: number;
}

/** fit() was aborted: the model holds the parameters of the last finished iteration. */
export class AbortError extends Error {
  override readonly name = 'AbortError';
  readonly code = 'ABORT_ERR';
  constructor(message: string, readonly history: History) {
    super(message);
  }
}

/** Training produced a non-finite cost, gradient or parameter; the model kept the last finite parameters. */
export class TrainingDivergedError extends Error {
  override readonly name = 'TrainingDivergedError';
  constructor(message: string, readonly iteration: number, readonly history: History) {
    super(message);
  }
}

export interface LoadOptions {
  /** Accept NaN or Infinity in the weights (refused by default). */
  allowNonFinite?: boolean;
}

interface NativeModel {
  readParameters(out: Float64Array | Float32Array): void;
  writeParameters(input: Float64Array | Float32Array): void;
  fitSync(X: Float64Array | Float32Array, Y: Float64Array | Float32Array, m: number, lr: number, iterations: number,
    logEvery: number, onProgress: ((i: number, cost: number) => void) | null, costs: Float64Array): NativeResult;
  fit(X: Float64Array | Float32Array, Y: Float64Array | Float32Array, m: number, lr: number, iterations: number,
    logEvery: number, onProgress: ((i: number, cost: number) => void) | null, costs: Float64Array): Promise<NativeResult>;
  cancel(): void;
  predictProba(X: Float64Array | Float32Array, m: number, AL: Float64Array | Float32Array): void;
  cost(X: Float64Array | Float32Array, Y: Float64Array | Float32Array, m: number): number;
  getRngState(): RandomStateState;
  setRngState(key: Uint32Array, pos: number, hasGauss: boolean, gauss: number): void;
}

interface NativeResult {
  completed: number;
  stop: 'finished' | 'cancelled' | 'callback' | 'diverged';
  diverged?: 'cost' | 'gradient' | 'parameters';
}

const INITS: Record<InitName, { method: string; scale: number }> = {
  deep: { method: 'deep', scale: 1 },
  he: { method: 'he', scale: 1 },
  xavier: { method: 'xavier', scale: 1 },
  random: { method: 'scaled', scale: 10 },
  zeros: { method: 'zeros', scale: 1 },
};

export class Model {
  readonly layers: readonly number[];
  readonly init: InitName;
  readonly seed: number;
  readonly dtype: DType;
  readonly l2: number;
  readonly keepProb: number;
  readonly dropoutSeed: number | undefined;
  private readonly native: NativeModel;
  private fitting = false;
  /** Iterations trained so far, over every fit (saved in model files). */
  private trained = 0;
  private lastLearningRate: number | undefined;

  constructor(opts: ModelOptions) {
    const where = 'Model';
    if (opts === null || typeof opts !== 'object') throw typeError(where, 'options', 'an object { layers, ... }', opts);
    const o = options<ModelOptions>(where, opts, ['layers', 'init', 'seed', 'dtype', 'l2', 'keepProb', 'dropoutSeed']);
    const layers = checkLayersDims(where, o.layers, 'layers');
    if (layers[layers.length - 1] !== 1) {
      throw new RangeError(`${where}: the last layer must have 1 unit (one sigmoid output); received layers [${layers}]`);
    }
    const init = o.init ?? 'deep';
    if (!(init in INITS)) throw typeError(where, 'init', `one of ${Object.keys(INITS).map((k) => `'${k}'`).join(', ')}`, init);
    const dtype = o.dtype ?? 'float64';
    if (dtype !== 'float64' && dtype !== 'float32') throw typeError(where, 'dtype', "'float64' or 'float32'", dtype);
    this.layers = Object.freeze([...layers]);
    this.init = init;
    this.seed = integerIn(where, 'seed', o.seed ?? 3, 0, 2 ** 32 - 1);
    this.dtype = dtype;
    this.l2 = checkLambd(where, o.l2);
    this.keepProb = checkKeepProb(where, o.keepProb);
    this.dropoutSeed = o.dropoutSeed === undefined ? undefined : integerIn(where, 'dropoutSeed', o.dropoutSeed, 0, 2 ** 32 - 1);
    const NativeModelClass = (native as unknown as { NativeModel: new (config: object) => NativeModel }).NativeModel;
    this.native = new NativeModelClass({
      dims: layers, dtype, init: INITS[init].method, scale: INITS[init].scale, seed: this.seed,
      lambd: this.l2, keepProb: this.keepProb, dropoutSeed: this.dropoutSeed ?? -1,
    });
  }

  /** Number of parameters (every W and b). */
  get size(): number {
    return this.layers.slice(1).reduce((sum, n, i) => sum + n * (this.layers[i] + 1), 0);
  }

  /** Iterations trained so far over every fit (restored by Model.load). */
  get iterationsTrained(): number {
    return this.trained;
  }

  /** Trains on X (n_x, m), Y (1, m) on the calling thread. */
  fitSync(X: Matrix, Y: Matrix, opts?: FitOptions): History {
    const where = 'Model.fitSync';
    const run = this.prepareFit(where, X, Y, opts, false);
    this.fitting = true;
    try {
      return this.inChunks(where, run, (from, count, costs) =>
        this.native.fitSync(run.x, run.y, run.m, run.learningRate, count, run.logEvery, run.onProgressFrom(from), costs));
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
    const run = this.prepareFit(where, X, Y, opts, true);
    const signal = run.signal;
    if (signal?.aborted) throw new AbortError(`${where}: aborted before it started`, { costs: new Float64Array(0), iterations: 0 });
    this.fitting = true;
    const onAbort = () => this.native.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.inChunksAsync(where, run, (from, count, costs) => (signal?.aborted
        // Aborted between two checkpoint chunks: stop here, as at any iteration boundary.
        ? Promise.resolve({ completed: 0, stop: 'cancelled' as const })
        : this.native.fit(run.x, run.y, run.m, run.learningRate, count, run.logEvery, run.onProgressFrom(from), costs)));
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.fitting = false;
    }
  }

  /**
   * Saves the model to `path` in the safetensors format (tensors W1..bL; the
   * header holds the layers, activations, dtype, settings, training progress
   * and deepnet's version), atomically: a crash mid-save leaves the previous
   * file intact. Python: safetensors.numpy.load_file(path).
   */
  save(path: string): void {
    const where = 'Model.save';
    this.ensureIdle(where);
    if (typeof path !== 'string' || path.length === 0) throw typeError(where, 'path', 'a file path', path);
    this.writeFile(path);
  }

  /** Reads a model saved by save() (or a checkpoint), validating it fully first. */
  static load(path: string, opts?: LoadOptions): Model {
    const where = 'Model.load';
    if (typeof path !== 'string' || path.length === 0) throw typeError(where, 'path', 'a file path', path);
    const o = options<LoadOptions>(where, opts, ['allowNonFinite']);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(path);
    } catch (err) {
      throw new Error(`${where}: cannot read ${path}: ${(err as Error).message}`);
    }
    const { metadata, tensors } = decode(bytes, path);
    const settings = readModelMetadata(where, path, metadata);
    const model = new Model(settings.options);
    const parameters: Parameters = {};
    const L = settings.options.layers.length - 1;
    const expectedNames = new Set<string>();
    for (let l = 1; l <= L; l++) {
      const [n, k] = [settings.options.layers[l], settings.options.layers[l - 1]];
      for (const [name, shape] of [[`W${l}`, [n, k]], [`b${l}`, [n, 1]]] as [string, number[]][]) {
        expectedNames.add(name);
        const t = tensors.get(name);
        if (!t) throw new Error(`${where}: ${path} has no tensor ${name} (layers [${settings.options.layers}])`);
        if (t.dtype !== (model.dtype === 'float64' ? 'F64' : 'F32')) {
          throw new Error(`${where}: ${path}: tensor ${name} is ${t.dtype} but the model is ${model.dtype}`);
        }
        if (t.shape.length !== 2 || t.shape[0] !== shape[0] || t.shape[1] !== shape[1]) {
          throw new Error(`${where}: ${path}: tensor ${name} has shape [${t.shape}], layers [${settings.options.layers}] need [${shape}]`);
        }
        const data = t.data as Float64Array | Float32Array;
        if (!o.allowNonFinite) {
          const bad = data.findIndex((v) => !Number.isFinite(v));
          if (bad >= 0) {
            throw new Error(`${where}: ${path}: tensor ${name} holds ${data[bad]} at index ${bad} ` +
              '(pass { allowNonFinite: true } to load it anyway)');
          }
        }
        parameters[name] = { shape: [shape[0], shape[1]], data };
      }
    }
    const unexpected = [...tensors.keys()].filter((k) => !expectedNames.has(k));
    if (unexpected.length > 0) throw new Error(`${where}: ${path}: unexpected tensors ${unexpected.join(', ')}`);
    model.native.writeParameters(flatten(model, parameters));
    if (settings.rng) model.native.setRngState(settings.rng.key, settings.rng.pos, settings.rng.hasGauss, settings.rng.gauss);
    model.trained = settings.trained;
    model.lastLearningRate = settings.learningRate;
    return model;
  }

  /** AL (1, m): the predicted probabilities, without dropout. */
  predictProba(X: Matrix): Matrix {
    const where = 'Model.predictProba';
    this.ensureIdle(where);
    const x = this.checkX(where, X);
    const AL = allocate(this.dtype, x.shape[1]);
    this.native.predictProba(x.data, x.shape[1], AL);
    return { shape: [1, x.shape[1]], data: AL };
  }

  /** (1, m) of 0/1: 1 where AL > 0.5. */
  predict(X: Matrix): Matrix {
    const AL = this.predictProba(X);
    const p = allocate(this.dtype, AL.data.length);
    AL.data.forEach((a, i) => { p[i] = a > 0.5 ? 1 : 0; });
    return { shape: AL.shape, data: p };
  }

  /** The training objective without dropout (cross-entropy + L2 term) and the accuracy on (X, Y). */
  evaluate(X: Matrix, Y: Matrix): { cost: number; accuracy: number } {
    const where = 'Model.evaluate';
    this.ensureIdle(where);
    const [x, y] = checkData(where, X, Y);
    this.checkX(where, x);
    const cost = this.native.cost(x.data, y.data, x.shape[1]);
    const p = this.predict(x);
    let correct = 0;
    p.data.forEach((v, i) => { if (v === y.data[i]) correct++; });
    return { cost, accuracy: correct / x.shape[1] };
  }

  /** A copy of the parameters { W1, b1, ..., WL, bL }. */
  getParameters(): Parameters {
    this.ensureIdle('Model.getParameters');
    const flat = allocate(this.dtype, this.size);
    this.native.readParameters(flat);
    const out: Parameters = {};
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
  setParameters(parameters: Parameters): void {
    const where = 'Model.setParameters';
    this.ensureIdle(where);
    const { dims, W, b, dtype } = readLayers(where, 'parameters', parameters);
    if (dims.length !== this.layers.length || dims.some((d, i) => d !== this.layers[i])) {
      throw new RangeError(`${where}: parameters have layers [${dims}] but the model has [${this.layers}]`);
    }
    if (dtype !== this.dtype) throw new TypeError(`${where}: parameters are ${dtype} but the model is ${this.dtype}`);
    this.native.writeParameters(flatten(this, toParameters(W, b)));
  }

  /** A table of the layers, their shapes and parameter counts, and the settings. */
  summary(): string {
    const rows = [['layer', 'units', 'activation', 'W shape', 'parameters']];
    rows.push(['0 (input)', String(this.layers[0]), '', '', '']);
    for (let l = 1; l < this.layers.length; l++) {
      const [n, k] = [this.layers[l], this.layers[l - 1]];
      rows.push([String(l), String(n), l === this.layers.length - 1 ? 'sigmoid' : 'relu', `(${n}, ${k})`, String(n * (k + 1))]);
    }
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    const lines = rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd());
    const dropout = this.keepProb < 1 ? `keepProb ${this.keepProb}${this.dropoutSeed === undefined ? '' : ` (masks re-seeded with ${this.dropoutSeed})`}` : 'no dropout';
    lines.push(`${this.size} parameters, ${this.dtype}, init '${this.init}' (seed ${this.seed}), ` +
      `${this.l2 > 0 ? `L2 lambd ${this.l2}` : 'no L2'}, ${dropout}`);
    return lines.join('\n');
  }

  private ensureIdle(where: string): void {
    if (this.fitting) throw new Error(`${where}: this model is fitting; wait for fit() to finish (or abort it) first`);
  }

  private checkX(where: string, X: unknown): Matrix {
    const x = checkMatrix(where, 'X', X);
    expectShape(where, 'X', x, this.layers[0], null, `(the model's input layer has ${this.layers[0]} units)`);
    if (dtypeOf(x.data) !== this.dtype) {
      throw new TypeError(`${where}: X is ${dtypeOf(x.data)} but the model is ${this.dtype} (convert with asDType)`);
    }
    return x;
  }

  private prepareFit(where: string, X: Matrix, Y: Matrix, opts: FitOptions | undefined, async: boolean) {
    if (this.fitting) throw new Error(`${where}: this model is already fitting; wait for that fit to finish (or abort it)`);
    const o = options<FitOptions>(where, opts, async
      ? ['learningRate', 'iterations', 'logEvery', 'onProgress', 'signal', 'checkpoint']
      : ['learningRate', 'iterations', 'logEvery', 'onProgress', 'checkpoint']);
    const [x, y] = checkData(where, X, Y);
    this.checkX(where, x);
    const learningRate = positiveNumber(where, 'learningRate', o.learningRate ?? 0.0075);
    const iterations = integerIn(where, 'iterations', o.iterations ?? 3000, 0, 2 ** 31 - 1);
    const logEvery = integerIn(where, 'logEvery', o.logEvery ?? 100, 1, 2 ** 31 - 1);
    if (o.onProgress !== undefined && typeof o.onProgress !== 'function') throw typeError(where, 'onProgress', 'a function', o.onProgress);
    if (o.signal !== undefined && !isAbortSignal(o.signal)) throw typeError(where, 'signal', 'an AbortSignal', o.signal);
    const user = o.onProgress;
    // Chunks start at multiples of logEvery, so progress keeps its rhythm across them.
    const onProgressFrom = (from: number) => (user ? (i: number, cost: number) => user({ iteration: from + i, cost, iterations }) : null);
    const checkpoint = checkCheckpoint(where, o.checkpoint, logEvery);
    return { x: x.data, y: y.data, m: x.shape[1], learningRate, iterations, logEvery, onProgressFrom,
      costs: allocate('float64', iterations, where) as Float64Array, signal: o.signal, checkpoint };
  }

  /** Runs the fit in chunks of checkpoint.every iterations (one chunk without a checkpoint), saving after each. */
  private inChunks(where: string, run: FitRun, chunk: (from: number, count: number, costs: Float64Array) => NativeResult): History {
    let from = 0;
    for (;;) {
      const count = run.checkpoint ? Math.min(run.checkpoint.every, run.iterations - from) : run.iterations;
      const result = chunk(from, count, run.costs.subarray(from, from + count));
      const done = this.afterChunk(where, run, from, result);
      if (done) return done;
      from += count;
    }
  }

  private async inChunksAsync(where: string, run: FitRun,
    chunk: (from: number, count: number, costs: Float64Array) => Promise<NativeResult>): Promise<History> {
    let from = 0;
    for (;;) {
      const count = run.checkpoint ? Math.min(run.checkpoint.every, run.iterations - from) : run.iterations;
      const result = await chunk(from, count, run.costs.subarray(from, from + count));
      const done = this.afterChunk(where, run, from, result);
      if (done) return done;
      from += count;
    }
  }

  /** Books a finished chunk; returns the history when the fit is over (or throws). */
  private afterChunk(where: string, run: FitRun, from: number, result: NativeResult): History | null {
    this.trained += result.completed;
    this.lastLearningRate = run.learningRate;
    const completed = from + result.completed;
    if (run.checkpoint && result.stop !== 'diverged') this.writeFile(run.checkpoint.path);
    if (result.stop === 'finished' && completed < run.iterations) return null;
    return this.finish(where, { ...result, completed }, run.costs);
  }

  private writeFile(path: string): void {
    const flat = allocate(this.dtype, this.size);
    this.native.readParameters(flat);
    const tensors: [string, Tensor][] = [];
    let at = 0;
    for (let l = 1; l < this.layers.length; l++) {
      const [n, k] = [this.layers[l], this.layers[l - 1]];
      const dtype = this.dtype === 'float64' ? 'F64' : 'F32';
      tensors.push([`W${l}`, { dtype, shape: [n, k], data: flat.subarray(at, at + n * k) }]);
      at += n * k;
      tensors.push([`b${l}`, { dtype, shape: [n, 1], data: flat.subarray(at, at + n) }]);
      at += n;
    }
    const rng = this.native.getRngState();
    writeFileAtomic(path, encode(tensors, {
      format: 'deepnet-model',
      deepnet_version: native.backendInfo().version,
      layers: JSON.stringify(this.layers),
      activations: JSON.stringify(this.layers.slice(1).map((_, i) => (i === this.layers.length - 2 ? 'sigmoid' : 'relu'))),
      dtype: this.dtype,
      init: this.init,
      seed: String(this.seed),
      l2: String(this.l2),
      keep_prob: String(this.keepProb),
      ...(this.dropoutSeed === undefined ? {} : { dropout_seed: String(this.dropoutSeed) }),
      iterations_trained: String(this.trained),
      ...(this.lastLearningRate === undefined ? {} : { learning_rate: String(this.lastLearningRate) }),
      rng_state: JSON.stringify({ key: Buffer.from(rng.key.buffer, rng.key.byteOffset, rng.key.byteLength).toString('base64'),
        pos: rng.pos, hasGauss: rng.hasGauss, gauss: rng.gauss }),
    }));
  }

  private finish(where: string, result: NativeResult, costs: Float64Array): History {
    const completed = result.completed;
    if (result.stop === 'diverged') {
      const history = { costs: costs.slice(0, completed + 1), iterations: completed };
      throw new TrainingDivergedError(
        `${where}: training diverged at iteration ${completed} (non-finite ${result.diverged}); ` +
        `the model keeps the parameters after iteration ${completed - 1}` +
        (completed === 0 ? ' (its initial parameters)' : '') + '. Try a smaller learningRate.',
        completed, history);
    }
    const history = { costs: completed === costs.length ? costs : costs.slice(0, completed), iterations: completed };
    if (result.stop === 'cancelled') {
      throw new AbortError(`${where}: aborted after ${completed} iterations; the model keeps their parameters`, history);
    }
    return history;
  }
}

/** Duck-typed, so a signal from another realm (a vm context, jest) is accepted. */
type FitRun = ReturnType<Model['prepareFit']>;

function checkCheckpoint(where: string, value: unknown, logEvery: number): { path: string; every: number } | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object') throw typeError(where, 'checkpoint', 'an object { path, every }', value);
  const { path, every } = value as { path?: unknown; every?: unknown };
  if (typeof path !== 'string' || path.length === 0) throw typeError(where, 'checkpoint.path', 'a file path', path);
  const n = integerIn(where, 'checkpoint.every', every, 1, 2 ** 31 - 1);
  if (n % logEvery !== 0 && logEvery % n !== 0) {
    throw new RangeError(`${where}: checkpoint.every (${n}) must be a multiple or a divisor of logEvery (${logEvery}), ` +
      'so that progress reports keep their rhythm');
  }
  return { path, every: n };
}

/** W1, b1, ..., WL, bL of `parameters` in one array of the model's dtype. */
function flatten(model: Model, parameters: Parameters): Float64Array | Float32Array {
  const flat = allocate(model.dtype, model.size);
  let at = 0;
  for (let l = 1; l < model.layers.length; l++) {
    for (const key of [`W${l}`, `b${l}`]) {
      flat.set(parameters[key].data, at);
      at += parameters[key].data.length;
    }
  }
  return flat;
}

interface ModelFileSettings {
  options: ModelOptions & { layers: number[] };
  trained: number;
  learningRate: number | undefined;
  rng: RandomStateState | undefined;
}

/** The Model settings in a file's header, checked. */
function readModelMetadata(where: string, file: string, meta: Record<string, string>): ModelFileSettings {
  const bad = (key: string, why: string): never => {
    throw new Error(`${where}: ${file}: header field ${key} ${why}`);
  };
  if (meta.format !== 'deepnet-model') bad('format', `is ${JSON.stringify(meta.format)}, expected "deepnet-model" (not a deepnet model file)`);
  const json = (key: string): unknown => {
    if (meta[key] === undefined) bad(key, 'is missing');
    try {
      return JSON.parse(meta[key]);
    } catch {
      return bad(key, `is not JSON: ${JSON.stringify(meta[key].slice(0, 40))}`);
    }
  };
  const number = (key: string, fallback?: number): number => {
    if (meta[key] === undefined && fallback !== undefined) return fallback;
    const v = Number(meta[key]);
    if (meta[key] === undefined || meta[key].trim() === '' || !Number.isFinite(v)) bad(key, `is ${JSON.stringify(meta[key])}, not a number`);
    return v;
  };
  const layers = json('layers');
  if (!Array.isArray(layers) || layers.length < 2 || !layers.every((n) => Number.isInteger(n) && n >= 1 && n <= 2 ** 31 - 1)) {
    bad('layers', `is ${meta.layers}, not a list of positive layer sizes`);
  }
  if (meta.dtype !== 'float64' && meta.dtype !== 'float32') bad('dtype', `is ${JSON.stringify(meta.dtype)}`);
  const init = (meta.init ?? 'deep') as InitName;
  if (!(init in INITS)) bad('init', `is ${JSON.stringify(meta.init)}`);
  let rng: RandomStateState | undefined;
  if (meta.rng_state !== undefined) {
    const r = json('rng_state') as { key?: unknown; pos?: unknown; hasGauss?: unknown; gauss?: unknown };
    const key = typeof r?.key === 'string' ? Buffer.from(r.key, 'base64') : Buffer.alloc(0);
    if (key.length !== 624 * 4 || !Number.isInteger(r.pos) || (r.pos as number) < 0 || (r.pos as number) > 624 ||
      typeof r.hasGauss !== 'boolean' || typeof r.gauss !== 'number') {
      bad('rng_state', 'is not a generator state { key (624 words), pos, hasGauss, gauss }');
    }
    rng = { key: new Uint32Array(key.buffer.slice(key.byteOffset, key.byteOffset + key.length)), pos: r.pos as number,
      hasGauss: r.hasGauss as boolean, gauss: r.gauss as number };
  }
  const dropoutSeed = meta.dropout_seed === undefined ? undefined : number('dropout_seed');
  return {
    options: {
      layers: layers as number[], init, dtype: meta.dtype as DType, seed: number('seed', 3), l2: number('l2', 0),
      keepProb: number('keep_prob', 1), ...(dropoutSeed === undefined ? {} : { dropoutSeed }),
    },
    trained: number('iterations_trained', 0),
    learningRate: meta.learning_rate === undefined ? undefined : number('learning_rate'),
    rng,
  };
}

function isAbortSignal(x: unknown): x is AbortSignal {
  return x !== null && typeof x === 'object' && typeof (x as AbortSignal).addEventListener === 'function' &&
    typeof (x as AbortSignal).aborted === 'boolean';
}
