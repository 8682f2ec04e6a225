// The installed deepnet package against ../shared/golden, through its public
// API, quick enough for an emulated CPU: numpy's RandomState and the
// initializers bit for bit, dropout masks bit for bit, one forward/backward
// pass and the notes' 400-iteration L_layer_model run within 1e-12 (norm-
// relative), predictions exactly; then a native argument error, which goes
// through C++ exception unwinding in the addon. Prints one JSON line: the
// platform, which binary loaded, the backend, and the largest error seen.
// Usage: node golden-check.js SHARED_DIR   (from a project with deepnet installed)
'use strict';
const fs = require('fs');
const path = require('path');
const deepnet = require('deepnet');

const golden = (name) => JSON.parse(fs.readFileSync(path.join(process.argv[2], 'golden', `${name}.json`), 'utf8'));
const flat = (data) => (Array.isArray(data) ? data.flat(Infinity) : [data]);
const matrix = (a) => ({ shape: a.shape.length === 2 ? a.shape : [1, a.shape[0]], data: Float64Array.from(flat(a.data)) });
const params = (p) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, matrix(v)]));

let checks = 0;
let worst = 0;
function fail(label, detail) {
  throw new Error(`golden check failed: ${label}: ${detail}`);
}
function bitExact(label, got, exp) {
  const g = got.data ?? got;
  const e = flat(exp.data ?? exp);
  if (g.length !== e.length) fail(label, `${g.length} values, expected ${e.length}`);
  for (let i = 0; i < e.length; i++) if (!Object.is(g[i], e[i])) fail(label, `[${i}] = ${g[i]}, expected ${e[i]}`);
  checks++;
}
function close(label, got, exp, tol = 1e-12) {
  const g = typeof got === 'number' ? [got] : got.data;
  const e = flat(exp.data ?? exp);
  if (g.length !== e.length) fail(label, `${g.length} values, expected ${e.length}`);
  const scale = Math.max(1, ...e.map(Math.abs));
  let err = 0;
  for (let i = 0; i < e.length; i++) err = Math.max(err, Math.abs(g[i] - e[i]));
  if (!(err <= tol * scale)) fail(label, `max error ${err} > ${tol} * ${scale}`);
  worst = Math.max(worst, err / scale);
  checks++;
}

for (const [seed, s] of Object.entries(golden('rng').seeds)) {
  const rng = new deepnet.RandomState(Number(seed));
  bitExact(`rng ${seed} state`, rng.getState().key.slice(0, 5), s.mt_key_after_seed_first5);
  bitExact(`rng ${seed} randn_20`, rng.randn(20), s.randn_20);
  rng.seed(Number(seed));
  bitExact(`rng ${seed} rand_20`, rng.rand(20), s.rand_20);
  rng.seed(Number(seed));
  bitExact(`rng ${seed} randn_3x4`, rng.randn(3, 4), s.randn_3x4);
}

const inits = {
  deep: (dims) => deepnet.initializeParametersDeep(dims),
  he: (dims) => deepnet.initializeParametersHe(dims),
  random: (dims) => deepnet.initializeParametersRandom(dims),
};
for (const c of golden('init').cases) {
  for (const [name, init] of Object.entries(inits)) {
    const p = init(c.layers_dims);
    for (const [k, v] of Object.entries(c[name])) bitExact(`init ${c.layers_dims} ${name} ${k}`, p[k], v);
  }
}

for (const c of golden('forward_backward').cases) {
  const X = matrix(c.X);
  const Y = matrix(c.Y);
  const L = c.layers_dims.length - 1;
  const [AL, caches] = deepnet.lModelForward(X, params(c.parameters));
  caches.forEach((cache, l) => close(`${c.name} Z${l + 1}`, cache[1], c.plain.forward[`Z${l + 1}`]));
  close(`${c.name} A${L}`, AL, c.plain.forward[`A${L}`]);
  close(`${c.name} cost`, deepnet.computeCost(AL, Y), c.plain.cost);
  const grads = deepnet.lModelBackward(AL, Y, caches);
  for (const [k, v] of Object.entries(c.plain.grads)) if (!k.startsWith('dZ')) close(`${c.name} ${k}`, grads[k], v);
  for (const d of c.dropout) {
    const [, dropped] = deepnet.lModelForward(X, params(c.parameters), { keepProb: d.keep_prob, seed: 1 });
    dropped.slice(0, -1).forEach((cache, l) => {
      bitExact(`${c.name} dropout ${d.keep_prob} D${l + 1}`, cache[2].D, d.forward[`D${l + 1}`]);
    });
  }
}

const run = golden('train').runs.find((r) => r.name === 'L_layer_model');
const X = matrix(run.X);
const Y = matrix(run.Y);
const { parameters, costs } = deepnet.lLayerModel(X, Y, run.layers_dims,
  { learningRate: run.learning_rate, numIterations: run.num_iterations });
close('L_layer_model costs', { data: costs }, run.costs_every_100);
for (const [k, v] of Object.entries(run.final_parameters)) close(`L_layer_model ${k}`, parameters[k], v);
const { predictions, accuracy } = deepnet.predict(X, Y, parameters);
bitExact('L_layer_model predictions', predictions, run.predictions);
if (accuracy !== run.train_accuracy) fail('L_layer_model accuracy', `${accuracy}, expected ${run.train_accuracy}`);

// The exports map serves the package's entry points only: reach the raw addon through its directory.
const { native } = require(path.join(path.dirname(require.resolve('deepnet/package.json')), 'dist', 'native'));
try {
  native.firstNonFinite('not an array');
  fail('native argument error', 'no exception');
} catch (err) {
  if (!/must be a Float64Array or Float32Array/.test(err.message)) fail('native argument error', err.message);
  checks++;
}

const info = deepnet.backendInfo();
console.log(JSON.stringify({
  platform: info.platform, addon: info.addon, gemm: info.gemm, simd: info.simd, checks, maxError: worst,
}));
