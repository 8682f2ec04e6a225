// predict, predictProba and evaluate read chunks of X's columns in place
// where the first layer's product takes the same path on X's rows as on a
// copy's (m = 20003), and copy them otherwise (m = 16384: rows in one L1
// set take the 16-unit layer off the thin path) or when X holds rows: every
// way gives the same bits.
import { Matrix, Model, RandomState, toRows } from '../lib';

const layers = [30, 16, 8, 1];
const X = new RandomState(0).rand(30, 20003);

/** The first `m` columns of X. */
function columns(m: number): Matrix {
  const data = new Float64Array(30 * m);
  for (let r = 0; r < 30; r++) data.set(X.data.subarray(r * 20003, r * 20003 + m), r * m);
  return { shape: [30, m], data };
}
const labels = (A: Matrix): Matrix => ({ shape: A.shape, data: A.data.map((v) => (v > 0.5 ? 1 : 0)) });

test.each(['sigmoid', 'linear'] as const)('%s: in place, copied and from rows, the same predictions and evaluation, bit for bit', (output) => {
  const model = new Model({ layers, output, init: 'he', seed: 3 });
  const inPlace = model.predictProba(X);
  const copied = model.predictProba(columns(16384));
  expect(Array.from(inPlace.data.subarray(0, 16384))).toEqual(Array.from(copied.data));
  expect(Array.from(model.predictProba(toRows(X), { layout: 'rows' }).data)).toEqual(Array.from(inPlace.data));

  const Y = labels({ shape: [1, 20003], data: X.data.slice(0, 20003) });
  expect(model.evaluate(X, Y)).toEqual(model.evaluate(toRows(X), toRows(Y), { layout: 'rows' }));
  // A network's outputs are not all alike (a constant would match anywhere).
  expect(new Set(inPlace.data).size).toBeGreaterThan(1000);
});
