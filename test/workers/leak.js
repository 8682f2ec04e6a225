// Run by test/leaks.test.ts with --expose-gc: prints RSS samples (bytes) as JSON.
//   node --expose-gc leak.js churn   many models created, fitted (sync and async) and dropped
//   node --expose-gc leak.js gc      big models dropped: does GC give their native memory back?
//   node --expose-gc leak.js sync    the same without the event loop turning (one synchronous run)
const deepnet = require('../../dist');

const rss = () => process.memoryUsage().rss;
// Native finalizers run on a later turn of the event loop, after the collection.
const settle = async () => {
  for (let i = 0; i < 3; i++) {
    global.gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
};

async function churn() {
  const rng = new deepnet.RandomState(1);
  const X = rng.randn(784, 1024);
  const Y = { shape: [1, 1024], data: rng.rand(1, 1024).data.map((u) => (u < 0.5 ? 1 : 0)) };
  const samples = [];
  for (let i = 0; i < 160; i++) {
    const model = new deepnet.Model({ layers: [784, 128, 32, 1], seed: i, keepProb: i % 3 === 0 ? 0.8 : 1 });
    if (i % 2) model.fitSync(X, Y, { iterations: 3, learningRate: 0.01 });
    else await model.fit(X, Y, { iterations: 3, learningRate: 0.01, logEvery: 1, onProgress: () => undefined });
    model.predictProba(X);
    if (i % 20 === 19) {
      await settle();
      samples.push(rss());
    }
  }
  return samples;
}

async function gc() {
  await settle();
  const before = rss();
  for (let i = 0; i < 10; i++) new deepnet.Model({ layers: [2000, 2000, 1], seed: i });  // 2 x 32 MB native each
  const held = rss();
  await settle();
  return [before, held, rss()];
}

// 20 models of 144 MB (2 x 9M float64 parameters; the 72 MB of current ones
// resident) made and dropped in a loop, collected, then one more deepnet call:
// finalizers cannot have run, as the event loop never turned.
function sync() {
  global.gc();
  const before = rss();
  for (let i = 0; i < 20; i++) new deepnet.Model({ layers: [3000, 3000, 1], seed: i });
  const held = rss();
  global.gc();
  new deepnet.Model({ layers: [2, 1] });
  return [before, held, rss()];
}

(async () => {
  const mode = process.argv[2];
  const result = mode === 'gc' ? await gc() : mode === 'sync' ? sync() : await churn();
  process.stdout.write(JSON.stringify(result));
})();
