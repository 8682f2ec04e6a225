// What `distributed` training says without an MPI job to join (the real MPI
// runs are in test/mpi, run by `npm run test:mpi`): a clear error naming
// what is missing when there is no MPI library, and its options checked.
import { execFileSync } from 'child_process';
import * as path from 'path';
import { matrix, Model } from '../lib';

const root = path.resolve(__dirname, '..');

test('without an MPI library, distributed training says what is missing and how to get it', () => {
  const out = execFileSync(process.execPath, ['-e', `
    const d = require('./dist');
    const m = new d.Model({ layers: [2, 3, 1] });
    try { m.fitSync(d.matrix([[0, 1], [1, 0]]), d.matrix([[0, 1]]), { iterations: 2, distributed: true }); console.log('trained'); }
    catch (e) { console.log(JSON.stringify({ message: e.message, info: d.backendInfo().mpi })); }`],
  { cwd: root, env: { ...process.env, DEEPNET_MPI: '/nonexistent/libmpi.so' }, encoding: 'utf8' });
  const r = JSON.parse(out);
  expect(r.message).toMatch(/^Model.fitSync: distributed training needs MPI: no MPI library found \(tried \/nonexistent\/libmpi.so\): install Open MPI/);
  expect(r.info).toMatch(/no MPI library found/);
});

test('distributed options are checked before MPI starts', () => {
  const model = new Model({ layers: [2, 3, 1], keepProb: 0.8 });
  const X = matrix([[0, 1], [1, 0]]);
  const Y = matrix([[0, 1]]);
  expect(() => model.fitSync(X, Y, { distributed: true })).toThrow(/Model.fitSync: distributed training does not support dropout yet \(keepProb 0.8\)/);
  const plain = new Model({ layers: [2, 3, 1] });
  expect(() => plain.fitSync(X, Y, { distributed: { sharded: 'yes' as never } })).toThrow(/distributed.sharded must be a boolean/);
  expect(() => plain.fitSync(X, Y, { distributed: { ranks: 2 } as never })).toThrow(/unknown option 'ranks'/);
});
