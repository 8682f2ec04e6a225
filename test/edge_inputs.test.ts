// Inputs at the edges (issue 15, finding 6): names every object inherits,
// a Matrix whose getters answer differently on each read, inputs so large a
// network's outputs overflow, training that diverges at its first step.
import * as deepnet from '../lib';
import { Matrix, Model } from '../lib';

const X = deepnet.matrix([[1, 2, 3, 4], [2, 3, 4, 5]]);
const Y = deepnet.matrix([[0, 1, 0, 1]]);
const P = deepnet.initializeParametersDeep([2, 3, 1]);

describe("names every object inherits ('toString', '__proto__', ...) are refused like any unknown name", () => {
  const names = ['toString', '__proto__', 'constructor', 'hasOwnProperty', 'valueOf'];
  const calls: [string, (n: string) => unknown][] = [
    ['Model init', (n) => new Model({ layers: [2, 1], init: n as never })],
    ['Model output', (n) => new Model({ layers: [2, 1], output: n as never })],
    ['Model activation', (n) => new Model({ layers: [2, 3, 1], activation: n as never })],
    ['Model dtype', (n) => new Model({ layers: [2, 1], dtype: n as never })],
    ['fit optimizer', (n) => new Model({ layers: [2, 1] }).fitSync(X, Y, { optimizer: n as never })],
    ['predict layout', (n) => new Model({ layers: [2, 1] }).predict(X, { layout: n as never })],
    ['linearActivationForward', (n) => deepnet.linearActivationForward(X, P.W1, P.b1, n as never)],
    ['matrix dtype', (n) => deepnet.matrix([[1]], n as never)],
    ['zeros dtype', (n) => deepnet.zeros(1, 1, n as never)],
    ['asDType', (n) => deepnet.asDType(X, n as never)],
    ['initializeParametersDeep dtype', (n) => deepnet.initializeParametersDeep([2, 1], { dtype: n as never })],
  ];
  test.each(calls)('%s', (_name, call) => {
    for (const n of names) {
      // The message names what was received; never "undefined" from an inherited lookup.
      expect(() => call(n)).toThrow(`received the string ${JSON.stringify(n)}`);
    }
  });
  test('as option keys', () => {
    for (const n of names) {
      const opts = JSON.parse(`{"layers": [2, 1], ${JSON.stringify(n)}: 1}`);
      expect(() => new Model(opts)).toThrow(`Model: unknown option '${n}'`);
    }
  });
});

test('a Matrix whose data getter returns another array on each read: what was checked is what is used', () => {
  const good = new Float64Array([1, 2, 3, 4, 2, 3, 4, 5]);
  const tricky = (): Matrix => {
    let reads = 0;
    return { shape: [2, 4], get data() { return reads++ === 0 ? good : new Float64Array(8).fill(NaN); } } as Matrix;
  };
  const [AL] = deepnet.lModelForward(tricky(), P);
  expect(Array.from(AL.data)).toEqual(Array.from(deepnet.lModelForward(X, P)[0].data));
  const history = new Model({ layers: [2, 3, 1] }).fitSync(tricky(), Y, { iterations: 5 });
  expect(Array.from(history.costs)).toEqual(Array.from(new Model({ layers: [2, 3, 1] }).fitSync(X, Y, { iterations: 5 }).costs));
});

test('evaluate on inputs whose outputs overflow: a RangeError, not Infinity', () => {
  const huge = deepnet.matrix([[1e308, -1e308, 1e308, 5], [1, 2, 3, 4]]);
  const model = new Model({ layers: [2, 3, 1], output: 'linear' });
  expect(() => model.evaluate(huge, Y)).toThrow(
    "Model.evaluate: the cost is Infinity: the network's outputs overflow for X, whose largest magnitude is 1e+308; scale the inputs");
  expect(Number.isFinite(model.evaluate(X, Y).cost)).toBe(true);
});

test('training that diverges at its first step names iteration 0 (never -1) and keeps the initial parameters', () => {
  const huge = deepnet.matrix([[1e308, -1e308, 1e308, 5], [1, 2, 3, 4]]);
  for (const opts of [{ iterations: 5, learningRate: 1e300 }, { epochs: 3, batchSize: 2, learningRate: 1e300 }]) {
    const model = new Model({ layers: [2, 3, 1] });
    const before = model.getParameters();
    let error: (Error & { iteration?: number }) | undefined;
    try {
      model.fitSync(huge, Y, opts);
    } catch (err) {
      error = err as Error;
    }
    expect(error?.name).toBe('TrainingDivergedError');
    expect(error?.message).toMatch(/training diverged at (iteration 0|epoch 0 \(step \d+ of this fit\))/);
    expect(error?.message).not.toMatch(/-1/);
    expect(error?.iteration).toBe(0);
    if (opts.iterations) expect(model.getParameters().W1.data).toEqual(before.W1.data);
  }
});
