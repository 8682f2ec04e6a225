// Mid-call attacks on the raw addon (issue 15, finding 2): every exported
// function and class method, called with arguments whose getters, toString,
// valueOf, callbacks or Proxy traps shrink resizable buffers to zero bytes and
// detach the others while the call runs. Run in a child process (with gc
// exposed, so detached memory is freed at once) so that a stray access shows
// as a signal here rather than killing jest. Under .ci/sanitize the child
// inherits the sanitized addon. Longer runs: node --expose-gc test/fuzz/hostile_run.js.
import { spawnSync } from 'child_process';
import * as path from 'path';

const ROUNDS = 40;
const SEEDS = [21, 22];

interface Tally {
  controlOk: number; controlError: number; ok: number; error: number; struck: number; kinds: string[]; messages: string[];
}

test.each(SEEDS)(`${ROUNDS} rounds of attacks on every export (seed %i): no crash, only Errors`, (seed) => {
  const runner = path.join(__dirname, 'fuzz', 'hostile_run.js');
  const child = spawnSync(process.execPath, ['--expose-gc', runner, '--rounds', String(ROUNDS), '--seed', String(seed)],
    { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  // A memory error is a signal (SIGSEGV: an unmapped page of a shrunk buffer) or ASan's exit code.
  expect({ signal: child.signal, status: child.status, stderr: child.stderr.slice(0, 2000) })
    .toEqual({ signal: null, status: 0, stderr: '' });
  const report = JSON.parse(child.stdout) as { exported: string[]; tally: Record<string, Tally> };
  // Every function, constructor and method the addon exports has a builder and was attacked.
  expect(Object.keys(report.tally).sort()).toEqual(report.exported);
  expect(report.exported.length).toBeGreaterThan(40);
  for (const [name, t] of Object.entries(report.tally)) {
    // The valid calls succeed, so the attacks reach the point where memory is used.
    expect(`${name}: ${t.controlOk} of ${ROUNDS} control calls ok`).toBe(`${name}: ${ROUNDS} of ${ROUNDS} control calls ok`);
    expect(t.ok + t.error).toBe(ROUNDS);
    // A getter, Proxy or callback in the arguments does run (the addon reads those values), and the
    // call still only returned or threw: the strike really happened mid-call.
    if (t.kinds.some((k) => k === 'getter' || k === 'callback')) expect(`${name} struck ${t.struck > 0}`).toBe(`${name} struck true`);
  }
  // Numbers and strings are never coerced: a toString/valueOf attack is refused by type.
  expect(report.tally.computeCost.messages.join('\n')).toMatch(/deepnet: form must be a string/);
  expect(report.tally.linearForward.messages.join('\n')).toMatch(/deepnet: [nkm] must be a number/);
  // A shrunk or detached buffer is refused by its length, not used.
  expect(Object.values(report.tally).flatMap((t) => t.messages).join('\n')).toMatch(/has 0 elements, expected \d+/);
});

describe('the attacks, one by one (in this process: a stray access would take jest down)', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { native } = require('../lib/native');
  // A resizable ArrayBuffer (Node 20; the compiler's lib predates its options).
  type Resizable = ArrayBuffer & { resize(bytes: number): void };
  const Resizable = ArrayBuffer as unknown as new (bytes: number, options: { maxByteLength: number }) => Resizable;
  const resizable = (n: number) => {
    const buffer = new Resizable(8 * n, { maxByteLength: 8 * n });
    return { buffer, array: new Float64Array(buffer, 0, n).fill(0.5) };
  };
  const settings = {
    learningRate: 0.1, epochs: 5, logEvery: 1, optimizer: 'gd', beta: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-8,
    batchSize: 0, shuffle: false, shuffleSeed: -1, decay: 'none', decayRate: 1, decayInterval: 1, firstEpoch: 0,
    patience: 0, minDelta: 0, restoreBest: false, bestCost: 1e308, sinceBest: 0, xRows: false,
  };
  const history = () => ({ costs: new Float64Array(5), valCosts: new Float64Array(5), valAccuracies: new Float64Array(5),
    learningRates: new Float64Array(5) });
  const model = () => new native.NativeModel({ dims: [3, 4, 1], hidden: ['relu'], output: 'sigmoid', dtype: 'float64',
    init: 'he', scale: 1, seed: 1, lambd: 0, keepProb: 1, dropoutSeed: -1 });

  test('a progress callback that shrinks X (a resizable buffer) stops fitSync with an error', () => {
    const X = resizable(3 * 8);
    const Y = new Float64Array(8).map((_, i) => i % 2);
    let calls = 0;
    expect(() => model().fitSync(X.array, Y, 8, settings, () => { calls++; X.buffer.resize(0); }, history(), null))
      .toThrow('deepnet: an array passed to fitSync was detached, resized or replaced during training');
    expect(calls).toBe(1);
  });

  test('the same through Model.fitSync (which reads the caller\'s arrays in place)', () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { Model } = require('../lib');
    const X = resizable(3 * 8);
    const Y = { shape: [1, 8], data: new Float64Array(8).map((_, i) => i % 2) };
    expect(() => new Model({ layers: [3, 4, 1] }).fitSync({ shape: [3, 8], data: X.array }, Y, {
      iterations: 5, logEvery: 1, onProgress: () => X.buffer.resize(0) })).toThrow(/detached, resized or replaced during training/);
  });

  test('logEvery 0 is refused natively by fit and fitSync (it divided by zero on the worker thread)', () => {
    const X = new Float64Array(24);
    const Y = new Float64Array(8);
    const zero = { ...settings, logEvery: 0 };
    expect(() => model().fitSync(X, Y, 8, zero, () => undefined, history(), null)).toThrow('deepnet: logEvery must be an integer in [1, 2^31 - 1]');
    expect(() => model().fit(X, Y, 8, zero, () => undefined, history(), null)).toThrow('deepnet: logEvery must be an integer in [1, 2^31 - 1]');
  });

  test('a list element getter that shrinks an array already taken: refused, not used', () => {
    const W = resizable(12);
    const dW = [new Float64Array(12), new Float64Array(4)];
    const gradients = [dW[0]];
    Object.defineProperty(gradients, 1, { get() { W.buffer.resize(0); return dW[1]; }, enumerable: true });
    // Before: P[0]'s pointer was taken, then the getter ran, then P[0] was written (a SIGSEGV).
    expect(() => native.update([W.array, new Float64Array(4)], gradients, 0.1)).toThrow('deepnet: dP[0] has 12 elements, expected 0');
  });

  test('a string or number argument with toString/valueOf is refused by type, its code never run', () => {
    const A = resizable(4);
    let ran = 0;
    const form = { toString: () => { ran++; A.buffer.resize(0); return 'notes'; } };
    expect(() => native.computeCost(A.array, new Float64Array(4), form)).toThrow('deepnet: form must be a string');
    const m = { valueOf: () => { ran++; A.buffer.resize(0); return 4; } };
    expect(() => native.l2Cost([A.array], m, 0.1)).toThrow('deepnet: m must be a number');
    expect(ran).toBe(0);
  });
});
