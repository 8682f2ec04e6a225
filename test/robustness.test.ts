// Numerical robustness: extreme magnitudes, degenerate shapes and very many
// examples give finite results or a clear error (README, "Reliability").
import {
  computeCost, lLayerModel, lModelForward, matrix, Matrix, Model, predict, RandomState, TrainingDivergedError,
  gradientCheckN, lModelBackward, initializeParametersHe,
} from '../lib';

const rng = new RandomState(1);
const scaled = (m: Matrix, k: number): Matrix => ({ shape: m.shape, data: m.data.map((v) => v * k) });
const labels = (m: number): Matrix => ({ shape: [1, m], data: new Float64Array(m).map((_, i) => i % 2) });
const X = rng.randn(3, 40);
const Y = labels(40);
const finite = (values: ArrayLike<number>) => Array.from(values).every(Number.isFinite);

test('huge inputs: Model stops with a clear divergence error and keeps finite parameters', () => {
  const model = new Model({ layers: [3, 4, 1] });
  expect(() => model.fitSync(scaled(X, 1e300), Y, { iterations: 10 })).toThrow(TrainingDivergedError);
  expect(() => model.fitSync(scaled(X, 1e300), Y, { iterations: 10 }))
    .toThrow(/Model\.fitSync: training diverged at iteration 0 \(non-finite (cost|gradient)\)/);
  for (const p of Object.values(model.getParameters())) expect(finite(p.data)).toBe(true);
});

test('large inputs saturate the output: the notes\' cost is not finite (as numpy\'s), Model\'s is', () => {
  const big = scaled(X, 1e3);
  const model = new Model({ layers: [3, 4, 1], init: 'random' });
  const [AL] = lModelForward(big, model.getParameters());
  expect(finite(AL.data)).toBe(true);
  expect(Array.from(AL.data).some((a) => a === 1 || a === 0)).toBe(true);
  expect(Number.isFinite(computeCost(AL, Y))).toBe(false);  // log(0): Infinity, or 0 * log(0): NaN
  const { cost } = model.evaluate(big, Y);
  expect(Number.isFinite(cost) && cost > 10).toBe(true);
  expect(finite(model.fitSync(big, Y, { iterations: 20, learningRate: 1e-4 }).costs)).toBe(true);
});

test('tiny inputs (subnormal products) train to finite results', () => {
  const model = new Model({ layers: [3, 4, 1] });
  const history = model.fitSync(scaled(X, 1e-300), Y, { iterations: 50 });
  expect(finite(history.costs)).toBe(true);
  expect(history.costs[0]).toBeCloseTo(Math.log(2), 6);  // the output is sigmoid(b) = 0.5 at first
});

test('all-zero columns and rows, a single example, a single feature', () => {
  const zeros = matrix([[0, 1, 0, 2], [0, 3, 0, 1], [0, 0, 0, 0]]);
  const model = new Model({ layers: [3, 5, 1] });
  expect(finite(model.fitSync(zeros, labels(4), { iterations: 30 }).costs)).toBe(true);
  const one = new Model({ layers: [3, 5, 1] });
  expect(finite(one.fitSync(matrix([[0.5], [-1], [2]]), matrix([[1]]), { iterations: 30 }).costs)).toBe(true);
  expect(one.predict(matrix([[0.5], [-1], [2]])).shape).toEqual([1, 1]);
  const feature = lLayerModel(matrix([[-2, -1, 1, 2]]), matrix([[0, 0, 1, 1]]), [1, 3, 1], { numIterations: 2000, learningRate: 0.5 });
  expect(predict(matrix([[-2, -1, 1, 2]]), matrix([[0, 0, 1, 1]]), feature.parameters).accuracy).toBe(1);
  const p = initializeParametersHe([2, 3, 1]);
  const x1 = matrix([[0.3], [-0.2]]);
  const [AL, caches] = lModelForward(x1, p);
  expect(gradientCheckN(p, lModelBackward(AL, matrix([[1]]), caches), x1, matrix([[1]])).passed).toBe(true);
});

test('three hundred thousand examples', () => {
  const m = 300_000;
  const big = rng.randn(2, m);
  const y = { shape: [1, m] as [number, number], data: big.data.subarray(0, m).map((v) => (v > 0 ? 1 : 0)) };
  const model = new Model({ layers: [2, 8, 1], init: 'he' });
  const history = model.fitSync(big, y, { iterations: 60, learningRate: 0.5 });
  expect(finite(history.costs)).toBe(true);
  expect(model.evaluate(big, y).accuracy).toBeGreaterThan(0.9);
  const { costs } = lLayerModel(big, y, [2, 8, 1], { numIterations: 5 });
  expect(finite(costs)).toBe(true);
});
