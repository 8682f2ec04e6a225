// node bench/layout.js: the cost of converting rows to columns, on 100,000
// examples x 50 features in float64 (40 MB): toColumns (rows in) and toRows
// (columns out), cache-blocked, against a plain loop over the output, in
// interleaved repetitions; prints the median ms of each.
const { toColumns, toRows } = require('../dist');

const [m, n, reps] = [100000, 50, Number(process.argv[2] ?? 15)];
const rowsX = { shape: [m, n], data: Float64Array.from({ length: m * n }, (_, i) => i * 0.5) };
const colsX = toColumns(rowsX);

/** The plain transpose: one pass over the output, reading the input with a stride. */
function naive(M) {
  const [r, c] = M.shape;
  const out = new Float64Array(r * c);
  for (let j = 0; j < c; j++) for (let i = 0; i < r; i++) out[j * r + i] = M.data[i * c + j];
  return { shape: [c, r], data: out };
}

const runs = { 'toColumns (100000, 50) -> (50, 100000)': () => toColumns(rowsX), 'toRows (50, 100000) -> (100000, 50)': () => toRows(colsX),
  'plain loop, rows -> columns': () => naive(rowsX), 'plain loop, columns -> rows': () => naive(colsX) };
const times = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
for (let r = 0; r < reps; r++) {
  for (const [name, f] of Object.entries(runs)) {
    const t = process.hrtime.bigint();
    f();
    times[name].push(Number(process.hrtime.bigint() - t) / 1e6);
  }
}
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
for (const [name, t] of Object.entries(times)) console.log(`${name}: median ${median(t).toFixed(1)} ms over ${reps} (min ${Math.min(...t).toFixed(1)})`);
