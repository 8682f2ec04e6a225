// A seeded boundary fuzzer for deepnet's public API (plain JavaScript, so the
// jest suite and the standalone runner share it). Every call gets arguments
// that are, at random, valid values of the expected kind, slightly wrong ones
// (wrong shape, NaN, offset views, shared memory, detached buffers, mixed
// dtypes) or values of another kind entirely. The contract under test: each
// call returns, or throws (or rejects with) a JavaScript Error with a message;
// the process never aborts.
'use strict';

/** xorshift128+, so a seed replays the same calls. */
function rng(seed) {
  let a = (seed ^ 0x9e3779b9) >>> 0 || 1;
  let b = (seed * 2654435761) >>> 0 || 2;
  const next = () => {
    let t = a ^ (a << 11);
    a = b;
    b = (b ^ (b >>> 19) ^ t ^ (t >>> 8)) >>> 0;
    return b / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  return { next, int, pick: (list) => list[int(list.length)], chance: (p) => next() < p };
}

function detached(kind) {
  const a = new kind(6);
  structuredClone(a.buffer, { transfer: [a.buffer] });
  return a;
}

/**
 * deepnet: the package's exports; native (optional): the addon's raw binding,
 * fuzzed directly too, since JavaScript checks must not be its only defence.
 */
function makeFuzzer(deepnet, seed, native) {
  const r = rng(seed);
  const small = () => 1 + r.int(6);

  function floatArray(n, dtype) {
    const Kind = dtype === 'float32' ? Float32Array : Float64Array;
    switch (r.int(6)) {
      case 0: {  // a view with an offset into a larger buffer
        const big = new Kind(n + 5);
        const v = big.subarray(3, 3 + n);
        for (let i = 0; i < n; i++) v[i] = r.next() * 2 - 1;
        return v;
      }
      case 1: {  // shared memory
        const v = new Kind(new SharedArrayBuffer(n * Kind.BYTES_PER_ELEMENT));
        for (let i = 0; i < n; i++) v[i] = r.next() * 2 - 1;
        return v;
      }
      default: {
        const v = new Kind(n);
        for (let i = 0; i < n; i++) v[i] = r.next() * 2 - 1;
        return v;
      }
    }
  }

  function matrix(rows, cols, dtype = 'float64') {
    const m = { shape: [rows, cols], data: floatArray(rows * cols, dtype) };
    if (r.chance(0.1)) m.data[r.int(m.data.length)] = r.pick([NaN, Infinity, -Infinity]);
    return m;
  }

  function labels(m, dtype = 'float64') {
    const y = matrix(1, m, dtype);
    for (let i = 0; i < m; i++) y.data[i] = r.chance(0.5) ? 1 : 0;
    if (r.chance(0.05)) y.data[0] = 0.5;
    return y;
  }

  function parameters(dims, dtype) {
    const p = {};
    for (let l = 1; l < dims.length; l++) {
      p[`W${l}`] = matrix(dims[l], dims[l - 1], dtype);
      p[`b${l}`] = matrix(dims[l], 1, dtype);
    }
    return p;
  }

  const junk = () => r.pick([
    undefined, null, 0, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 31, 2 ** 53, 1e300, -0, '', 'relu', 'float32', '3,2,1',
    true, false, [], [1, 2], [[1, 2], [3]], [[NaN]], {}, { shape: [2, 2] }, { shape: [2, 2], data: [1, 2, 3, 4] },
    { shape: [1e9, 1e9], data: new Float64Array(4) }, { shape: [-2, 2], data: new Float64Array(4) },
    { shape: [2, 2], data: new Int32Array(4) }, { shape: [2, 3], data: detached(Float64Array) },
    new Float64Array(3), detached(Float64Array), new Uint8Array(4), () => 1, Symbol('x'), 10n, new Date(0),
    Object.create(null), new Proxy({}, {}), { W1: 1 }, { dW1: {} },
  ]);

  /** Either a valid value made by `make`, a near miss, or junk. */
  const maybe = (make) => (r.chance(0.75) ? make() : junk());

  function dims() {
    const n = 2 + r.int(3);
    const d = Array.from({ length: n }, small);
    d[n - 1] = 1;
    if (r.chance(0.1)) d[r.int(n)] = r.pick([0, -1, 2.5, NaN, 1e12]);
    return d;
  }

  function options(keys) {
    if (r.chance(0.1)) return junk();
    const o = {};
    for (const [key, make] of Object.entries(keys)) if (r.chance(0.5)) o[key] = r.chance(0.85) ? make() : junk();
    if (r.chance(0.05)) o.unknownOption = 1;
    return o;
  }

  // A coherent network: X (n_x, m), Y (1, m), parameters for dims; dtype mixed at times.
  function network() {
    const d = Array.from({ length: 2 + r.int(3) }, small);
    d[d.length - 1] = 1;
    const m = small();
    const dtype = r.chance(0.3) ? 'float32' : 'float64';
    const other = r.chance(0.1) ? (dtype === 'float32' ? 'float64' : 'float32') : dtype;
    return { d, m, X: matrix(d[0], m, dtype), Y: labels(m, other), P: parameters(d, dtype), dtype };
  }

  const seedOrJunk = () => maybe(() => r.int(2 ** 32));
  const iterations = () => maybe(() => r.int(40));
  const lr = () => maybe(() => r.pick([0.1, 0.01, 1e-3, 5]));
  const keepProb = () => r.pick([0.5, 0.86, 1, 0, 1.5]);

  const d = deepnet;
  const targets = [
    ['matrix', () => d.matrix(maybe(() => [[1, 2], [3, 4]]), maybe(() => r.pick(['float64', 'float32'])))],
    ['zeros', () => d.zeros(maybe(small), maybe(small), maybe(() => 'float32'))],
    ['asDType', () => d.asDType(maybe(() => matrix(small(), small())), maybe(() => r.pick(['float64', 'float32'])))],
    ['RandomState', () => {
      const s = new d.RandomState(seedOrJunk());
      const method = r.pick(['randn', 'rand', 'seed', 'uint32', 'getState', 'setState']);
      if (method === 'setState') return s.setState(maybe(() => s.getState()));
      return s[method](maybe(small), r.chance(0.5) ? maybe(small) : undefined);
    }],
    ['initializeParameters*', () => {
      const f = r.pick(['initializeParametersDeep', 'initializeParametersHe', 'initializeParametersRandom',
        'initializeParametersXavier', 'initializeParametersZeros']);
      return d[f](maybe(dims), options({ seed: () => r.int(99), dtype: () => 'float32' }));
    }],
    ['initializeParameters', () => d.initializeParameters(maybe(small), maybe(small), maybe(small), options({ seed: () => 1 }))],
    ['linearForward', () => { const n = network(); return d.linearForward(maybe(() => n.X), maybe(() => n.P.W1), maybe(() => n.P.b1)); }],
    ['relu/sigmoid', () => d[r.pick(['relu', 'sigmoid'])](maybe(() => matrix(small(), small())))],
    ['linearActivationForward', () => {
      const n = network();
      return d.linearActivationForward(maybe(() => n.X), maybe(() => n.P.W1), maybe(() => n.P.b1), maybe(() => r.pick(['relu', 'sigmoid'])));
    }],
    ['lModelForward+Backward', () => {
      const n = network();
      const [AL, caches] = d.lModelForward(maybe(() => n.X), maybe(() => n.P),
        options({ keepProb, seed: () => r.int(9), rng: () => new d.RandomState(1) }));
      return d.lModelBackward(maybe(() => AL), maybe(() => n.Y), maybe(() => caches),
        options({ lambd: () => r.pick([0, 0.7, -1]), keepProb }));
    }],
    ['computeCost*', () => {
      const n = network();
      const AL = d.lModelForward(n.X, n.P)[0];
      return r.chance(0.5) ? d.computeCost(maybe(() => AL), maybe(() => n.Y))
        : d.computeCostWithRegularization(maybe(() => AL), maybe(() => n.Y), maybe(() => n.P), maybe(() => r.pick([0.7, -1, NaN])));
    }],
    ['linear/activation backward', () => {
      const n = network();
      const [Z, cache] = d.linearForward(n.X, n.P.W1, n.P.b1);
      const f = r.pick(['reluBackward', 'sigmoidBackward', 'linearBackward', 'linearActivationBackward']);
      if (f === 'linearBackward') return d.linearBackward(maybe(() => Z), maybe(() => cache));
      if (f === 'linearActivationBackward') return d.linearActivationBackward(maybe(() => Z), maybe(() => [cache, Z]), maybe(() => 'relu'));
      return d[f](maybe(() => Z), maybe(() => Z));
    }],
    ['updateParameters', () => {
      const n = network();
      const [AL, caches] = d.lModelForward(n.X, n.P);
      return d.updateParameters(maybe(() => n.P), maybe(() => d.lModelBackward(AL, n.Y, caches)), lr());
    }],
    ['lLayerModel+predict', () => {
      const n = network();
      const out = d.lLayerModel(maybe(() => n.X), maybe(() => n.Y), maybe(() => n.d),
        options({ learningRate: lr, numIterations: iterations, seed: () => 1, printCost: () => false }));
      return d.predict(maybe(() => n.X), maybe(() => n.Y), maybe(() => out.parameters));
    }],
    ['gradcheck', () => {
      const n = network();
      const [AL, caches] = d.lModelForward(n.X, n.P);
      const grads = d.lModelBackward(AL, n.Y, caches);
      const f = r.pick(['gradientCheckN', 'dictionaryToVector', 'gradientsToVector', 'vectorToDictionary']);
      if (f === 'gradientCheckN') {
        return d.gradientCheckN(maybe(() => n.P), maybe(() => (r.chance(0.5) ? grads : d.gradientsToVector(grads))), maybe(() => n.X),
          maybe(() => n.Y), options({ epsilon: () => r.pick([1e-7, 0, -1]), lambd: () => 0.1, sample: () => 1 + r.int(5), seed: () => 2 }));
      }
      if (f === 'vectorToDictionary') return d.vectorToDictionary(maybe(() => d.dictionaryToVector(n.P)[0]), maybe(() => n.d));
      return d[f](maybe(() => (f === 'dictionaryToVector' ? n.P : grads)));
    }],
    ['Model', async () => {
      const n = network();
      const model = new d.Model(maybe(() => ({ layers: n.d, dtype: n.dtype, ...options({
        init: () => r.pick(['deep', 'he', 'random', 'zeros', 'xavier', 'glorot']), seed: () => r.int(9), l2: () => 0.1,
        keepProb, dropoutSeed: () => 1 }) })));
      const method = r.pick(['fitSync', 'fit', 'predict', 'predictProba', 'evaluate', 'getParameters', 'setParameters', 'summary']);
      const fitOptions = () => options({ learningRate: lr, iterations, logEvery: () => 1 + r.int(5), onProgress: () => () => undefined });
      if (method === 'fit') return model.fit(maybe(() => n.X), maybe(() => n.Y), fitOptions());
      if (method === 'fitSync') return model.fitSync(maybe(() => n.X), maybe(() => n.Y), fitOptions());
      if (method === 'setParameters') return model.setParameters(maybe(() => n.P));
      if (method === 'evaluate') return model.evaluate(maybe(() => n.X), maybe(() => n.Y));
      return model[method](maybe(() => n.X));
    }],
    ['datasets', () => {
      const f = r.pick(['makeCircles', 'makeMoons', 'makePlanarFlower', 'makeFootball']);
      return d.datasets[f](options({ nSamples: small, m: small, noise: () => 0.1, factor: () => 0.5, seed: () => r.int(9) }));
    }],
    ['plot', () => {
      const n = network();
      const f = r.pick(['plotCostCurve', 'plotDataset', 'svgToPng']);
      if (f === 'plotCostCurve') return d.plot.plotCostCurve(maybe(() => [0.7, 0.5, 0.3]), options({ every: () => 10, learningRate: () => 0.1 }));
      if (f === 'svgToPng') return d.plot.svgToPng(maybe(() => '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'), options({ width: small }));
      return d.plot.plotDataset(maybe(() => matrix(2, n.m)), maybe(() => n.Y));
    }],
    ['layout', () => {
      const f = r.pick(['transpose', 'toColumns', 'toRows', 'fromRows']);
      const rows = () => (r.chance(0.5) ? [[1, 2], [3, r.chance(0.9) ? 4 : junk()]] : [r.next(), r.next()]);
      return d[f](maybe(() => (f === 'fromRows' && r.chance(0.5) ? rows() : matrix(small(), small()))));
    }],
    ['trainTestSplit+scalers', () => {
      const n = network();
      const split = d.trainTestSplit(maybe(() => n.X), maybe(() => n.Y), options({
        testSize: () => r.pick([0.25, 1, 2, 0, 1.5]), trainSize: () => r.pick([0.5, 1]), stratify: () => r.chance(0.5),
        shuffle: () => r.chance(0.8), seed: () => r.int(9) }));
      const scaler = r.chance(0.5) ? d.standardScaler() : d.minMaxScaler(options({ featureRange: () => r.pick([[0, 1], [1, 0], [-1, 1]]) }));
      scaler.fit(maybe(() => split.train.X));
      return d.scalerFromJSON(maybe(() => scaler.toJSON()))[r.pick(['transform', 'inverseTransform'])](maybe(() => split.test.X));
    }],
    ['metrics', () => {
      const n = network();
      const f = r.pick(['accuracy', 'confusionMatrix', 'precisionRecallF1', 'precision', 'recall', 'f1Score', 'rocAuc', 'logLoss',
        'meanSquaredError', 'meanAbsoluteError', 'r2Score', 'classificationReport']);
      const AL = d.lModelForward(n.X, n.P)[0];
      return d[f](maybe(() => n.Y), maybe(() => (r.chance(0.5) ? AL : Array.from(n.Y.data))),
        options({ labels: () => [0, 1], average: () => r.pick(['macro', 'binary']), zeroDivision: () => 1, digits: () => 3 }));
    }],
  ];
  if (native) {
    const fns = Object.keys(native).filter((k) => typeof native[k] === 'function' && !/^[A-Z]/.test(k) && k !== 'setNumThreads');
    const arg = () => (r.chance(0.5) ? floatArray(r.pick([0, 1, 4, 6, 9]), r.chance(0.8) ? 'float64' : 'float32')
      : r.chance(0.3) ? [floatArray(4, 'float64'), floatArray(2, 'float64')] : r.chance(0.3) ? small() : junk());
    targets.push(['native', () => native[r.pick(fns)](...Array.from({ length: 1 + r.int(13) }, arg))]);
    targets.push(['native RandomState', () => {
      const s = new native.RandomState(r.chance(0.8) ? r.int(99) : junk());
      return s[r.pick(['seed', 'fillRand', 'fillRandn', 'fillUint32', 'setState', 'getState'])](arg(), arg(), arg(), arg());
    }]);
  }

  /** Runs one random call; resolves to [target name, 'ok' | 'error', message]. */
  async function step() {
    const [name, call] = r.pick(targets);
    try {
      await call();
      return [name, 'ok', ''];
    } catch (err) {
      const isError = Object.prototype.toString.call(err) === '[object Error]' || err instanceof Error;
      if (!isError || typeof err.message !== 'string' || err.message.length === 0) {
        throw new Error(`${name}: threw a non-Error or an empty message: ${String(err)}`);
      }
      return [name, 'error', err.message];
    }
  }

  return { step, targets: targets.map(([name]) => name) };
}

module.exports = { makeFuzzer, rng };
