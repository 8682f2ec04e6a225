// Parameter initialization, as the notes and course draw it: seed(s), then
// randn(n_l, n_{l-1}) for l = 1..L; biases are zeros and draw nothing.
import { integerIn, options, typeError } from './errors';
import { allocate, checkDType, DType, Matrix } from './matrix';
import { checkMemory } from './memory';
import { native } from './native';
import { NetworkParameters } from './parameters';
import { RandomState } from './rng';

/** Options of the initializers. */
export interface InitOptions {
  /** Seed of the RandomState the weights are drawn from. */
  seed?: number;
  /** float64 (default) or float32; weights are drawn in float64 and then rounded. */
  dtype?: DType;
}

/** The native initializer's name for each method (see native/kernels/init.h). */
export type InitMethod = 'deep' | 'he' | 'xavier' | 'scaled' | 'zeros';

const MAX_UNITS = 2 ** 31 - 1;

/** Checks a layers_dims list: at least 2 positive integer sizes. */
export function checkLayersDims(where: string, layersDims: unknown, name = 'layersDims'): number[] {
  if (!Array.isArray(layersDims)) throw typeError(where, name, 'an array of layer sizes like [n_x, n_1, ..., n_L]', layersDims);
  if (layersDims.length < 2) {
    throw new RangeError(`${where}: ${name} must have at least 2 entries (input and output sizes); received [${layersDims.join(', ')}]`);
  }
  layersDims.forEach((n, i) => integerIn(where, `${name}[${i}]`, n, 1, MAX_UNITS));
  return layersDims as number[];
}

/**
 * The shared initializer: parameters for layersDims with W{l} drawn by
 * `method` from a RandomState seeded with `seed`.
 */
export function initializeWith(
  where: string, layersDims: unknown, method: InitMethod, scale: number, defaultSeed: number, opts: unknown,
): NetworkParameters {
  const dims = checkLayersDims(where, layersDims);
  const o = options<InitOptions>(where, opts, ['seed', 'dtype']);
  const seed = integerIn(where, 'seed', o.seed ?? defaultSeed, 0, 2 ** 32 - 1);
  const dtype = checkDType(where, o.dtype);
  const count = dims.slice(1).reduce((sum, n, l) => sum + n * dims[l], 0);
  checkMemory(where, `parameters for layers [${dims}]`, count * (dtype === 'float32' ? 4 : 8));
  const rng = new RandomState(seed);
  const parameters: NetworkParameters = {};
  for (let l = 1; l < dims.length; l++) {
    const [n, k] = [dims[l], dims[l - 1]];
    const W: Matrix = { shape: [n, k], data: allocate(dtype, n * k, where) };
    native.initWeights(rng.native, W.data, n, k, method, scale);
    parameters[`W${l}`] = W;
    parameters[`b${l}`] = { shape: [n, 1], data: allocate(dtype, n) };
  }
  return parameters;
}

/** Notes: initialize_parameters_deep. W = randn / sqrt(n_prev), seed 3 by default. */
export function initializeParametersDeep(layersDims: number[], opts?: InitOptions): NetworkParameters {
  return initializeWith('initializeParametersDeep', layersDims, 'deep', 1, 3, opts);
}

/** Course 2: initialize_parameters_he. W = randn * sqrt(2 / n_prev), seed 3. */
export function initializeParametersHe(layersDims: number[], opts?: InitOptions): NetworkParameters {
  return initializeWith('initializeParametersHe', layersDims, 'he', 1, 3, opts);
}

/** Xavier: W = randn * sqrt(1 / n_prev), seed 3 (the course's suggested variant). */
export function initializeParametersXavier(layersDims: number[], opts?: InitOptions): NetworkParameters {
  return initializeWith('initializeParametersXavier', layersDims, 'xavier', 1, 3, opts);
}

/** Course 2: initialize_parameters_random. W = randn * scale (10), seed 3. */
export function initializeParametersRandom(layersDims: number[], opts?: InitOptions & { scale?: number }): NetworkParameters {
  const where = 'initializeParametersRandom';
  const o = options<InitOptions & { scale?: number }>(where, opts, ['seed', 'dtype', 'scale']);
  const scale = o.scale ?? 10;
  if (typeof scale !== 'number' || !Number.isFinite(scale)) throw typeError(where, 'scale', 'a finite number', scale);
  return initializeWith(where, layersDims, 'scaled', scale, 3, { seed: o.seed, dtype: o.dtype });
}

/** Course 2: initialize_parameters_zeros. Every W and b is zero (no draws). */
export function initializeParametersZeros(layersDims: number[], opts?: Pick<InitOptions, 'dtype'>): NetworkParameters {
  const where = 'initializeParametersZeros';
  options<InitOptions>(where, opts, ['dtype']);
  return initializeWith(where, layersDims, 'zeros', 1, 0, opts);
}

/**
 * Course 1's two-layer initialize_parameters(n_x, n_h, n_y): seed 1,
 * W1 = randn(n_h, n_x) * 0.01, W2 = randn(n_y, n_h) * 0.01.
 */
export function initializeParameters(nX: number, nH: number, nY: number, opts?: InitOptions): NetworkParameters {
  const where = 'initializeParameters';
  const dims = [integerIn(where, 'nX', nX, 1, MAX_UNITS), integerIn(where, 'nH', nH, 1, MAX_UNITS),
    integerIn(where, 'nY', nY, 1, MAX_UNITS)];
  return initializeWith(where, dims, 'scaled', 0.01, 1, opts);
}
