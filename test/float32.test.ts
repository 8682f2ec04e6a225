// float32 runs the same code in single precision. Documented agreement with
// the float64 reference (README, "float32"): 1e-5 of max(1, max|x|) for a
// forward/backward pass and for a 400-iteration training run.
import { asDType, computeCost, lLayerModel, lModelBackward, lModelForward, Matrix } from '../lib';
import { expectClose, expectNumberClose, loadGolden, toMatrix, toParams } from './helpers/golden';

const FLOAT32_TOL = 1e-5;

describe('float32 agrees with the float64 reference', () => {
  const fb = loadGolden('forward_backward');
  for (const c of fb.cases) {
    test(`forward, cost and backward: case ${c.name}`, () => {
      const X = toMatrix(c.X, 'float32');
      const Y = toMatrix(c.Y, 'float32');
      const [AL, caches] = lModelForward(X, toParams(c.parameters, 'float32'));
      expect(AL.data).toBeInstanceOf(Float32Array);
      const L = caches.length;
      expectClose(AL, c.plain.forward[`A${L}`], FLOAT32_TOL, 'AL');
      expectNumberClose(computeCost(AL, Y), c.plain.cost, FLOAT32_TOL, 'cost');
      const grads = lModelBackward(AL, Y, caches);
      for (const [key, exp] of Object.entries(c.plain.grads)) {
        if (key.startsWith('dZ')) continue;
        expect(grads[key].data).toBeInstanceOf(Float32Array);
        expectClose(grads[key], exp as never, FLOAT32_TOL, key);
      }
    });
  }

  test('a training run (L_layer_model, 400 iterations)', () => {
    const r = loadGolden('train').runs.find((x: { name: string }) => x.name === 'L_layer_model');
    const f32 = (m: Matrix) => asDType(m, 'float32');
    const { parameters, costs } = lLayerModel(f32(toMatrix(r.X)), f32(toMatrix(r.Y)), r.layers_dims, {
      learningRate: r.learning_rate, numIterations: r.num_iterations,
    });
    costs.forEach((cost, i) => expectNumberClose(cost, r.costs_every_100[i], FLOAT32_TOL, `cost ${i * 100}`));
    for (const [k, v] of Object.entries(r.final_parameters)) {
      expect(parameters[k].data).toBeInstanceOf(Float32Array);
      expectClose(parameters[k], v as never, FLOAT32_TOL, k);
    }
  });
});
