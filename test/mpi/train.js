// One process of a data-parallel run (started by mpirun from distributed.mpi.ts):
// trains the golden data with `distributed` and prints, from rank 0, one JSON
// line with the costs, the final parameters' values and the accuracy.
//   mpirun -np N node test/mpi/train.js '{"case":"full"|"adam"|"sharded", ...}'
'use strict';
const path = require('path');
const deepnet = require(path.resolve(__dirname, '..', '..', 'dist'));
const { cases } = require('./cases');

const spec = JSON.parse(process.argv[2]);
const c = cases[spec.case];
const world = require(path.resolve(__dirname, '..', '..', 'dist')).mpiWorld();
const { X, Y } = c.data(spec.sharded ? world : null);
const model = new deepnet.Model(c.model);
if (spec.fail && world.rank === spec.fail.rank) {
  // A process that dies mid-fit (killed from outside: fitSync holds the event
  // loop); the others must not wait for it forever.
  require('child_process').spawn('sh', ['-c', `sleep ${spec.fail.afterMs / 1000}; kill -9 ${process.pid}`],
    { detached: true, stdio: 'ignore' }).unref();
}
const run = async () => {
  const opts = { ...c.fit, distributed: spec.sharded ? { sharded: true, checkEvery: 10 } : { checkEvery: 10 } };
  const history = spec.async ? await model.fit(X, Y, opts) : model.fitSync(X, Y, opts);
  if (world.rank === 0) {
    const p = model.getParameters();
    const full = c.data(null);
    console.log(JSON.stringify({
      size: world.size, costs: Array.from(history.costs), steps: history.steps,
      parameters: Object.fromEntries(Object.entries(p).map(([k, v]) => [k, Array.from(v.data)])),
      accuracy: model.evaluate(full.X, full.Y).accuracy,
    }));
  }
};
run().catch((err) => {
  console.error(`rank ${world.rank}: ${err.message}`);
  process.exit(3);
});
