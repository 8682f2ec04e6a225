// The runs distributed.mpi.ts compares between 1, 2 and 4 processes and a
// single process without MPI: the golden L_layer_model data with full-batch
// gradient descent, and the Optimization notebook's moons with Adam.
'use strict';
const path = require('path');
const deepnet = require(path.resolve(__dirname, '..', '..', 'dist'));

const shared = process.env.DEEPNET_SHARED ?? path.resolve(__dirname, '..', '..', '..', 'shared');
const golden = (name) => require(path.join(shared, 'golden', `${name}.json`));

/** Columns of (rows, m) data for process `rank` of `size` (contiguous blocks), or all of it. */
function shard(M, world) {
  if (!world) return M;
  const [rows, m] = M.shape;
  const lo = Math.floor((m * world.rank) / world.size);
  const hi = Math.floor((m * (world.rank + 1)) / world.size);
  const data = new Float64Array(rows * (hi - lo));
  for (let r = 0; r < rows; r++) data.set(M.data.subarray(r * m + lo, r * m + hi), r * (hi - lo));
  return { shape: [rows, hi - lo], data };
}

const train = () => golden('train').runs.find((r) => r.name === 'L_layer_model');
const moons = () => golden('optimization').moons;

const cases = {
  full: {
    model: { layers: [5, 8, 4, 1], seed: 3, l2: 0.1 },
    fit: { learningRate: 0.1, iterations: 400 },
    data: (world) => ({ X: shard(deepnet.matrix(train().X.data), world), Y: shard(deepnet.matrix(train().Y.data), world) }),
  },
  adam: {
    model: { layers: [2, 5, 2, 1], init: 'he', seed: 3 },
    fit: { optimizer: 'adam', learningRate: 0.0007, batchSize: 64, epochs: 200, shuffleSeed: 10 },
    data: (world) => ({ X: shard(deepnet.matrix(moons().X.data), world), Y: shard(deepnet.matrix(moons().Y.data), world) }),
  },
  // Long enough to kill a process in the middle of it.
  long: {
    model: { layers: [2, 64, 64, 1], init: 'he', seed: 3 },
    fit: { optimizer: 'adam', learningRate: 0.001, batchSize: 16, epochs: 20000, shuffleSeed: 1 },
    data: (world) => ({ X: shard(deepnet.matrix(moons().X.data), world), Y: shard(deepnet.matrix(moons().Y.data), world) }),
  },
  // Sharded mini-batches: 300 examples in shards of 150 (2 processes) or 75 (4); batches of 60 split between them.
  shardedAdam: {
    model: { layers: [2, 5, 2, 1], init: 'he', seed: 3 },
    fit: { optimizer: 'adam', learningRate: 0.005, batchSize: 60, epochs: 50, shuffle: false },
    data: (world) => ({ X: shard(deepnet.matrix(moons().X.data), world), Y: shard(deepnet.matrix(moons().Y.data), world) }),
  },
};

module.exports = { cases };
