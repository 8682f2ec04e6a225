// Data-parallel training over MPI with real mpirun jobs of 1, 2 and 4
// processes (oversubscribed on two cores), against the same training in one
// process without MPI: full-batch gradient descent on the golden data and the
// Optimization notebook's Adam run, replicated and sharded data, a dead
// process, and a checkpoint resumed on another number of processes.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Model } from '../../lib';
import { maxError } from '../helpers/golden';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { cases } = require('./cases');
const root = path.resolve(__dirname, '..', '..');
const script = path.join(__dirname, 'train.js');

interface Out { size: number; costs: number[]; steps: number; parameters: Record<string, number[]>; accuracy: number }

function mpirun(np: number, spec: object): Out {
  const out = execFileSync('mpirun', ['--allow-run-as-root', '--oversubscribe', '-np', String(np), process.execPath, script,
    JSON.stringify(spec)], { cwd: root, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop() as string);
}

/** The same case trained in this process, without MPI. */
function single(name: string): Out {
  const c = cases[name];
  const { X, Y } = c.data(null);
  const model = new Model(c.model);
  const history = model.fitSync(X, Y, c.fit);
  const p = model.getParameters();
  return { size: 1, costs: Array.from(history.costs), steps: history.steps, accuracy: model.evaluate(X, Y).accuracy,
    parameters: Object.fromEntries(Object.entries(p).map(([k, v]) => [k, Array.from(v.data)])) };
}

function largest(a: Out, b: Out): number {
  let worst = 0;
  const rel = (x: number[], y: number[]) => { const { err, scale } = maxError(x, y); return err / scale; };
  worst = Math.max(worst, rel(a.costs, b.costs));
  for (const k of Object.keys(b.parameters)) worst = Math.max(worst, rel(a.parameters[k], b.parameters[k]));
  return worst;
}

describe.each([
  ['full-batch gradient descent (golden L_layer_model data, L2)', 'full', false, 1e-12],
  ['full batch, every process passing its own shard', 'full', true, 1e-12],
  ['mini-batch Adam (the notebook\'s moons run)', 'adam', false, 1e-10],
])('%s', (_title, name, sharded, tolerance) => {
  const reference = single(name);
  test.each([1, 2, 4])('%i processes end where one process without MPI does', (np) => {
    const out = mpirun(np, { case: name, sharded });
    expect(out.size).toBe(np);
    expect(out.steps).toBe(reference.steps);
    // Only the order of the sums differs (the allreduce adds the processes' sums).
    expect(largest(out, reference)).toBeLessThanOrEqual(np === 1 ? 0 : tolerance);
    expect(out.accuracy).toBe(reference.accuracy);
  });
});

test('sharded mini-batches train (each process on its own 1/size of the data) and the processes stay identical', () => {
  const out = mpirun(2, { case: 'shardedAdam', sharded: true });
  expect(out.accuracy).toBeGreaterThan(0.85);
  expect(out.costs[out.costs.length - 1]).toBeLessThan(out.costs[0]);
});

test('a process that dies mid-fit ends the job with an error naming it, within seconds', () => {
  const start = Date.now();
  const r = spawnSync('mpirun', ['--allow-run-as-root', '--oversubscribe', '-np', '2', process.execPath, script,
    JSON.stringify({ case: 'long', fail: { rank: 1, afterMs: 1500 } })], { cwd: root, encoding: 'utf8' });
  const seconds = (Date.now() - start) / 1000;
  expect(r.status).not.toBe(0);
  expect(r.stderr).toMatch(/process rank 1 .* exited on signal 9/);
  expect(r.stdout).toBe('');  // rank 0 never finished the fit it was in
  expect(seconds).toBeLessThan(60);  // the full run takes minutes: the job was aborted, not waited for
});

test('a checkpoint of a 2-process run resumes in one process without MPI, and on 4 processes', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deepnet-mpi-'));
  const file = path.join(dir, 'ckpt.safetensors');
  try {
    execFileSync('mpirun', ['--allow-run-as-root', '--oversubscribe', '-np', '2', process.execPath, '-e', `
      const d = require(${JSON.stringify(path.join(root, 'dist'))}); const { cases } = require(${JSON.stringify(path.join(__dirname, 'cases'))});
      const c = cases.adam; const { X, Y } = c.data(null); const m = new d.Model(c.model);
      m.fitSync(X, Y, { ...c.fit, epochs: 100, distributed: true, checkpoint: { path: ${JSON.stringify(file)}, every: 100 } });`],
    { cwd: root });
    const c = cases.adam;
    const { X, Y } = c.data(null);
    const resumed = Model.load(file);
    expect(resumed.epochsTrained).toBe(100);
    resumed.fitSync(X, Y, { ...c.fit, epochs: 100 });
    const whole = single('adam');
    const p = resumed.getParameters();
    for (const k of Object.keys(p)) {
      const { err, scale } = maxError(Array.from(p[k].data), whole.parameters[k]);
      expect(err / scale).toBeLessThanOrEqual(1e-10);
    }
    const four = execFileSync('mpirun', ['--allow-run-as-root', '--oversubscribe', '-np', '4', process.execPath, '-e', `
      const d = require(${JSON.stringify(path.join(root, 'dist'))}); const { cases } = require(${JSON.stringify(path.join(__dirname, 'cases'))});
      const c = cases.adam; const { X, Y } = c.data(null); const m = d.Model.load(${JSON.stringify(file)});
      m.fitSync(X, Y, { ...c.fit, epochs: 100, distributed: true });
      if (require(${JSON.stringify(path.join(root, 'dist'))}).mpiWorld().rank === 0) console.log(JSON.stringify(Array.from(m.getParameters().W1.data)));`],
    { cwd: root, encoding: 'utf8' });
    const { err, scale } = maxError(JSON.parse(four.trim()), whole.parameters.W1);
    expect(err / scale).toBeLessThanOrEqual(1e-10);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
