// sklearn.datasets.make_circles and make_moons (scikit-learn 1.2.1), drawing
// from numpy's legacy RandomState in sklearn's order: the shuffle's words
// first, then normal(scale=noise, size=(n, 2)) row by row. With `seed: s`
// the result is sklearn's after np.random.seed(s) with random_state=None:
// the same order, labels and noise; a coordinate may differ in its last bit
// where V8's Math.cos/Math.sin round differently from glibc's (circles.json:
// 11 of 800 coordinates, by at most 2^-53).
import { options, integerIn, typeError, rangeError } from '../errors';
import { RandomState } from '../rng';
import { Split } from './cat';
import { linspace, shuffledIndices } from './numpy';
import { generatorRandomState, SeedOptions } from './seeding';

/** Options of makeMoons (scikit-learn's make_moons). */
export interface MakeMoonsOptions extends SeedOptions {
  /** Total number of points: n // 2 get label 0, the rest label 1. Default 100. */
  nSamples?: number;
  /** Standard deviation of the Gaussian noise added to every coordinate; none by default. */
  noise?: number;
  /** Shuffle the points (default true); unshuffled, all 0s come first. */
  shuffle?: boolean;
}

/** Options of makeCircles (scikit-learn's make_circles). */
export interface MakeCirclesOptions extends MakeMoonsOptions {
  /** Radius of the inner circle relative to the outer one, in [0, 1). Default 0.8. */
  factor?: number;
}

const MAX_SAMPLES = 2 ** 31 - 1;

/** Two concentric circles: outer (radius 1) label 0, inner (radius factor) label 1. X (2, n), Y (1, n). */
export function makeCircles(opts?: MakeCirclesOptions): Split {
  const where = 'makeCircles';
  const o = options<MakeCirclesOptions>(where, opts, ['nSamples', 'noise', 'factor', 'shuffle', 'seed', 'rng']);
  const factor = o.factor ?? 0.8;
  if (typeof factor !== 'number') throw typeError(where, 'factor', 'a number in [0, 1)', factor);
  if (!(factor >= 0 && factor < 1)) throw rangeError(where, 'factor', 'a number in [0, 1)', String(factor));
  const n = integerIn(where, 'nSamples', o.nSamples ?? 100, 1, MAX_SAMPLES);
  const nOut = Math.floor(n / 2);
  // endpoint=False so that the first point is not also the last.
  const tOut = linspace(0, 2 * Math.PI, nOut, false);
  const tIn = linspace(0, 2 * Math.PI, n - nOut, false);
  const x = [...Array.from(tOut, Math.cos), ...Array.from(tIn, (t) => Math.cos(t) * factor)];
  const y = [...Array.from(tOut, Math.sin), ...Array.from(tIn, (t) => Math.sin(t) * factor)];
  return twoClasses(where, o, nOut, x, y);
}

/** Two interleaving half circles: upper label 0, lower (shifted) label 1. X (2, n), Y (1, n). */
export function makeMoons(opts?: MakeMoonsOptions): Split {
  const where = 'makeMoons';
  const o = options<MakeMoonsOptions>(where, opts, ['nSamples', 'noise', 'shuffle', 'seed', 'rng']);
  const n = integerIn(where, 'nSamples', o.nSamples ?? 100, 1, MAX_SAMPLES);
  const nOut = Math.floor(n / 2);
  const tOut = linspace(0, Math.PI, nOut);
  const tIn = linspace(0, Math.PI, n - nOut);
  const x = [...Array.from(tOut, Math.cos), ...Array.from(tIn, (t) => 1 - Math.cos(t))];
  const y = [...Array.from(tOut, Math.sin), ...Array.from(tIn, (t) => 1 - Math.sin(t) - 0.5)];
  return twoClasses(where, o, nOut, x, y);
}

/** sklearn's common tail: label the first nOut points 0, shuffle, add noise, transpose. */
function twoClasses(where: string, o: Partial<MakeMoonsOptions>, nOut: number, x: number[], y: number[]): Split {
  const shuffle = o.shuffle ?? true;
  if (typeof shuffle !== 'boolean') throw typeError(where, 'shuffle', 'a boolean', shuffle);
  const noise = o.noise;
  if (noise !== undefined) {
    if (typeof noise !== 'number') throw typeError(where, 'noise', 'a finite number >= 0', noise);
    if (!(Number.isFinite(noise) && noise >= 0)) throw rangeError(where, 'noise', 'a finite number >= 0', String(noise));
  }
  const rng: RandomState | null = shuffle || noise !== undefined ? generatorRandomState(where, o.seed, o.rng) : null;
  const n = x.length;
  const order = rng && shuffle ? shuffledIndices(rng, n) : null;
  const gauss = rng && noise !== undefined ? rng.randn(n, 2).data : null;
  const X = new Float64Array(2 * n);
  const Y = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = order ? order[k] : k;
    X[k] = x[i];
    X[n + k] = y[i];
    Y[k] = i < nOut ? 0 : 1;
    // numpy's legacy normal is loc + scale * gauss, with loc = 0.
    if (gauss && noise !== undefined) {
      X[k] += 0 + noise * gauss[2 * k];
      X[n + k] += 0 + noise * gauss[2 * k + 1];
    }
  }
  return { X: { shape: [2, n], data: X }, Y: { shape: [1, n], data: Y } };
}
