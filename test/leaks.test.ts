// Leaks: resident memory stays flat over many fits, and garbage-collected
// models give their native memory back.
import { execFileSync } from 'child_process';
import * as path from 'path';

const script = path.join(__dirname, 'workers', 'leak.js');
const run = (mode: string): number[] => JSON.parse(execFileSync(process.execPath, ['--expose-gc', script, mode], { encoding: 'utf8' }));
const MB = 2 ** 20;

test('160 models created, fitted (sync and async, with and without dropout) and dropped: RSS stays flat', () => {
  const samples = run('churn');
  expect(samples).toHaveLength(8);
  // After the first rounds warm the allocators up, the rest may not grow by more than noise.
  const growth = Math.max(...samples.slice(2)) - samples[1];
  expect(growth).toBeLessThan(24 * MB);
});

test('models dropped in a synchronous loop free their memory once collected, without the event loop turning', () => {
  // Node-API runs finalizers on a later turn of the event loop; deepnet frees a collected
  // model's memory itself, at its next allocation (a model, a memory check).
  const [before, held, after] = run('sync');
  expect(held - before).toBeGreaterThan(1000 * MB);  // 20 x 72 MB resident...
  expect(after - before).toBeLessThan(100 * MB);     // ...and after gc() and one more model, gone
});

test('a garbage-collected model frees its native memory', () => {
  const [before, held, after] = run('gc');
  expect(held - before).toBeGreaterThan(100 * MB);  // the models' parameters were resident...
  expect(after - before).toBeLessThan(16 * MB);      // ...and are gone once the models are collected
});
