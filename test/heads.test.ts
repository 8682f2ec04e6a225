// Every output head x hidden activation (with and without L2) against an
// outside oracle: PyTorch's float64 autograd (test/fixtures/torch_gradients.json,
// written by scripts/oracles/torch_gradients.py). The notes-style functions'
// backward (keep mode), Model's training step (the lean arena) and the cost
// must all agree with it; the gradient check passes on each.
import * as fs from 'fs';
import * as path from 'path';
import {
  gradientCheckN, HiddenActivation, lModelBackward, lModelForward, Matrix, Model, Output,
} from '../lib';
import { expectClose, expectNumberClose, toMatrix, toParams, TOL } from './helpers/golden';

interface OracleCase {
  name: string;
  output: Output;
  activation: HiddenActivation;
  lambd: number;
  layers_dims: number[];
  X: { shape: number[]; data: unknown };
  Y: { shape: number[]; data: unknown };
  parameters: Record<string, { shape: number[]; data: unknown }>;
  cost: number;
  grads: Record<string, { shape: number[]; data: unknown }>;
}

const oracle = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'torch_gradients.json'), 'utf8'));
const cases = (oracle.cases as OracleCase[]).map((c) => [c.name, c] as const);

describe('every head and activation against PyTorch autograd (float64)', () => {
  test.each(cases)('%s: lModelForward / lModelBackward', (_name, c) => {
    const X = toMatrix(c.X);
    const Y = toMatrix(c.Y);
    const parameters = toParams(c.parameters);
    const arch = { activation: c.activation, output: c.output };
    const [AL, caches] = lModelForward(X, parameters, arch);
    const grads = lModelBackward(AL, Y, caches, { ...arch, lambd: c.lambd });
    for (const k of Object.keys(c.grads)) expectClose(grads[k], c.grads[k], TOL.array, k);
  });

  test.each(cases)('%s: Model (its cost, and the gradient of one training step)', (_name, c) => {
    const X = toMatrix(c.X);
    const Y = toMatrix(c.Y);
    const model = new Model({ layers: c.layers_dims, activation: c.activation, output: c.output, l2: c.lambd });
    const start = toParams(c.parameters);
    model.setParameters(start);
    expectNumberClose(model.evaluate(X, Y).cost, c.cost, TOL.array, 'cost');
    // One full-batch step at learning rate 1: W_after = W - dW, so dW = W - W_after.
    model.fitSync(X, Y, { learningRate: 1, iterations: 1 });
    const after = model.getParameters();
    for (const k of Object.keys(c.parameters)) {
      const g: Matrix = { shape: start[k].shape, data: start[k].data.map((w, i) => w - after[k].data[i]) };
      expectClose(g, c.grads[`d${k}`], TOL.array, `d${k}`);
    }
  });

  test.each(cases)('%s: gradientCheckN passes', (_name, c) => {
    const X = toMatrix(c.X);
    const Y = toMatrix(c.Y);
    const parameters = toParams(c.parameters);
    const arch = { activation: c.activation, output: c.output };
    const [AL, caches] = lModelForward(X, parameters, arch);
    const grads = lModelBackward(AL, Y, caches, { ...arch, lambd: c.lambd });
    const check = gradientCheckN(parameters, grads, X, Y, { ...arch, lambd: c.lambd });
    expect(check.difference).toBeLessThan(1e-7);
    expect(check.passed).toBe(true);
    expectNumberClose(check.cost, c.cost, TOL.array, 'gradient check cost');
  });

  test('a wrong activation in the backward pass is caught by the gradient check', () => {
    const c = (oracle.cases as OracleCase[]).find((x) => x.activation === 'tanh' && x.output === 'softmax' && x.lambd === 0) as OracleCase;
    const X = toMatrix(c.X);
    const Y = toMatrix(c.Y);
    const parameters = toParams(c.parameters);
    const [AL, caches] = lModelForward(X, parameters, { activation: 'tanh', output: 'softmax' });
    const wrong = lModelBackward(AL, Y, caches, { activation: 'relu', output: 'softmax' });
    const check = gradientCheckN(parameters, wrong, X, Y, { activation: 'tanh', output: 'softmax' });
    expect(check.passed).toBe(false);
    expect(check.breakdown.find((p) => p.key === 'W1')?.passed).toBe(false);
  });
});

describe('dropout on activations other than relu', () => {
  // Model keeps each such layer's output before dropout apart from the
  // dropped-out A (its derivative needs it); the notes' functions take it from
  // Z. With the same masks (dropoutSeed = the forward pass's seed) the two agree.
  test.each(['tanh', 'sigmoid', 'leakyRelu', 'relu'] as const)('%s: Model\'s training step equals lModelBackward with the same masks', (activation) => {
    const c = (oracle.cases as OracleCase[]).find((x) => x.output === 'softmax' && x.lambd === 0) as OracleCase;
    const X = toMatrix(c.X);
    const Y = toMatrix(c.Y);
    const parameters = toParams(c.parameters);
    const arch = { activation, output: 'softmax' as const };
    const [AL, caches] = lModelForward(X, parameters, { ...arch, keepProb: 0.7, seed: 5 });
    const grads = lModelBackward(AL, Y, caches, { ...arch, keepProb: 0.7 });
    const model = new Model({ layers: c.layers_dims, ...arch, keepProb: 0.7, dropoutSeed: 5 });
    model.setParameters(parameters);
    model.fitSync(X, Y, { learningRate: 1, iterations: 1 });
    const after = model.getParameters();
    for (const k of Object.keys(parameters)) {
      const g: Matrix = { shape: parameters[k].shape, data: parameters[k].data.map((w, i) => w - after[k].data[i]) };
      expectClose(g, grads[`d${k}`], TOL.array, `d${k}`);
    }
  });
});

describe('per-layer activations and the architecture in model files', () => {
  test('one activation per hidden layer, saved and loaded with the head', () => {
    const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'deepnet-heads-'));
    const model = new Model({ layers: [3, 6, 5, 4, 2], activation: ['tanh', 'leakyRelu', 'sigmoid'], output: 'linear', seed: 7 });
    const file = path.join(dir, 'm.safetensors');
    model.save(file);
    const loaded = Model.load(file);
    expect([loaded.output, [...loaded.activation]]).toEqual(['linear', ['tanh', 'leakyRelu', 'sigmoid']]);
    expect(loaded.summary()).toContain('tanh');
    const X = toMatrix({ shape: [3, 2], data: [[1, 2], [3, 4], [5, 6]] });
    expect(Array.from(loaded.predict(X).data)).toEqual(Array.from(model.predict(X).data));
    fs.rmSync(dir, { recursive: true, force: true });
    expect(() => new Model({ layers: [3, 6, 5, 1], activation: ['tanh'] })).toThrow(/activation must list one activation per hidden layer \(2 for layers \[3,6,5,1\]\); received 1/);
    expect(() => new Model({ layers: [3, 1], activation: 'swish' as never })).toThrow(/Model: activation must be one of 'relu', 'tanh', 'sigmoid', 'leakyRelu'/);
    expect(() => new Model({ layers: [3, 1], output: 'softplus' as never })).toThrow(/Model: output must be one of 'sigmoid', 'softmax', 'linear'/);
  });

  test('no hidden layer: logistic, softmax and linear regression', () => {
    const X = toMatrix({ shape: [1, 40], data: [Array.from({ length: 40 }, (_, i) => i / 10)] });
    const Y = toMatrix({ shape: [1, 40], data: [Array.from({ length: 40 }, (_, i) => 3 * (i / 10) - 2)] });
    const linear = new Model({ layers: [1, 1], output: 'linear', init: 'zeros' });
    linear.fitSync(X, Y, { learningRate: 0.1, iterations: 3000 });
    const p = linear.getParameters();
    expect(p.W1.data[0]).toBeCloseTo(3, 6);
    expect(p.b1.data[0]).toBeCloseTo(-2, 6);
    const e = linear.evaluate(X, Y);
    expect(e.r2).toBeCloseTo(1, 10);
    expect(e.meanSquaredError).toBeLessThan(1e-10);
    expect(Number.isNaN(e.accuracy)).toBe(true);
  });
});
