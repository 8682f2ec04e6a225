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

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const flag = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const outFile = flag('--out') ?? path.join(__dirname, 'RESULTS.md');
const SECTIONS = ['square', 'fullbatch', 'minibatch', 'inference'];
const only = flag('--only')?.split(',') ?? SECTIONS;
for (const s of only) if (!SECTIONS.includes(s)) throw new Error(`--only: unknown section '${s}' (${SECTIONS.join(', ')})`);

/**
 * This machine, as RESULTS.md labels its section: CPU model, SIMD level,
 * CPUID family and model (a Zen 4 and a Zen 5 both call themselves
 * "AMD EPYC" with AVX-512), cores.
 */
function machine(backend) {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const flags = /^flags\s*:\s*(.*)$/m.exec(cpuinfo)?.[1].split(' ') ?? [];
  const model = os.cpus()[0]?.model ?? 'unknown CPU';
  const isa = flags.includes('avx512f') ? 'AVX-512' : flags.includes('avx2') ? 'AVX2' : process.arch;
  const amx = flags.includes('amx_tile') ? ', AMX' : '';
  const cpuid = backend.cpuModel ? `; ${backend.cpuModel}` : '';
  return { label: `${model} (${isa}${amx}${cpuid}), ${os.cpus().length} cores`, detail: `deepnet ${backend.version}, SIMD ${backend.simd}, ` +
    `gemm ${backend.gemm}${backend.openblasConfig ? ` (${backend.openblasConfig})` : ''}, Node ${process.version}, ${os.platform()} ${os.release()}` };
}

function targetLine(t) {
  if (t.value === null || t.value === undefined || Number.isNaN(t.value)) return `| ${t.name} | — | ${t.atMost ? '≤' : '≥'} ${t.goal}${t.unit === '%' ? '' : t.unit} | not measured |`;
  const show = (v) => (t.unit === '%' ? `${(100 * v).toFixed(0)}%` : `${v.toFixed(2)}x`);
  const met = t.atMost ? t.value <= t.goal : t.value >= t.goal;
  return `| ${t.name} | ${show(t.value)} | ${t.atMost ? '≤' : '≥'} ${show(t.goal)} | ${met ? 'met' : '**missed**'} |`;
}

/**
 * Whether a section's label names this machine. Labels written before the
 * CPUID family was in them (the Xeon's and the Zen 3's of 2026-12-02) match
 * without it: their CPUs' families were not recorded, so another CPU of the
 * same name and SIMD level would replace them too.
 */
function sameMachine(label, current) {
  return label === current || (!label.includes('; family ') && label === current.replace(/; family \d+ model \d+/, ''));
}

function writeResults(section) {
  const begin = (label) => `<!-- machine: ${label} -->`;
  const old = fs.existsSync(outFile) ? fs.readFileSync(outFile, 'utf8') : '';
  const kept = [...old.matchAll(/<!-- machine: (.*?) -->\n([\s\S]*?)(?=<!-- machine: |$)/g)]
    .filter(([, label]) => !sameMachine(label, section.label)).map(([whole]) => whole.trimEnd());
  const head = '# Benchmark results\n\nOne section per machine kind, the newest run of each (`npm run bench` rewrites its own machine\'s ' +
    'section and keeps the others). How to read them: [docs/performance.md](../docs/performance.md).\n';
  fs.writeFileSync(outFile, [head, `${begin(section.label)}\n${section.text}`, ...kept].join('\n\n') + '\n');
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
  const targetTable = ['| target | measured | goal | |', '|---|---|---|---|', ...targets.map(targetLine)].join('\n');
  const text = `## ${m.label}\n\nMeasured ${new Date().toISOString().slice(0, 10)} (${minutes} min${quick ? ', --quick: one round' : ''}): ${m.detail}; ` +
    `peers: ${numpy ? `numpy ${numpyVersion} (${numpy})` : 'no numpy'}, ${torch ? `PyTorch (${torch})` : 'no PyTorch'}.\n\n` +
    `### Targets (issue 17), in this run\n\n${targetTable}\n\n${parts.join('\n\n')}`;
  process.stdout.write(`${text}\n`);
  writeResults({ label: m.label, text });
  log(`wrote ${path.relative(process.cwd(), outFile)}`);
}

main();
