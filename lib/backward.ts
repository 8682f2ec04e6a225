// Backward propagation: the notes' linear_backward, relu_backward,
// sigmoid_backward (and tanh's, leaky relu's), linear_activation_backward and
// L_model_backward.
import { checkArchitecture, HiddenActivation, Output } from './architecture';
import { options, typeError } from './errors';
import { checkKeepProb } from './dropout';
import { allocate, checkMatrix, dtypeOf, expectShape, Matrix, sameDType } from './matrix';
import { native } from './native';
import { Grads } from './parameters';
import { Activation, checkActivation, LayerCache, LinearCache } from './forward';
import { checkTargets } from './targets';

function like(m: Matrix, rows: number, cols: number): Matrix {
  return { shape: [rows, cols], data: allocate(dtypeOf(m.data), rows * cols) };
}

function checkLinearCache(where: string, arg: string, cache: unknown): LinearCache {
  if (!Array.isArray(cache) || cache.length !== 3) {
    throw typeError(where, arg, 'a linear cache [APrev, W, b] as returned by linearForward', cache);
  }
  const A = checkMatrix(where, `${arg}[0] (APrev)`, cache[0]);
  const W = checkMatrix(where, `${arg}[1] (W)`, cache[1]);
  const b = checkMatrix(where, `${arg}[2] (b)`, cache[2]);
  expectShape(where, `${arg}[0] (APrev)`, A, W.shape[1], null, `(W has ${W.shape[1]} columns)`);
  expectShape(where, `${arg}[2] (b)`, b, W.shape[0], 1, '(one entry per row of W)');
  return [A, W, b];
}

function linear(where: string, dZ: unknown, cache: unknown): [Matrix, Matrix, Matrix] {
  const [A, W] = checkLinearCache(where, 'cache', cache);
  const dz = checkMatrix(where, 'dZ', dZ);
  const [n, k] = W.shape;
  const m = A.shape[1];
  expectShape(where, 'dZ', dz, n, m, '(rows of W by columns of APrev)');
  sameDType(where, [['dZ', dz], ['APrev', A], ['W', W]]);
  const dAPrev = like(dz, k, m);
  const dW = like(dz, n, k);
  const db = like(dz, n, 1);
  native.linearBackward(dAPrev.data, dW.data, db.data, dz.data, A.data, W.data, n, k, m);
  return [dAPrev, dW, db];
}

/**
 * dW = dZ A_prev^T / m, db = sum(dZ, axis=1) / m, dA_prev = W^T dZ.
 * Returns [dAPrev, dW, db].
 */
export function linearBackward(dZ: Matrix, cache: LinearCache): [Matrix, Matrix, Matrix] {
  return linear('linearBackward', dZ, cache);
}

function activationBackward(where: string, dA: unknown, cache: unknown, activation: Activation): Matrix {
  if (activation === 'softmax') {
    throw new TypeError(`${where}: a softmax layer has no backward of its own here: its output gradient is dZ = AL - Y ` +
      "(lModelBackward with { output: 'softmax' } computes it)");
  }
  const da = checkMatrix(where, 'dA', dA);
  const Z = checkMatrix(where, 'cache (Z)', cache);
  expectShape(where, 'dA', da, Z.shape[0], Z.shape[1], '(the shape of Z)');
  sameDType(where, [['dA', da], ['Z', Z]]);
  const dZ = like(da, da.shape[0], da.shape[1]);
  if (activation === 'linear') dZ.data.set(da.data);
  else native.activationBackward(dZ.data, da.data, Z.data, activation);
  return dZ;
}

/** dZ = dA where Z > 0, else 0. */
export function reluBackward(dA: Matrix, cache: Matrix): Matrix {
  return activationBackward('reluBackward', dA, cache, 'relu');
}

/** dZ = dA * s * (1 - s) with s = sigmoid(Z). */
export function sigmoidBackward(dA: Matrix, cache: Matrix): Matrix {
  return activationBackward('sigmoidBackward', dA, cache, 'sigmoid');
}

/** dZ = dA * (1 - t^2) with t = tanh(Z). */
export function tanhBackward(dA: Matrix, cache: Matrix): Matrix {
  return activationBackward('tanhBackward', dA, cache, 'tanh');
}

/** dZ = dA where Z > 0, else 0.01 dA. */
export function leakyReluBackward(dA: Matrix, cache: Matrix): Matrix {
  return activationBackward('leakyReluBackward', dA, cache, 'leakyRelu');
}

/** ACTIVATION backward then LINEAR backward. Returns [dAPrev, dW, db]. */
export function linearActivationBackward(dA: Matrix, cache: LayerCache, activation: Activation): [Matrix, Matrix, Matrix] {
  const where = 'linearActivationBackward';
  const act = checkActivation(where, activation);
  if (!Array.isArray(cache) || cache.length < 2) {
    throw typeError(where, 'cache', 'a layer cache [linearCache, Z] as returned by linearActivationForward', cache);
  }
  const dZ = activationBackward(where, dA, cache[1], act);
  return linear(where, dZ, cache[0]);
}

/** Options of lModelBackward and linearActivationBackward's network variants. */
export interface BackwardOptions {
  /** L2 strength: adds (lambd * W) / m to every dW (never to db). Default 0. */
  lambd?: number;
  /** The forward pass's keepProb, checked against the masks in the caches. */
  keepProb?: number;
  /** The forward pass's hidden activations (default 'relu'). */
  activation?: HiddenActivation | HiddenActivation[];
  /** The forward pass's output layer (default 'sigmoid'); other heads start from dZL = AL - Y. */
  output?: Output;
}

/** lambd: a finite number >= 0. */
export function checkLambd(where: string, lambd: unknown): number {
  if (lambd === undefined) return 0;
  if (typeof lambd !== 'number') throw typeError(where, 'lambd', 'a finite number >= 0', lambd);
  if (!Number.isFinite(lambd) || lambd < 0) {
    throw new RangeError(`${where}: lambd must be a finite number >= 0; received ${lambd}`);
  }
  return lambd;
}

/**
 * Backward pass of [LINEAR->RELU]*(L-1) -> LINEAR->SIGMOID from lModelForward's
 * caches, in one native call (other activations and outputs: pass the
 * forward pass's { activation, output }; softmax and linear outputs start
 * from dZL = AL - Y, which dA{L} then holds; Y may be class labels for softmax). Returns grads with dW{l}, db{l} (l = 1..L) and
 * dA{l} = dJ/dA^[l] for l = 0..L: dA0 is the gradient with respect to X and
 * dA{L} is dAL. (The notes' dict shifts the dA keys by one: its dA{l} is our
 * dA{l-1}.)
 *
 * With { lambd }, (lambd * W) / m is added to every dW. When the forward pass
 * used dropout, its masks (kept in the caches) are applied to every hidden
 * dA: dA = dA * D / keepProb, and dA{l} is returned after masking, as the
 * course stores it. A keepProb given here must equal the forward pass's.
 */
export function lModelBackward(AL: Matrix, Y: Matrix, caches: LayerCache[], opts?: BackwardOptions): Grads {
  const where = 'lModelBackward';
  const o = options<BackwardOptions>(where, opts, ['lambd', 'keepProb', 'activation', 'output']);
  const lambd = checkLambd(where, o.lambd);
  const keepProbGiven = o.keepProb === undefined ? undefined : checkKeepProb(where, o.keepProb);
  const al = checkMatrix(where, 'AL', AL);
  if (!Array.isArray(caches) || caches.length === 0) {
    throw typeError(where, 'caches', 'the caches array returned by lModelForward', caches);
  }
  const L = caches.length;
  const W: Matrix[] = [];
  const Z: Matrix[] = [];
  const A: Matrix[] = [];
  caches.forEach((cache, i) => {
    if (!Array.isArray(cache) || cache.length < 2) {
      throw typeError(where, `caches[${i}]`, 'a layer cache [linearCache, Z]', cache);
    }
    const [APrev, w] = checkLinearCache(where, `caches[${i}][0]`, cache[0]);
    const z = checkMatrix(where, `caches[${i}][1] (Z)`, cache[1]);
    expectShape(where, `caches[${i}][1] (Z)`, z, w.shape[0], al.shape[1], `(units of W${i + 1} by the m of AL)`);
    if (i > 0) expectShape(where, `caches[${i}][0][0] (A${i})`, APrev, W[i - 1].shape[0], al.shape[1], `(units of W${i} by m)`);
    A.push(APrev);
    W.push(w);
    Z.push(z);
  });
  expectShape(where, 'caches[0][0][0] (X)', A[0], null, al.shape[1], '(m columns, like AL)');
  expectShape(where, `caches[${L - 1}][1] (Z${L})`, Z[L - 1], al.shape[0], null, '(the output units of AL)');
  const X = A[0];
  const hidden = A.slice(1);  // A1 .. A{L-1}
  const dims = [X.shape[0], ...W.map((w) => w.shape[0])];
  const arch = checkArchitecture(where, dims, o.activation, o.output);
  const dtype = sameDType(where, [['AL', al], ['X', X], ...W.map((w, i): [string, Matrix] => [`W${i + 1}`, w])]);
  const m = al.shape[1];
  const y = checkTargets(where, arch.output, al.shape[0], m, Y, dtype);
  const { keepProb, masks } = readMasks(where, caches, keepProbGiven, m);
  const dA = dims.map((n) => like(al, n, m));
  const dW = W.map((w) => like(al, w.shape[0], w.shape[1]));
  const db = W.map((w) => like(al, w.shape[0], 1));
  native.modelBackward(X.data, y.data, W.map((w) => w.data), Z.map((z) => z.data),
    [...hidden.map((a) => a.data), al.data], dA.map((a) => a.data), dW.map((g) => g.data), db.map((g) => g.data), dims, m,
    lambd, keepProb, masks.map((d) => d.data), arch);
  const grads: Grads = {};
  dA.forEach((g, l) => { grads[`dA${l}`] = g; });
  dW.forEach((g, i) => { grads[`dW${i + 1}`] = g; });
  db.forEach((g, i) => { grads[`db${i + 1}`] = g; });
  return grads;
}

/** The dropout masks of the hidden layers' caches (all or none), checked against keepProb. */
function readMasks(where: string, caches: LayerCache[], keepProbGiven: number | undefined, m: number): { keepProb: number; masks: Matrix[] } {
  const hidden = caches.slice(0, -1);
  const withMasks = hidden.filter((c) => c[2] !== undefined);
  if (withMasks.length === 0 || hidden.length === 0) {
    if (keepProbGiven !== undefined && keepProbGiven < 1) {
      throw new RangeError(`${where}: keepProb is ${keepProbGiven} but the caches hold no dropout masks ` +
        '(run lModelForward with the same keepProb)');
    }
    return { keepProb: 1, masks: [] };
  }
  if (withMasks.length !== hidden.length) throw new TypeError(`${where}: only some hidden layers' caches hold dropout masks`);
  const keepProb = (hidden[0][2] as { keepProb: number }).keepProb;
  const masks = hidden.map((c, i) => {
    const d = c[2] as { D: unknown; keepProb: unknown };
    if (d === null || typeof d !== 'object' || d.keepProb !== keepProb) {
      throw new TypeError(`${where}: caches[${i}][2] must be the dropout cache { D, keepProb } of lModelForward`);
    }
    const D = checkMatrix(where, `caches[${i}][2].D`, d.D);
    const W = c[0][1];
    expectShape(where, `caches[${i}][2].D`, D, W.shape[0], m, '(the shape of that layer\'s activations)');
    return D;
  });
  if (keepProbGiven !== undefined && keepProbGiven !== keepProb) {
    throw new RangeError(`${where}: keepProb ${keepProbGiven} differs from the forward pass's keepProb ${keepProb}`);
  }
  return { keepProb, masks };
}
