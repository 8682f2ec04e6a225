// The course's planar "flower" (planar_utils.load_planar_dataset): two
// classes of m/2 points each on the petals of r = 4 sin(4t), with noise on
// t and r. With seed 1 and m = 400 it draws exactly what np.random.seed(1)
// + load_planar_dataset draw (coordinates may differ from numpy's in the last
// bit where V8's Math.sin/cos round differently from glibc's).
import { integerIn, options, rangeError } from '../errors';
import { Split } from './cat';
import { linspace } from './numpy';
import { generatorRandomState, SeedOptions } from './seeding';

/** Options of makePlanarFlower. */
export interface MakePlanarFlowerOptions extends SeedOptions {
  /** Number of points, even: m/2 per class. Default 400. */
  m?: number;
}

/** X (2, m): rows r·sin(t) and r·cos(t); Y (1, m): the first m/2 columns 0, the rest 1. Seed 1 by default. */
export function makePlanarFlower(opts?: MakePlanarFlowerOptions): Split {
  const where = 'makePlanarFlower';
  const o = options<MakePlanarFlowerOptions>(where, opts, ['m', 'seed', 'rng']);
  const m = integerIn(where, 'm', o.m ?? 400, 2, 2 ** 31 - 2);
  if (m % 2 !== 0) throw rangeError(where, 'm', 'even (m/2 points per class)', String(m));
  const rng = generatorRandomState(where, o.rng === undefined ? o.seed ?? 1 : o.seed, o.rng);
  const N = m / 2;
  const a = 4; // maximum ray of the flower
  const X = new Float64Array(2 * m);
  const Y = new Float64Array(m);
  for (let j = 0; j < 2; j++) {
    const t = linspace(j * 3.12, (j + 1) * 3.12, N);
    const tNoise = rng.randn(N).data;
    for (let i = 0; i < N; i++) t[i] += tNoise[i] * 0.2;
    const rNoise = rng.randn(N).data;
    for (let i = 0; i < N; i++) {
      const r = a * Math.sin(4 * t[i]) + rNoise[i] * 0.2;
      const k = N * j + i;
      X[k] = r * Math.sin(t[i]);
      X[m + k] = r * Math.cos(t[i]);
      Y[k] = j;
    }
  }
  return { X: { shape: [2, m], data: X }, Y: { shape: [1, m], data: Y } };
}
