// The rules bench/calibrate.js writes the gemm dispatch table by
// (bench/suite/dispatch_choice.js), on made-up class sums in microseconds.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { chooseDispatch } = require('../bench/suite/dispatch_choice');

type Times = Record<string, number>;
/** sums for one dtype: class -> [1 thread times, 2 thread times], each { avx512, avx2, openblas }. */
function sums(dtype: string, perClass: Record<string, [Times, Times]>): Record<string, Times> {
  const out: Record<string, Times> = {};
  for (const [c, [one, two]] of Object.entries(perClass)) {
    out[`${dtype}/1/${c}`] = one;
    out[`${dtype}/2/${c}`] = two;
  }
  return out;
}
const t = (avx512: number, avx2: number, openblas: number) => ({ avx512, avx2, openblas });
const LEVELS = ['avx512', 'avx2'];

test('a class moves to AVX2 when more than the margin faster over both thread counts and slower at neither', () => {
  const d = chooseDispatch(sums('float32', {
    packed: [t(1000, 900, 2000), t(600, 500, 2000)],       // faster at both: moves
    dot: [t(100, 80, 2000), t(100, 101, 2000)],            // faster summed, slower on 2 threads: stays
    packedShallow: [t(100, 97, 2000), t(100, 97, 2000)],   // 3% faster: within the margin, stays
    smallK: [t(100, 10, 2000), t(100, 10, 2000)],          // never moves
  }), LEVELS, 0.05);
  expect(d.builtinAvx2).toEqual({ float64: [], float32: ['packed'] });
  expect(d.levelOf('float32', 'packed')).toBe('avx2');
  expect(d.levelOf('float32', 'dot')).toBe('avx512');
  expect(d.levelOf('float64', 'packed')).toBe('avx512');
});

test('thin and thin NT move together, judged on their summed time (the streamed pair needs one level)', () => {
  const slowerNT = chooseDispatch(sums('float64', {
    thin: [t(4000, 3600, 9000), t(3200, 1900, 9000)],
    thinNT: [t(2500, 3000, 9000), t(1400, 1560, 9000)],  // the pair is slower on 1 thread: stays
  }), LEVELS, 0.05);
  expect(slowerNT.builtinAvx2.float64).toEqual([]);
  const both = chooseDispatch(sums('float64', {
    thin: [t(4000, 3600, 9000), t(3200, 1900, 9000)],
    thinNT: [t(2500, 2600, 9000), t(1400, 1500, 9000)],  // the pair is faster at both: both move
  }), LEVELS, 0.05);
  expect(both.builtinAvx2.float64).toEqual(['thin', 'thinNT']);
});

test('OpenBLAS is compared with the chosen built-in level, per thread count, and must save 1% of the total', () => {
  const d = chooseDispatch({
    ...sums('float32', {
      packed: [t(1000, 800, 900), t(600, 500, 450)],  // AVX2 beats OpenBLAS on 1 thread, OpenBLAS wins on 2
      thin: [t(100, 100, 50), t(100, 100, 50)],       // twice as fast, saving 50 us, over 1% of the total
      dot: [t(5, 5, 1), t(5, 5, 1)],                  // 4 us: under 1% of the total, stays
    }),
  }, LEVELS, 0.05);
  expect(d.builtinAvx2.float32).toEqual(['packed']);
  expect(d.openblas.float32).toEqual([['thin'], ['thin', 'packed']]);
  expect(d.openblas.float64).toEqual([[], []]);
});

test('below AVX-512 only OpenBLAS is chosen, and small-K never goes to it', () => {
  const d = chooseDispatch(sums('float64', {
    packed: [{ 'avx2+fma': 1000, openblas: 500 }, { 'avx2+fma': 600, openblas: 300 }],
    smallK: [{ 'avx2+fma': 1000, openblas: 1 }, { 'avx2+fma': 1000, openblas: 1 }],
  }), ['avx2+fma'], 0.05);
  expect(d.builtinAvx2).toBeNull();
  expect(d.openblas.float64).toEqual([['packed'], ['packed']]);
  expect(d.levelOf('float64', 'packed')).toBe('avx2+fma');
});
