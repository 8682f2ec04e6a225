// Initializers draw exactly what the course's numpy code draws (init.json).
import {
  initializeParameters, initializeParametersDeep, initializeParametersHe, initializeParametersRandom,
  initializeParametersZeros, NetworkParameters,
} from '../lib';
import { expectBitExact, loadGolden } from './helpers/golden';

const golden = loadGolden('init');

function expectParams(got: NetworkParameters, exp: Record<string, { shape: number[]; data: unknown }>): void {
  expect(Object.keys(got).sort()).toEqual(Object.keys(exp).sort());
  for (const key of Object.keys(exp)) expectBitExact(got[key], exp[key], key);
}

for (const c of golden.cases) {
  describe(`layers ${JSON.stringify(c.layers_dims)}`, () => {
    const dims: number[] = c.layers_dims;
    test('deep: randn / sqrt(n_prev), seed 3', () => expectParams(initializeParametersDeep(dims), c.deep));
    test('deep with seed 1 (dnn_app_utils)', () => expectParams(initializeParametersDeep(dims, { seed: 1 }), c.deep_seed1));
    test('zeros', () => expectParams(initializeParametersZeros(dims), c.zeros));
    test('random: randn * 10, seed 3', () => expectParams(initializeParametersRandom(dims), c.random));
    test('he: randn * sqrt(2 / n_prev), seed 3', () => expectParams(initializeParametersHe(dims), c.he));
    test('two-layer style: randn * 0.01 layer by layer, seed 1', () => {
      const exp = c['two_layer_0.01'];
      if (dims.length === 3) {
        expectParams(initializeParameters(dims[0], dims[1], dims[2]), exp);
      } else {
        expectParams(initializeParametersRandom(dims, { seed: 1, scale: 0.01 }), exp);
      }
    });
  });
}

describe('init options', () => {
  test('float32 parameters are the float64 draws rounded to float32', () => {
    const p64 = initializeParametersHe([4, 3, 1]);
    const p32 = initializeParametersHe([4, 3, 1], { dtype: 'float32' });
    expect(p32.W1.data).toBeInstanceOf(Float32Array);
    expect(Array.from(p32.W1.data)).toEqual(Array.from(Float32Array.from(p64.W1.data)));
    expect(p32.b1.data).toBeInstanceOf(Float32Array);
  });

  test('a different seed gives different weights', () => {
    expect(Array.from(initializeParametersDeep([3, 2, 1], { seed: 4 }).W1.data))
      .not.toEqual(Array.from(initializeParametersDeep([3, 2, 1]).W1.data));
  });
});
