// bench/RESULTS.md's rules (bench/suite/results.js): a run replaces only its
// own machine's section, labels tell CPU families apart, and the targets
// table says met or missed by the goal's direction.
/* eslint-disable @typescript-eslint/no-var-requires */
const { machineLabel, sameMachine, mergeResults, targetLine, TARGETS_HEAD } = require('../bench/suite/results');
const { gemmShown } = require('../bench/suite/common');

const zen4 = { model: 'AMD EPYC', flags: ['fma', 'avx2', 'avx512f'], cores: 2 };

test('a label names the CPU, its SIMD level, AMX when present, the CPUID family and the cores', () => {
  expect(machineLabel(zen4, { cpuModel: 'family 25 model 17' })).toBe('AMD EPYC (AVX-512; family 25 model 17), 2 cores');
  expect(machineLabel({ model: 'Intel Xeon', flags: ['avx2', 'avx512f', 'amx_tile'], cores: 2 }, {}))
    .toBe('Intel Xeon (AVX-512, AMX), 2 cores');
  expect(machineLabel({ model: 'AMD EPYC', flags: ['avx2'], cores: 4 }, { cpuModel: 'family 25 model 1' }))
    .toBe('AMD EPYC (AVX2; family 25 model 1), 4 cores');
});

test('a Zen 5 does not replace a Zen 4 of the same name; a label from before families were recorded is replaced', () => {
  const zen5 = 'AMD EPYC (AVX-512; family 26 model 2), 2 cores';
  expect(sameMachine('AMD EPYC (AVX-512; family 25 model 17), 2 cores', zen5)).toBe(false);
  expect(sameMachine(zen5, zen5)).toBe(true);
  expect(sameMachine('AMD EPYC (AVX-512), 2 cores', zen5)).toBe(true);
  expect(sameMachine('AMD EPYC (AVX2), 2 cores', zen5)).toBe(false);
  expect(sameMachine('Intel Xeon (AVX-512, AMX), 2 cores', zen5)).toBe(false);
});

test('merging keeps the other machines\' sections word for word and puts this run first', () => {
  const zen3 = '<!-- machine: AMD EPYC (AVX2), 2 cores -->\n## Zen 3\n\nold zen 3 table';
  const zen4old = '<!-- machine: AMD EPYC (AVX-512; family 25 model 17), 2 cores -->\n## Zen 4\n\nold zen 4 table';
  const old = mergeResults(mergeResults('', { label: 'AMD EPYC (AVX2), 2 cores', text: '## Zen 3\n\nold zen 3 table' }),
    { label: 'AMD EPYC (AVX-512; family 25 model 17), 2 cores', text: '## Zen 4\n\nold zen 4 table' });
  expect(old).toContain(zen3);
  expect(old.indexOf(zen4old)).toBeLessThan(old.indexOf(zen3));

  const next = mergeResults(old, { label: 'AMD EPYC (AVX-512; family 25 model 17), 2 cores', text: '## Zen 4\n\nnew zen 4 table' });
  expect(next).toContain('new zen 4 table');
  expect(next).not.toContain('old zen 4 table');
  expect(next).toContain(zen3);
  expect(next.startsWith('# Benchmark results\n')).toBe(true);
  expect(next.match(/<!-- machine: /g)).toHaveLength(2);
});

test('a target row is met or missed by its direction, in its unit, or not measured', () => {
  expect(targetLine({ name: 'W1', value: 8.5, goal: 8, unit: 'x' })).toBe('| W1 | 8.50x | ≥ 8.00x | — | met |');
  expect(targetLine({ name: 'W1', value: 7.83, goal: 8, unit: 'x' })).toBe('| W1 | 7.83x | ≥ 8.00x | — | **missed** |');
  expect(targetLine({ name: 'W2', value: 0.894, goal: 0.9, unit: '%' })).toBe('| W2 | 89% | ≥ 90% | — | **missed** |');
  expect(targetLine({ name: 'RSS', value: 1.04, goal: 1.3, unit: 'x', atMost: true })).toBe('| RSS | 1.04x | ≤ 1.30x | — | met |');
  expect(targetLine({ name: 'RSS', value: 1.4, goal: 1.3, unit: 'x', atMost: true })).toBe('| RSS | 1.40x | ≤ 1.30x | — | **missed** |');
  expect(targetLine({ name: 'W4', value: null, goal: 3, unit: 'x' })).toBe('| W4 | — | ≥ 3.00x | — | not measured |');
  expect(targetLine({ name: 'W2', value: NaN, goal: 0.9, unit: '%' })).toBe('| W2 | — | ≥ 90% | — | not measured |');
});

test('a speed-up measured at a share of the gemm peak says what share its goal needs', () => {
  // 5.56x at 75% of the peak: 8x needs 75% * 8 / 5.56 = 108%, past what the machine does.
  expect(targetLine({ name: 'W1', value: 5.56, goal: 8, unit: 'x', peakShare: 0.75 })).toBe('| W1 | 5.56x | ≥ 8.00x | 108% | **missed** |');
  expect(targetLine({ name: 'W3', value: 13.69, goal: 30, unit: 'x', peakShare: 0.27 })).toBe('| W3 | 13.69x | ≥ 30.00x | 59% | **missed** |');
  expect(targetLine({ name: 'I1', value: 2.5, goal: 2, unit: 'x', peakShare: 0.5 })).toBe('| I1 | 2.50x | ≥ 2.00x | 40% | met |');
  expect(TARGETS_HEAD.split('\n')[0].split('|').length).toBe(targetLine({ name: 'a', value: 1, goal: 1, unit: 'x' }).split('|').length);
});

test('rows say which gemm ran: the measured dispatch, or the built-in forced', () => {
  expect(gemmShown('openblas')).toBe('dispatch');
  expect(gemmShown('builtin')).toBe('built-in');
  expect(gemmShown('torch')).toBe('torch');
});
