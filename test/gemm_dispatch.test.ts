// The gemm dispatch: per shape class, dtype and thread count, the built-in
// kernel or OpenBLAS, from the table measured per CPU family or the default
// rules; what backendInfo() says about it; and that a product's results do
// not depend on which backend the table picks beyond the golden tolerance.
import * as fs from 'fs';
import { backendInfo, lModelForward, setNumThreads } from '../lib';
import { applyGemmDispatch, GemmDispatchClasses, GemmLevelClasses } from '../lib/gemmDispatch';
import { native } from '../lib/native';
import { expectClose, loadGolden, toMatrix, toParams, TOL } from './helpers/golden';

const info = backendInfo();
const blas = info.gemm === 'openblas';
const NONE: GemmDispatchClasses = { float64: [[], []], float32: [[], []] };
const row = (openblas: GemmDispatchClasses, builtinAvx2?: GemmLevelClasses) =>
  ({ [info.gemmDispatch.family]: { measured: '2026-12-02', machine: 'a test', openblas, builtinAvx2 } });
const ALL_AVX2: GemmLevelClasses = { float64: ['thin', 'thinNT', 'dot', 'packedShallow', 'packed'], float32: ['thin', 'thinNT', 'dot', 'packedShallow', 'packed'] };

afterEach(() => {
  applyGemmDispatch(native);  // back to what the addon loaded with
  setNumThreads(2);
});

test('backendInfo names the family and why the dispatch is what it is', () => {
  expect(info.gemmDispatch.family).toBe(`${info.simd}/${info.openblasCore ?? 'no OpenBLAS'}/${info.cpuVendor || 'unknown vendor'}`);
  if (!blas) expect(info.gemmDispatch.source).toMatch(/^no OpenBLAS: the built-in kernel computes every product/);
  else expect(info.gemmDispatch.source).toMatch(/^(measured on .*\(bench\/calibrate\.js\)|the default rules.*)$/);
  if (/default rules/.test(info.gemmDispatch.source)) expect(info.gemmDispatch.openblas).toEqual(native.gemmDispatchDefaults());
});

test('the family names the CPU vendor that /proc/cpuinfo gives (OpenBLAS names Zen 4 after an Intel core), and cpuModel its family and model', () => {
  const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
  const field = (name: string) => new RegExp(`^${name}\\s*:\\s*(\\S+)`, 'm').exec(cpuinfo)?.[1];
  const vendorId = field('vendor_id');
  if (vendorId === undefined) {
    expect(info.cpuModel).toBe('');  // not x86: no CPUID
    return;
  }
  expect(info.cpuVendor).toBe({ AuthenticAMD: 'AMD', GenuineIntel: 'Intel' }[vendorId] ?? vendorId);
  expect(info.gemmDispatch.family.endsWith(`/${info.cpuVendor}`)).toBe(true);
  expect(info.cpuModel).toBe(`family ${field('cpu family')} model ${field('model')}`);
});

test('the default rules keep what the built-in kernel reads in place at the x86 levels, and send the large packed products to OpenBLAS', () => {
  const d = native.gemmDispatchDefaults();
  const x86 = info.simd === 'avx512' || info.simd === 'avx2+fma';
  for (const dtype of ['float64', 'float32'] as const) {
    for (const t of [0, 1]) expect(d[dtype][t]).toEqual(x86 ? ['packed'] : ['packedShallow', 'packed']);
  }
});

test('the shape classes of the notes\' products', () => {
  const cls = (tA: boolean, tB: boolean, M: number, N: number, K: number, ldb: number) => native.gemmClass(tA, tB, M, N, K, ldb, 'float64').class;
  if (info.simd === 'avx512' || info.simd === 'avx2+fma') {
    expect(cls(false, false, 20, 209, 2, 209)).toBe('smallK');
    expect(cls(false, false, 20, 209, 12288, 209)).toBe('thin');
    expect(cls(false, true, 20, 12288, 209, 209)).toBe('thinNT');
    expect(cls(false, true, 1, 3, 211, 211)).toBe('dot');
  }
  expect(cls(false, false, 1024, 1024, 1024, 1024)).toBe('packed');
  expect(cls(false, true, 256, 256, 64, 64)).toBe('packedShallow');
});

/** The backend a product gets: what the dispatch says, or the built-in kernel when there is no OpenBLAS. */
const expected = (backend: 'openblas' | 'builtin') => (blas ? backend : 'builtin');

test('a row of the table for this family routes its classes to OpenBLAS, per dtype and thread count', () => {
  const thin = (dtype: string) => native.gemmClass(false, false, 20, 209, 12288, 209, dtype);
  const big = (dtype: string) => native.gemmClass(false, false, 1024, 1024, 1024, 1024, dtype);
  const small = thin('float64').class;  // 'thin' at the x86 vector levels, 'packed' elsewhere
  applyGemmDispatch(native, row({ float64: [[small], []], float32: [[], [small, 'packed']] }));
  if (blas) expect(backendInfo().gemmDispatch.source).toBe('measured on a test, 2026-12-02 (bench/calibrate.js)');
  setNumThreads(1);
  expect([thin('float64').backend, thin('float32').backend, big('float32').backend])
    .toEqual([expected('openblas'), 'builtin', 'builtin']);
  setNumThreads(2);
  expect([thin('float64').backend, thin('float32').backend, big('float32').backend])
    .toEqual(['builtin', expected('openblas'), expected('openblas')]);
});

test('a row\'s builtinAvx2 classes run the built-in kernel\'s AVX2 paths on an AVX-512 CPU, per dtype, whatever the thread count', () => {
  const big = (dtype: string) => native.gemmClass(false, false, 1024, 1024, 1024, 1024, dtype);
  const thin = (dtype: string) => native.gemmClass(false, false, 20, 209, 12288, 209, dtype);
  applyGemmDispatch(native, row(NONE, { float64: [], float32: ['packed'] }));
  // Without OpenBLAS no row applies (the key names OpenBLAS's kernel family); below AVX-512 nothing moves.
  expect(backendInfo().gemmDispatch.builtinAvx2).toEqual({ float64: [], float32: blas ? ['packed'] : [] });
  const moved = blas && info.simd === 'avx512' ? 'avx2+fma' : info.simd;
  for (const threads of [1, 2]) {
    setNumThreads(threads);
    expect([big('float32').builtinLevel, big('float64').builtinLevel, thin('float32').builtinLevel]).toEqual([moved, info.simd, info.simd]);
  }
  applyGemmDispatch(native, row(NONE));  // a row without it: every class at the CPU's level
  expect(backendInfo().gemmDispatch.builtinAvx2).toEqual({ float64: [], float32: [] });
  expect(big('float32').builtinLevel).toBe(info.simd);
});

test('without OpenBLAS or without this family\'s row, a row measured on this CPU model gives its built-in levels, nothing else', () => {
  const levels: GemmLevelClasses = { float64: [], float32: ['packed'] };
  const twin = (cpu: string) => ({ [`${info.simd}/AnotherCore/${info.cpuVendor}`]:
    { measured: '2026-12-03', machine: 'a twin', cpu, openblas: { float64: [['thin'], ['thin']], float32: [[], []] } as GemmDispatchClasses, builtinAvx2: levels } });
  applyGemmDispatch(native, twin(info.cpuModel));
  const d = backendInfo().gemmDispatch;
  expect(d.openblas).toEqual(native.gemmDispatchDefaults());  // the twin's OpenBLAS classes are its OpenBLAS's
  expect(d.builtinAvx2).toEqual(info.cpuModel ? levels : { float64: [], float32: [] });
  if (info.cpuModel) expect(d.source).toMatch(new RegExp(`^${blas ? 'the default rules: no measurement' : 'no OpenBLAS'}.*; the built-in kernel's levels as measured on a twin \\(${info.cpuModel}\\), 2026-12-03$`));
  applyGemmDispatch(native, twin('family 1 model 1'));  // another CPU model: not this one's levels
  expect(backendInfo().gemmDispatch.builtinAvx2).toEqual({ float64: [], float32: [] });
  process.env.DEEPNET_GEMM_DISPATCH = 'default';
  try {
    applyGemmDispatch(native, twin(info.cpuModel));
    expect(backendInfo().gemmDispatch.builtinAvx2).toEqual({ float64: [], float32: [] });
  } finally {
    delete process.env.DEEPNET_GEMM_DISPATCH;
  }
});

test('the small-K class stays built-in at the CPU\'s level whatever the table says (its fused epilogue must agree with it)', () => {
  native.setGemmDispatch({ float64: [['smallK'], ['smallK']], float32: [['smallK'], ['smallK']] }, { float64: ['smallK'], float32: ['smallK'] });
  expect(native.gemmDispatch()).toEqual(NONE);
  expect(native.gemmBuiltinAvx2()).toEqual({ float64: [], float32: [] });
  expect(native.gemmClass(false, false, 20, 209, 2, 209, 'float64')).toMatchObject({ backend: 'builtin', builtinLevel: info.simd });
});

test('every backend choice gives the golden forward pass', () => {
  const c = loadGolden('forward_backward').cases[0];
  const X = toMatrix(c.X);
  const params = toParams(c.parameters);
  const all: GemmDispatchClasses = { float64: [['thin', 'thinNT', 'dot', 'packedShallow', 'packed'], ['thin', 'thinNT', 'dot', 'packedShallow', 'packed']], float32: [[], []] };
  for (const [openblas, avx2] of [[NONE, undefined], [all, undefined], [NONE, ALL_AVX2]] as const) {
    native.setGemmDispatch(openblas, avx2);
    const [AL] = lModelForward(X, params);
    expectClose(Array.from(AL.data), c.plain.forward.A3, TOL.array, 'AL');
  }
});

test('the addon refuses a malformed dispatch, naming what is wrong', () => {
  expect(() => native.setGemmDispatch({ float64: [['fast'], []], float32: [[], []] } as unknown as GemmDispatchClasses)).toThrow("unknown gemm class 'fast'");
  expect(() => native.setGemmDispatch({ float64: [[]], float32: [[], []] } as unknown as GemmDispatchClasses)).toThrow('the gemm dispatch\'s float64 must be [one thread, more threads]');
  expect(() => native.setGemmDispatch(NONE, { float64: 'packed', float32: [] } as unknown as GemmLevelClasses)).toThrow('builtinAvx2.float64 must be an array of class names');
  expect(() => native.setGemmDispatch(NONE, { float64: [], float32: ['quick'] } as unknown as GemmLevelClasses)).toThrow("unknown gemm class 'quick'");
  expect(() => native.setGemmDispatch(NONE, 'fast' as unknown as GemmLevelClasses)).toThrow("the gemm dispatch's builtinAvx2 must be an object { float64, float32 }");
  expect(() => native.setGemmDispatch(NONE, [] as unknown as GemmLevelClasses)).toThrow('builtinAvx2.float32 must be an array of class names');
});
