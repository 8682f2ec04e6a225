// Mid-call attacks on the raw addon (plain JavaScript, shared by the jest
// suite and the standalone runner). Every exported function and every method
// of its classes gets arguments that are valid, except that one value runs
// JavaScript when the addon reads it: a list element's getter, an object
// field's getter, a string's toString, a number's valueOf, a progress
// callback, a generator behind a Proxy, a wrong `this`. That JavaScript
// "strikes": it shrinks resizable buffers of the call to zero bytes (V8
// unmaps the pages: a stray access is a SIGSEGV) and detaches others (then
// collects them when gc is exposed: under AddressSanitizer a stray access is
// a use-after-free). Contract: the call returns or throws an Error with a
// message, and never touches the memory it was given once that is gone.
'use strict';

const { rng: makeRng } = require('./fuzzer');

const TYPED = { float64: Float64Array, float32: Float32Array, uint32: Uint32Array, int32: Int32Array, uint8: Uint8Array };

/** The memory of one call: typed arrays the strike can take away. */
function memory(r) {
  const buffers = [];
  let strikes = 0;
  /** A typed array of `n` elements on resizable, length-tracking, plain or shared memory. */
  function array(n, kind = 'float64', fill = () => r.next() * 2 - 1) {
    const Kind = TYPED[kind];
    const bytes = n * Kind.BYTES_PER_ELEMENT;
    let a;
    switch (r.int(4)) {
      case 0: { const b = new ArrayBuffer(bytes, { maxByteLength: bytes }); a = new Kind(b, 0, n); break; }
      case 1: { const b = new ArrayBuffer(bytes, { maxByteLength: bytes + 64 }); a = new Kind(b); break; }
      case 2: a = new Kind(new SharedArrayBuffer(bytes)); break;
      default: a = new Kind(n);
    }
    for (let i = 0; i < n; i++) a[i] = fill(i);
    buffers.push(a.buffer);
    return a;
  }
  /**
   * Takes buffers away: resizable ones to zero bytes, plain ones detached.
   * Each is taken at random, so that some the addon already took are gone
   * while those it takes next are intact (all gone: every later check fails).
   */
  function strike() {
    strikes++;
    for (const b of buffers) {
      if (b instanceof SharedArrayBuffer || r.chance(0.5)) continue;  // shared: can neither shrink nor be detached
      if (b.resizable) b.resize(0);
      else if (b.byteLength > 0) structuredClone(b, { transfer: [b] });
    }
    if (typeof global.gc === 'function') global.gc();
  }
  return { array, strike, strikes: () => strikes };
}

const HIDDEN = ['relu', 'tanh', 'sigmoid', 'leakyRelu'];

/**
 * Valid calls of every export, by name ("fn", "Class.method", "new Class").
 * Each builder returns { fn(...args), args }; `mem.array` allocates the
 * memory a strike takes away.
 */
function builders(native, r) {
  const net = (mem, dtype) => {
    const dims = r.chance(0.5) ? [3, 4, 2] : [2, 3, 3, 1];
    const L = dims.length - 1;
    const m = 2 + r.int(4);
    const per = (size) => Array.from({ length: L }, (_, i) => mem.array(size(i), dtype));
    return {
      dims, L, m,
      X: mem.array(dims[0] * m, dtype),
      Y: mem.array(dims[L] * m, dtype, () => r.int(2)),
      Ws: per((i) => dims[i + 1] * dims[i]),
      bs: per((i) => dims[i + 1]),
      Zs: per((i) => dims[i + 1] * m),
      As: per((i) => dims[i + 1] * m),
      arch: { hidden: Array.from({ length: L - 1 }, () => r.pick(HIDDEN)), output: 'sigmoid' },
      size: dims.slice(1).reduce((s, n, i) => s + n * (dims[i] + 1), 0),
    };
  };
  const dtype = () => (r.chance(0.3) ? 'float32' : 'float64');
  const settings = (epochs) => ({
    learningRate: 0.05, epochs, logEvery: 1, optimizer: r.pick(['gd', 'momentum', 'rmsprop', 'adam']), beta: 0.9,
    beta1: 0.9, beta2: 0.999, epsilon: 1e-8, batchSize: r.pick([0, 2]), shuffle: true, shuffleSeed: 1, decay: 'none',
    decayRate: 1, decayInterval: 1, firstEpoch: 0, patience: 0, minDelta: 0, restoreBest: false, bestCost: 1e308,
    sinceBest: 0, xRows: false,
  });
  const history = (mem, epochs) => ({
    costs: mem.array(epochs), valCosts: mem.array(epochs), valAccuracies: mem.array(epochs), learningRates: mem.array(epochs),
  });
  const model = (n, t) => new native.NativeModel({
    dims: n.dims, hidden: n.arch.hidden, output: n.arch.output, dtype: t, init: 'he', scale: 1, seed: 1, lambd: 0.1,
    keepProb: 1, dropoutSeed: -1,
  });
  const fitArgs = (mem, n) => {
    const epochs = 2 + r.int(3);
    const validation = r.chance(0.5) ? { X: mem.array(n.X.length, n.dt), Y: mem.array(n.Y.length, n.dt, () => r.int(2)), m: n.m, rows: false } : null;
    return [n.X, n.Y, n.m, settings(epochs), () => undefined, history(mem, epochs), validation];
  };
  const withNet = (make) => (mem) => { const t = dtype(); const n = net(mem, t); n.dt = t; return make(mem, n, t); };
  const rs = () => new native.RandomState(1);
  const modelMethod = (name, args) => withNet((mem, n, t) => {
    const self = model(n, t);
    return { self, fn: (...a) => self[name](...a), args: args(mem, n, t, self) };
  });

  return {
    backendInfo: () => ({ fn: native.backendInfo, args: [] }),
    setNumThreads: () => ({ fn: native.setNumThreads, args: [native.backendInfo().threads] }),
    setSubnormalPath: () => ({ fn: native.setSubnormalPath, args: ['measured'] }),
    availableMemory: () => ({ fn: native.availableMemory, args: [] }),
    gemmDispatch: () => ({ fn: native.gemmDispatch, args: [] }),
    gemmDispatchDefaults: () => ({ fn: native.gemmDispatchDefaults, args: [] }),
    gemmBuiltinAvx2: () => ({ fn: native.gemmBuiltinAvx2, args: [] }),
    // The table in use, set again: this process's products keep their routes.
    setGemmDispatch: () => ({ fn: native.setGemmDispatch, args: [native.gemmDispatch(), native.gemmBuiltinAvx2()] }),
    gemmClass: () => ({ fn: native.gemmClass, args: [r.chance(0.5), r.chance(0.5), 4, 5, 6, 6, r.pick(['float64', 'float32'])] }),
    // Takes no arguments; without an MPI library on the machine its clear error counts as a success.
    mpiWorld: () => ({ fn: () => { try { return native.mpiWorld(); } catch (e) { if (/needs MPI/.test(e.message)) return null; throw e; } }, args: [] }),
    'new RandomState': () => ({ fn: (s) => new native.RandomState(s), args: [7] }),
    'RandomState.seed': () => { const s = rs(); return { self: s, fn: (...a) => s.seed(...a), args: [3] }; },
    'RandomState.fillRand': (mem) => { const s = rs(); return { self: s, fn: (...a) => s.fillRand(...a), args: [mem.array(9)] }; },
    'RandomState.fillRandn': (mem) => { const s = rs(); return { self: s, fn: (...a) => s.fillRandn(...a), args: [mem.array(9)] }; },
    'RandomState.fillUint32': (mem) => { const s = rs(); return { self: s, fn: (...a) => s.fillUint32(...a), args: [mem.array(9, 'uint32')] }; },
    'RandomState.fillPermutation': (mem) => {
      const s = rs();
      return { self: s, fn: (...a) => s.fillPermutation(...a), args: [mem.array(9, 'int32')] };
    },
    'RandomState.getState': () => { const s = rs(); return { self: s, fn: (...a) => s.getState(...a), args: [] }; },
    'RandomState.setState': (mem) => {
      const s = rs();
      const st = s.getState();
      return { self: s, fn: (...a) => s.setState(...a), args: [mem.array(624, 'uint32', (i) => st.key[i]), st.pos, st.hasGauss, st.gauss] };
    },
    initWeights: (mem) => {
      const [n, k] = [2 + r.int(3), 2 + r.int(3)];
      return { fn: native.initWeights, args: [rs(), mem.array(n * k, dtype()), n, k, r.pick(['deep', 'he', 'xavier', 'scaled', 'zeros']), 1] };
    },
    linearForward: withNet((mem, n, t) => {
      const [rows, k] = [n.dims[1], n.dims[0]];
      return { fn: native.linearForward, args: [mem.array(rows * n.m, t), n.Ws[0], n.X, n.bs[0], rows, k, n.m] };
    }),
    activationForward: withNet((mem, n) => ({ fn: native.activationForward, args: [n.As[0], n.Zs[0], r.pick(HIDDEN)] })),
    softmaxForward: withNet((mem, n) => ({ fn: native.softmaxForward, args: [n.As[0], n.Zs[0], n.dims[1], n.m] })),
    modelForward: withNet((mem, n, t) => {
      const keep = r.pick([1, 0.8]);
      const Ds = keep < 1 ? n.Zs.slice(0, -1).map((z) => mem.array(z.length, t)) : [];
      return { fn: native.modelForward, args: [n.X, n.Ws, n.bs, n.Zs, n.As, n.dims, n.m, keep, rs(), Ds, n.arch] };
    }),
    computeCost: withNet((mem, n) => ({
      fn: native.computeCost, args: [mem.array(n.m, n.dt, () => 0.25 + r.next() / 2), mem.array(n.m, n.dt, () => r.int(2)), r.pick(['notes', 'course2'])],
    })),
    headCost: withNet((mem, n, t) => {
      const K = n.dims[n.L];
      return { fn: native.headCost, args: [n.Zs[n.L - 1], n.As[n.L - 1], mem.array(K * n.m, t, () => r.int(2)), K, n.m, r.pick(['sigmoid', 'softmax', 'linear'])] };
    }),
    activationBackward: withNet((mem, n, t) => ({
      fn: native.activationBackward, args: [mem.array(n.Zs[0].length, t), mem.array(n.Zs[0].length, t), n.Zs[0], r.pick(HIDDEN)],
    })),
    linearBackward: withNet((mem, n, t) => {
      const [rows, k] = [n.dims[1], n.dims[0]];
      return {
        fn: native.linearBackward,
        args: [mem.array(k * n.m, t), mem.array(rows * k, t), mem.array(rows, t), mem.array(rows * n.m, t), n.X, n.Ws[0], rows, k, n.m],
      };
    }),
    modelBackward: withNet((mem, n, t) => {
      const keep = r.pick([1, 0.8]);
      const Ds = keep < 1 ? n.Zs.slice(0, -1).map((z) => mem.array(z.length, t, () => 1)) : [];
      const dAs = n.dims.map((d) => mem.array(d * n.m, t));
      const dWs = n.Ws.map((w) => mem.array(w.length, t));
      const dbs = n.bs.map((b) => mem.array(b.length, t));
      return { fn: native.modelBackward, args: [n.X, n.Y, n.Ws, n.Zs, n.As, dAs, dWs, dbs, n.dims, n.m, 0.1, keep, Ds, n.arch] };
    }),
    update: withNet((mem, n, t) => ({ fn: native.update, args: [n.Ws, n.Ws.map((w) => mem.array(w.length, t)), 0.1] })),
    optimizerStep: withNet((mem, n, t) => {
      const s = settings(1);
      const like = (on) => n.Ws.map((w) => mem.array(on ? w.length : 0, t));
      const v = like(s.optimizer === 'momentum' || s.optimizer === 'adam');
      const sq = like(s.optimizer === 'rmsprop' || s.optimizer === 'adam');
      const hats = r.chance(0.5);
      return { fn: native.optimizerStep, args: [s, n.Ws, like(true), v, sq, 0.1, 1, hats ? like(true) : null, hats ? like(true) : null] };
    }),
    firstNonFinite: (mem) => ({ fn: native.firstNonFinite, args: [mem.array(9, dtype())] }),
    l2Cost: withNet((mem, n) => ({ fn: native.l2Cost, args: [n.Ws, n.m, 0.7] })),
    gradcheckCosts: (mem) => {
      const n = net(mem, 'float64');
      const count = 3;
      return {
        fn: native.gradcheckCosts,
        args: [n.X, n.Y, n.Ws, n.bs, n.dims, n.m, 0.1, 1e-7, mem.array(count, 'float64', (i) => i), mem.array(count), mem.array(count), n.arch],
      };
    },
    parseCsv: (mem) => {
      const text = Buffer.from('1,2,1\n3,4,0\n5,6,1\n');
      const chunk = mem.array(text.length, 'uint8', (i) => text[i]);
      const t = dtype();
      return { fn: native.parseCsv, args: [chunk, 0, text.length, true, 44, 3, 2, 'binary', false, 3, 0, mem.array(6, t), mem.array(3, t)] };
    },
    train: (mem) => {
      const t = dtype();
      const n = net(mem, t);
      n.dims[n.L] = 1;
      const Y = mem.array(n.m, t, () => r.int(2));
      const Ws = n.Ws.map((w, i) => (i === n.L - 1 ? mem.array(n.dims[n.L - 1], t) : w));
      const bs = n.bs.map((b, i) => (i === n.L - 1 ? mem.array(1, t) : b));
      const iterations = 3;
      return { fn: native.train, args: [n.X, Y, Ws, bs, n.dims, n.m, 0.05, iterations, 1, () => true, mem.array(iterations)] };
    },
    trainMiniBatch: (mem) => {
      const t = dtype();
      const n = net(mem, t);
      const dims = [n.dims[0], 3, 1];
      const epochs = 3;
      const s = settings(epochs);
      if (s.optimizer === 'rmsprop') s.optimizer = 'gd';
      const size = dims.slice(1).reduce((sum, u, i) => sum + u * (dims[i] + 1), 0);
      return {
        fn: native.trainMiniBatch,
        args: [n.X, mem.array(n.m, t, () => r.int(2)), n.m, s, () => undefined, history(mem, epochs), null, mem.array(size, t), dims],
      };
    },
    'new NativeModel': withNet((mem, n, t) => ({ fn: (c) => new native.NativeModel(c),
      args: [{ dims: n.dims, hidden: n.arch.hidden, output: 'sigmoid', dtype: t, init: 'he', scale: 1, seed: 1, lambd: 0, keepProb: 0.9, dropoutSeed: 2 }] })),
    'NativeModel.readParameters': modelMethod('readParameters', (mem, n, t) => [mem.array(n.size, t)]),
    'NativeModel.writeParameters': modelMethod('writeParameters', (mem, n, t) => [mem.array(n.size, t)]),
    'NativeModel.fitSync': modelMethod('fitSync', (mem, n) => fitArgs(mem, n)),
    'NativeModel.fit': modelMethod('fit', (mem, n) => fitArgs(mem, n)),
    'NativeModel.cancel': modelMethod('cancel', () => []),
    'NativeModel.predictProba': modelMethod('predictProba', (mem, n, t) => [n.X, n.m, mem.array(n.dims[n.L] * n.m, t), false]),
    'NativeModel.evaluate': modelMethod('evaluate', (mem, n) => [n.X, n.Y, n.m, false]),
    'NativeModel.getRngState': modelMethod('getRngState', () => []),
    'NativeModel.setRngState': modelMethod('setRngState', (mem, n, t, self) => {
      const st = self.getRngState();
      return [mem.array(624, 'uint32', (i) => st.key[i]), st.pos, st.hasGauss, st.gauss];
    }),
    'NativeModel.getOptimizerState': modelMethod('getOptimizerState', () => []),
    'NativeModel.setOptimizerState': modelMethod('setOptimizerState', (mem, n, t) => [mem.array(n.size, t), mem.array(n.size, t), 3]),
    'NativeModel.resetOptimizer': modelMethod('resetOptimizer', () => []),
  };
}

/** Every export of the addon, as builders() names them: its functions, constructors and their methods. */
function exportedTargets(native) {
  const out = [];
  for (const [name, value] of Object.entries(native)) {
    if (typeof value !== 'function') continue;
    if (!/^[A-Z]/.test(name)) { out.push(name); continue; }
    out.push(`new ${name}`);
    for (const method of Object.getOwnPropertyNames(value.prototype)) if (method !== 'constructor') out.push(`${name}.${method}`);
  }
  return out.sort();
}

/**
 * The places in `args` where a hostile value can go: each is
 * { kind, apply(strike) } and replaces one value in place.
 */
function slots(args, self) {
  const out = [];
  const visit = (value, set, depth) => {
    if (typeof value === 'string') {
      out.push({ kind: 'toString', apply: (strike) => set({ toString() { strike(); return value; }, valueOf() { strike(); return value; } }) });
    } else if (typeof value === 'number') {
      out.push({ kind: 'valueOf', apply: (strike) => set({ valueOf() { strike(); return value; }, [Symbol.toPrimitive]() { strike(); return value; } }) });
    } else if (typeof value === 'boolean') {
      out.push({ kind: 'valueOf', apply: (strike) => set({ valueOf() { strike(); return value; } }) });
    } else if (typeof value === 'function') {
      out.push({ kind: 'callback', apply: (strike) => set((...a) => { strike(); return value(...a); }) });
    } else if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) {
      if (value.constructor && /RandomState/.test(value.constructor.name)) {
        out.push({ kind: 'proxy', apply: (strike) => set(new Proxy(value, {
          getPrototypeOf(t) { strike(); return Reflect.getPrototypeOf(t); }, get(t, k) { strike(); return Reflect.get(t, k); } })) });
        return;
      }
      out.push({ kind: 'proxy', apply: (strike) => set(new Proxy(value, { get(t, k, rcv) { strike(); return Reflect.get(t, k, rcv); } })) });
      if (depth > 2) return;
      for (const k of Object.keys(value)) {
        const v = value[k];
        // A getter in place of the element or field: the addon runs it when it reads the value.
        out.push({ kind: 'getter', apply: (strike) => Object.defineProperty(value, k, {
          get() { strike(); return v; }, enumerable: true, configurable: true }) });
        visit(v, (nv) => Object.defineProperty(value, k, { value: nv, writable: true, enumerable: true, configurable: true }),
          depth + 1);
      }
    }
  };
  args.forEach((a, i) => visit(a, (nv) => { args[i] = nv; }, 0));
  if (self) out.push({ kind: 'this', apply: (strike) => ({ self: new Proxy(self, { getPrototypeOf(t) { strike(); return Reflect.getPrototypeOf(t); } }) }) });
  return out;
}

/**
 * A seeded sequence of attacks. step(name) runs one on target `name` (random
 * if omitted): valid arguments and, unless `control`, one or two hostile
 * values; resolves to { name, kinds (the hostile values' kinds), available
 * (every kind the call offered), outcome ('ok' | 'error'), struck (whether a
 * strike ran), message }.
 */
function makeHostileFuzzer(native, seed) {
  const r = makeRng(seed);
  const all = builders(native, r);
  const names = Object.keys(all);

  async function step(only, { control = false, trace } = {}) {
    const name = only ?? r.pick(names);
    const mem = memory(r);
    const call = all[name](mem);
    const spots = slots(call.args, call.self);
    const available = [...new Set(spots.map((spot) => spot.kind))];
    let fn = call.fn;
    const kinds = [];
    for (let k = 0; k < (spots.length > 0 && !control ? 1 + r.int(2) : 0); k++) {
      const spot = r.pick(spots);
      kinds.push(spot.kind);
      const changed = spot.apply(mem.strike);
      if (changed && changed.self) {
        const method = name.split('.')[1];
        const target = Object.getPrototypeOf(call.self)[method];
        fn = (...a) => target.apply(changed.self, a);
      }
    }
    if (trace) trace(`${name} ${kinds.join('+') || 'control'}`);
    const result = (outcome, message) => ({ name, kinds, available, outcome, struck: mem.strikes() > 0, message });
    try {
      await fn(...call.args);
      return result('ok', '');
    } catch (err) {
      const isError = Object.prototype.toString.call(err) === '[object Error]' || err instanceof Error;
      if (!isError || typeof err.message !== 'string' || err.message.length === 0) {
        throw new Error(`${name} (${kinds.join('+')}): threw a non-Error or an empty message: ${String(err)}`);
      }
      return result('error', err.message);
    }
  }

  return { step, targets: names };
}

module.exports = { makeHostileFuzzer, exportedTargets };
