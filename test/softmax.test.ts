// The softmax output against ../shared/golden/softmax.json: one forward and
// backward pass (through the notes-style functions) and a 300-iteration
// gradient-descent run (through Model), with the golden README's tolerances.
import { computeCostSoftmax, lModelBackward, lModelForward, Matrix, Model, softmax } from '../lib';
import { expectBitExact, expectClose, expectNumberClose, loadGolden, toMatrix, toParams, TOL } from './helpers/golden';

const golden = loadGolden('softmax');

interface Case {
  name: string;
  layers_dims: number[];
  X: { shape: number[]; data: unknown };
  labels: number[];
  Y: { shape: number[]; data: unknown };
  parameters: Record<string, { shape: number[]; data: unknown }>;
  Z: Record<string, { shape: number[]; data: unknown }>;
  AL: { shape: number[]; data: unknown };
  cost: number;
  grads: Record<string, { shape: number[]; data: unknown }>;
}
const cases = golden.cases as Case[];
const labelsOf = (c: { labels: number[] }): Matrix => ({ shape: [1, c.labels.length], data: Float64Array.from(c.labels) });

describe('softmax forward, cost and backward', () => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const X = toMatrix(c.X);
    const parameters = toParams(c.parameters);
    const L = c.layers_dims.length - 1;
    const [AL, caches] = lModelForward(X, parameters, { output: 'softmax' });
    for (let l = 1; l <= L; l++) expectClose(caches[l - 1][1], c.Z[String(l)], TOL.array, `Z${l}`);
    expectClose(AL, c.AL, TOL.array, 'AL');
    // The cost from the logits: finite even where the softmax saturates (S2).
    const ZL = caches[L - 1][1];
    expectNumberClose(computeCostSoftmax(ZL, toMatrix(c.Y)), c.cost, TOL.array, 'cost (one-hot Y)');
    expectNumberClose(computeCostSoftmax(ZL, labelsOf(c)), c.cost, TOL.array, 'cost (class labels)');
    // One-hot Y and class labels give the same gradients.
    for (const Y of [toMatrix(c.Y), labelsOf(c)]) {
      const grads = lModelBackward(AL, Y, caches, { output: 'softmax' });
      for (const k of Object.keys(c.grads)) expectClose(grads[k], c.grads[k], TOL.array, k);
    }
    // softmax() alone: columns of probabilities, the same as the network's last layer.
    expectClose(softmax(ZL)[0], c.AL, TOL.array, 'softmax(ZL)');
  });

  test('the saturated case really saturates: some probabilities are exactly 0 while the cost is finite', () => {
    const c = cases.find((x) => x.name === 'S2_large_logits') as Case;
    const [AL] = lModelForward(toMatrix(c.X), toParams(c.parameters), { output: 'softmax' });
    expect(Array.from(AL.data).some((a) => a === 0)).toBe(true);
    expect(Number.isFinite(c.cost)).toBe(true);
  });
});

describe('softmax training (300 iterations of gradient descent)', () => {
  const t = golden.train;
  test.each(['float64', 'float32'] as const)('Model, %s', (dtype) => {
    const X = toMatrix(t.X, dtype);
    const labels: Matrix = { shape: [1, t.m], data: (dtype === 'float32' ? Float32Array : Float64Array).from(t.labels) };
    const model = new Model({ layers: t.layers_dims, output: 'softmax', init: 'he', seed: 3, dtype });
    const history = model.fitSync(X, labels, { learningRate: t.learning_rate, iterations: t.num_iterations });
    if (dtype === 'float64') {
      expectClose(history.costs, t.costs, TOL.train, 'costs');
      const p = model.getParameters();
      for (const k of Object.keys(t.parameters)) expectClose(p[k], t.parameters[k], TOL.train, k);
    } else {
      // float32 against the float64 run: close while the descent is smooth
      // (measured: at most 4.8e-6 relative over the first 40 steps, on every
      // SIMD level and backend). At learning rate 0.5 the steps from about 40
      // to 60 then amplify any rounding difference some 10^4-fold and the late
      // costs oscillate from step to step, so after 300 steps how far float32
      // ends up depends on the kernels' rounding (costs 1.8e-6 to 7.4e-4,
      // parameters 2.9e-5 to 6.1e-3 across the levels and OpenBLAS's kernels):
      // there only the predictions (exact, below) and a loose cost are checked.
      expectClose(history.costs.slice(0, 40), t.costs.slice(0, 40), 5e-5, 'costs, steps 0-39');
      expectNumberClose(history.costs[t.num_iterations - 1], t.costs[t.num_iterations - 1], 1e-2, 'the last cost');
    }
    const predictions = model.predict(X);
    expect(predictions.shape).toEqual([1, t.m]);
    expectBitExact(predictions, { shape: [1, t.m], data: (dtype === 'float32' ? Float32Array : Float64Array).from(t.predictions) }, 'predictions');
    expect(model.evaluate(X, labels).accuracy).toBe(t.train_accuracy);
  });

  test('bad labels get clear errors', () => {
    const model = new Model({ layers: [t.layers_dims[0], 5, 3], output: 'softmax' });
    const X = toMatrix(t.X);
    const bad = (data: number[], shape: [number, number]): Matrix => ({ shape, data: Float64Array.from(data) });
    const m = t.m;
    expect(() => model.fitSync(X, bad(new Array(m).fill(3), [1, m]))).toThrow(/Y must hold class labels 0..2 .* received 3 at \[0, 0\]/);
    expect(() => model.fitSync(X, bad(new Array(m).fill(0.5), [1, m]))).toThrow(/class labels 0..2 \(integers, one per example\).* received 0.5 at \[0, 0\]/);
    const notOneHot = new Array(3 * m).fill(0);
    notOneHot[0] = 1;
    notOneHot[m] = 1;  // column 0 holds two ones
    expect(() => model.fitSync(X, bad(notOneHot, [3, m]))).toThrow(/must be one-hot for a softmax output: column 0 sums to 2, not 1/);
    expect(() => model.fitSync(X, bad(new Array(2 * m).fill(0), [2, m]))).toThrow(/Y.shape must be \(3, 150\): 3 rows \(one per class\) or 1 row of class labels 0..2/);
  });
});
