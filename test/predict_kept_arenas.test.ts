// predict, predictProba and evaluate run in chunks whose arenas the calling
// thread keeps for its next call (a fresh mapping faults in every page). What
// an earlier call left in them, of another network, shape or dtype, must not
// change a result.
import { lModelForward, Matrix, Model, RandomState } from '../lib';

const layers = [30, 16, 8, 1];
const m = 20000;  // several chunks on any cache size

const X = new RandomState(0).rand(30, m);
const Y: Matrix = { shape: [1, m], data: X.data.slice(0, m).map((v) => (v > 0.5 ? 1 : 0)) };

/**
 * A model of the same layers (so its chunk arenas are the same size, and the
 * next call reuses them) whose activations overflow: weights of 1e150 make
 * the hidden layers about 1e151 and 1e302, and the output infinite.
 */
function overflowing(): Model {
  const model = new Model({ layers, output: 'linear', init: 'he', seed: 1 });
  const p = model.getParameters();
  for (const v of Object.values(p)) v.data.fill(1e150);
  model.setParameters(p);
  return model;
}

test('a prediction after calls that left huge and infinite values in the kept arenas is the same, bit for bit', () => {
  const model = new Model({ layers, output: 'sigmoid', init: 'he', seed: 3 });
  const first = model.predictProba(X);
  const firstEval = model.evaluate(X, Y);

  new Model({ layers: [30, 200, 1], output: 'sigmoid', init: 'he', seed: 2, dtype: 'float32' })
    .predictProba({ shape: [30, m], data: Float32Array.from(X.data) });
  // The last call before the repeat: its arenas, full of huge and infinite values, are the ones reused.
  const garbage = overflowing().predictProba(new RandomState(1).rand(30, m));
  expect(Array.from(garbage.data).every((v) => !Number.isFinite(v))).toBe(true);

  const again = model.predictProba(X);
  expect(Array.from(again.data)).toEqual(Array.from(first.data));
  expect(model.evaluate(X, Y)).toEqual(firstEval);
  // And the values are the network's: the step-by-step forward pass over all of X.
  const [AL] = lModelForward(X, model.getParameters());
  for (let j = 0; j < m; j += 997) expect(again.data[j]).toBeCloseTo(AL.data[j], 12);
});
