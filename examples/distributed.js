// The notes' cat classifier trained data-parallel: every process holds the
// dataset, takes its share of the 209 images, and one allreduce per
// iteration adds up the gradients. Run it alone, then over MPI: the
// accuracy printed is the same.
//   node examples/distributed.js [path/to/datasets]
//   mpirun -np 2 node examples/distributed.js [path/to/datasets]
// (as root add --allow-run-as-root; on a laptop with fewer cores, --oversubscribe)
'use strict';
const path = require('path');
const { Model, mpiWorld } = require('..');
const { loadCatDataset } = require('../dist/datasets');

const dir = process.argv[2] ?? path.resolve(__dirname, '..', '..', 'shared', 'datasets');
const { train, test } = loadCatDataset(dir);
const underMpi = ['OMPI_COMM_WORLD_SIZE', 'PMI_SIZE', 'PMIX_RANK'].some((v) => process.env[v] !== undefined);
const world = underMpi ? mpiWorld() : { rank: 0, size: 1 };

const model = new Model({ layers: [12288, 20, 7, 5, 1], seed: 1 });
const start = Date.now();
const history = model.fitSync(train.X, train.Y, {
  learningRate: 0.0075, iterations: 2500, logEvery: 500,
  ...(underMpi ? { distributed: true } : {}),
  onProgress: ({ iteration, cost }) => console.log(`iteration ${iteration}: cost ${cost.toFixed(6)}`),
});
if (world.rank === 0) {
  const seconds = (Date.now() - start) / 1000;
  const comm = history.communicationSeconds === undefined ? '' : `, ${history.communicationSeconds.toFixed(2)} s of it in allreduces`;
  console.log(`${world.size} process${world.size > 1 ? 'es' : ''}: ${seconds.toFixed(1)} s${comm}`);
  console.log(`train accuracy ${model.evaluate(train.X, train.Y).accuracy.toFixed(6)}, test accuracy ${model.evaluate(test.X, test.Y).accuracy.toFixed(6)}`);
}
