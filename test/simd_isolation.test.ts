// The addon must never execute an AVX-512 instruction unless its SIMD level is avx512 (it runs on
// AVX2-only CPUs too). All AVX-512 code is compiled in translation units that put it in namespace
// deepnet::avx512 (native/kernels/target_avx512.h), which the dispatch calls only at that level;
// code the compiler shares between units keeps the baseline target. This disassembles the loaded
// addon and checks the convention held: every function that touches a register only AVX-512 has
// (zmm0-31, the mask registers k0-k7, xmm16-31 and ymm16-31) is named for that level, and every
// function that touches a ymm register (AVX, absent from baseline x86-64) is named for avx2 or
// avx512, so neither level's code can run below it.
import { execFileSync } from 'child_process';
import { addonOrigin } from '../lib/native';

const AVX512_REGISTER = /%(zmm\d+|k[0-7]\b|[xy]mm(1[6-9]|2\d|3[01])\b)/;
const YMM_REGISTER = /%ymm\d+\b/;

/** Function name -> the first instruction in it that uses a register the pattern matches. */
function functionsUsing(file: string, register: RegExp): Map<string, string> {
  let asm: string;
  try {
    asm = execFileSync('objdump', ['-d', '-C', '--no-show-raw-insn', file], { encoding: 'utf8', maxBuffer: 1 << 30 });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`simd_isolation needs objdump (binutils, installed with g++) to disassemble ${file}: ${reason}`);
  }
  const found = new Map<string, string>();
  let current = '';
  for (const line of asm.split('\n')) {
    const header = /^[0-9a-f]+ <(.*)>:$/.exec(line);
    if (header) current = header[1];
    else if (current && !found.has(current) && register.test(line)) found.set(current, line.trim());
  }
  return found;
}

(process.arch === 'x64' ? describe : describe.skip)('SIMD isolation (x64)', () => {
  test('only functions named for avx512 use AVX-512 registers', () => {
    const found = functionsUsing(addonOrigin.file, AVX512_REGISTER);
    // The elementwise kernels have AVX-512 paths: finding none means the check looked at the wrong thing.
    expect(found.size).toBeGreaterThan(0);
    const outside = [...found].filter(([name]) => !name.includes('avx512')).map(([name, insn]) => `${name}: ${insn}`);
    if (outside.length) {
      throw new Error(`${addonOrigin.file}: ${outside.length} function(s) outside namespace deepnet::avx512 use ` +
        `AVX-512 registers and could run on a CPU without AVX-512:\n${outside.join('\n')}`);
    }
  });

  test('only functions named for avx2 or avx512 use 256-bit registers', () => {
    const found = functionsUsing(addonOrigin.file, YMM_REGISTER);
    expect([...found.keys()].some((name) => name.includes('deepnet::avx2::'))).toBe(true);
    const outside = [...found].filter(([name]) => !/avx2|avx512/.test(name)).map(([name, insn]) => `${name}: ${insn}`);
    if (outside.length) {
      throw new Error(`${addonOrigin.file}: ${outside.length} function(s) outside namespaces deepnet::avx2 and ` +
        `deepnet::avx512 use ymm registers and could run on a CPU without AVX2:\n${outside.join('\n')}`);
    }
  });
});
