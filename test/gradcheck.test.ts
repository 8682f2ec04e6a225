// Gradient checking (gradcheck.json): the vector conversions, the perturbed
// costs, the difference for the correct and for the course's buggy backprop.
import {
  dictionaryToVector, gradientCheckN, gradientsToVector, Grads, lModelBackward, lModelForward, Matrix,
  vectorToDictionary, DEFAULT_THRESHOLD,
} from '../lib';
import { expectBitExact, expectClose, expectNumberClose, loadGolden, toMatrix, toParams, TOL } from './helpers/golden';

const golden = loadGolden('gradcheck');

function backprop(X: Matrix, Y: Matrix, parameters: Record<string, Matrix>): Grads {
  const [AL, caches] = lModelForward(X, parameters);
  return lModelBackward(AL, Y, caches);
}

/** The course's planted bugs: dW2 doubled, db1 four times too large. */
function plantBugs(grads: Grads): Grads {
  const times = (m: Matrix, k: number): Matrix => ({ shape: m.shape, data: m.data.map((v) => v * k) });
  return { ...grads, dW2: times(grads.dW2, 2), db1: times(grads.db1, 4) };
}

for (const c of golden.cases) {
  describe(`case ${c.name}`, () => {
    const X = toMatrix(c.X);
    const Y = toMatrix(c.Y);
    const parameters = toParams(c.parameters);
    const course = c.name === 'course_gradient_check_n_test_case';

    test('dictionaryToVector, vectorToDictionary, gradientsToVector', () => {
      const [theta, keys] = dictionaryToVector(parameters);
      expectBitExact(theta, c.theta, 'theta');
      expect(keys).toEqual(c.theta_keys);
      const back = vectorToDictionary(theta, c.layers_dims);
      for (const [k, v] of Object.entries(parameters)) expectBitExact(back[k], v, k);
      expectClose(gradientsToVector(backprop(X, Y, parameters)), c.correct.grad, TOL.array, 'grad vector');
    });

    test('correct backprop: perturbed costs, gradapprox, difference, passed', () => {
      const result = gradientCheckN(parameters, backprop(X, Y, parameters), X, Y);
      expectNumberClose(result.cost, c.cost, TOL.array, 'cost');
      expect(result.indices).toHaveLength(c.theta.shape[0]);
      const rel = (got: Float64Array, exp: number[][] | number[]) => {
        const e = (exp as unknown[]).flat() as number[];
        e.forEach((v, i) => expectNumberClose(got[i], v, TOL.array, `J[${i}]`));
      };
      rel(result.jPlus, c.correct.J_plus.data ?? c.correct.J_plus);
      rel(result.jMinus, c.correct.J_minus.data ?? c.correct.J_minus);
      // gradapprox = (J+ - J-) / 2e-7 turns a 1e-16 cost rounding into ~1e-9: 1e-7 absolute (golden README).
      const approx = (c.correct.gradapprox.data as number[][]).flat();
      approx.forEach((v, i) => expect(Math.abs(result.gradapprox.data[i] - v)).toBeLessThanOrEqual(1e-7));
      expect(result.difference).toBeLessThan(course ? 2e-7 : 1e-7);
      expect(Math.abs(result.difference / c.correct.difference - 1)).toBeLessThan(0.1);
      expect(result.passed).toBe(true);
      expect(result.threshold).toBe(DEFAULT_THRESHOLD);
      expect(result.breakdown.every((p) => p.passed)).toBe(true);
    });

    test('the course\'s buggy backprop is caught, and the breakdown names dW2 and db1', () => {
      const result = gradientCheckN(parameters, plantBugs(backprop(X, Y, parameters)), X, Y);
      expectNumberClose(result.difference, c.buggy.difference, 1e-6 * c.buggy.difference, 'buggy difference');
      expect(result.passed).toBe(false);
      const failing = result.breakdown.filter((p) => !p.passed).map((p) => p.key);
      expect(failing.sort()).toEqual(['W2', 'b1']);
      const W2 = result.breakdown.find((p) => p.key === 'W2')!;
      expect(W2.checked).toBe(parameters.W2.data.length);
      // The worst W2 entry: grad is twice the numerical derivative there.
      const worst = W2.worst[0];
      expect(worst.grad / worst.gradapprox).toBeCloseTo(2, 5);
      const [i, j] = worst.index;
      expect(worst.grad).toBe(plantBugs(backprop(X, Y, parameters)).dW2.data[i * parameters.W2.shape[1] + j]);
    });

    test('gradients given as an (n, 1) vector give the same check', () => {
      const grads = backprop(X, Y, parameters);
      const a = gradientCheckN(parameters, grads, X, Y);
      const b = gradientCheckN(parameters, gradientsToVector(grads), X, Y);
      expect(b.difference).toBe(a.difference);
    });
  });
}

describe('gradientCheckN options', () => {
  const c = golden.cases[1];
  const X = toMatrix(c.X);
  const Y = toMatrix(c.Y);
  const parameters = toParams(c.parameters);
  const grads = backprop(X, Y, parameters);

  test('a seeded sample of coordinates', () => {
    const a = gradientCheckN(parameters, grads, X, Y, { sample: 10, seed: 7 });
    const b = gradientCheckN(parameters, grads, X, Y, { sample: 10, seed: 7 });
    expect(a.indices).toHaveLength(10);
    expect(new Set(a.indices).size).toBe(10);
    expect(a.indices).toEqual(b.indices);
    expect(gradientCheckN(parameters, grads, X, Y, { sample: 10, seed: 8 }).indices).not.toEqual(a.indices);
    const full = gradientCheckN(parameters, grads, X, Y);
    a.indices.forEach((t, i) => expect(a.gradapprox.data[i]).toBe(full.gradapprox.data[t]));
    expect(a.passed).toBe(true);
  });

  test('with L2 the check passes for the L2 gradient and fails for the plain one', () => {
    const [AL, caches] = lModelForward(X, parameters);
    const withL2 = lModelBackward(AL, Y, caches, { lambd: 0.7 });
    expect(gradientCheckN(parameters, withL2, X, Y, { lambd: 0.7 }).passed).toBe(true);
    expect(gradientCheckN(parameters, grads, X, Y, { lambd: 0.7 }).passed).toBe(false);
  });

  test('bad options and gradients are refused', () => {
    expect(() => gradientCheckN(parameters, grads, X, Y, { epsilon: 0 })).toThrow(/gradientCheckN: epsilon must be a finite number > 0; received 0/);
    expect(() => gradientCheckN(parameters, grads, X, Y, { epsilon: -1e-7 })).toThrow(RangeError);
    const { db2: _missing, ...partial } = grads;
    expect(() => gradientCheckN(parameters, partial, X, Y)).toThrow(/gradientCheckN: grads is missing db2/);
    expect(() => gradientCheckN(parameters, { shape: [3, 1], data: new Float64Array(3) }, X, Y))
      .toThrow(/gradientCheckN: gradients\.shape must be \(42, 1\)/);
    expect(() => gradientCheckN(parameters, grads, X, Y, { sample: 0 })).toThrow(/sample must be an integer/);
  });
});
