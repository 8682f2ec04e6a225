// npm run bench: deepnet against its peers, side by side, in one session,
// with the issue targets checked in the same run. Sections (bench/suite/):
//   square     square 1024 gemm, built-in against OpenBLAS
//   fullbatch  W1-W3, the notes' network against the notes' numpy code
//   minibatch  W4, W5, mini-batches with Adam against PyTorch and numpy
//   inference  I1, I2, predictProba against numpy's forward pass
// Every measurement runs in its own child process, one at a time; each
// section interleaves its configurations in rounds and reports medians and
// paired ratios (the machine is shared and noisy). Prints the tables and the
// targets, and writes this machine's section of bench/RESULTS.md, keeping the
// other machines' sections.
//
// Options: --quick (one round, fewer repetitions), --only a,b (sections),
// --no-numpy, --no-torch, --out <file>.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { log, pythonWith } = require('./suite/common');
const { machineLabel, thisCpu, mergeResults, targetLine, TARGETS_HEAD } = require('./suite/results');

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const flag = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const outFile = flag('--out') ?? path.join(__dirname, 'RESULTS.md');
const SECTIONS = ['square', 'fullbatch', 'minibatch', 'inference'];
const only = flag('--only')?.split(',') ?? SECTIONS;
for (const s of only) if (!SECTIONS.includes(s)) throw new Error(`--only: unknown section '${s}' (${SECTIONS.join(', ')})`);

/** This machine's label in RESULTS.md and the run's software. */
function machine(backend) {
  return { label: machineLabel(thisCpu(), backend), detail: `deepnet ${backend.version}, SIMD ${backend.simd}, ` +
    `gemm ${backend.gemm}${backend.openblasConfig ? ` (${backend.openblasConfig})` : ''}, Node ${process.version}, ${os.platform()} ${os.release()}` };
}

function main() {
  const { backendInfo } = require('..');
  const numpy = args.includes('--no-numpy') ? null : pythonWith('numpy', ['python3']);
  const torch = args.includes('--no-torch') ? null : pythonWith('torch', ['python3', '/usr/bin/python3']);
  const numpyVersion = numpy && require('child_process').execFileSync(numpy, ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' }).trim();
  if (!numpy) log('numpy is not available (python3 -c "import numpy" failed): its rows are skipped');
  if (!torch) log('PyTorch is not available (import torch failed with python3 and /usr/bin/python3): its rows are skipped (apt-get install python3-torch)');
  const info = backendInfo();
  const m = machine(info);
  const started = Date.now();
  const parts = [];
  const targets = [];
  for (const id of only) {
    log(`== ${id}`);
    const r = require(`./suite/${id}`).run({ quick, numpy, torch });
    parts.push(`### ${r.title}\n\n${r.markdown}`);
    targets.push(...r.targets);
  }
  const minutes = ((Date.now() - started) / 60000).toFixed(0);
  const targetTable = [TARGETS_HEAD, ...targets.map(targetLine)].join('\n');
  const text = `## ${m.label}\n\nMeasured ${new Date().toISOString().slice(0, 10)} (${minutes} min${quick ? ', --quick: one round' : ''}): ${m.detail}; ` +
    `peers: ${numpy ? `numpy ${numpyVersion} (${numpy})` : 'no numpy'}, ${torch ? `PyTorch (${torch})` : 'no PyTorch'}.\n\n` +
    `### Targets (issue 17), in this run\n\n${targetTable}\n\n${parts.join('\n\n')}`;
  process.stdout.write(`${text}\n`);
  fs.writeFileSync(outFile, mergeResults(fs.existsSync(outFile) ? fs.readFileSync(outFile, 'utf8') : '', { label: m.label, text }));
  log(`wrote ${path.relative(process.cwd(), outFile)}`);
}

main();
