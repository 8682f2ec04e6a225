// L2 and inverted dropout, function by function (forward_backward.json
// sections l2 and dropout) and in the course's training runs (train.json).
import {
  computeCost, computeCostWithRegularization, lModelBackward, lModelForward, Matrix, RandomState, updateParameters,
  initializeParametersDeep,
} from '../lib';
import { expectBitExact, expectClose, expectNumberClose, loadGolden, toMatrix, toParams, TOL } from './helpers/golden';

const golden = loadGolden('forward_backward');

function expectGrads(got: Record<string, Matrix>, exp: Record<string, unknown>, tol: number, label: string): void {
  for (const [key, value] of Object.entries(exp)) {
    if (key.startsWith('dZ')) continue;  // internal to the backward pass
    expectClose(got[key], value as never, tol, `${label} ${key}`);
  }
}

for (const c of golden.cases) {
  describe(`case ${c.name}`, () => {
    const X = toMatrix(c.X);
    const Y = toMatrix(c.Y);
    const parameters = toParams(c.parameters);
    const L: number = c.layers_dims.length - 1;

    test('L2: computeCostWithRegularization and the dW term of lModelBackward', () => {
      const AL = toMatrix(c.plain.forward[`A${L}`]);
      const lambd: number = c.l2.lambd;
      expectNumberClose(computeCostWithRegularization(AL, Y, parameters, lambd), c.l2.cost, TOL.array, 'cost');
      const [AL2, caches] = lModelForward(X, parameters);
      expectGrads(lModelBackward(AL2, Y, caches, { lambd }), c.l2.grads, TOL.array, 'L2');
      // db is never regularized; lambd 0 is the plain backward pass.
      const plain = lModelBackward(AL2, Y, caches);
      expectBitExact(lModelBackward(AL2, Y, caches, { lambd })[`db${L}`], plain[`db${L}`], 'db unchanged');
      expectBitExact(lModelBackward(AL2, Y, caches, { lambd: 0 }).dW1, plain.dW1, 'lambd 0');
    });

    for (const d of c.dropout) {
      test(`dropout keepProb ${d.keep_prob}: masks, forward, cost, backward`, () => {
        const [AL, caches] = lModelForward(X, parameters, { keepProb: d.keep_prob, seed: 1 });
        // The raw uniforms: seed(1), then rand(n_l, m) for the hidden layers in order.
        const rng = new RandomState(1);
        for (let l = 1; l < L; l++) {
          const n = c.layers_dims[l];
          expectBitExact(rng.rand(n, c.m), d.forward[`U${l}`], `U${l}`);
          const cache = caches[l - 1];
          expect(cache[2]?.keepProb).toBe(d.keep_prob);
          expectBitExact(cache[2]!.D, { shape: d.forward[`D${l}`].shape, data: d.forward[`D${l}`].data }, `D${l}`);
          expectClose(caches[l][0][0], d.forward[`A${l}`], TOL.array, `A${l} (masked, scaled)`);
        }
        for (let l = 1; l <= L; l++) expectClose(caches[l - 1][1], d.forward[`Z${l}`], TOL.array, `Z${l}`);
        expectClose(AL, d.forward[`A${L}`], TOL.array, 'AL');
        expect(caches[L - 1][2]).toBeUndefined();  // no dropout on the output layer
        expectNumberClose(computeCost(AL, Y), d.cost_notes_formula, TOL.array, 'cost (notes formula)');
        expectNumberClose(computeCost(AL, Y), d.cost, TOL.array, 'cost (course 2 formula)');
        expectGrads(lModelBackward(AL, Y, caches, { keepProb: d.keep_prob }), d.grads, TOL.array, 'dropout');
        // The masks come from the caches: keepProb need not be repeated.
        expectGrads(lModelBackward(AL, Y, caches), d.grads, TOL.array, 'dropout (keepProb from caches)');
      });
    }
  });
}

describe('dropout options', () => {
  const c = golden.cases[0];
  const X = toMatrix(c.X);
  const Y = toMatrix(c.Y);
  const parameters = toParams(c.parameters);

  test('a given RandomState is used and advanced', () => {
    const rng = new RandomState(1);
    const [, caches] = lModelForward(X, parameters, { keepProb: 0.5, rng });
    const [, again] = lModelForward(X, parameters, { keepProb: 0.5, seed: 1 });
    expect(Array.from(caches[0][2]!.D.data)).toEqual(Array.from(again[0][2]!.D.data));
    const [, next] = lModelForward(X, parameters, { keepProb: 0.5, rng });
    expect(Array.from(next[0][2]!.D.data)).not.toEqual(Array.from(caches[0][2]!.D.data));
  });

  test('without seed or rng, masks come from the process-wide generator and change between calls', () => {
    const draw = () => Array.from(lModelForward(X, parameters, { keepProb: 0.5 })[1][0][2]!.D.data);
    expect(draw()).not.toEqual(draw());
  });

  test('bad keepProb, mismatches and missing masks are refused', () => {
    expect(() => lModelForward(X, parameters, { keepProb: 0 })).toThrow(/lModelForward: keepProb must be in \(0, 1\].*received 0/);
    expect(() => lModelForward(X, parameters, { keepProb: 1.5 })).toThrow(RangeError);
    expect(() => lModelForward(X, parameters, { keepProb: 0.5, seed: 1, rng: new RandomState(1) })).toThrow(/give seed or rng, not both/);
    const [AL, caches] = lModelForward(X, parameters, { keepProb: 0.86, seed: 1 });
    expect(() => lModelBackward(AL, Y, caches, { keepProb: 0.5 })).toThrow(/keepProb 0\.5 differs from the forward pass's keepProb 0\.86/);
    const [AL2, plain] = lModelForward(X, parameters);
    expect(() => lModelBackward(AL2, Y, plain, { keepProb: 0.86 })).toThrow(/keepProb is 0\.86 but the caches hold no dropout masks/);
  });

  test('bad lambd is refused', () => {
    const [AL, caches] = lModelForward(X, parameters);
    expect(() => lModelBackward(AL, Y, caches, { lambd: -1 })).toThrow(/lambd must be a finite number >= 0; received -1/);
    expect(() => computeCostWithRegularization(AL, Y, parameters, NaN)).toThrow(/lambd must be a finite number >= 0; received NaN/);
  });
});

describe('the course\'s regularized training loops with the single-step functions', () => {
  const runs = loadGolden('train').runs;
  const run = (name: string) => runs.find((r: { name: string }) => r.name === name);

  test('L2 (reg_model_l2): every cost and the final parameters', () => {
    const r = run('reg_model_l2');
    const [X, Y] = [toMatrix(r.X), toMatrix(r.Y)];
    let parameters = initializeParametersDeep(r.layers_dims);
    const costs: number[] = [];
    for (let i = 0; i < r.num_iterations; i++) {
      const [AL, caches] = lModelForward(X, parameters);
      costs.push(computeCostWithRegularization(AL, Y, parameters, r.lambd));
      parameters = updateParameters(parameters, lModelBackward(AL, Y, caches, { lambd: r.lambd }), r.learning_rate);
    }
    expectClose(costs, r.costs_all, TOL.train, 'costs');
    for (const [k, v] of Object.entries(r.final_parameters)) expectClose(parameters[k], v as never, TOL.train, k);
  });

  test('dropout (reg_model_dropout): re-seeded with 1 every pass, so the masks never change', () => {
    const r = run('reg_model_dropout');
    const [X, Y] = [toMatrix(r.X), toMatrix(r.Y)];
    let parameters = initializeParametersDeep(r.layers_dims);
    const costs: number[] = [];
    for (let i = 0; i < r.num_iterations; i++) {
      const [AL, caches] = lModelForward(X, parameters, { keepProb: r.keep_prob, seed: 1 });
      if (i === 0 || i === r.num_iterations - 1) {
        expectBitExact(caches[0][2]!.D, r.dropout_masks_every_iteration.D1, 'D1');
        expectBitExact(caches[1][2]!.D, r.dropout_masks_every_iteration.D2, 'D2');
      }
      costs.push(computeCost(AL, Y));
      parameters = updateParameters(parameters, lModelBackward(AL, Y, caches, { keepProb: r.keep_prob }), r.learning_rate);
    }
    expectClose(costs, r.costs_all, TOL.train, 'costs');
    for (const [k, v] of Object.entries(r.final_parameters)) expectClose(parameters[k], v as never, TOL.train, k);
  });
});
