// Shutdown does not wait for training (issue 15, finding 4): process.exit()
// during `await model.fit()`, and worker.terminate() while the worker is in
// fitSync, cancel the fit at its next iteration instead of running it to the
// end. Iterations are counted where the process survives to count them; the
// one bound that must be wall-clock (how long process.exit() takes) is a
// generous limit, far below what the uncancelled fit would take.
import { spawn } from 'child_process';
import * as path from 'path';
import { Worker } from 'worker_threads';

const dist = JSON.stringify(path.resolve(__dirname, '..', 'dist'));
// A mid-size net: 0.1-1 s per full-batch iteration on this 2-core machine, as busy as it is
// (long beside the few milliseconds by which progress reports trail the training thread).
const setup = `
  const deepnet = require(${dist});
  const rng = new deepnet.RandomState(1);
  const m = 8000;
  const X = rng.randn(500, m);
  const Y = { shape: [1, m], data: new Float64Array(m).map((_, i) => i % 2) };
  const model = new deepnet.Model({ layers: [500, 400, 400, 1] });`;

/** Runs `script` in a child process, killed if it is still running after `limitMs`. */
function run(script: string, limitMs = 100000): Promise<{ code: number | null; lines: string[]; exitedAt: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, lines: out.trim().split('\n'), exitedAt: Date.now() });
    });
  });
}

test('the exit event cancels a running fit() at its next iteration (counted)', async () => {
  // process.exit() emits 'exit' and then waits for libuv's threads: emitting the event alone shows,
  // by the iterations the fit completes, how soon the listener stops the native loop.
  const { code, lines } = await run(`${setup}
    let at = -1;
    model.fit(X, Y, { iterations: 300, logEvery: 1, onProgress: (p) => {
      if (p.epoch === 2) { at = p.epoch + 1; process.emit('exit', 0); }
    } }).then(() => console.log(JSON.stringify({ finished: true })),
      (err) => console.log(JSON.stringify({ name: err.name, at, completed: err.history.iterations, message: err.message })));`);
  expect(code).toBe(0);
  const r = JSON.parse(lines[lines.length - 1]);
  expect(r.name).toBe('AbortError');
  expect(r.message).toMatch(/^Model\.fit: aborted after \d+ iterations/);
  // 3 iterations were done when the event fired; the one in flight may finish, and (progress
  // arrives a little behind the worker thread) at most one more.
  expect(r.completed - r.at).toBeGreaterThanOrEqual(0);
  expect(r.completed - r.at).toBeLessThanOrEqual(2);
});

test('process.exit() during await model.fit() returns within a generous bound, not after the whole fit', async () => {
  const { code, lines, exitedAt } = await run(`${setup}
    let last = Date.now(); const times = [];
    model.fit(X, Y, { iterations: 5000, logEvery: 1, onProgress: (p) => {
      const now = Date.now(); times.push(now - last); last = now;
      if (p.epoch === 4) {
        const perIteration = times.slice(1).reduce((a, b) => a + b, 0) / (times.length - 1);
        console.log(JSON.stringify({ perIteration, remaining: 5000 - 5, exitAt: Date.now() }));
        process.exit(7);
      }
    } });`);
  expect(code).toBe(7);
  const { perIteration, remaining, exitAt } = JSON.parse(lines[0]);
  const waited = exitedAt - exitAt;
  // Uncancelled, the exit would wait for ~5,000 iterations (minutes; the child is killed at 100 s);
  // 10 s is generous for one iteration plus process teardown, and the fit must really be that long
  // for this to mean anything.
  expect(perIteration * remaining).toBeGreaterThan(3 * 10000);
  expect(waited).toBeLessThan(10000);
}, 120000);

test('worker.terminate() while the worker is in fitSync stops it at its next iteration (counted)', async () => {
  // The raw addon's fitSync writes each iteration's cost into the caller's history arrays in
  // place; on shared memory the main thread sees how many iterations ran, before and after.
  const costs = new Float64Array(new SharedArrayBuffer(8 * 300)).fill(NaN);
  const worker = new Worker(`
    const { workerData } = require('worker_threads');
    ${setup}
    const { native } = require(${JSON.stringify(path.resolve(__dirname, '..', 'dist', 'native'))});
    const nm = new native.NativeModel({ dims: [500, 400, 400, 1], hidden: ['relu', 'relu'], output: 'sigmoid',
      dtype: 'float64', init: 'he', scale: 1, seed: 1, lambd: 0, keepProb: 1, dropoutSeed: -1 });
    const history = { costs: workerData, valCosts: new Float64Array(300), valAccuracies: new Float64Array(300),
      learningRates: new Float64Array(300) };
    nm.fitSync(X.data, Y.data, m, { learningRate: 0.01, epochs: 300, logEvery: 1000, optimizer: 'gd', beta: 0.9,
      beta1: 0.9, beta2: 0.999, epsilon: 1e-8, batchSize: 0, shuffle: false, shuffleSeed: -1, decay: 'none',
      decayRate: 1, decayInterval: 1, firstEpoch: 0, patience: 0, minDelta: 0, restoreBest: false,
      bestCost: 1e308, sinceBest: 0, xRows: false }, null, history, null);`, { eval: true, workerData: costs });
  let failed: Error | undefined;
  worker.on('error', (err) => { failed = err; });
  const done = () => costs.findIndex(Number.isNaN);
  while (done() < 3 && !failed) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(failed).toBeUndefined();
  const before = done();
  await worker.terminate();
  const after = done() === -1 ? costs.length : done();
  // The iteration in flight completes; the heartbeat that follows it finds the worker gone.
  expect(after - before).toBeGreaterThanOrEqual(0);
  expect(after - before).toBeLessThanOrEqual(2);
}, 120000);
