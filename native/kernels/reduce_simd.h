// The vector body of first_non_finite (reduce.h).
//
// Level-generic: see elementwise_level.h.
#pragma once

namespace deepnet {
namespace DEEPNET_LEVEL {
namespace reduce {

// A finite x times 0 is a signed zero and a non-finite one NaN, so a block's
// sum of x * 0 is NaN exactly when the block holds a non-finite value; only
// that block, and the last values short of a vector, are scanned by the
// reference loop (the rest after the blocks goes by whole vectors: a
// prediction chunk's rows of 813 doubles left 45 to the loop).
// At the AVX-512 level on 512 bits: 1.2-1.35x faster on arrays in cache (the
// divergence guard's gradients and parameters), 0.8-1.06x on a stream from
// memory (the once-per-call input check; noisy), see docs/performance.md.
template <typename T>
long first_non_finite(const T* a, long n) {
  using V = Vec<T>;
  constexpr long kBlock = 16 * V::lanes;
  long i = 0;
  for (; i + kBlock <= n; i += kBlock) {
    typename V::type acc = V::zero();
    for (long j = 0; j < kBlock; j += V::lanes) acc = acc + V::load(a + i + j) * V::zero();
    if (!V::all(V::eq(acc, acc))) return i + reference::first_non_finite(a + i, kBlock);
  }
  typename V::type acc = V::zero();
  long j = i;
  for (; j + V::lanes <= n; j += V::lanes) acc = acc + V::load(a + j) * V::zero();
  if (!V::all(V::eq(acc, acc))) return i + reference::first_non_finite(a + i, j - i);
  const long tail = reference::first_non_finite(a + j, n - j);
  return tail < 0 ? -1 : j + tail;
}

}  // namespace reduce
}  // namespace DEEPNET_LEVEL
}  // namespace deepnet
