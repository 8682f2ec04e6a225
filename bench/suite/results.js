// bench/RESULTS.md, one section per machine kind: how a section is labelled,
// which old section a new run replaces, and how the targets table reads.
// Kept apart from bench/run.js (which measures when run) so the rules have
// tests (test/bench_results.test.ts).
const fs = require('fs');
const os = require('os');

/**
 * A machine's label: CPU model, SIMD level, CPUID family and model (a Zen 4
 * and a Zen 5 both call themselves "AMD EPYC" with AVX-512), cores.
 * `cpu` is { model, flags, cores } as /proc/cpuinfo and os.cpus() give them.
 */
function machineLabel(cpu, backend) {
  const isa = cpu.flags.includes('avx512f') ? 'AVX-512' : cpu.flags.includes('avx2') ? 'AVX2' : process.arch;
  const amx = cpu.flags.includes('amx_tile') ? ', AMX' : '';
  const cpuid = backend.cpuModel ? `; ${backend.cpuModel}` : '';
  return `${cpu.model} (${isa}${amx}${cpuid}), ${cpu.cores} cores`;
}

/** This machine's CPU as machineLabel reads it. */
function thisCpu() {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const flags = /^flags\s*:\s*(.*)$/m.exec(cpuinfo)?.[1].split(' ') ?? [];
  return { model: os.cpus()[0]?.model ?? 'unknown CPU', flags, cores: os.cpus().length };
}

/**
 * Whether a section's label names this machine. Labels written before the
 * CPUID family was in them (the Xeon's and the Zen 3's of 2026-12-02) match
 * without it: their CPUs' families were not recorded, so another CPU of the
 * same name and SIMD level replaces them too.
 */
function sameMachine(label, current) {
  return label === current || (!label.includes('; family ') && label === current.replace(/; family \d+ model \d+/, ''));
}

const HEAD = '# Benchmark results\n\nOne section per machine kind, the newest run of each (`npm run bench` rewrites its own machine\'s ' +
  'section and keeps the others). How to read them: [docs/performance.md](../docs/performance.md).\n';

/** RESULTS.md's new text: this run's section first, the other machines' sections kept as they were. */
function mergeResults(old, section) {
  const kept = [...old.matchAll(/<!-- machine: (.*?) -->\n([\s\S]*?)(?=<!-- machine: |$)/g)]
    .filter(([, label]) => !sameMachine(label, section.label)).map(([whole]) => whole.trimEnd());
  return [HEAD, `<!-- machine: ${section.label} -->\n${section.text}`, ...kept].join('\n\n') + '\n';
}

/**
 * A row of the targets table: { name, value (null when not measured), goal,
 * unit 'x' | '%', atMost, peakShare }. peakShare, for a speed-up, is the
 * share of this machine's gemm peak (measured in the same run) the row runs
 * at: the row then says what share the goal needs, and a goal past 100% is
 * out of this machine's reach whatever the code does.
 */
function targetLine(t) {
  const bound = t.atMost ? '≤' : '≥';
  const show = (v) => (t.unit === '%' ? `${(100 * v).toFixed(0)}%` : `${v.toFixed(2)}x`);
  const measured = !(t.value === null || t.value === undefined || Number.isNaN(t.value));
  const needs = measured && t.peakShare > 0 ? `${(100 * t.peakShare * t.goal / t.value).toFixed(0)}%` : '—';
  if (!measured) return `| ${t.name} | — | ${bound} ${show(t.goal)} | — | not measured |`;
  const met = t.atMost ? t.value <= t.goal : t.value >= t.goal;
  return `| ${t.name} | ${show(t.value)} | ${bound} ${show(t.goal)} | ${needs} | ${met ? 'met' : '**missed**'} |`;
}

/** The targets table's head, for targetLine's rows. */
const TARGETS_HEAD = '| target | measured | goal | the goal needs, of the gemm peak | |\n|---|---|---|---|---|';

module.exports = { machineLabel, thisCpu, sameMachine, mergeResults, targetLine, TARGETS_HEAD };
