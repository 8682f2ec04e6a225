// Run by hostileFiles.ts's measure(): node measure_child.js DIST CODE runs CODE
// (with `deepnet`, `datasets` (deepnet/datasets) and `require` in scope) and prints { error, peakMiB, ms }. The peak is the
// kernel's high-water mark (VmHWM), reset to the current size just before the
// call (clear_refs '5'), so the process's earlier peaks (loading deepnet) do
// not hide the call's.
'use strict';
const fs = require('fs');
const path = require('path');

const [dist, code] = process.argv.slice(2);
const deepnet = require(dist);
const datasets = require(path.join(dist, 'datasets'));
const kib = (field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]);
fs.writeFileSync('/proc/self/clear_refs', '5');
const before = kib('VmRSS');
const t = process.hrtime.bigint();
let error = null;
try {
  new Function('deepnet', 'datasets', 'require', code)(deepnet, datasets, require);
} catch (err) {
  error = err instanceof Error ? err.message : `non-Error: ${String(err)}`;
}
const ms = Number(process.hrtime.bigint() - t) / 1e6;
console.log(JSON.stringify({ error, peakMiB: (kib('VmHWM') - before) / 1024, ms }));
