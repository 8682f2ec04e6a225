// predict, predictProba and evaluate run in chunks whose arenas the calling
// thread keeps for its next call (a fresh mapping faults in every page). What
// an earlier call left in them, of another network, shape or dtype, must not
// change a result.
import { lModelForward, Matrix, Model, RandomState } from '../lib';

const layers = [30, 16, 8, 1];
const m = 20000;  // several chunks on any cache size

const X = new RandomState(0).rand(30, m);
const Y: Matrix = { shape: [1, m], data: X.data.slice(0, m).map((v) => (v > 0.5 ? 1 : 0)) };

/** A model whose activations overflow: weights of 1e150 make the hidden layers Inf, and W3's signs the output Inf - Inf = NaN. */
function overflowing(): Model {
  const model = new Model({ layers: [30, 40, 40, 1], output: 'linear', init: 'he', seed: 1 });
  const p = model.getParameters();
  for (const v of Object.values(p)) v.data.fill(1e150);
  p.W3.data.forEach((_, i) => { p.W3.data[i] = i % 2 ? -1e150 : 1e150; });
  model.setParameters(p);
  return model;
}

test('a prediction after calls that left Inf and NaN in the kept arenas is the same, bit for bit', () => {
  const model = new Model({ layers, output: 'sigmoid', init: 'he', seed: 3 });
  const first = model.predictProba(X);
  const firstEval = model.evaluate(X, Y);

  const garbage = overflowing().predictProba(new RandomState(1).rand(30, 3 * m));
  expect(Array.from(garbage.data).some((v) => !Number.isFinite(v))).toBe(true);
  new Model({ layers: [30, 200, 1], output: 'sigmoid', init: 'he', seed: 2, dtype: 'float32' })
    .predictProba({ shape: [30, m], data: Float32Array.from(X.data) });

  const again = model.predictProba(X);
  expect(Array.from(again.data)).toEqual(Array.from(first.data));
  expect(model.evaluate(X, Y)).toEqual(firstEval);
  // And the values are the network's: the step-by-step forward pass over all of X.
  const [AL] = lModelForward(X, model.getParameters());
  for (let j = 0; j < m; j += 997) expect(again.data[j]).toBeCloseTo(AL.data[j], 12);
});
