// The deepnet side of bench/csv.js: loads FILE with loadCsv and prints the
// load call's time (the process's peak memory is read by /usr/bin/time -v).
//   node bench/csv_load.js FILE float64|float32|baseline
const { loadCsv } = require('../dist');

const [file, dtype] = process.argv.slice(2);
const t = process.hrtime.bigint();
const ds = dtype === 'baseline' ? null : loadCsv(file, { dtype });
const ms = Number(process.hrtime.bigint() - t) / 1e6;
console.log(JSON.stringify({ ms, shape: ds ? ds.X.shape : [0, 0] }));
