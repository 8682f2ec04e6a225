// Data-parallel training on this machine: ms per step and the allreduce's
// share, with 1 and 2 MPI processes (shared-memory transport, one thread
// each). The W2 network [784, 256, 128, 1] (235k parameters) on random data,
// float32, Adam, batches of 1024 (each process computes its 1/size).
//   node bench/distributed.js            (needs mpirun: apt-get install openmpi-bin)
'use strict';
const { execFileSync } = require('child_process');
const path = require('path');

const root = path.resolve(__dirname, '..');
const epochs = 3;
const m = 8192;
const batch = 1024;

if (process.argv[2] === '--child') {
  const d = require('..');
  const rng = new d.RandomState(0);
  const X = d.asDType(rng.rand(784, m), 'float32');
  const Y = d.asDType({ shape: [1, m], data: rng.rand(1, m).data.map((u) => (u < 0.5 ? 1 : 0)) }, 'float32');
  const world = require('..').mpiWorld();
  const model = new d.Model({ layers: [784, 256, 128, 1], init: 'he', dtype: 'float32' });
  const opts = { optimizer: 'adam', learningRate: 0.001, batchSize: batch, shuffleSeed: 1, distributed: true };
  model.fitSync(X, Y, { ...opts, epochs: 1 });  // warm-up
  const t = process.hrtime.bigint();
  const h = model.fitSync(X, Y, { ...opts, epochs });
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  if (world.rank === 0) console.log(JSON.stringify({ size: world.size, steps: h.steps, seconds, communication: h.communicationSeconds }));
  process.exit(0);
}

const rows = [];
for (let round = 0; round < 3; round++) {
  for (const np of [1, 2]) {
    const out = execFileSync('mpirun', ['--allow-run-as-root', '--oversubscribe', '-np', String(np), '-x', 'DEEPNET_NUM_THREADS=1',
      process.execPath, __filename, '--child'], { cwd: root, encoding: 'utf8' });
    rows.push(JSON.parse(out.trim().split('\n').pop()));
  }
}
console.log('| processes | ms per step (median of 3 runs) | of which allreduce | allreduce share |');
console.log('|---|---|---|---|');
for (const np of [1, 2]) {
  const runs = rows.filter((r) => r.size === np).sort((a, b) => a.seconds - b.seconds);
  const r = runs[Math.floor(runs.length / 2)];
  const ms = (1000 * r.seconds) / r.steps;
  const comm = (1000 * r.communication) / r.steps;
  console.log(`| ${np} | ${ms.toFixed(2)} | ${comm.toFixed(2)} | ${((100 * comm) / ms).toFixed(0)}% |`);
}
