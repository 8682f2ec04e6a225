// Gradient checking (Course 2, "Gradient Checking"): parameters flattened to
// one vector, central differences for each coordinate, relative difference.
import { checkLambd } from './backward';
import { integerIn, options, positiveNumber, typeError } from './errors';
import { checkLayersDims } from './init';
import { checkArchitecture, HiddenActivation, Output } from './architecture';
import { checkTargets } from './targets';
import { expectFeatureRows } from './layout';
import { asDType, checkMatrix, expectShape, Matrix } from './matrix';
import { native } from './native';
import { Grads, NetworkParameters, readLayers } from './parameters';
import { RandomState } from './rng';
import { readGrads } from './update';

/**
 * theta (n, 1): W1, b1, W2, b2, ..., WL, bL each flattened row-major, and the
 * key of every entry (the course's dictionary_to_vector returns the same pair).
 */
export function dictionaryToVector(parameters: NetworkParameters): [Matrix, string[]] {
  const { W, b } = readLayers('dictionaryToVector', 'parameters', parameters);
  return flatten(W, b, (l, bias) => `${bias ? 'b' : 'W'}${l}`);
}

/** (n, 1): dW1, db1, ..., dWL, dbL flattened in the same order (gradients_to_vector). */
export function gradientsToVector(grads: Grads): Matrix {
  const where = 'gradientsToVector';
  if (grads === null || typeof grads !== 'object') throw typeError(where, 'grads', 'a grads object { dW1, db1, ... }', grads);
  let L = 0;
  while (`dW${L + 1}` in grads) L++;
  if (L === 0) throw new TypeError(`${where}: grads is missing dW1`);
  const W: Matrix[] = [];
  const b: Matrix[] = [];
  for (let l = 1; l <= L; l++) {
    W.push(checkMatrix(where, `grads.dW${l}`, grads[`dW${l}`]));
    if (!(`db${l}` in grads)) throw new TypeError(`${where}: grads is missing db${l}`);
    b.push(checkMatrix(where, `grads.db${l}`, grads[`db${l}`]));
  }
  return flatten(W, b, () => '')[0];
}

/** Parameters of layersDims from theta (n, 1) (vector_to_dictionary, for any layers). */
export function vectorToDictionary(theta: Matrix, layersDims: number[]): NetworkParameters {
  const where = 'vectorToDictionary';
  const dims = checkLayersDims(where, layersDims);
  const t = checkMatrix(where, 'theta', theta, true);
  const n = dims.slice(1).reduce((sum, units, i) => sum + units * (dims[i] + 1), 0);
  expectShape(where, 'theta', t, n, 1, `(a column with one entry per parameter of layers [${dims}])`);
  const out: NetworkParameters = {};
  let at = 0;
  for (let l = 1; l < dims.length; l++) {
    const [rows, cols] = [dims[l], dims[l - 1]];
    out[`W${l}`] = { shape: [rows, cols], data: t.data.slice(at, at + rows * cols) };
    at += rows * cols;
    out[`b${l}`] = { shape: [rows, 1], data: t.data.slice(at, at + rows) };
    at += rows;
  }
  return out;
}

function flatten(W: Matrix[], b: Matrix[], key: (layer: number, bias: boolean) => string): [Matrix, string[]] {
  const parts = W.flatMap((w, i) => [w, b[i]]);
  const n = parts.reduce((sum, p) => sum + p.data.length, 0);
  const data = new Float64Array(n);
  const keys: string[] = [];
  let at = 0;
  parts.forEach((p, i) => {
    data.set(p.data, at);
    at += p.data.length;
    const name = key(Math.floor(i / 2) + 1, i % 2 === 1);
    for (let j = 0; j < p.data.length; j++) keys.push(name);
  });
  return [{ shape: [n, 1], data }, keys];
}

/** Options of gradientCheckN. */
export interface GradientCheckOptions {
  /** The perturbation (default 1e-7, as the course). */
  epsilon?: number;
  /** L2 strength of the cost being checked (default 0). */
  lambd?: number;
  /** difference <= threshold passes (default 2e-7, see DEFAULT_THRESHOLD). */
  threshold?: number;
  /**
   * A parameter (W1, b1, ...) is flagged in the breakdown when its own
   * difference exceeds this (default 1e-5, see DEFAULT_PARAMETER_THRESHOLD).
   */
  parameterThreshold?: number;
  /** Check only this many coordinates, chosen at random (for large networks). */
  sample?: number;
  /** Seed of the coordinate sample (default 1). */
  seed?: number;
  /** How many of the worst entries each parameter's breakdown lists (default 3). */
  worst?: number;
  /** The network's hidden activations (default 'relu'). */
  activation?: HiddenActivation | HiddenActivation[];
  /** The network's output layer (default 'sigmoid'; its cost from the logits for 'softmax' and 'linear'). */
  output?: Output;
}

/** One parameter's share of the check: where a backprop bug shows itself. */
export interface ParameterCheck {
  /** The parameter: W1, b1, ..., WL, bL. */
  key: string;
  /** Coordinates of this parameter that were checked. */
  checked: number;
  /** ||grad - gradapprox|| / (||grad|| + ||gradapprox||) over them (0 when both are 0). */
  difference: number;
  /** difference <= parameterThreshold. */
  passed: boolean;
  /** The largest |grad - gradapprox| entries, with their [row, col] in that parameter. */
  worst: { index: [number, number]; grad: number; gradapprox: number; error: number }[];
}

/** gradientCheckN's result: the course's difference, and where a deviation comes from. */
export interface GradientCheckResult {
  /** ||grad - gradapprox||_2 / (||grad||_2 + ||gradapprox||_2) over the checked coordinates. */
  difference: number;
  /** difference <= threshold. */
  passed: boolean;
  /** The threshold difference was compared with. */
  threshold: number;
  /** (k, 1): (J_plus - J_minus) / (2 epsilon) per checked coordinate. */
  gradapprox: Matrix;
  /** (k, 1): the given gradients at the same coordinates. */
  grad: Matrix;
  /** The checked coordinates of theta (all of them, in order, unless `sample`). */
  indices: number[];
  /** J(theta + epsilon e_i) per checked coordinate. */
  jPlus: Float64Array;
  /** J(theta - epsilon e_i) per checked coordinate. */
  jMinus: Float64Array;
  /** The unperturbed cost J(theta). */
  cost: number;
  /** Per parameter (W1, b1, ..., WL, bL): which ones deviate, and where. */
  breakdown: ParameterCheck[];
}

/**
 * The default pass threshold. The notes call a difference below 1e-7 correct,
 * but correct backprop on the course's own test case gives 1.19e-7 (the
 * central difference's truncation and rounding error at epsilon = 1e-7); the
 * course's code flags a mistake only above 2e-7, and so does deepnet.
 */
export const DEFAULT_THRESHOLD = 2e-7;

/**
 * The default per-parameter threshold of the breakdown. One parameter's block
 * is small and its gradients may be small, so its relative difference carries
 * more rounding noise than the overall one (correct backprop on the course's
 * case gives 3.3e-7 for b1), while a real bug gives a large one (the course's
 * planted bugs: 0.33 for W2, 0.6 for b1).
 */
export const DEFAULT_PARAMETER_THRESHOLD = 1e-5;

/**
 * gradient_check_n: compares `gradients` (a grads object or an (n, 1) vector
 * in gradients_to_vector order) with central differences of the cost
 * 1./m * sum(-log(AL)*Y + -log(1-AL)*(1-Y)) (+ the L2 term with lambd). The
 * perturbed costs are computed natively in one call, in float64 whatever the
 * dtype of the inputs (a perturbation of 1e-7 is below float32's resolution).
 */
export function gradientCheckN(parameters: NetworkParameters, gradients: Grads | Matrix, X: Matrix, Y: Matrix,
  opts?: GradientCheckOptions): GradientCheckResult {
  const where = 'gradientCheckN';
  const o = options<GradientCheckOptions>(where, opts,
    ['epsilon', 'lambd', 'threshold', 'parameterThreshold', 'sample', 'seed', 'worst', 'activation', 'output']);
  const epsilon = o.epsilon ?? 1e-7;
  if (typeof epsilon !== 'number' || !(epsilon > 0) || !Number.isFinite(epsilon)) {
    throw new RangeError(`${where}: epsilon must be a finite number > 0; received ${String(epsilon)}`);
  }
  const lambd = checkLambd(where, o.lambd);
  const threshold = positiveNumber(where, 'threshold', o.threshold ?? DEFAULT_THRESHOLD);
  const parameterThreshold = positiveNumber(where, 'parameterThreshold', o.parameterThreshold ?? DEFAULT_PARAMETER_THRESHOLD);
  const { dims, W, b, dtype } = readLayers(where, 'parameters', parameters);
  const arch = checkArchitecture(where, dims, o.activation, o.output);
  const x = checkMatrix(where, 'X', X);
  expectFeatureRows(where, 'X', x, dims[0], `(W1 has ${dims[0]} columns)`);
  const y = checkTargets(where, arch.output, dims[dims.length - 1], x.shape[1], Y, dtype);
  const [theta, keys] = flatten(W, b, (l, bias) => `${bias ? 'b' : 'W'}${l}`);
  const n = theta.shape[0];
  const gradVector = readGradientVector(where, gradients, W, b, n);

  const indices = o.sample === undefined ? [...Array(n).keys()]
    : sampleIndices(n, integerIn(where, 'sample', o.sample, 1, n), integerIn(where, 'seed', o.seed ?? 1, 0, 2 ** 32 - 1));
  const index = Float64Array.from(indices);
  const jPlus = new Float64Array(indices.length);
  const jMinus = new Float64Array(indices.length);
  const f64 = (m: Matrix) => asDType(m, 'float64').data.slice();  // copies: perturbed in place natively
  const cost = native.gradcheckCosts(asDType(x, 'float64').data, asDType(y, 'float64').data, W.map(f64), b.map(f64),
    dims, x.shape[1], lambd, epsilon, index, jPlus, jMinus, arch);

  const approx = new Float64Array(indices.length);
  const grad = new Float64Array(indices.length);
  indices.forEach((t, i) => {
    approx[i] = (jPlus[i] - jMinus[i]) / (2 * epsilon);
    grad[i] = gradVector[t];
  });
  const difference = relativeDifference(grad, approx);
  const breakdown = breakdownByParameter(indices, keys, grad, approx, W, b, parameterThreshold,
    integerIn(where, 'worst', o.worst ?? 3, 0, 1000));
  return {
    difference, passed: difference <= threshold, threshold, indices, jPlus, jMinus, cost, breakdown,
    gradapprox: { shape: [indices.length, 1], data: approx }, grad: { shape: [indices.length, 1], data: grad },
  };
}

function readGradientVector(where: string, gradients: unknown, W: Matrix[], b: Matrix[], n: number): ArrayLike<number> {
  if (gradients !== null && typeof gradients === 'object' && 'shape' in gradients) {
    const g = checkMatrix(where, 'gradients', gradients);
    expectShape(where, 'gradients', g, n, 1, '(a column in gradientsToVector order: dW1, db1, ...)');
    return g.data;
  }
  const { dW, db } = readGrads(where, gradients, W, b);
  return flatten(dW, db, () => '')[0].data;
}

/** ||a - b|| / (||a|| + ||b||), 0 when both are 0. */
function relativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    diff += (a[i] - b[i]) ** 2;
    na += a[i] ** 2;
    nb += b[i] ** 2;
  }
  const denominator = Math.sqrt(na) + Math.sqrt(nb);
  return denominator === 0 ? 0 : Math.sqrt(diff) / denominator;
}

/** k distinct coordinates of [0, n), in increasing order (partial Fisher-Yates). */
function sampleIndices(n: number, k: number, seed: number): number[] {
  const rng = new RandomState(seed);
  const pool = [...Array(n).keys()];
  const u = rng.rand(1, k).data;
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(u[i] * (n - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, k).sort((p, q) => p - q);
}

function breakdownByParameter(indices: number[], keys: string[], grad: Float64Array, approx: Float64Array,
  W: Matrix[], b: Matrix[], threshold: number, worstCount: number): ParameterCheck[] {
  const starts = new Map<string, { start: number; cols: number }>();
  let at = 0;
  W.forEach((w, i) => {
    starts.set(`W${i + 1}`, { start: at, cols: w.shape[1] });
    at += w.data.length;
    starts.set(`b${i + 1}`, { start: at, cols: 1 });
    at += b[i].data.length;
  });
  const out: ParameterCheck[] = [];
  for (const [key, { start, cols }] of starts) {
    const rows = indices.map((t, i) => ({ t, i })).filter(({ t }) => keys[t] === key);
    if (rows.length === 0) continue;
    const g = rows.map(({ i }) => grad[i]);
    const a = rows.map(({ i }) => approx[i]);
    const difference = relativeDifference(g, a);
    const worst = rows
      .map(({ t, i }) => ({
        index: [Math.floor((t - start) / cols), (t - start) % cols] as [number, number],
        grad: grad[i], gradapprox: approx[i], error: Math.abs(grad[i] - approx[i]),
      }))
      .sort((p, q) => q.error - p.error)
      .slice(0, worstCount);
    out.push({ key, checked: rows.length, difference, passed: difference <= threshold, worst });
  }
  return out;
}
