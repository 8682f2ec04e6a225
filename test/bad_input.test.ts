// Bad input gets a TypeError/RangeError naming the function, the argument, what
// was expected and what was received, before any native work.
import {
  asDType, computeCost, initializeParametersDeep, Model, linearBackward, linearForward, lLayerModel, lModelBackward,
  lModelForward, matrix, Matrix, predict, RandomState, relu, setNumThreads, updateParameters, zeros,
} from '../lib';

const X = new RandomState(0).randn(3, 4);
const Y = matrix([[1, 0, 1, 0]]);
const params = initializeParametersDeep([3, 2, 1]);

describe('wrong shapes', () => {
  test('W columns must equal A rows', () => {
    expect(() => linearForward(zeros(4, 5), zeros(2, 3), zeros(2, 1)))
      .toThrow(new RangeError('linearForward: APrev.shape must be (3, any) (W is 2x3: its columns must equal APrev\'s rows); received (4, 5)'));
  });

  test('b must be (n, 1)', () => {
    expect(() => linearForward(zeros(3, 5), zeros(2, 3), zeros(1, 2)))
      .toThrow(/linearForward: b\.shape must be \(2, 1\) \(one entry per row of W\); received \(1, 2\)/);
  });

  test('Y must be (1, m)', () => {
    expect(() => computeCost(zeros(1, 4), zeros(1, 3))).toThrow(/computeCost: Y\.shape must be \(1, 4\).*received \(1, 3\)/);
    expect(() => computeCost(zeros(1, 4), zeros(2, 4))).toThrow(RangeError);
    expect(() => lLayerModel(X, matrix([[1, 0, 1]]), [3, 2, 1])).toThrow(/lLayerModel: Y\.shape must be \(1, 4\).*received \(1, 3\)/);
  });

  test('X rows must match W1 columns', () => {
    expect(() => lModelForward(zeros(5, 4), params)).toThrow(/lModelForward: X\.shape must be \(3, any\).*received \(5, 4\)/);
  });

  test('parameters with inconsistent layers', () => {
    const bad = { ...params, W2: zeros(1, 5) };
    expect(() => lModelForward(X, bad)).toThrow(/parameters\.W2\.shape must be \(1, 2\).*received \(1, 5\)/);
  });

  test('shape and data length must agree', () => {
    expect(() => relu({ shape: [2, 3], data: new Float64Array(5) })).toThrow(/relu: Z\.data must be of length rows\*cols = 6.*received length 5/);
  });

  test('layersDims must start at n_x and end at 1', () => {
    expect(() => lLayerModel(X, Y, [4, 2, 1])).toThrow(/layersDims\[0\] must equal the rows of X \(3 features\); received 4/);
    expect(() => lLayerModel(X, Y, [3, 2, 2])).toThrow(/last entry of layersDims must be 1.*received 2/);
  });
});

describe('wrong types', () => {
  test('a plain array where a Matrix is needed', () => {
    expect(() => relu([[1, 2]] as unknown as Matrix))
      .toThrow(new TypeError('relu: Z must be a Matrix { shape: [rows, cols], data: Float64Array | Float32Array }; received an Array of length 1'));
  });

  test('a typed array where a Matrix is needed', () => {
    expect(() => computeCost(new Float64Array(3) as unknown as Matrix, Y)).toThrow(/computeCost: AL must be a Matrix.*received a Float64Array of length 3/);
  });

  test('data that is not a float typed array', () => {
    expect(() => relu({ shape: [1, 2], data: [1, 2] } as unknown as Matrix)).toThrow(/relu: Z\.data must be a Float64Array or Float32Array; received an Array of length 2/);
    expect(() => relu({ shape: [1, 2], data: new Int32Array(2) } as unknown as Matrix)).toThrow(/received an Int32Array of length 2/);
  });

  test('mixed float32 and float64', () => {
    expect(() => linearForward(asDType(zeros(3, 4), 'float32'), zeros(2, 3), zeros(2, 1)))
      .toThrow(/linearForward: W is float64 but APrev is float32/);
    expect(() => lLayerModel(asDType(X, 'float32'), Y, [3, 2, 1])).toThrow(/Y is float64 but X is float32/);
  });

  test('a bad shape field', () => {
    expect(() => relu({ shape: [2, -1], data: new Float64Array(2) } as unknown as Matrix)).toThrow(/relu: Z\.shape must be \[rows, cols\] with positive integer sizes/);
    expect(() => relu({ shape: [0, 3], data: new Float64Array(0) })).toThrow(TypeError);
  });

  test('caches that are not lModelForward\'s', () => {
    const [AL] = lModelForward(X, params);
    expect(() => lModelBackward(AL, Y, 'caches' as never)).toThrow(/lModelBackward: caches must be the caches array returned by lModelForward; received the string "caches"/);
    expect(() => linearBackward(zeros(2, 4), [X] as never)).toThrow(/linearBackward: cache must be a linear cache \[APrev, W, b\]/);
  });

  test('grads missing a key', () => {
    const [AL, caches] = lModelForward(X, params);
    const { dW2: _dropped, ...grads } = lModelBackward(AL, Y, caches);
    expect(() => updateParameters(params, grads, 0.1)).toThrow(new TypeError('updateParameters: grads is missing dW2 (expected dW1, db1, ..., dW2, db2)'));
  });

  test('unknown options are named', () => {
    expect(() => lLayerModel(X, Y, [3, 2, 1], { learningrate: 0.1 } as never)).toThrow(/lLayerModel: unknown option 'learningrate'/);
  });
});

describe('non-finite values', () => {
  test('NaN in X names the position', () => {
    const bad = matrix([[1, 2], [3, NaN], [5, 6]]);
    expect(() => lModelForward(bad, params)).toThrow(new RangeError('lModelForward: X must be finite (no NaN or Infinity); received NaN at [1, 1]'));
  });

  test('Infinity in a parameter', () => {
    const W1 = { shape: params.W1.shape, data: params.W1.data.slice() } as Matrix;
    W1.data[3] = -Infinity;
    expect(() => lModelForward(X, { ...params, W1 })).toThrow(/parameters\.W1 must be finite.*received -Infinity at \[1, 0\]/);
  });

  test('NaN in AL for computeCost', () => {
    expect(() => computeCost(matrix([[0.5, NaN]]), matrix([[1, 0]]))).toThrow(/computeCost: AL must be finite/);
  });
});

describe('sizes and numbers', () => {
  test('non-positive layer sizes', () => {
    expect(() => initializeParametersDeep([3, 0, 1])).toThrow(new RangeError('initializeParametersDeep: layersDims[1] must be an integer in [1, 2147483647]; received 0'));
    expect(() => initializeParametersDeep([3, -2, 1])).toThrow(/layersDims\[1\] must be an integer/);
    expect(() => initializeParametersDeep([3, 2.5, 1])).toThrow(/layersDims\[1\] must be an integer.*received 2\.5/);
    expect(() => initializeParametersDeep([3])).toThrow(/at least 2 entries/);
    expect(() => initializeParametersDeep('3,2,1' as never)).toThrow(TypeError);
  });

  test('learningRate must be a finite positive number', () => {
    for (const lr of [0, -0.1, NaN, Infinity]) {
      expect(() => lLayerModel(X, Y, [3, 2, 1], { learningRate: lr })).toThrow(RangeError);
      expect(() => updateParameters(params, Object.fromEntries(Object.entries(params).map(([k, v]) => [`d${k}`, v])), lr))
        .toThrow(/updateParameters: learningRate must be a finite positive number/);
    }
    expect(() => lLayerModel(X, Y, [3, 2, 1], { learningRate: '0.1' as never })).toThrow(/learningRate must be a finite positive number; received the string "0.1"/);
  });

  test('numIterations must be a non-negative integer', () => {
    expect(() => lLayerModel(X, Y, [3, 2, 1], { numIterations: -1 })).toThrow(/numIterations must be an integer/);
    expect(() => lLayerModel(X, Y, [3, 2, 1], { numIterations: 1.5 })).toThrow(/numIterations must be an integer/);
  });

  test('labels must be 0/1 where accuracy or training needs them', () => {
    expect(() => predict(X, matrix([[1, 0, 2, 0]]), params)).toThrow(/predict: Y must hold 0\/1 labels; received 2 at \[0, 2\]/);
  });

  test('predict names itself when X and the parameters disagree', () => {
    const wide = initializeParametersDeep([5, 2, 1]);
    expect(() => predict(X, Y, wide)).toThrow(/^predict: X\.shape must be \(5, any\) \(W1 has 5 columns: one row per input feature\); received \(3, 4\)/);
  });

  test('seeds outside [0, 2^32 - 1]', () => {
    expect(() => new RandomState(-1)).toThrow(/RandomState: seed must be an integer in \[0, 4294967295\]; received -1/);
    expect(() => new RandomState(2 ** 32)).toThrow(RangeError);
    expect(() => initializeParametersDeep([2, 1], { seed: 1.5 })).toThrow(/seed must be an integer/);
  });

  test('huge requests fail with a RangeError before allocating', () => {
    expect(() => new RandomState(1).randn(2 ** 20, 2 ** 20)).toThrow(RangeError);
    // Terabytes: more than any machine has available, refused before allocating.
    expect(() => initializeParametersDeep([2_000_000, 1_000_000, 1]))
      .toThrow(/initializeParametersDeep: parameters for layers \[2000000,1000000,1\] would need [\d.]+ GiB, more than the [\d.]+ GiB of memory available/);
    expect(() => zeros(1_000_000, 1_000_000)).toThrow(/would need [\d.]+ GiB, more than the [\d.]+ GiB of memory available/);
    expect(() => new Model({ layers: [2_000_000, 1_000_000, 1] })).toThrow(/the model's parameters would need [\d.]+ GiB, more than/);
    expect(() => setNumThreads(0)).toThrow(/setNumThreads: n must be an integer in \[1, 256\]; received 0/);
  });
});

describe('the native layer also refuses bad calls (never aborts)', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { native } = require('../lib/native');
  test('wrong lengths and types', () => {
    expect(() => native.linearForward(new Float64Array(1), new Float64Array(1), new Float64Array(1), new Float64Array(1), 2, 2, 2)).toThrow(/has 1 elements, expected/);
    expect(() => native.activationForward(new Float64Array(2), new Float32Array(2), 'relu')).toThrow(/different dtype/);
    const arch = { hidden: [], output: 'sigmoid' };
    expect(() => native.modelForward(new Float64Array(4), 'x', [], [], [], [2, 1], 2, 1, null, [], arch)).toThrow(/W must be an array of 1 typed arrays/);
    expect(() => native.modelForward(new Float64Array(4), 'x', [], [], [], [2, 1], 2)).toThrow(/architecture must be an object/);
    expect(() => native.modelForward(new Float64Array(4), [], [], [], [], [2, 1], 2, 1, null, [], { hidden: [], output: 'tanh' })).toThrow(/unknown output 'tanh'/);
    expect(() => native.initWeights({}, new Float64Array(1), 1, 1, 'deep', 1)).toThrow(/rng must be a native RandomState/);
    expect(() => native.computeCost(new Float64Array(2), new Float64Array(2), 'other')).toThrow(/unknown cost form/);
  });
});
