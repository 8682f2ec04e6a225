// One forward and one backward pass, function by function and for the whole
// network, against the notes' numpy code (forward_backward.json, section plain).
import {
  computeCost, linearActivationBackward, linearActivationForward, linearBackward, linearForward,
  lModelBackward, lModelForward, relu, reluBackward, sigmoid, sigmoidBackward, updateParameters,
} from '../lib';
import { expectBitExact, expectClose, expectNumberClose, loadGolden, toMatrix, toParams, TOL } from './helpers/golden';

const golden = loadGolden('forward_backward');

for (const c of golden.cases) describe(`case ${c.name}`, () => {
  const X = toMatrix(c.X);
  const Y = toMatrix(c.Y);
  const parameters = toParams(c.parameters);
  const L: number = c.layers_dims.length - 1;
  const fwd = c.plain.forward;
  const grads = c.plain.grads;
  const A = (l: number) => (l === 0 ? X : toMatrix(fwd[`A${l}`]));

  test('lModelForward: every Z and A, and AL', () => {
    const [AL, caches] = lModelForward(X, parameters);
    expect(caches).toHaveLength(L);
    expectClose(AL, fwd[`A${L}`], TOL.array, 'AL');
    caches.forEach(([[APrev, W, b], Z], i) => {
      const l = i + 1;
      expectClose(Z, fwd[`Z${l}`], TOL.array, `Z${l}`);
      if (l > 1) expectClose(APrev, fwd[`A${l - 1}`], TOL.array, `A${l - 1}`);
      expect(W).toBe(parameters[`W${l}`]);
      expect(b).toBe(parameters[`b${l}`]);
    });
    expect(caches[0][0][0]).toBe(X);
  });

  test('linearForward, relu, sigmoid, linearActivationForward layer by layer', () => {
    for (let l = 1; l <= L; l++) {
      const W = parameters[`W${l}`];
      const b = parameters[`b${l}`];
      const [Z, linearCache] = linearForward(A(l - 1), W, b);
      expectClose(Z, fwd[`Z${l}`], TOL.array, `Z${l}`);
      expect(linearCache[0]).toBe(A(l - 1) === X ? X : linearCache[0]);
      const exact = toMatrix(fwd[`Z${l}`]);
      // From numpy's Z, relu gives numpy's A bit for bit; sigmoid within an ulp
      // (on AVX2 CPUs its exp is deepnet's SIMD one, not glibc's).
      const [Act, cacheZ] = l < L ? relu(exact) : sigmoid(exact);
      expect(cacheZ).toBe(exact);
      if (l < L) expectBitExact(Act, fwd[`A${l}`], `A${l}`);
      else expectClose(Act, fwd[`A${l}`], 4 * 2 ** -52, `A${l}`);
      const [A2, [, Z2]] = linearActivationForward(A(l - 1), W, b, l < L ? 'relu' : 'sigmoid');
      expectClose(A2, fwd[`A${l}`], TOL.array, `A${l} (linearActivationForward)`);
      expectClose(Z2, fwd[`Z${l}`], TOL.array, `Z${l} (linearActivationForward)`);
    }
  });

  test('computeCost', () => {
    expectNumberClose(computeCost(toMatrix(fwd[`A${L}`]), Y), c.plain.cost, TOL.array, 'cost');
  });

  test('lModelBackward: dA0..dAL, dW, db', () => {
    const [AL, caches] = lModelForward(X, parameters);
    const g = lModelBackward(AL, Y, caches);
    const keys = [...Array(L + 1).keys()].map((l) => `dA${l}`)
      .concat([...Array(L).keys()].flatMap((i) => [`dW${i + 1}`, `db${i + 1}`]));
    expect(Object.keys(g).sort()).toEqual(keys.sort());
    for (const key of keys) expectClose(g[key], grads[key], TOL.array, key);
  });

  test('lModelBackward agrees with the Course 2 arithmetic (dZL = AL - Y)', () => {
    const [AL, caches] = lModelForward(X, parameters);
    const g = lModelBackward(AL, Y, caches);
    for (const [key, exp] of Object.entries(c.plain_course2.grads)) {
      if (key.startsWith('dZ')) continue;
      expectClose(g[key], exp as never, TOL.array, `${key} (course 2)`);
    }
  });

  test('sigmoidBackward, reluBackward, linearBackward, linearActivationBackward layer by layer', () => {
    for (let l = L; l >= 1; l--) {
      const Z = toMatrix(fwd[`Z${l}`]);
      const dA = toMatrix(grads[`dA${l}`]);
      const dZ = l === L ? sigmoidBackward(dA, Z) : reluBackward(dA, Z);
      expectClose(dZ, grads[`dZ${l}`], TOL.array, `dZ${l}`);
      if (l < L) expectBitExact(dZ, grads[`dZ${l}`], `dZ${l} (relu_backward is a mask)`);
      const linearCache: [typeof Z, typeof Z, typeof Z] = [A(l - 1), parameters[`W${l}`], parameters[`b${l}`]];
      const [dAPrev, dW, db] = linearBackward(toMatrix(grads[`dZ${l}`]), linearCache);
      expectClose(dAPrev, grads[`dA${l - 1}`], TOL.array, `dA${l - 1}`);
      expectClose(dW, grads[`dW${l}`], TOL.array, `dW${l}`);
      expectClose(db, grads[`db${l}`], TOL.array, `db${l}`);
      const [dAPrev2, dW2, db2] = linearActivationBackward(dA, [linearCache, Z], l === L ? 'sigmoid' : 'relu');
      expectClose(dAPrev2, grads[`dA${l - 1}`], TOL.array, `dA${l - 1} (linearActivationBackward)`);
      expectClose(dW2, grads[`dW${l}`], TOL.array, `dW${l} (linearActivationBackward)`);
      expectClose(db2, grads[`db${l}`], TOL.array, `db${l} (linearActivationBackward)`);
    }
  });

  test('updateParameters: W - lr * dW, without touching its inputs', () => {
    const before = Array.from(parameters.W1.data);
    const g = Object.fromEntries(Object.entries(grads).map(([k, v]) => [k, toMatrix(v as never)]));
    const updated = updateParameters(parameters, g, 0.1);
    for (let l = 1; l <= L; l++) {
      for (const [p, d] of [[`W${l}`, `dW${l}`], [`b${l}`, `db${l}`]]) {
        const expected = Array.from(parameters[p].data, (w, i) => w - 0.1 * g[d].data[i]);
        expectBitExact(updated[p], expected, p);
        expect(updated[p].shape).toEqual(parameters[p].shape);
      }
    }
    expect(Array.from(parameters.W1.data)).toEqual(before);
  });
});
