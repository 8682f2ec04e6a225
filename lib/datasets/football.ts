// The course's 2-D "football" dataset (C2W1 Regularization): data.mat read
// as reg_utils.load_2D_dataset does, and a generator of data like it.
import { integerIn, options, typeError } from '../errors';
import { Matrix } from '../matrix';
import { Split } from './cat';
import { MatArray, readMat } from './mat';
import { generatorRandomState, SeedOptions } from './seeding';

/** The course's football data (data.mat): where the goalkeeper should kick. */
export interface FootballDataset {
  /** X, y: 211 positions, label 1 where the French player headed the ball. */
  train: Split;
  /** Xval, yval: 200 positions. */
  test: Split;
}

/** data.mat's X (m, 2), y (m, 1), Xval, yval as train X (2, m), Y (1, m) and test X, Y (no scaling). */
export function loadFootballDataset(file: string): FootballDataset {
  const where = 'loadFootballDataset';
  if (typeof file !== 'string') throw typeError(where, 'file', 'the path of data.mat', file);
  const vars = readMat(file);
  const missing = ['X', 'y', 'Xval', 'yval'].filter((k) => !(k in vars));
  if (missing.length > 0) {
    throw new Error(`${where}: ${file} lacks the variable(s) ${missing.join(', ')} ` +
      `(has: ${Object.keys(vars).join(', ') || 'no numeric variables'})`);
  }
  const split = (xName: string, yName: string): Split => {
    const x = vars[xName];
    const y = vars[yName];
    const m = x.shape[0];
    if (y.shape[0] !== m || y.shape[1] !== 1) {
      throw new Error(`${where}: ${file}: ${yName} must be (${m}, 1), one label per row of ${xName}; ` +
        `found (${y.shape.join(', ')})`);
    }
    const bad = y.data.findIndex((v) => v !== 0 && v !== 1);
    if (bad >= 0) throw new Error(`${where}: ${file}: ${yName} must hold 0/1 labels; found ${y.data[bad]} at row ${bad}`);
    return { X: transpose(x), Y: { shape: [1, m], data: Float64Array.from(y.data) } };
  };
  return { train: split('X', 'y'), test: split('Xval', 'yval') };
}

function transpose(a: MatArray): Matrix<Float64Array> {
  const [rows, cols] = a.shape;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a.data[i * cols + j];
  return { shape: [cols, rows], data: out };
}

/** Options of makeFootball. */
export interface MakeFootballOptions extends SeedOptions {
  /** Number of points. Default 211 (data.mat's training set). */
  nSamples?: number;
}

/**
 * Football-like data: points uniform in [-0.65, 0.35] x [-0.75, 0.6] (about
 * data.mat's field), label 1 left of a wavy diagonal boundary x1 = b(x2) and
 * 0 right of it, where b(x2) = -0.1 + 0.35 x2 + 0.08 sin(3π x2) and each
 * point's side is judged with Gaussian jitter (σ = 0.05), so the classes
 * overlap along the boundary as the course's do and an unregularized network
 * can overfit them. About half the points are positive.
 * Draws rand(n, 2) (the coordinates), then randn(n) (the jitter).
 */
export function makeFootball(opts?: MakeFootballOptions): Split {
  const where = 'makeFootball';
  const o = options<MakeFootballOptions>(where, opts, ['nSamples', 'seed', 'rng']);
  const n = integerIn(where, 'nSamples', o.nSamples ?? 211, 1, 2 ** 31 - 1);
  const rng = generatorRandomState(where, o.seed, o.rng);
  const u = rng.rand(n, 2).data;
  const jitter = rng.randn(n).data;
  const X = new Float64Array(2 * n);
  const Y = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const x1 = -0.65 + 1.0 * u[2 * k];
    const x2 = -0.75 + 1.35 * u[2 * k + 1];
    const boundary = -0.1 + 0.35 * x2 + 0.08 * Math.sin(3 * Math.PI * x2);
    X[k] = x1;
    X[n + k] = x2;
    Y[k] = x1 + 0.05 * jitter[k] < boundary ? 1 : 0;
  }
  return { X: { shape: [2, n], data: X }, Y: { shape: [1, n], data: Y } };
}
