// Training runs (train.json): the notes' L_layer_model, natively in one call,
// and the same loop written with the single-step functions.
import {
  computeCost, initializeParametersDeep, lLayerModel, lModelBackward, lModelForward, predict, updateParameters,
} from '../lib';
import { expectBitExact, expectClose, expectNumberClose, loadGolden, toMatrix, TOL } from './helpers/golden';

const golden = loadGolden('train');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const run = (name: string): any => golden.runs.find((r: { name: string }) => r.name === name);

describe('L_layer_model', () => {
  const r = run('L_layer_model');
  const X = toMatrix(r.X);
  const Y = toMatrix(r.Y);
  const dims: number[] = r.layers_dims;
  const L = dims.length - 1;

  test('starts from the deep init (seed 3; the notes\' seed(1) is dead)', () => {
    const p = initializeParametersDeep(dims);
    for (const [k, v] of Object.entries(r.initial_parameters)) expectBitExact(p[k], v as never, k);
  });

  test('lLayerModel: costs every 100 iterations, final parameters, AL, predictions, accuracy', () => {
    const { parameters, costs } = lLayerModel(X, Y, dims, { learningRate: r.learning_rate, numIterations: r.num_iterations });
    expect(costs).toHaveLength(r.costs_every_100.length);
    costs.forEach((c, i) => expectNumberClose(c, r.costs_every_100[i], TOL.train, `cost ${i * 100}`));
    for (const [k, v] of Object.entries(r.final_parameters)) expectClose(parameters[k], v as never, TOL.train, k);
    const [AL] = lModelForward(X, parameters);
    expectClose(AL, r.final_AL, TOL.train, 'final AL');
    const { predictions, accuracy } = predict(X, Y, parameters);
    expectBitExact(predictions, r.predictions, 'predictions');
    expect(accuracy).toBe(r.train_accuracy);
    expect(L).toBe(Object.keys(parameters).length / 2);
  });

  test('the same loop with lModelForward / computeCost / lModelBackward / updateParameters', () => {
    let parameters = initializeParametersDeep(dims);
    const costs: number[] = [];
    for (let i = 0; i < r.num_iterations; i++) {
      const [AL, caches] = lModelForward(X, parameters);
      costs.push(computeCost(AL, Y));
      const grads = lModelBackward(AL, Y, caches);
      parameters = updateParameters(parameters, grads, r.learning_rate);
    }
    expectClose(costs, r.costs_all, TOL.train, 'costs_all');
    for (const [k, v] of Object.entries(r.final_parameters)) expectClose(parameters[k], v as never, TOL.train, k);
  });

  test('printCost prints the cost every 100 iterations', () => {
    const lines: string[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((s: string) => { lines.push(s); });
    try {
      lLayerModel(X, Y, dims, { learningRate: r.learning_rate, numIterations: 201, printCost: true });
    } finally {
      spy.mockRestore();
    }
    expect(lines).toEqual([0, 100, 200].map((i) => `Cost after iteration ${i}: ${r.costs_every_100[i / 100].toFixed(6)}`));
  });
});

describe('Course 2 model without regularization (reg_model_plain)', () => {
  const r = run('reg_model_plain');
  test('lLayerModel with the course\'s settings matches its costs, parameters and predictions', () => {
    const X = toMatrix(r.X);
    const Y = toMatrix(r.Y);
    const { parameters, costs } = lLayerModel(X, Y, r.layers_dims, { learningRate: r.learning_rate, numIterations: r.num_iterations });
    costs.forEach((c, i) => expectNumberClose(c, r.costs_every_100[i], TOL.train, `cost ${i * 100}`));
    for (const [k, v] of Object.entries(r.final_parameters)) expectClose(parameters[k], v as never, TOL.train, k);
    const [AL] = lModelForward(X, parameters);
    expectClose(AL, r.final_AL_no_dropout, TOL.train, 'final AL');
    const { predictions, accuracy } = predict(X, Y, parameters);
    expectBitExact(predictions, r.predictions, 'predictions');
    expect(accuracy).toBe(r.train_accuracy);
  });
});
