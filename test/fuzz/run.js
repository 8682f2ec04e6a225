#!/usr/bin/env node
// Standalone boundary fuzzing for long runs: node test/fuzz/run.js [--calls N] [--seed S]
// (after npm run compile). Prints a tally per target; exits 1 on a contract breach.
'use strict';
const path = require('path');
const { makeFuzzer } = require('./fuzzer');

const args = process.argv.slice(2);
const flag = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const calls = flag('--calls', 100000);
const seed = flag('--seed', Date.now() % 2 ** 31);
const root = path.resolve(__dirname, '..', '..');
// The core and its two subpaths, as one object for the fuzzer.
const deepnet = { ...require(path.join(root, 'dist')), datasets: require(path.join(root, 'dist', 'datasets')),
  plot: require(path.join(root, 'dist', 'plot')) };
const { native } = require(path.join(root, 'dist', 'native'));

(async () => {
  const fuzzer = makeFuzzer(deepnet, seed, native);
  const tally = {};
  for (let i = 0; i < calls; i++) {
    const [name, outcome] = await fuzzer.step();
    tally[name] = tally[name] || { ok: 0, error: 0 };
    tally[name][outcome]++;
    if ((i + 1) % 10000 === 0) process.stderr.write(`${i + 1} calls, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB\n`);
  }
  console.log(JSON.stringify({ seed, calls, tally }, null, 1));
})().catch((err) => {
  console.error(`seed ${seed}: ${err.stack}`);
  process.exit(1);
});
