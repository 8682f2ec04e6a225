// The numpy operations the generators are built from, in numpy's order of
// floating-point operations so that they give numpy's bits.
import { RandomState } from '../rng';

/**
 * np.linspace(start, stop, num, endpoint): y[i] = i * step + start with
 * step = (stop - start) / (endpoint ? num - 1 : num); with endpoint the last
 * element is stop exactly, and num = 1 gives [start].
 */
export function linspace(start: number, stop: number, num: number, endpoint = true): Float64Array {
  const div = endpoint ? num - 1 : num;
  const y = new Float64Array(num);
  if (div === 0) {
    if (num === 1) y[0] = start;
    return y;
  }
  const step = (stop - start) / div;
  for (let i = 0; i < num; i++) y[i] = i * step + start;
  if (endpoint && num > 1) y[num - 1] = stop;
  return y;
}

/**
 * The permutation RandomState.shuffle(np.arange(n)) leaves (legacy
 * Fisher-Yates): for i = n-1 .. 1, j = random_interval(i), swap. random_interval
 * draws 32-bit words masked to the smallest all-ones mask >= i until one is <= i.
 */
export function shuffledIndices(rng: RandomState, n: number): Uint32Array {
  const indices = new Uint32Array(n);
  for (let i = 0; i < n; i++) indices[i] = i;
  // Words are fetched in batches (one native call each, not one per word),
  // then the generator is rewound and advanced by exactly the words used, so
  // the draws that follow see numpy's state.
  const before = rng.getState();
  let words: Uint32Array = new Uint32Array(0);
  let next = 0;
  let used = 0;
  for (let i = n - 1; i > 0; i--) {
    let mask = i;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    let j: number;
    do {
      if (next === words.length) {
        words = rng.uint32(Math.max(64, 2 * i));
        next = 0;
      }
      j = (words[next++] & mask) >>> 0;
      used++;
    } while (j > i);
    const t = indices[i];
    indices[i] = indices[j];
    indices[j] = t;
  }
  rng.setState(before);
  rng.uint32(used);
  return indices;
}
