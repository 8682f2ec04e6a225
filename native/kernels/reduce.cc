#include "reduce.h"

#include <cmath>

#include "simd.h"

namespace deepnet {

namespace {

// numpy's pairwise_sum with the block loop in vectors: r[0..7] are the lanes
// of (lo, hi) for double, of one register for float.
template <typename T>
DEEPNET_TARGET_AVX2 T pairwise_avx2(const T* a, long n) {
  if (n < 8) {
    T res = -0.0;
    for (long i = 0; i < n; ++i) res += a[i];
    return res;
  }
  if (n <= 128) {
    T r[8];
    if (sizeof(T) == 8) {
      using V = simd::vec<T>;
      V lo = simd::load(a), hi = simd::load(a + 4);
      long i = 8;
      for (; i < n - (n % 8); i += 8) {
        lo = lo + simd::load(a + i);
        hi = hi + simd::load(a + i + 4);
      }
      simd::store(r, lo);
      simd::store(r + 4, hi);
      T res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
      for (; i < n; ++i) res += a[i];
      return res;
    }
    using V = simd::vec<T>;
    V acc = simd::load(a);
    long i = 8;
    for (; i < n - (n % 8); i += 8) acc = acc + simd::load(a + i);
    simd::store(r, acc);
    T res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i];
    return res;
  }
  long n2 = n / 2;
  n2 -= n2 % 8;
  return pairwise_avx2(a, n2) + pairwise_avx2(a + n2, n - n2);
}

// A finite x times 0 is a signed zero and a non-finite one NaN, so a block's
// sum of x * 0 is NaN exactly when the block holds a non-finite value; only
// that block is then scanned for its index.
template <typename T>
DEEPNET_TARGET_AVX2 long first_non_finite_avx2(const T* a, long n) {
  using V = simd::vec<T>;
  constexpr long kBlock = 16 * simd::lanes<T>;
  const V zero = simd::splat<T>(0);
  long i = 0;
  for (; i + kBlock <= n; i += kBlock) {
    V acc = zero;
    for (long j = 0; j < kBlock; j += simd::lanes<T>) acc = acc + simd::load(a + i + j) * zero;
    T lanes[simd::lanes<T>];
    simd::store(lanes, acc);
    T any = 0;
    for (T x : lanes) any = any + x;
    if (any != any) return i + reference::first_non_finite(a + i, kBlock);
  }
  const long tail = reference::first_non_finite(a + i, n - i);
  return tail < 0 ? -1 : i + tail;
}

}  // namespace

namespace reference {
template <typename T>
long first_non_finite(const T* a, long n) {
  for (long i = 0; i < n; ++i)
    if (!std::isfinite(a[i])) return i;
  return -1;
}
template long first_non_finite<float>(const float*, long);
template long first_non_finite<double>(const double*, long);
}  // namespace reference

template <typename T>
long first_non_finite(const T* a, long n) {
  if (simd_avx2_or_better()) return first_non_finite_avx2(a, n);
  return reference::first_non_finite(a, n);
}
template long first_non_finite<float>(const float*, long);
template long first_non_finite<double>(const double*, long);

double pairwise_sum_avx2(const double* a, long n) { return pairwise_avx2(a, n); }
float pairwise_sum_avx2(const float* a, long n) { return pairwise_avx2(a, n); }

}  // namespace deepnet
