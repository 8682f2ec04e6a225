// numpy's pairwise summation (np.sum over a contiguous axis), reproduced
// exactly: blocks of up to 128 terms are summed with 8 interleaved
// accumulators, longer runs are split in two at a multiple of 8, and the
// result is added to 0.0. Matching it keeps costs and db bit-identical to
// numpy rather than merely close.
#pragma once

namespace deepnet {

// Sum of term(0) .. term(n-1), with numpy's grouping. Acc is the accumulator
// type (numpy accumulates in the array's dtype).
template <typename Acc, typename Term>
Acc pairwise_sum(long n, const Term& term, long offset = 0) {
  if (n < 8) {
    Acc res = -0.0;  // numpy starts at -0.0 so a sum of -0.0 stays -0.0
    for (long i = 0; i < n; ++i) res += term(offset + i);
    return res;
  }
  if (n <= 128) {
    Acc r[8];
    for (int j = 0; j < 8; ++j) r[j] = term(offset + j);
    long i = 8;
    for (; i < n - (n % 8); i += 8)
      for (int j = 0; j < 8; ++j) r[j] += term(offset + i + j);
    Acc res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += term(offset + i);
    return res;
  }
  long n2 = n / 2;
  n2 -= n2 % 8;
  return pairwise_sum<Acc>(n2, term, offset) + pairwise_sum<Acc>(n - n2, term, offset + n2);
}

// The same sum and grouping, with the terms of each leaf (at most 128
// consecutive terms) computed at once: fill(offset, count, out) writes terms
// offset .. offset + count - 1 to out (so they can be computed with SIMD).
template <typename Acc, typename Fill>
Acc pairwise_sum_blocks(long n, const Fill& fill, long offset = 0) {
  if (n <= 128) {
    Acc terms[128];
    fill(offset, n, terms);
    return pairwise_sum<Acc>(n, [&terms, offset](long i) { return terms[i - offset]; }, offset);
  }
  long n2 = n / 2;
  n2 -= n2 % 8;
  return pairwise_sum_blocks<Acc>(n2, fill, offset) + pairwise_sum_blocks<Acc>(n - n2, fill, offset + n2);
}

// np.sum(row, axis=1) for n contiguous doubles: the same pairwise grouping,
// with the 8 accumulators of a block held in two AVX2 registers (lane j is
// numpy's r[j]: the same additions in the same order, so the same bits).
double pairwise_sum_avx2(const double* a, long n);
float pairwise_sum_avx2(const float* a, long n);

// The index of the first NaN or +-Infinity among a[0] .. a[n-1], or -1 (the
// input check of every call, and training's divergence guard): the SIMD
// level's vector scan (reduce_simd.h) when there is one, else the reference loop.
template <typename T>
long first_non_finite(const T* a, long n);
namespace reference {
template <typename T>
long first_non_finite(const T* a, long n);
}

// np.sum(a) for a contiguous array: the reduction starts from 0.0.
template <typename T>
T numpy_sum(const T* a, long n) {
  return T(0) + pairwise_sum<T>(n, [a](long i) { return a[i]; });
}

}  // namespace deepnet
