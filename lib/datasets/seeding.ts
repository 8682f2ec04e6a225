// Where a generator's random numbers come from: `rng` (a RandomState the
// caller owns, consumed in place, as sklearn's random_state=np.random does),
// a fresh RandomState(seed), or OS entropy when neither is given.
import { integerIn, typeError } from '../errors';
import { RandomState } from '../rng';

/** How a generator draws: from a seed, or from a RandomState the caller owns. */
export interface SeedOptions {
  /** Seeds a fresh RandomState, as np.random.seed(seed) before the call. */
  seed?: number;
  /** Draws from this generator instead (its state advances). */
  rng?: RandomState;
}

export function generatorRandomState(where: string, seed: unknown, rng: unknown): RandomState {
  if (seed !== undefined && rng !== undefined) throw new TypeError(`${where}: give seed or rng, not both`);
  if (rng !== undefined) {
    if (!(rng instanceof RandomState)) throw typeError(where, 'rng', 'a RandomState', rng);
    return rng;
  }
  return seed === undefined ? new RandomState() : new RandomState(integerIn(where, 'seed', seed, 0, 2 ** 32 - 1));
}
