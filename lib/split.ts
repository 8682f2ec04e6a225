// trainTestSplit: scikit-learn's train_test_split on examples as columns.
// The split draws from numpy's legacy generator (RandomState.permutation) in
// scikit-learn's order, so a seed gives the same train and test examples, in
// the same order, as train_test_split(X.T, y, random_state=seed) does
// (stratified too: StratifiedShuffleSplit's algorithm, step by step).
import { integerIn, options, rangeError, typeError } from './errors';
import { expectExamplesAsColumns } from './layout';
import { allocate, checkMatrix, dtypeOf, FloatArray, Matrix } from './matrix';
import { generatorRandomState, SeedOptions } from './datasets/seeding';
import { RandomState } from './rng';

/** Options of trainTestSplit; seed or rng as the generators take them (neither: OS entropy). */
export interface TrainTestSplitOptions extends SeedOptions {
  /** The test set: a fraction in (0, 1) (rounded up, as scikit-learn) or a count of examples. Default 0.25, or the rest when trainSize is given. */
  testSize?: number;
  /** The train set: a fraction in (0, 1) (rounded down) or a count. Default: every example not in the test set. */
  trainSize?: number;
  /** Keep each class's share of Y (1, m) in both sets (scikit-learn's stratify=y). Default false. */
  stratify?: boolean;
  /** Default true; false takes the first examples for train and the next ones for test (no generator). */
  shuffle?: boolean;
}

/** X and Y of one side of a split. */
export interface SplitPart<A extends FloatArray = FloatArray> {
  /** (features, m_part): the part's examples, in the order of its indices. */
  X: Matrix<A>;
  /** (K, m_part): their targets. */
  Y: Matrix<A>;
}

/** trainTestSplit's result: both parts, and which columns of X went where. */
export interface TrainTestSplit<A extends FloatArray = FloatArray> {
  /** The training part. */
  train: SplitPart<A>;
  /** The test part. */
  test: SplitPart<A>;
  /** The columns of X taken for train, in their order. */
  trainIndices: Int32Array;
  /** The columns of X taken for test, in their order. */
  testIndices: Int32Array;
}

const WHERE = 'trainTestSplit';

/**
 * Splits X (features, m) and Y (k, m) into train and test columns. With
 * `seed`, the same examples in the same order as scikit-learn's
 * train_test_split(X.T, y, test_size, train_size, random_state=seed,
 * stratify=y if stratify), as numpy's legacy generator draws them.
 */
export function trainTestSplit<A extends FloatArray>(X: Matrix<A>, Y: Matrix<A>, opts?: TrainTestSplitOptions): TrainTestSplit<A> {
  const o = options<TrainTestSplitOptions>(WHERE, opts, ['testSize', 'trainSize', 'stratify', 'shuffle', 'seed', 'rng']);
  const x = checkMatrix(WHERE, 'X', X, true) as Matrix<A>;
  const y = checkMatrix(WHERE, 'Y', Y, true) as Matrix<A>;
  if (y.shape[1] !== x.shape[1]) expectExamplesAsColumns(WHERE, x, y);
  if (dtypeOf(x.data) !== dtypeOf(y.data)) throw new TypeError(`${WHERE}: X is ${dtypeOf(x.data)} but Y is ${dtypeOf(y.data)}`);
  const m = x.shape[1];
  const stratify = flag('stratify', o.stratify, false);
  const shuffle = flag('shuffle', o.shuffle, true);
  const [nTrain, nTest] = splitSizes(m, o.testSize, o.trainSize);
  if (stratify && y.shape[0] !== 1) {
    throw rangeError(WHERE, 'Y.shape', '(1, m) (one class label per example) to stratify', `(${y.shape[0]}, ${m})`);
  }
  if (stratify && !shuffle) throw new TypeError(`${WHERE}: stratify needs shuffle (scikit-learn has no stratified split without it)`);
  let train: Int32Array;
  let test: Int32Array;
  if (!shuffle) {
    if (o.seed !== undefined || o.rng !== undefined) throw new TypeError(`${WHERE}: seed and rng need shuffle`);
    train = range(0, nTrain);
    test = range(nTrain, nTrain + nTest);
  } else {
    const rng = generatorRandomState(WHERE, o.seed, o.rng);
    [train, test] = stratify ? stratifiedIndices(y.data, nTrain, nTest, rng) : shuffledIndices(m, nTrain, nTest, rng);
  }
  return {
    train: { X: takeColumns(x, train), Y: takeColumns(y, train) },
    test: { X: takeColumns(x, test), Y: takeColumns(y, test) },
    trainIndices: train,
    testIndices: test,
  };
}

function flag(arg: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw typeError(WHERE, arg, 'a boolean', value);
  return value;
}

/** One size option as a count, or undefined: a fraction of m (rounded by `round`) or a count. */
function sizeOf(arg: string, value: unknown, m: number, round: (v: number) => number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && value > 0 && value < 1) return round(value * m);
  return integerIn(WHERE, arg, value, 1, m - 1);
}

/** scikit-learn's _validate_shuffle_split: [nTrain, nTest]. */
function splitSizes(m: number, testSize: unknown, trainSize: unknown): [number, number] {
  if (m < 2) throw rangeError(WHERE, 'X', 'at least 2 examples (columns) to split', `${m}`);
  const test = sizeOf('testSize', testSize, m, Math.ceil);
  const train = sizeOf('trainSize', trainSize, m, Math.floor);
  const nTest = test ?? (train === undefined ? Math.ceil(0.25 * m) : m - train);
  const nTrain = train ?? m - nTest;
  if (nTrain + nTest > m) {
    throw rangeError(WHERE, 'trainSize + testSize', `at most the ${m} examples`, `${nTrain} + ${nTest}`);
  }
  if (nTrain === 0) throw rangeError(WHERE, 'trainSize', `at least one of the ${m} examples`, '0 after rounding');
  return [nTrain, nTest];
}

function range(from: number, to: number): Int32Array {
  return Int32Array.from({ length: to - from }, (_, i) => from + i);
}

/** ShuffleSplit: test = the first nTest of a permutation, train = the next nTrain. */
function shuffledIndices(m: number, nTrain: number, nTest: number, rng: RandomState): [Int32Array, Int32Array] {
  const perm = rng.permutation(m);
  return [perm.slice(nTest, nTest + nTrain), perm.slice(0, nTest)];
}

/** a[perm[0]], a[perm[1]], ...: what rng.permutation(a) gives for an array a. */
function shuffled(a: Int32Array, rng: RandomState): Int32Array {
  return rng.permutation(a.length).map((i) => a[i]);
}

/** StratifiedShuffleSplit's _iter_indices, for one split. */
function stratifiedIndices(labels: FloatArray, nTrain: number, nTest: number, rng: RandomState): [Int32Array, Int32Array] {
  const classes = Array.from(new Set(labels)).sort((a, b) => a - b);
  const byClass = classes.map(() => [] as number[]);
  const index = new Map(classes.map((c, i) => [c, i]));
  labels.forEach((v, j) => byClass[index.get(v)!].push(j));
  const counts = byClass.map((members) => members.length);
  const few = classes.filter((_, i) => counts[i] < 2);
  if (few.length > 0) {
    throw rangeError(WHERE, 'Y', 'at least 2 examples of each class to stratify', `one example of class ${few.join(', ')}`);
  }
  for (const [arg, n] of [['trainSize', nTrain], ['testSize', nTest]] as const) {
    if (n < classes.length) throw rangeError(WHERE, arg, `at least the ${classes.length} classes of Y to stratify`, `${n} examples`);
  }
  const trainPerClass = approximateMode(counts, nTrain, rng);
  const testPerClass = approximateMode(counts.map((c, i) => c - trainPerClass[i]), nTest, rng);
  const train: number[] = [];
  const test: number[] = [];
  byClass.forEach((members, i) => {
    const order = rng.permutation(members.length);
    const a = trainPerClass[i];
    for (let k = 0; k < a; k++) train.push(members[order[k]]);
    for (let k = a; k < a + testPerClass[i]; k++) test.push(members[order[k]]);
  });
  return [shuffled(Int32Array.from(train), rng), shuffled(Int32Array.from(test), rng)];
}

/**
 * scikit-learn's _approximate_mode: how many of nDraws to take from each
 * class, proportionally, rounding down, and giving the remaining draws to the
 * largest remainders (ties broken by rng.choice, i.e. a permutation).
 */
function approximateMode(counts: number[], nDraws: number, rng: RandomState): number[] {
  const total = counts.reduce((s, c) => s + c, 0);
  const continuous = counts.map((c) => (c / total) * nDraws);
  const floored = continuous.map(Math.floor);
  let needToAdd = nDraws - floored.reduce((s, f) => s + f, 0);
  if (needToAdd > 0) {
    const remainder = continuous.map((c, i) => c - floored[i]);
    const values = Array.from(new Set(remainder)).sort((a, b) => b - a);
    for (const value of values) {
      const inds = remainder.flatMap((r, i) => (r === value ? [i] : []));
      const addNow = Math.min(inds.length, needToAdd);
      const order = rng.permutation(inds.length);
      for (let k = 0; k < addNow; k++) floored[inds[order[k]]] += 1;
      needToAdd -= addNow;
      if (needToAdd === 0) break;
    }
  }
  return floored;
}

/** The columns `idx` of M, in that order. */
function takeColumns<A extends FloatArray>(M: Matrix<A>, idx: Int32Array): Matrix<A> {
  const [rows, m] = M.shape;
  const k = idx.length;
  const out = allocate(dtypeOf(M.data), rows * k, WHERE) as A;
  for (let r = 0; r < rows; r++) {
    const src = r * m;
    const dst = r * k;
    for (let c = 0; c < k; c++) out[dst + c] = M.data[src + idx[c]];
  }
  return { shape: [rows, k], data: out };
}
