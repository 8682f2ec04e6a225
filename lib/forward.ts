// Forward propagation: the notes' linear_forward, sigmoid, relu (and tanh,
// leaky relu, softmax), linear_activation_forward and L_model_forward.
import { Architecture, checkArchitecture, HiddenActivation, Output } from './architecture';
import { options, typeError } from './errors';
import { checkKeepProb, DropoutCache, dropoutRandomState } from './dropout';
import { RandomState } from './rng';
import { expectFeatureRows } from './layout';
import { allocate, checkMatrix, dtypeOf, expectShape, Matrix, sameDType } from './matrix';
import { native } from './native';
import { NetworkParameters, readLayers } from './parameters';

/** A layer's activation: a hidden one, or an output layer's. */
export type Activation = HiddenActivation | Output;
/** The notes' linear_cache: (A_prev, W, b). */
export type LinearCache = [APrev: Matrix, W: Matrix, b: Matrix];
/** The notes' activation_cache: Z. */
export type ActivationCache = Matrix;
/**
 * One layer's cache: (linear_cache, activation_cache), plus the dropout masks
 * of this layer's output when lModelForward ran with keepProb < 1.
 */
export type LayerCache = [linearCache: LinearCache, activationCache: ActivationCache, dropout?: DropoutCache];

/** Options of lModelForward. */
export interface ForwardOptions {
  /** Hidden layers' activation: one for all or one per hidden layer (default 'relu'). */
  activation?: HiddenActivation | HiddenActivation[];
  /** The output layer (default 'sigmoid'). */
  output?: Output;
  /** Inverted dropout on every hidden layer with this keep probability (default 1: off). */
  keepProb?: number;
  /** Draw the masks from a fresh RandomState(seed). seed: 1 reproduces the course. */
  seed?: number;
  /** Draw the masks from this RandomState (advancing it). */
  rng?: RandomState;
}

function like(m: Matrix, rows: number, cols: number): Matrix {
  return { shape: [rows, cols], data: allocate(dtypeOf(m.data), rows * cols) };
}

/** Checks A_prev, W, b of one layer: W (n, k), A_prev (k, m), b (n, 1). */
function checkLinear(where: string, APrev: unknown, W: unknown, b: unknown): LinearCache {
  const A = checkMatrix(where, 'APrev', APrev);
  const w = checkMatrix(where, 'W', W);
  const bias = checkMatrix(where, 'b', b);
  expectShape(where, 'APrev', A, w.shape[1], null, `(W is ${w.shape[0]}x${w.shape[1]}: its columns must equal APrev's rows)`);
  expectShape(where, 'b', bias, w.shape[0], 1, `(one entry per row of W)`);
  sameDType(where, [['APrev', A], ['W', w], ['b', bias]]);
  return [A, w, bias];
}

function linear(where: string, APrev: unknown, W: unknown, b: unknown): [Matrix, LinearCache] {
  const cache = checkLinear(where, APrev, W, b);
  const [A, w, bias] = cache;
  const [n, k] = w.shape;
  const m = A.shape[1];
  const Z = like(w, n, m);
  native.linearForward(Z.data, w.data, A.data, bias.data, n, k, m);
  return [Z, cache];
}

function activate(Z: Matrix, activation: Activation): [Matrix, ActivationCache] {
  const A = like(Z, Z.shape[0], Z.shape[1]);
  if (activation === 'softmax') native.softmaxForward(A.data, Z.data, Z.shape[0], Z.shape[1]);
  else if (activation === 'linear') A.data.set(Z.data);
  else native.activationForward(A.data, Z.data, activation);
  return [A, Z];
}

/** Z = W A_prev + b. Returns [Z, linearCache = [A_prev, W, b]]. */
export function linearForward(APrev: Matrix, W: Matrix, b: Matrix): [Matrix, LinearCache] {
  return linear('linearForward', APrev, W, b);
}

/** A = 1 / (1 + exp(-Z)). Returns [A, cache = Z]. */
export function sigmoid(Z: Matrix): [Matrix, ActivationCache] {
  return activate(checkMatrix('sigmoid', 'Z', Z), 'sigmoid');
}

/** A = max(0, Z). Returns [A, cache = Z]. */
export function relu(Z: Matrix): [Matrix, ActivationCache] {
  return activate(checkMatrix('relu', 'Z', Z), 'relu');
}

/** A = tanh(Z). Returns [A, cache = Z]. */
export function tanh(Z: Matrix): [Matrix, ActivationCache] {
  return activate(checkMatrix('tanh', 'Z', Z), 'tanh');
}

/** A = Z where Z > 0, else 0.01 Z (PyTorch's default slope). Returns [A, cache = Z]. */
export function leakyRelu(Z: Matrix): [Matrix, ActivationCache] {
  return activate(checkMatrix('leakyRelu', 'Z', Z), 'leakyRelu');
}

/**
 * Column-wise softmax of Z (K, m): e = exp(Z - max over the column), A = e / sum(e).
 * Returns [A, cache = Z].
 */
export function softmax(Z: Matrix): [Matrix, ActivationCache] {
  return activate(checkMatrix('softmax', 'Z', Z), 'softmax');
}

const ACTIVATIONS: readonly Activation[] = ['relu', 'sigmoid', 'tanh', 'leakyRelu', 'softmax', 'linear'];

export function checkActivation(where: string, activation: unknown): Activation {
  if (typeof activation !== 'string' || !(ACTIVATIONS as readonly string[]).includes(activation)) {
    throw typeError(where, 'activation', ACTIVATIONS.map((a) => `'${a}'`).join(', ').replace(/, ([^,]*)$/, ' or $1'), activation);
  }
  return activation as Activation;
}

/** LINEAR -> ACTIVATION for one layer. Returns [A, cache = [linearCache, Z]]. */
export function linearActivationForward(APrev: Matrix, W: Matrix, b: Matrix, activation: Activation): [Matrix, LayerCache] {
  const where = 'linearActivationForward';
  const act = checkActivation(where, activation);
  const [Z, linearCache] = linear(where, APrev, W, b);
  const [A, activationCache] = activate(Z, act);
  return [A, [linearCache, activationCache]];
}

/**
 * [LINEAR->RELU]*(L-1) -> LINEAR->SIGMOID, one native call for all layers
 * (other hidden activations and outputs with { activation, output }).
 * Returns [AL, caches] with caches[l-1] = [[A_{l-1}, W_l, b_l], Z_l].
 *
 * With keepProb < 1, inverted dropout follows every hidden activation
 * (forward_propagation_with_dropout): D = rand(n_l, m) < keepProb drawn in
 * layer order, A = A * D / keepProb, and caches[l-1][2] = { D, keepProb }.
 * Without seed or rng the masks come from a process-wide RandomState and are
 * not reproducible.
 */
export function lModelForward(X: Matrix, parameters: NetworkParameters, opts?: ForwardOptions): [Matrix, LayerCache[]] {
  const where = 'lModelForward';
  const o = options<ForwardOptions>(where, opts, ['keepProb', 'seed', 'rng', 'activation', 'output']);
  const keepProb = checkKeepProb(where, o.keepProb);
  const rng = keepProb < 1 ? dropoutRandomState(where, o.seed, o.rng) : null;
  const layers = readLayers(where, 'parameters', parameters);
  const arch = checkArchitecture(where, layers.dims, o.activation, o.output);
  return forwardChecked(where, checkMatrix(where, 'X', X), parameters, keepProb, rng, arch);
}

/**
 * lModelForward for an X its caller has already checked (predict), so that it
 * is scanned once; errors name `where`.
 */
export function forwardChecked(where: string, x: Matrix, parameters: NetworkParameters, keepProb = 1,
  rng: RandomState | null = null, arch?: Architecture): [Matrix, LayerCache[]] {
  const layers = readLayers(where, 'parameters', parameters);
  const { dims, W, b } = layers;
  const architecture = arch ?? checkArchitecture(where, dims, undefined, undefined);
  expectFeatureRows(where, 'X', x, dims[0], `(W1 has ${dims[0]} columns: one row per input feature)`);
  sameDType(where, [['X', x], ['parameters.W1', W[0]]]);
  const m = x.shape[1];
  const Z = dims.slice(1).map((n) => like(x, n, m));
  const A = dims.slice(1).map((n) => like(x, n, m));
  const D = rng ? dims.slice(1, -1).map((n) => like(x, n, m)) : [];
  native.modelForward(x.data, W.map((w) => w.data), b.map((v) => v.data), Z.map((z) => z.data), A.map((a) => a.data),
    dims, m, keepProb, rng ? rng.native : null, D.map((d) => d.data), architecture);
  const caches: LayerCache[] = W.map((w, i) => {
    const cache: LayerCache = [[i === 0 ? x : A[i - 1], w, b[i]], Z[i]];
    if (i < D.length) cache.push({ D: D[i], keepProb });
    return cache;
  });
  return [A[A.length - 1], caches];
}
