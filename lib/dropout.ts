// Inverted dropout options shared by lModelForward / lModelBackward and Model.
import { typeError } from './errors';
import { Matrix } from './matrix';
import { RandomState } from './rng';

/** The masks one hidden layer's activations were multiplied by, and keep_prob. */
export interface DropoutCache {
  /** (n_l, m) of 0/1: D = rand(n_l, m) < keepProb. */
  D: Matrix;
  /** The keep probability the masks were drawn with. */
  keepProb: number;
}

let processRng: RandomState | null = null;

/** The process-wide RandomState used when no seed or rng is given (seeded from OS entropy). */
export function processRandomState(): RandomState {
  if (!processRng) processRng = new RandomState();   // seeded from OS entropy
  return processRng;
}

/** keepProb in (0, 1]; 1 means no dropout. */
export function checkKeepProb(where: string, keepProb: unknown): number {
  if (keepProb === undefined) return 1;
  if (typeof keepProb !== 'number') throw typeError(where, 'keepProb', 'a number in (0, 1]', keepProb);
  if (!(keepProb > 0 && keepProb <= 1)) {
    throw new RangeError(`${where}: keepProb must be in (0, 1] (the probability of keeping a unit); received ${keepProb}`);
  }
  return keepProb;
}

/** The generator for dropout masks: opts.rng, a fresh RandomState(opts.seed), or the process-wide one. */
export function dropoutRandomState(where: string, seed: unknown, rng: unknown): RandomState {
  if (seed !== undefined && rng !== undefined) throw new TypeError(`${where}: give seed or rng, not both`);
  if (rng !== undefined) {
    if (!(rng instanceof RandomState)) throw typeError(where, 'rng', 'a RandomState', rng);
    return rng;
  }
  if (seed !== undefined) return new RandomState(seed as number);
  return processRandomState();
}
