// The gemm dispatch bench/calibrate.js writes, chosen from measured times
// (tested in test/dispatch_choice.test.ts):
// - at AVX-512, the built-in kernel's AVX2 paths for a group of classes that
//   was more than `margin` faster summed over 1 and 2 threads and slower at
//   neither (per dtype only, so the built-in kernel's results stay
//   independent of the thread count; a level costs nothing to mix in, so no
//   1% floor); thin and thin NT as one group, because the first layer's
//   streamed pair (gemm_streamed) streams only when both share a level;
// - then OpenBLAS for a class, per dtype and thread count, where it beat the
//   chosen built-in level by more than the margin and saved at least 1% of
//   all the shapes' time there (mixing backends costs: OpenBLAS's threads
//   spin after each call). SmallK never moves (its fused epilogue).
const CLASSES = ['smallK', 'thin', 'thinNT', 'dot', 'packedShallow', 'packed'];
const LEVEL_GROUPS = [['thin', 'thinNT'], ['dot'], ['packedShallow'], ['packed']];
const DTYPES = ['float64', 'float32'];

/**
 * sums: `${dtype}/${threads}/${class}` -> { [level]: us, openblas: us }, the
 * times summed over a class's shapes; levels: the built-in levels measured,
 * the CPU's first ('avx512', then 'avx2' where it runs AVX-512).
 * Returns { openblas: { dtype: [classes at 1 thread, at more] }, builtinAvx2 (or
 * null below AVX-512): { dtype: classes }, levelOf(dtype, class) }.
 */
function chooseDispatch(sums, levels, margin) {
  const sum = (dtype, threads, c, what) => sums[`${dtype}/${threads}/${c}`]?.[what] ?? 0;
  const worth = (faster, slower, total) => faster < slower * (1 - margin) && slower - faster >= 0.01 * total;
  const builtinAvx2 = levels.length > 1 ? { float64: [], float32: [] } : null;
  for (const dtype of builtinAvx2 ? DTYPES : []) {
    const at = (group, level, threads) => group.reduce((a, c) => a + sum(dtype, threads, c, level), 0);
    const both = (group, level) => at(group, level, 1) + at(group, level, 2);
    for (const group of LEVEL_GROUPS) {
      const neverSlower = [1, 2].every((t) => at(group, levels[1], t) <= at(group, levels[0], t));
      if (neverSlower && worth(both(group, levels[1]), both(group, levels[0]), 0)) builtinAvx2[dtype].push(...group);
    }
  }
  const levelOf = (dtype, c) => (builtinAvx2?.[dtype].includes(c) ? levels[1] : levels[0]);
  const openblas = { float64: [[], []], float32: [[], []] };
  for (const dtype of DTYPES) {
    for (const threads of [1, 2]) {
      const builtin = (c) => sum(dtype, threads, c, levelOf(dtype, c));
      const total = CLASSES.reduce((a, c) => a + Math.min(builtin(c), sum(dtype, threads, c, 'openblas')), 0);
      for (const c of CLASSES) {
        if (c !== 'smallK' && sums[`${dtype}/${threads}/${c}`] && worth(sum(dtype, threads, c, 'openblas'), builtin(c), total)) openblas[dtype][threads - 1].push(c);
      }
    }
  }
  return { openblas, builtinAvx2, levelOf };
}

module.exports = { CLASSES, chooseDispatch };
