// The typed Model: its initializations, the course's training runs, fit on a
// worker thread (progress, abort), divergence, and its errors.
import {
  AbortError, asDType, initializeParametersDeep, initializeParametersHe, initializeParametersRandom,
  initializeParametersXavier, initializeParametersZeros, matrix, Model, RandomState, TrainingDivergedError,
} from '../lib';
import * as fs from 'fs';
import * as path from 'path';
import { DATASETS, expectBitExact, expectClose, expectNumberClose, loadGolden, toMatrix, TOL } from './helpers/golden';

const runs = loadGolden('train').runs;
const run = (name: string) => runs.find((r: { name: string }) => r.name === name);

function sameParameters(a: Record<string, { data: ArrayLike<number> }>, b: Record<string, { data: ArrayLike<number> }>): void {
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  for (const k of Object.keys(a)) expect(Array.from(a[k].data)).toEqual(Array.from(b[k].data));
}

describe('initialization draws exactly as the notes\' functions', () => {
  const layers = [5, 4, 3, 1];
  test.each([
    ['deep', initializeParametersDeep(layers)],
    ['he', initializeParametersHe(layers)],
    ['xavier', initializeParametersXavier(layers)],
    ['random', initializeParametersRandom(layers)],
    ['zeros', initializeParametersZeros(layers)],
  ] as const)('%s', (init, expected) => {
    sameParameters(new Model({ layers, init, seed: 3 }).getParameters(), expected);
  });

  test('float32 models hold the float64 draws rounded', () => {
    const p = new Model({ layers, init: 'he', dtype: 'float32' }).getParameters();
    expect(p.W1.data).toBeInstanceOf(Float32Array);
    expect(Array.from(p.W1.data)).toEqual(Array.from(initializeParametersHe(layers, { dtype: 'float32' }).W1.data));
  });
});

describe('the course\'s Regularization model() runs (train.json)', () => {
  test.each([
    ['reg_model_plain', {}],
    ['reg_model_l2', { l2: 0.7 }],
    ['reg_model_dropout', { keepProb: 0.86, dropoutSeed: 1 }],
  ] as const)('%s: every cost, final parameters, AL without dropout, predictions', (name, settings) => {
    const r = run(name);
    const [X, Y] = [toMatrix(r.X), toMatrix(r.Y)];
    const model = new Model({ layers: r.layers_dims, init: 'deep', seed: 3, ...settings });
    const history = model.fitSync(X, Y, { learningRate: r.learning_rate, iterations: r.num_iterations });
    expect(history.iterations).toBe(r.num_iterations);
    expectClose(history.costs, r.costs_all, TOL.train, 'costs');
    const p = model.getParameters();
    for (const [k, v] of Object.entries(r.final_parameters)) expectClose(p[k], v as never, TOL.train, k);
    expectClose(model.predictProba(X), r.final_AL_no_dropout, TOL.train, 'AL');
    expectBitExact(model.predict(X), r.predictions, 'predictions');
    expect(model.evaluate(X, Y).accuracy).toBe(r.train_accuracy);
  });
});

describe('fit() on a worker thread', () => {
  const r = run('reg_model_plain');
  const [X, Y] = [toMatrix(r.X), toMatrix(r.Y)];
  const layers = r.layers_dims;

  test('gives exactly the parameters and costs of fitSync', async () => {
    const a = new Model({ layers, seed: 3 });
    const b = new Model({ layers, seed: 3 });
    const ha = a.fitSync(X, Y, { learningRate: 0.3, iterations: 300 });
    const hb = await b.fit(X, Y, { learningRate: 0.3, iterations: 300 });
    expect(hb.costs).toEqual(ha.costs);
    sameParameters(b.getParameters(), a.getParameters());
  });

  test('progress callbacks arrive on the main thread, every logEvery iterations, and timers keep running', async () => {
    const model = new Model({ layers, seed: 3 });
    const seen: number[] = [];
    let ticks = 0;
    const timer = setInterval(() => { ticks++; }, 1);
    try {
      await model.fit(X, Y, { learningRate: 0.3, iterations: 20000, logEvery: 1000, onProgress: (p) => {
        seen.push(p.iteration);
        expect(p.iterations).toBe(20000);
        expect(Number.isFinite(p.cost)).toBe(true);
      } });
    } finally {
      clearInterval(timer);
    }
    expect(seen).toEqual([...Array(20).keys()].map((i) => i * 1000));
    expect(ticks).toBeGreaterThan(0);
  });

  test('an AbortSignal stops at an iteration boundary with that iteration\'s parameters', async () => {
    const model = new Model({ layers, seed: 3 });
    const controller = new AbortController();
    let error: unknown;
    try {
      await model.fit(X, Y, { learningRate: 0.3, iterations: 1_000_000, logEvery: 100, signal: controller.signal,
        onProgress: (p) => { if (p.iteration >= 500) controller.abort(); } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AbortError);
    const { history } = error as AbortError;
    expect(history.iterations).toBeGreaterThan(500);
    expect(history.iterations).toBeLessThan(1_000_000);
    expect(history.costs).toHaveLength(history.iterations);
    const replay = new Model({ layers, seed: 3 });
    replay.fitSync(X, Y, { learningRate: 0.3, iterations: history.iterations });
    sameParameters(model.getParameters(), replay.getParameters());
  });

  test('an already aborted signal rejects at once', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(new Model({ layers }).fit(X, Y, { signal: controller.signal })).rejects.toThrow(/aborted before it started/);
  });

  test('a second fit, and other calls, are rejected while fitting; X may be reused at once', async () => {
    const model = new Model({ layers, seed: 3 });
    const x = { shape: X.shape, data: X.data.slice() };
    const first = model.fit(x, Y, { learningRate: 0.3, iterations: 3000 });
    x.data.fill(1e6);  // fit() copied X: this cannot change the result
    expect(() => model.fitSync(X, Y)).toThrow(/Model\.fitSync: this model is already fitting/);
    await expect(model.fit(X, Y)).rejects.toThrow(/Model\.fit: this model is already fitting/);
    expect(() => model.getParameters()).toThrow(/Model\.getParameters: this model is fitting/);
    expect(() => model.predict(X)).toThrow(/this model is fitting/);
    await first;
    const reference = new Model({ layers, seed: 3 });
    reference.fitSync(X, Y, { learningRate: 0.3, iterations: 3000 });
    sameParameters(model.getParameters(), reference.getParameters());
  });

  test('a throwing progress callback rejects the fit with its error', async () => {
    const model = new Model({ layers, seed: 3 });
    await expect(model.fit(X, Y, { iterations: 5000, logEvery: 10, onProgress: () => { throw new Error('stop here'); } }))
      .rejects.toThrow('stop here');
    expect(model.getParameters().W1.shape).toEqual([20, 2]);  // idle again
  });
});

describe('numerical safety', () => {
  test('a saturated network reports a large finite cost (the notes\' formula gives Infinity)', () => {
    const circles = JSON.parse(fs.readFileSync(path.join(DATASETS, 'circles.json'), 'utf8'));
    const model = new Model({ layers: [2, 10, 5, 1], init: 'random', seed: 3 });
    const history = model.fitSync(matrix(circles.train.X), matrix(circles.train.Y), { learningRate: 0.01, iterations: 1000 });
    expect(history.costs).toBeInstanceOf(Float64Array);
    expect(history.costs.every(Number.isFinite)).toBe(true);
    expect(history.costs[0]).toBeGreaterThan(100);
  });

  test('divergence stops the fit, names the iteration and keeps the last finite parameters', () => {
    const r = run('L_layer_model');
    const [X, Y] = [toMatrix(r.X), toMatrix(r.Y)];
    const model = new Model({ layers: r.layers_dims });
    let error: unknown;
    try {
      model.fitSync(X, Y, { learningRate: 1e300, iterations: 100 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TrainingDivergedError);
    const e = error as TrainingDivergedError;
    expect(e.message).toMatch(/Model\.fitSync: training diverged at iteration \d+ \(non-finite (cost|gradient|parameters)\)/);
    expect(e.history.iterations).toBe(e.iteration);
    const p = model.getParameters();
    for (const m of Object.values(p)) expect(Array.from(m.data).every(Number.isFinite)).toBe(true);
    const replay = new Model({ layers: r.layers_dims });
    if (e.iteration > 0) replay.fitSync(X, Y, { learningRate: 1e300, iterations: e.iteration });
    sameParameters(p, replay.getParameters());
  });

  test('float32 training agrees with float64 on the golden run', () => {
    const r = run('reg_model_plain');
    const model = new Model({ layers: r.layers_dims, dtype: 'float32' });
    const h = model.fitSync(asDType(toMatrix(r.X), 'float32'), asDType(toMatrix(r.Y), 'float32'), { learningRate: 0.3, iterations: 300 });
    h.costs.forEach((c, i) => expectNumberClose(c, r.costs_all[i], 1e-5, `cost ${i}`));
  });
});

describe('Model API', () => {
  const X = new RandomState(0).randn(3, 8);
  const Y = matrix([[1, 0, 1, 0, 1, 1, 0, 0]]);

  test('setParameters / getParameters round trip, evaluate, summary', () => {
    const a = new Model({ layers: [3, 4, 1], seed: 5 });
    const b = new Model({ layers: [3, 4, 1], seed: 6 });
    b.setParameters(a.getParameters());
    sameParameters(b.getParameters(), a.getParameters());
    expect(b.evaluate(X, Y)).toEqual(a.evaluate(X, Y));
    const { cost, accuracy } = a.evaluate(X, Y);
    expect(cost).toBeGreaterThan(0);
    expect(accuracy * 8).toBe(Math.round(accuracy * 8));
    expect(a.summary()).toContain('(4, 3)');
    expect(a.summary()).toMatch(/21 parameters, float64, init 'deep' \(seed 5\), no L2, no dropout/);
    expect(a.size).toBe(21);
  });

  test('bad options and data are refused with clear errors', () => {
    expect(() => new Model({ layers: [3, 4, 1], output: 'softmax' })).toThrow(/Model: a softmax output needs at least 2 units/);
    expect(() => new Model({ layers: [3, 0, 1] })).toThrow(/Model: layers\[1\] must be an integer/);
    expect(() => new Model({ layers: [3, 1], init: 'glorot' as never })).toThrow(/Model: init must be one of 'deep', 'he', 'xavier', 'random', 'zeros'; received the string "glorot"/);
    expect(() => new Model({ layers: [3, 1], keepProb: 0 })).toThrow(/keepProb must be in \(0, 1\]/);
    expect(() => new Model({ layers: [3, 1], l2: -0.1 })).toThrow(/lambd must be a finite number >= 0/);
    const model = new Model({ layers: [3, 4, 1] });
    expect(() => model.fitSync(asDType(X, 'float32'), asDType(Y, 'float32'))).toThrow(/Model\.fitSync: X is float32 but the model is float64/);
    expect(() => model.fitSync(X, matrix([[1, 0, 2, 0, 1, 1, 0, 0]]))).toThrow(/Y must hold 0\/1 labels for a sigmoid output; received 2 at \[0, 2\] \(class labels need output: .softmax.\)/);
    expect(() => model.fitSync(X, matrix([[1, 0, 1]]))).toThrow(/Model\.fitSync: Y\.shape must be \(1, 8\)/);
    expect(() => model.fitSync(X, Y, { learningRate: 0 })).toThrow(/learningRate must be a finite positive number/);
    expect(() => model.fitSync(X, Y, { signal: new AbortController().signal } as never)).toThrow(/unknown option 'signal'/);
    expect(() => model.setParameters(new Model({ layers: [3, 5, 1] }).getParameters())).toThrow(/parameters have layers \[3,5,1\] but the model has \[3,4,1\]/);
    expect(() => model.predict(new RandomState(1).randn(2, 4))).toThrow(/Model\.predict: X\.shape must be \(3, any\)/);
  });
});
