// Concurrency: fits running at once, the event loop during a long fit, and
// the addon in several worker threads (loaded, training, terminated mid-fit).
import * as path from 'path';
import { Worker } from 'worker_threads';
import { Model, RandomState, Matrix } from '../lib';
import { loadGolden, toMatrix } from './helpers/golden';

const r = loadGolden('train').runs.find((x: { name: string }) => x.name === 'reg_model_plain');
const X = toMatrix(r.X);
const Y = toMatrix(r.Y);
const WORKER = path.join(__dirname, 'workers', 'train.js');

const params = (m: Model) => Object.fromEntries(Object.entries(m.getParameters()).map(([k, v]) => [k, Array.from(v.data)]));

test('several models fitting at once end exactly where fitSync ends', async () => {
  const settings = [{ seed: 3 }, { seed: 4, l2: 0.5 }, { seed: 5, keepProb: 0.8 }, { seed: 6, init: 'he' as const }];
  const concurrent = settings.map((s) => new Model({ layers: [2, 20, 3, 1], ...s }));
  await Promise.all(concurrent.map((m) => m.fit(X, Y, { learningRate: 0.3, iterations: 2000 })));
  settings.forEach((s, i) => {
    const reference = new Model({ layers: [2, 20, 3, 1], ...s });
    reference.fitSync(X, Y, { learningRate: 0.3, iterations: 2000 });
    expect(params(concurrent[i])).toEqual(params(reference));
  });
});

test('the event loop keeps serving a 10 ms timer during a W2-sized fit', async () => {
  const m = 8192;
  const rng = new RandomState(1);
  const Xw: Matrix = { shape: [784, m], data: Float32Array.from(rng.rand(784, m).data) };
  const Yw: Matrix = { shape: [1, m], data: Float32Array.from(rng.rand(1, m).data, (u) => (u < 0.5 ? 1 : 0)) };
  const model = new Model({ layers: [784, 256, 128, 1], dtype: 'float32', init: 'he' });
  // The order of events, not their timing (the machine may be busy): a fit
  // that blocked the loop would deliver its progress reports in one burst at
  // the end, with no timer tick between the first and the last.
  const events: string[] = [];
  const timer = setInterval(() => events.push('tick'), 10);
  try {
    await model.fit(Xw, Yw, { learningRate: 0.01, iterations: 15, logEvery: 1, onProgress: () => { events.push('progress'); } });
  } finally {
    clearInterval(timer);
  }
  const first = events.indexOf('progress'), last = events.lastIndexOf('progress');
  expect(events.filter((e) => e === 'progress')).toHaveLength(15);
  expect(events.slice(first, last).filter((e) => e === 'tick').length).toBeGreaterThan(0);
});

function runWorker(data: object): Promise<{ params: Record<string, number[]>; threadId: number }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER, { workerData: data });
    w.once('message', resolve);
    w.once('error', reject);
  });
}

test('the addon loads and trains in several worker threads at once', async () => {
  const jobs = [3, 4, 5].map((seed) => runWorker({ X: Array.from(X.data), Y: Array.from(Y.data), shape: X.shape, seed, iterations: 1500 }));
  const results = await Promise.all(jobs);
  expect(new Set(results.map((x) => x.threadId)).size).toBe(3);
  results.forEach((result, i) => {
    const reference = new Model({ layers: [2, 20, 3, 1], seed: 3 + i });
    reference.fitSync(X, Y, { learningRate: 0.3, iterations: 1500 });
    expect(result.params).toEqual(params(reference));
  });
});

test('terminating workers in the middle of fits neither crashes nor leaks', async () => {
  const rss = () => process.memoryUsage().rss;
  let baseline = 0;
  for (let i = 0; i < 12; i++) {
    const w = new Worker(WORKER, { workerData: { big: true, seed: i, iterations: 1_000_000, progress: i % 2 === 0 } });
    await new Promise((resolve) => w.once('message', resolve));  // the fit has started
    await new Promise((resolve) => setTimeout(resolve, 30 + 20 * (i % 4)));
    // A fit of a million iterations: terminate() returns only because the fit
    // notices the shutdown at its next iteration (counted in shutdown.test.ts).
    await w.terminate();
    if (i === 3) baseline = rss();
  }
  expect(rss() - baseline).toBeLessThan(64 * 2 ** 20);
});
