// numpy's legacy RandomState (np.random.seed / rand / randn), bit for bit,
// running in the native addon (glibc's log, as numpy uses).
import { randomBytes } from 'crypto';
import { integerIn, typeError } from './errors';
import { allocate, Matrix, typedArrayKind } from './matrix';
import { native, NativeRandomState } from './native';

const MAX_SEED = 2 ** 32 - 1;
const MAX_ELEMENTS = 2 ** 31 - 1;

/** The full generator state, as numpy's get_state() gives it. */
export interface RandomStateState {
  key: Uint32Array;
  pos: number;
  hasGauss: boolean;
  gauss: number;
}

export class RandomState {
  /** @internal the native generator, shared with the native initializers. */
  readonly native: NativeRandomState;

  /** Seeded like np.random.RandomState(seed); without a seed, from OS entropy. */
  constructor(seed?: number) {
    const s = seed === undefined ? randomBytes(4).readUInt32LE(0) : checkSeed('RandomState', seed);
    this.native = new native.RandomState(s);
  }

  /** np.random.seed(s): re-seeds and drops a cached normal. */
  seed(s: number): void {
    this.native.seed(checkSeed('RandomState.seed', s));
  }

  /** np.random.randn(rows, cols); randn(n) gives shape (1, n). */
  randn(rows: number, cols?: number): Matrix<Float64Array> {
    const m = alloc('RandomState.randn', rows, cols);
    this.native.fillRandn(m.data);
    return m;
  }

  /** np.random.rand(rows, cols); rand(n) gives shape (1, n). Uniform in [0, 1). */
  rand(rows: number, cols?: number): Matrix<Float64Array> {
    const m = alloc('RandomState.rand', rows, cols);
    this.native.fillRand(m.data);
    return m;
  }

  /** The next n raw 32-bit MT19937 outputs (numpy's randint(2**32, dtype=uint32)). */
  uint32(n: number): Uint32Array {
    const out = new Uint32Array(integerIn('RandomState.uint32', 'n', n, 0, MAX_ELEMENTS));
    this.native.fillUint32(out);
    return out;
  }

  /**
   * np.random.permutation(n): 0..n-1 shuffled as numpy's legacy generator
   * does (Fisher-Yates from the last index down, each j drawn by rejection
   * from next32() & mask), bit for bit, consuming the same 32-bit words.
   */
  permutation(n: number): Uint32Array {
    const out = new Uint32Array(integerIn('RandomState.permutation', 'n', n, 0, MAX_ELEMENTS));
    for (let i = 0; i < n; i++) out[i] = i;
    // Words are drawn in batches of i at step i: each of the i steps left takes
    // at least one word, so a batch never draws past what numpy would.
    let words: Uint32Array = new Uint32Array(0);
    let k = 0;
    for (let i = n - 1; i >= 1; i--) {
      let mask = i;
      mask |= mask >>> 1;
      mask |= mask >>> 2;
      mask |= mask >>> 4;
      mask |= mask >>> 8;
      mask |= mask >>> 16;
      let j: number;
      do {
        if (k === words.length) {
          words = this.uint32(i);
          k = 0;
        }
        j = words[k++] & mask;
      } while (j > i);
      const t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    return out;
  }

  getState(): RandomStateState {
    return this.native.getState();
  }

  setState(state: RandomStateState): void {
    const where = 'RandomState.setState';
    if (state === null || typeof state !== 'object') throw typeError(where, 'state', 'a RandomStateState', state);
    if (typedArrayKind(state.key) !== 'Uint32Array' || state.key.length !== 624) {
      throw typeError(where, 'state.key', 'a Uint32Array of 624 words', state.key);
    }
    integerIn(where, 'state.pos', state.pos, 0, 624);
    if (typeof state.hasGauss !== 'boolean') throw typeError(where, 'state.hasGauss', 'a boolean', state.hasGauss);
    if (typeof state.gauss !== 'number') throw typeError(where, 'state.gauss', 'a number', state.gauss);
    this.native.setState(state.key, state.pos, state.hasGauss, state.gauss);
  }
}

function checkSeed(where: string, s: unknown): number {
  return integerIn(where, 'seed', s, 0, MAX_SEED);
}

function alloc(where: string, rows: number, cols?: number): Matrix<Float64Array> {
  const r = integerIn(where, cols === undefined ? 'n' : 'rows', rows, 0, MAX_ELEMENTS);
  const c = cols === undefined ? r : integerIn(where, 'cols', cols, 0, MAX_ELEMENTS);
  const shape: [number, number] = cols === undefined ? [1, r] : [r, c];
  if (shape[0] * shape[1] > MAX_ELEMENTS) {
    throw new RangeError(`${where}: at most ${MAX_ELEMENTS} elements; requested ${shape[0]} x ${shape[1]}`);
  }
  return { shape, data: allocate('float64', shape[0] * shape[1], where) as Float64Array };
}
