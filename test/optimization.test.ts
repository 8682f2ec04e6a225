// Course 2 Week 2 ("Optimization methods") against ../shared/golden/optimization.json:
// random_mini_batches bit for bit, the momentum and
// Adam updates, the decay schedules, and the notebook's model() runs through
// miniBatchModel (its own arithmetic) and through Model (Course 2's).
import {
  asDType, initializeAdam, initializeVelocity, Matrix, miniBatchModel, Model, randomMiniBatches, RandomState, scheduleLrDecay,
  updateLr, updateParametersWithAdam, updateParametersWithMomentum,
} from '../lib';
import { OptimizerState } from '../lib/optimizers';
import { expectBitExact, expectClose, loadGolden, toMatrix, toParams, TOL } from './helpers/golden';

const golden = loadGolden('optimization');
const moons = { X: toMatrix(golden.moons.X), Y: toMatrix(golden.moons.Y) };

interface Run {
  name: string;
  optimizer: 'gd' | 'momentum' | 'adam';
  layers_dims: number[];
  num_epochs: number;
  settings: { learning_rate: number; mini_batch_size: number; beta: number; beta1: number; beta2: number; epsilon: number;
    decay?: 'update_lr' | 'schedule'; decay_rate?: number; time_interval?: number };
  epoch_costs: number[];
  learning_rates: number[];
  parameters: Record<string, { shape: number[]; data: unknown }>;
  train_accuracy: number;
}
const runs = golden.runs as Run[];

function accuracy(model: Model): number {
  const p = model.predict(moons.X).data;
  let correct = 0;
  p.forEach((v, i) => { if (v === moons.Y.data[i]) correct++; });
  return correct / p.length;
}

// numpy's permutation itself: test/preprocessing.test.ts.
describe('random_mini_batches', () => {
  test('randomMiniBatches reproduces the notebook batch for batch', () => {
    const g = golden.random_mini_batches;
    const batches = randomMiniBatches(toMatrix(g.X), toMatrix(g.Y), g.mini_batch_size, g.seed);
    expect(batches).toHaveLength(g.batches.length);
    batches.forEach(([X, Y], k) => {
      expectBitExact(X, g.batches[k].X, `batch ${k} X`);
      expectBitExact(Y, g.batches[k].Y, `batch ${k} Y`);
    });
    expect(() => randomMiniBatches(toMatrix(g.X), toMatrix(g.Y), 0)).toThrow(/randomMiniBatches: miniBatchSize must be an integer in \[1,/);
  });
});

describe('the optimizers of the notebook', () => {
  test('updateParametersWithMomentum: 3 steps from zero velocity', () => {
    const g = golden.momentum;
    let parameters = toParams(g.parameters);
    const grads = toParams(g.grads);
    let v = initializeVelocity(parameters);
    expect(Object.keys(v)).toEqual(['dW1', 'db1', 'dW2', 'db2']);
    const before = Array.from(parameters.W1.data);
    const first = parameters;
    for (let i = 0; i < g.steps; i++) [parameters, v] = updateParametersWithMomentum(parameters, grads, v, g.beta, g.learning_rate);
    expect(Array.from(first.W1.data)).toEqual(before);  // inputs untouched
    for (const k of Object.keys(g.expected.parameters)) expectClose(parameters[k], g.expected.parameters[k], 1e-15, k);
    for (const k of Object.keys(g.expected.v)) expectClose(v[k], g.expected.v[k], 1e-15, `v.${k}`);
  });

  test('updateParametersWithAdam: steps t = 1, 2 with the bias-corrected moments', () => {
    const g = golden.adam;
    let parameters = toParams(g.parameters);
    const grads = toParams(g.grads);
    let [v, s] = initializeAdam(parameters);
    let vc: OptimizerState, sc: OptimizerState;
    for (const e of g.expected) {
      [parameters, v, s, vc, sc] = updateParametersWithAdam(parameters, grads, v, s, e.t, g.learning_rate, g.beta1, g.beta2, g.epsilon);
      for (const k of Object.keys(e.parameters)) expectClose(parameters[k], e.parameters[k], 1e-14, `t=${e.t} ${k}`);
      for (const [name, got, exp] of [['v', v, e.v], ['s', s, e.s], ['v_corrected', vc, e.v_corrected], ['s_corrected', sc, e.s_corrected]] as const) {
        for (const k of Object.keys(exp)) expectClose(got[k], exp[k], 1e-14, `t=${e.t} ${name}.${k}`);
      }
    }
  });

  test('bad optimizer arguments are refused by name', () => {
    const g = golden.adam;
    const parameters = toParams(g.parameters);
    const [v, s] = initializeAdam(parameters);
    expect(() => updateParametersWithAdam(parameters, toParams(g.grads), v, s, 0)).toThrow(/updateParametersWithAdam: t must be an integer in \[1,/);
    expect(() => updateParametersWithAdam(parameters, toParams(g.grads), v, { dW1: v.dW1 }, 1)).toThrow(/updateParametersWithAdam: s is missing dW2 \(expected dW1, db1, ..., dW2, db2\)/);
    expect(() => updateParametersWithMomentum(parameters, toParams(g.grads), v, 1.5, 0.1)).toThrow(/beta must be a number in \[0, 1\)/);
  });

  test('updateLr and scheduleLrDecay give the notebook\'s numbers', () => {
    for (const c of golden.update_lr) expect(updateLr(c.learning_rate0, c.epoch_num, c.decay_rate)).toBe(c.expected);
    for (const c of golden.schedule_lr_decay) {
      expect(scheduleLrDecay(c.learning_rate0, c.epoch_num, c.decay_rate, c.time_interval)).toBe(c.expected);
    }
  });
});

function decayOf(r: Run) {
  if (r.settings.decay === undefined) return {};
  return r.settings.decay === 'update_lr' ? { decay: updateLr, decayRate: r.settings.decay_rate }
    : { decay: scheduleLrDecay, decayRate: r.settings.decay_rate, timeInterval: r.settings.time_interval };
}

function fitOf(r: Run) {
  const s = r.settings;
  const decay = s.decay === undefined ? {} : {
    learningRateDecay: s.decay === 'update_lr' ? { schedule: 'inverse' as const, rate: s.decay_rate as number }
      : { schedule: 'step' as const, rate: s.decay_rate as number, interval: s.time_interval },
  };
  return { optimizer: r.optimizer, learningRate: s.learning_rate, batchSize: s.mini_batch_size, epochs: r.num_epochs,
    shuffleSeed: 10, beta: s.beta, beta1: s.beta1, beta2: s.beta2, epsilon: s.epsilon, ...decay };
}

describe("the notebook's model() on moons", () => {
  test.each(runs.map((r) => [r.name, r] as const))('%s through miniBatchModel', (_name, r) => {
    const s = r.settings;
    const out = miniBatchModel(moons.X, moons.Y, r.layers_dims, {
      optimizer: r.optimizer, learningRate: s.learning_rate, miniBatchSize: s.mini_batch_size, beta: s.beta, beta1: s.beta1,
      beta2: s.beta2, epsilon: s.epsilon, numEpochs: r.num_epochs, ...decayOf(r),
    });
    expectClose(out.epochCosts, r.epoch_costs, TOL.train, 'epoch costs');
    expect(Array.from(out.learningRates)).toEqual(r.learning_rates);
    for (const k of Object.keys(r.parameters)) expectClose(out.parameters[k], r.parameters[k], TOL.train, k);
    expect(out.costs).toEqual(Array.from(out.epochCosts).filter((_, i) => i % 100 === 0));
  });

  test.each(runs.map((r) => [r.name, r] as const))('%s through Model', (_name, r) => {
    const model = new Model({ layers: r.layers_dims, init: 'he', seed: 3 });
    const history = model.fitSync(moons.X, moons.Y, fitOf(r));
    expectClose(history.costs, r.epoch_costs, TOL.train, 'epoch costs');
    expect(Array.from(history.learningRates)).toEqual(r.learning_rates);
    const p = model.getParameters();
    for (const k of Object.keys(r.parameters)) expectClose(p[k], r.parameters[k], TOL.train, k);
    expect(accuracy(model)).toBe(r.train_accuracy);
    expect(history.steps).toBe(r.num_epochs * Math.ceil(300 / r.settings.mini_batch_size));
  });

  // float32 keeps within the README's float32 tolerance of the float64 reference.
  test.each(runs.map((r) => [r.name, r] as const))('%s through Model in float32', (_name, r) => {
    const model = new Model({ layers: r.layers_dims, init: 'he', seed: 3, dtype: 'float32' });
    const history = model.fitSync(asDType(moons.X, 'float32'), asDType(moons.Y, 'float32'), fitOf(r));
    expectClose(history.costs, r.epoch_costs, 1e-5, 'epoch costs');
    const p = model.getParameters();
    for (const k of Object.keys(r.parameters)) expectClose(p[k], r.parameters[k], 1e-5, k);
  });

  // The course's printed results (10000 epochs, lr 0.0007, batch 64).
  test.each([
    ['gd', 0.7966666666666666, 0.702405],
    ['momentum', 0.7966666666666666, 0.702413],
    ['adam', 0.94, 0.702166],
  ] as const)('%s for 10000 epochs ends at the course\'s accuracy (Model and miniBatchModel)', (optimizer, expected, firstCost) => {
    const model = new Model({ layers: [2, 5, 2, 1], init: 'he', seed: 3 });
    const history = model.fitSync(moons.X, moons.Y, { optimizer, learningRate: 0.0007, batchSize: 64, epochs: 10000, shuffleSeed: 10 });
    expect(accuracy(model)).toBe(expected);
    expect(history.costs[0].toFixed(6)).toBe(firstCost.toFixed(6));
    const notes = miniBatchModel(moons.X, moons.Y, [2, 5, 2, 1], { optimizer, numEpochs: 10000 });
    expect(notes.epochCosts[0].toFixed(6)).toBe(firstCost.toFixed(6));
    const check = new Model({ layers: [2, 5, 2, 1] });
    check.setParameters(notes.parameters);
    expect(accuracy(check)).toBe(expected);
  });
});

describe('Model with mini-batches', () => {
  const X = moons.X;
  const Y = moons.Y;

  test('the default stays full-batch gradient descent, iteration for iteration', () => {
    const a = new Model({ layers: [2, 5, 2, 1], init: 'he' });
    const b = new Model({ layers: [2, 5, 2, 1], init: 'he' });
    const ha = a.fitSync(X, Y, { learningRate: 0.1, iterations: 50 });
    const hb = b.fitSync(X, Y, { learningRate: 0.1, epochs: 50, batchSize: 300, optimizer: 'gd' });
    expectBitExact(ha.costs, hb.costs, 'costs');
    expect(ha.steps).toBe(50);
    expect(() => a.fitSync(X, Y, { epochs: 5, iterations: 6 })).toThrow(/epochs \(5\) and iterations \(6\) are the same setting/);
  });

  test('a checkpointed Adam fit resumes bit-identical to an uninterrupted one', () => {
    const dir = require('fs').mkdtempSync(require('path').join(require('os').tmpdir(), 'deepnet-adam-'));
    const file = require('path').join(dir, 'ckpt.safetensors');
    const opts = { optimizer: 'adam' as const, learningRate: 0.01, batchSize: 32, epochs: 60, shuffleSeed: 7, keepProb: undefined };
    delete opts.keepProb;
    const whole = new Model({ layers: [2, 8, 4, 1], init: 'he', keepProb: 0.9 });
    const wholeHistory = whole.fitSync(X, Y, opts);
    // Interrupted after 20 epochs (the first chunk's checkpoint), resumed in a "new process".
    const first = new Model({ layers: [2, 8, 4, 1], init: 'he', keepProb: 0.9 });
    first.fitSync(X, Y, { ...opts, epochs: 20, checkpoint: { path: file, every: 20 }, logEvery: 10 });
    const resumed = Model.load(file);
    expect(resumed.epochsTrained).toBe(20);
    const rest = resumed.fitSync(X, Y, { ...opts, epochs: 40 });
    expectBitExact(rest.costs, wholeHistory.costs.subarray(20), 'costs after the resume');
    const [p, q] = [whole.getParameters(), resumed.getParameters()];
    for (const k of Object.keys(p)) expectBitExact(q[k], p[k], k);
    // Without the optimizer state the resumed run would differ: the state really was restored.
    const fresh = Model.load(file);
    fresh.fitSync(X, Y, { ...opts, optimizer: 'adam', beta1: 0.85, epochs: 1 });
    expect(Array.from(fresh.getParameters().W1.data)).not.toEqual(Array.from(whole.getParameters().W1.data));
    require('fs').rmSync(dir, { recursive: true, force: true });
  });

  test('validation and early stopping: costs per epoch, the best epoch restored', () => {
    const model = new Model({ layers: [2, 16, 1], init: 'he', seed: 1 });
    const history = model.fitSync(X, Y, { optimizer: 'adam', learningRate: 0.05, batchSize: 16, epochs: 400, validationSplit: 0.3,
      earlyStopping: { patience: 15 } });
    expect(history.validationCosts).toHaveLength(history.epochs);
    expect(history.validationAccuracies).toHaveLength(history.epochs);
    expect(history.stoppedEarly).toBe(true);
    expect(history.epochs).toBeLessThan(400);
    const best = history.bestEpoch as number;
    expect(history.epochs - 1 - best).toBe(15);
    const vc = history.validationCosts as Float64Array;
    expect(Math.min(...vc)).toBe(vc[best]);
    // The restored parameters are the best epoch's: their validation cost is the best one.
    const valX = { shape: [2, 90] as [number, number], data: new Float64Array(180) };
    for (let r = 0; r < 2; r++) valX.data.set(X.data.subarray(r * 300 + 210, r * 300 + 300), r * 90);
    const valY: Matrix = { shape: [1, 90], data: Y.data.slice(210) };
    expect(model.evaluate(valX, valY).cost).toBeCloseTo(vc[best], 12);
  });

  test('bad fit options are refused before training', () => {
    const model = new Model({ layers: [2, 5, 1] });
    expect(() => model.fitSync(X, Y, { optimizer: 'sgd' as never })).toThrow(/Model.fitSync: optimizer must be 'gd', 'momentum', 'rmsprop', 'adam'/);
    expect(() => model.fitSync(X, Y, { batchSize: 0 })).toThrow(/batchSize must be an integer in \[1,/);
    expect(() => model.fitSync(X, Y, { beta1: 1 })).toThrow(/beta1 must be a number in \(0, 1\); received 1/);
    expect(() => model.fitSync(X, Y, { validationSplit: 1.5 })).toThrow(/validationSplit must be a number in \(0, 1\)/);
    expect(() => model.fitSync(X, Y, { earlyStopping: { patience: 0 } })).toThrow(/earlyStopping.patience must be an integer in \[1,/);
    expect(() => model.fitSync(X, Y, { learningRateDecay: { schedule: 'cosine' as never, rate: 1 } })).toThrow(/learningRateDecay.schedule must be 'inverse' or 'step'/);
    expect(() => model.fitSync(X, Y, { shuffle: false, shuffleSeed: 3 })).toThrow(/shuffleSeed is set but shuffle is false/);
    expect(() => model.fitSync(X, Y, { validation: { X, Y: toMatrix({ shape: [1, 300], data: new Array(300).fill(2) }) } }))
      .toThrow(/Model.fitSync: validation.Y must hold 0\/1 labels/);
    expect(model.epochsTrained).toBe(0);
  });
});
