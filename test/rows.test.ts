// Rows in, rows out: Model with { layout: 'rows' } (X (m, features), as
// scikit-learn holds it) trains, predicts and evaluates exactly as with the
// same examples as columns, full batch and mini-batches alike, and an async
// fit (whose copy of X is made as rows when it shuffles) gives fitSync's bits.
import { asDType, fromRows, Matrix, Model, RandomState, toRows } from '../lib';
import { expectBitExact, loadGolden, toMatrix } from './helpers/golden';

const golden = loadGolden('optimization');
const X = toMatrix(golden.moons.X);   // (2, 300)
const Y = toMatrix(golden.moons.Y);   // (1, 300)
const Xr = toRows(X);                 // (300, 2)
const Yr = toRows(Y);                 // (300, 1)

const same = (a: Model, b: Model) => {
  const [p, q] = [a.getParameters(), b.getParameters()];
  for (const k of Object.keys(p)) expectBitExact(q[k], p[k], k);
};

describe("layout: 'rows'", () => {
  test.each([
    ['full batch, gradient descent', { learningRate: 0.3, iterations: 30 }],
    ['mini-batches of 64, Adam, the course\'s shuffling', { optimizer: 'adam' as const, learningRate: 0.01, batchSize: 64, epochs: 20, shuffleSeed: 10 }],
    ['unshuffled batches of 50, momentum, validation split', { optimizer: 'momentum' as const, learningRate: 0.05, batchSize: 50, epochs: 10, shuffle: false, validationSplit: 0.2 }],
  ])('%s: the same bits as columns', (_name, opts) => {
    const cols = new Model({ layers: [2, 6, 3, 1], init: 'he' });
    const rows = new Model({ layers: [2, 6, 3, 1], init: 'he' });
    const hc = cols.fitSync(X, Y, opts);
    const hr = rows.fitSync(Xr, Yr, { ...opts, layout: 'rows' });
    expectBitExact(hr.costs, hc.costs, 'costs');
    if (hc.validationCosts) expectBitExact(hr.validationCosts as Float64Array, hc.validationCosts, 'validation costs');
    same(cols, rows);
    // Rows out: predictions (m, 1), probabilities (m, 1), and the same evaluation.
    expectBitExact(rows.predict(Xr, { layout: 'rows' }), toRows(cols.predict(X)), 'predictions');
    expect(rows.predictProba(Xr, { layout: 'rows' }).shape).toEqual([300, 1]);
    expect(rows.evaluate(Xr, Yr, { layout: 'rows' })).toEqual(cols.evaluate(X, Y));
  });

  test('softmax with class labels in a column, rows in and out', () => {
    const rng = new RandomState(5);
    const Xs = rng.randn(4, 120);
    const labels: Matrix = { shape: [1, 120], data: Float64Array.from(rng.rand(1, 120).data, (u) => Math.floor(u * 3)) };
    const cols = new Model({ layers: [4, 8, 3], output: 'softmax', init: 'he' });
    const rows = new Model({ layers: [4, 8, 3], output: 'softmax', init: 'he' });
    const opts = { optimizer: 'adam' as const, learningRate: 0.02, batchSize: 16, epochs: 15 };
    cols.fitSync(Xs, labels, opts);
    rows.fitSync(toRows(Xs), toRows(labels), { ...opts, layout: 'rows' });
    same(cols, rows);
    const p = rows.predict(toRows(Xs), { layout: 'rows' });
    expect(p.shape).toEqual([120, 1]);
    expectBitExact(p, toRows(cols.predict(Xs)), 'class predictions');
    expect(rows.predictProba(toRows(Xs), { layout: 'rows' }).shape).toEqual([120, 3]);
  });

  test('an async fit that shuffles gives fitSync\'s bits (its copy of X is made as rows)', async () => {
    const a = new Model({ layers: [2, 6, 3, 1], init: 'he', dtype: 'float32' });
    const b = new Model({ layers: [2, 6, 3, 1], init: 'he', dtype: 'float32' });
    const opts = { optimizer: 'adam' as const, learningRate: 0.01, batchSize: 32, epochs: 12, shuffleSeed: 3 };
    const [x32, y32] = [asDType(X, 'float32'), asDType(Y, 'float32')];
    const ha = a.fitSync(x32, y32, opts);
    const hb = await b.fit(x32, y32, opts);
    expectBitExact(hb.costs, ha.costs, 'costs');
    same(a, b);
  });

  test('a transposed X gets an error that says so', () => {
    const model = new Model({ layers: [2, 4, 1] });
    expect(() => model.fitSync(Xr, Y)).toThrow(/Model.fitSync: X.shape must be \(2, any\).*X looks like one example per row: pass \{ layout: 'rows' \}/);
    expect(() => model.fitSync(X, Y, { layout: 'rows' })).toThrow(/layout 'rows': one example per row, 2 features.*it looks like columns: drop layout 'rows'/);
    expect(() => model.predict(X, { layout: 'sideways' as never })).toThrow(/Model.predict: layout must be 'columns' or 'rows'/);
    expect(fromRows(toRows(X)).shape).toEqual([2, 300]);
  });
});
