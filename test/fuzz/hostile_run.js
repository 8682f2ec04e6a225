#!/usr/bin/env node
// The mid-call attacks of hostile.js, every target in every round:
//   node --expose-gc test/fuzz/hostile_run.js [--rounds N] [--seed S]
// (after npm run compile). Prints a JSON tally per target; exits 1 on a
// contract breach; a memory error kills it (SIGSEGV, or ASan's report).
// --trace prints each call before it runs (to find the one that crashed);
// --only a,b attacks only those targets.
'use strict';
const path = require('path');
const { makeHostileFuzzer, exportedTargets } = require('./hostile');

const args = process.argv.slice(2);
const flag = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const rounds = flag('--rounds', 50);
const seed = flag('--seed', Date.now() % 2 ** 31);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : null;
const trace = args.includes('--trace') ? (line) => require('fs').writeSync(2, `${line}\n`) : undefined;
const { native } = require(path.join(__dirname, '..', '..', 'dist', 'native'));

(async () => {
  const fuzzer = makeHostileFuzzer(native, seed);
  // Per target: control calls (valid arguments: they must succeed, so the
  // attacks reach the memory), attacked calls and how many struck, and the
  // kinds of hostile values it was offered.
  const tally = {};
  for (let i = 0; i < rounds; i++) {
    for (const name of only ?? fuzzer.targets) {
      const t = (tally[name] ??= { controlOk: 0, controlError: 0, ok: 0, error: 0, struck: 0, kinds: [], messages: [] });
      const control = await fuzzer.step(name, { control: true, trace });
      if (control.outcome === 'ok') t.controlOk++;
      else { t.controlError++; t.messages.push(`control: ${control.message}`); }
      const attack = await fuzzer.step(name, { trace });
      t[attack.outcome]++;
      if (attack.struck) t.struck++;
      for (const k of attack.available) if (!t.kinds.includes(k)) t.kinds.push(k);
      if (attack.outcome === 'error' && t.messages.length < 3) t.messages.push(attack.message);
    }
  }
  console.log(JSON.stringify({ seed, rounds, exported: exportedTargets(native), tally }));
})().catch((err) => {
  console.error(`seed ${seed}: ${err.stack}`);
  process.exit(1);
});
