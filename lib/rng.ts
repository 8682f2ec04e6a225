// numpy's legacy RandomState (np.random.seed / rand / randn), bit for bit,
// running in the native addon (glibc's log, as numpy uses).
import { integerIn, typeError } from './errors';
import { allocate, Matrix, typedArrayKind } from './matrix';
import { native, NativeRandomState } from './native';

const MAX_SEED = 2 ** 32 - 1;
const MAX_ELEMENTS = 2 ** 31 - 1;

/** The full generator state, as numpy's get_state() gives it. */
export interface RandomStateState {
  /** The 624 words of the Mersenne Twister's state. */
  key: Uint32Array;
  /** The position in key of the next word drawn. */
  pos: number;
  /** Whether a normal is cached (Box-Muller draws two at a time). */
  hasGauss: boolean;
  /** The cached normal. */
  gauss: number;
}

/** numpy's legacy np.random.RandomState, bit for bit: MT19937, rand, randn (polar Box-Muller), permutation. */
export class RandomState {
  /** The addon's generator, shared with the native initializers (internal to deepnet). */
  readonly native: NativeRandomState;

  /** Seeded like np.random.RandomState(seed); without a seed, from OS entropy. */
  constructor(seed?: number) {
    // crypto is required here, not at the top: loading it costs the core's load time a few ms.
    const s = seed === undefined ? (require('crypto') as typeof import('crypto')).randomBytes(4).readUInt32LE(0) : checkSeed('RandomState', seed);
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

  /** np.random.permutation(n): 0..n-1 shuffled (numpy's legacy Fisher-Yates, bit for bit). */
  permutation(n: number): Int32Array {
    const out = new Int32Array(integerIn('RandomState.permutation', 'n', n, 0, MAX_ELEMENTS));
    this.native.fillPermutation(out);
    return out;
  }

  /** The generator's full state (np.random.get_state()), a copy. */
  getState(): RandomStateState {
    return this.native.getState();
  }

  /** Restores a state from getState (np.random.set_state()). */
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
